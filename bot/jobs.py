"""The periodic jobs every worker runs besides outbox delivery."""

from __future__ import annotations

from bot.bookings.jobs import booking_job
from bot.broadcast_fanout import broadcast_job
from bot.privacy import erasure_job
from bot.reminders import build_job as repayment_job
from bot.retention import retention_job
from bot.scheduler import PeriodicJob
from bot.survey import asking_job, expiry_job

JOBS: list[PeriodicJob] = [
    PeriodicJob("booking_reminders", 60, booking_job),
    PeriodicJob("repayment_reminders", 60, repayment_job),
    PeriodicJob("retention", 3600, retention_job),
    PeriodicJob("erasure_follow_up", 60, erasure_job),
    PeriodicJob("broadcasts", 5, broadcast_job),
    PeriodicJob("survey_asks", 300, asking_job),
    PeriodicJob("survey_expiry", 600, expiry_job),
]
