"""Leader-only jobs run in one process at a time; the others run everywhere."""

from __future__ import annotations

from types import SimpleNamespace

from bot.leader import resign
from bot.scheduler import PeriodicJob, job_function
from storage.db import make_engine


async def test_a_leader_only_job_runs_in_one_process_and_others_run_everywhere(db_url: str) -> None:
    runs: list[str] = []

    def job(name: str, *, leader_only: bool) -> PeriodicJob:
        async def run() -> None:
            runs.append(name)

        return PeriodicJob(name, 60, lambda services: run, leader_only=leader_only)

    engines = [make_engine(db_url), make_engine(db_url)]  # two processes on one database
    try:
        for index, db in enumerate(engines):
            services = SimpleNamespace(db=db)
            await job_function(services, job(f"scan-{index}", leader_only=True))()  # type: ignore[arg-type]
            await job_function(services, job(f"outbox-{index}", leader_only=False))()  # type: ignore[arg-type]
        assert runs == ["scan-0", "outbox-0", "outbox-1"]
        await resign(engines[0])
        await job_function(SimpleNamespace(db=engines[1]), job("scan-1", leader_only=True))()  # type: ignore[arg-type]
        assert runs[-1] == "scan-1"  # the second process took over
    finally:
        for db in engines:
            await resign(db)
            await db.dispose()
