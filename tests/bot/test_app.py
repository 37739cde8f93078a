"""The app runs its scheduled jobs unless it is a web-only process (`umkm serve --no-worker`)."""

from __future__ import annotations

import httpx
import pytest

from bot.app import create_app
from bot.cli import parser
from bot.settings import Settings


@pytest.mark.parametrize(
    ("flags", "jobs"),
    [
        (
            [],
            {
                "booking_reminders",
                "repayment_reminders",
                "retention",
                "erasure_follow_up",
                "broadcasts",
                "survey_asks",
                "survey_expiry",
            },
        ),
        (["--no-worker"], None),
    ],
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


@pytest.mark.parametrize(("env", "described"), [("dev", True), ("prod", False)])
async def test_no_api_docs_and_no_openapi_in_production(db_url: str, env: str, described: bool) -> None:
    """Production serves no /openapi.json; no environment serves the docs pages."""
    settings = Settings(
        _env_file=None,
        database_url=db_url,
        umkm_env=env,
        admin_token="a-real-admin-token",
        admin_session_secret="a-real-session-secret-0123456789",
    )
    app = create_app(settings, worker=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            assert ((await client.get("/openapi.json")).status_code == 200) is described
            for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
                assert (await client.get(path)).status_code == 404
