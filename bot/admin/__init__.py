"""The admin workspace at /admin: sign-in, consultants and slots, broadcasts and surveys, aid applications,
the reminders preview, requests to talk to a person, the programme report, the audit log."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.admin import (
    aid,
    auth,
    broadcast_data,
    broadcasts,
    consultants,
    help_requests,
    reminders,
    report,
    routes,
    surveys,
)
from bot.admin.web import install_error_pages
from bot.settings import Settings


def mount(app: FastAPI, settings: Settings) -> None:
    """Adds the admin pages, their static files, the session cookie and the error pages to the app."""
    auth.install(app, settings)
    install_error_pages(app)
    app.mount("/static/admin", StaticFiles(directory=Path(__file__).parent / "static"), name="admin-static")
    app.include_router(routes.router)
    app.include_router(consultants.router)
    app.include_router(broadcasts.router)
    app.include_router(broadcast_data.router)
    app.include_router(report.router)
    app.include_router(aid.router)
    app.include_router(reminders.router)
    app.include_router(help_requests.router)
    app.include_router(surveys.router)
