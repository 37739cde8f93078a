"""Sign-in, sign-out, the home page and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from bot.admin import accounts
from bot.admin.auth import Actor, check_csrf, signed_in, start_session
from bot.admin.web import NotFound, audited, back_to, local_time, page
from bot.services import services_of
from core.i18n import _
from storage import audit, notices
from storage.db import transaction

router = APIRouter(prefix="/admin")


@router.get("/login")
async def login_form(request: Request) -> Response:
    """The sign-in form (the only page that answers without a session)."""
    if isinstance(request.session.get("admin_id"), int):
        return back_to("/admin")
    return page(request, "login.html", None)


PROBLEMS = {
    "wrong": _("Wrong email or password."),
    "disabled": _("This account is disabled. Ask a Dinas admin."),
}


@router.post("/login")
async def login(
    request: Request,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Checks the password; five wrong ones in a row lock the account for 15 minutes."""
    check_csrf(request, csrf)
    services = services_of(request)
    now = services.clock.now()
    async with transaction(services.sessions) as session:
        result = await accounts.sign_in(session=session, email=email, password=password, now=now)
        actor = accounts.normal_email(email)[:160] or "-"
        action = "login" if result.admin else f"login.{result.problem}"
        admin_id = result.admin.id if result.admin else None
        await audit.record(session=session, actor=actor, action=action, now=now, admin_id=admin_id)
    if result.admin is None:
        if result.problem == "locked":
            error = _("Too many wrong tries. The account is locked until {time}.").format(
                time=local_time(request, result.locked_until)
            )
        else:
            error = PROBLEMS[result.problem or "wrong"]
        return page(request, "login.html", None, status=400, error=error, email=email)
    start_session(request, result.admin)
    return back_to("/admin")


@router.post("/logout")
async def logout(
    request: Request, actor: Annotated[Actor, Depends(signed_in)], csrf: Annotated[str, Form()] = ""
) -> Response:
    """Ends the session."""
    check_csrf(request, csrf)
    services = services_of(request)
    async with transaction(services.sessions) as session:
        await audited(session, actor, "logout", services.clock.now())
    request.session.clear()
    return back_to("/admin/login")


@router.get("")
async def home(request: Request, actor: Annotated[Actor, Depends(signed_in)]) -> Response:
    """The start page: the admin's notices, and where to go."""
    async with services_of(request).sessions() as session:
        recent = await notices.recent_notices(session=session, admin_id=actor.id)
    return page(request, "home.html", actor, notices=recent)


@router.get("/notices/{notice_id}")
async def open_notice(
    request: Request, notice_id: int, actor: Annotated[Actor, Depends(signed_in)]
) -> Response:
    """Opens one of the admin's notices: marks it read and goes to its broadcast."""
    services = services_of(request)
    async with transaction(services.sessions) as session:
        broadcast_id = await notices.open_notice(
            session=session, admin_id=actor.id, notice_id=notice_id, now=services.clock.now()
        )
    if broadcast_id is None:
        raise NotFound(_("There is no such notice."))
    return back_to(f"/admin/broadcasts/{broadcast_id}")


@router.get("/audit")
async def audit_log(
    request: Request, actor: Annotated[Actor, Depends(signed_in)], before: int | None = None
) -> Response:
    """The newest admin actions, 100 per page."""
    async with services_of(request).sessions() as session:
        rows = await audit.recent(session=session, limit=100, before_id=before)
    return page(request, "audit.html", actor, rows=rows, more=rows[-1].id if len(rows) == 100 else None)
