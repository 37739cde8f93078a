"""The worker's scheduler: periodic jobs (outbox delivery, reminders, broadcasts) on APScheduler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import Dispatcher
from bot.leader import leader_for
from bot.services import Services


@dataclass(frozen=True)
class PeriodicJob:
    """A job the worker runs every `seconds`; `build` turns the services into the coroutine function to call.

    A `leader_only` job runs in one process at a time: the one holding the database's leadership (bot/leader.py).
    """

    id: str
    seconds: float
    build: Callable[[Services], Callable[[], Awaitable[object]]]
    leader_only: bool = True


def when_leading(services: Services, run: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[object]]:
    """Wraps a job so it runs only while this process leads (and takes over when the leader is gone)."""
    leader = leader_for(services.db)

    async def tick() -> object:
        """Runs the job when leading, else does nothing."""
        return await run() if await leader.lead() else None

    return tick


def job_function(services: Services, job: PeriodicJob) -> Callable[[], Awaitable[object]]:
    """What the scheduler calls for a job: gated by leadership when the job is leader-only."""
    run = job.build(services)
    return when_leading(services, run) if job.leader_only else run


def start_scheduler(
    services: Services, senders: dict[str, object], jobs: Sequence[PeriodicJob] = ()
) -> AsyncIOScheduler:
    """Starts outbox delivery for the configured channels, plus the given periodic jobs."""
    scheduler = AsyncIOScheduler(timezone=services.settings.zone)
    if senders:
        dispatcher = Dispatcher(
            services.sessions,
            senders,
            services.governors,
            services.clock,
            services.worker_id,
            lease=timedelta(seconds=services.settings.outbox_lease_seconds),
            held=services.held,
        )
        scheduler.add_job(
            dispatcher.drain, "interval", seconds=1, id="outbox", max_instances=1, coalesce=True
        )
    for job in jobs:
        scheduler.add_job(
            job_function(services, job),
            "interval",
            seconds=job.seconds,
            id=job.id,
            max_instances=1,
            coalesce=True,
        )
    scheduler.start()
    return scheduler
