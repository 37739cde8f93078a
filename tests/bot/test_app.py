"""The app runs its scheduled jobs unless it is a web-only process (`umkm serve --no-worker`)."""

from __future__ import annotations

import httpx
import pytest

from bot.app import create_app
from bot.cli import parser
from bot.settings import Settings


@pytest.mark.parametrize(
    ("flags", "jobs"),
    [([], {"booking_reminders", "repayment_reminders", "retention", "broadcasts"}), (["--no-worker"], None)],
)
async def test_serve_runs_the_jobs_unless_no_worker(
    db_url: str, flags: list[str], jobs: set[str] | None
) -> None:
    args = parser().parse_args(["serve", *flags])
    app = create_app(Settings(_env_file=None, database_url=db_url), worker=not args.no_worker)
    async with app.router.lifespan_context(app):
        scheduler = app.state.scheduler
        assert (scheduler and {job.id for job in scheduler.get_jobs()}) == jobs
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}
