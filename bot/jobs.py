"""The periodic jobs every worker runs besides outbox delivery."""

from __future__ import annotations

from bot.scheduler import PeriodicJob

JOBS: list[PeriodicJob] = []
