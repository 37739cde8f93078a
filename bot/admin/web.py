"""What every admin page shares: the templates, the time zone filters, audit-and-commit, and error pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.admin.auth import Actor, BadCsrf, LoginRequired, NotAllowed, csrf_token
from bot.services import services_of
from core.formatting import clock_time, long_date, number, zone_abbreviation
from core.i18n import _, translations
from storage import audit

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")  # autoescapes .html
TEMPLATES.env.add_extension("jinja2.ext.i18n")  # page text goes through the catalogs as {{ _("...") }}
TEMPLATES.env.install_gettext_translations(translations(), newstyle=True)  # type: ignore[attr-defined]


def local_time(request: Request, moment: datetime | None) -> str:
    """A moment as '29 November 2026 14.05 WIB' in the kabupaten's zone."""
    if moment is None:
        return "-"
    settings = services_of(request).settings
    local = moment.astimezone(settings.zone)
    return f"{long_date(local.date())} {clock_time(local)} {zone_abbreviation(settings.profile.time_zone)}"


TEMPLATES.env.filters["number"] = number
TEMPLATES.env.filters["long_date"] = long_date


def page(request: Request, name: str, actor: Actor | None, status: int = 200, **context: Any) -> HTMLResponse:
    """Renders a page with the signed-in account, the CSRF token and the time helpers."""
    context |= {
        "actor": actor,
        "csrf": csrf_token(request),
        "local": lambda moment: local_time(request, moment),
    }
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)


async def audited(session: AsyncSession, actor: Actor, action: str, now: datetime, **detail: Any) -> None:
    """Records a signed-in admin's action in the caller's transaction."""
    await audit.record(
        session=session, actor=actor.email, admin_id=actor.id, action=action, now=now, detail=detail
    )


def back_to(url: str) -> RedirectResponse:
    """Post/redirect/get: after a change the browser loads the page again with GET."""
    return RedirectResponse(url, status_code=303)


def message_page(
    request: Request, title: str, text: str, status: int, actor: Actor | None = None
) -> Response:
    """A short page that says what went wrong and where to go next."""
    return page(request, "message.html", actor, status=status, title=title, text=text)


class NotFound(Exception):
    """The record a page is about does not exist; the message says which (Bahasa Indonesia)."""


def install_error_pages(app: FastAPI) -> None:
    """Login redirects, the viewer's 'not allowed' and the expired-form page, in Bahasa Indonesia."""

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _error: LoginRequired) -> Response:
        """Pages go to the login form; the JSON API answers 401."""
        if request.url.path.startswith("/admin/api/"):
            return JSONResponse(
                {"detail": "sign in or send Authorization: Bearer ADMIN_TOKEN"}, status_code=401
            )
        return back_to("/admin/login")

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, _error: NotAllowed) -> Response:
        """A viewer asked for a change."""
        return message_page(
            request,
            _("Not allowed"),
            _("Your account has the viewer role: it can look, not change anything."),
            403,
        )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        """A page about something that is not there."""
        return message_page(request, _("Not found"), str(error), 404)

    @app.exception_handler(BadCsrf)
    async def bad_csrf(request: Request, _error: BadCsrf) -> Response:
        """The form's token did not match: nothing was changed."""
        return message_page(
            request,
            _("Form expired"),
            _("This form is no longer valid, so nothing was changed. Reload the page and try again."),
            403,
        )
