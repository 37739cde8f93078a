"""Aid application pages: the list with filters and figures per aid, one application, approve, decline, delivered."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from bot.admin.auth import Actor, admin_only, check_csrf, signed_in
from bot.admin.web import NotFound, audited, back_to, page
from bot.aid_notices import tell_owner
from bot.business_fields import sector_labels
from bot.services import services_of
from core.aid import APPLIED, APPROVED, DECLINED, DELIVERED, NEXT, STATUSES, AidPeriod, parse_period
from core.classification import SizeClass
from core.i18n import _
from storage import aid as applications
from storage.db import transaction

router = APIRouter(prefix="/admin/aid")


def status_labels() -> dict[str, str]:
    """Each status as the admin pages name it."""
    return {
        APPLIED: _("Applied"),
        APPROVED: _("Approved"),
        DECLINED: _("Declined"),
        DELIVERED: _("Delivered"),
    }


def _span(period: str, today: date, zone: ZoneInfo) -> tuple[AidPeriod, datetime, datetime]:
    """The figures' period (the chosen one, else this year) as local midnight bounds."""
    try:
        chosen = parse_period(period)
    except ValueError:
        chosen = parse_period(str(today.year))
    start = datetime.combine(chosen.first, time(0), zone)
    return chosen, start, datetime.combine(chosen.last + timedelta(days=1), time(0), zone)


@router.get("")
async def aid_list(
    request: Request,
    actor: Annotated[Actor, Depends(signed_in)],
    aid: str = "",
    status: str = "",
    kecamatan: str = "",
    period: str = "",
    before: int | None = None,
) -> Response:
    """Applications newest first, filtered by aid, status, kecamatan and period; the figures per aid above."""
    services = services_of(request)
    profile, zone = services.settings.profile, services.settings.zone
    today = services.clock.now().astimezone(zone).date()
    shown, start, end = _span(period, today, zone)
    filters = {"aid_id": aid, "status": status, "kecamatan": kecamatan, "period": period}
    async with services.sessions() as session:
        rows = await applications.list_applications(session=session, before_id=before, **filters)
        figures = await applications.aid_figures(session, start, end, kecamatan or None)
        periods = await applications.periods(session=session)
    return page(
        request,
        "aid_list.html",
        actor,
        rows=rows,
        figures=figures,
        figures_period=shown.key,
        names={item.id: item.name for item in profile.aid},
        labels=status_labels(),
        statuses=STATUSES,
        kecamatan_list=profile.kecamatan,
        periods=sorted({*periods, *(item.period.key for item in profile.aid)}, reverse=True),
        chosen={"aid": aid, "status": status, "kecamatan": kecamatan, "period": period},
        more=rows[-1].application.id if len(rows) == applications.PAGE else None,
    )


async def _detail(
    request: Request, actor: Actor, application_id: int, status: int = 200, **extra
) -> Response:  # noqa: ANN003
    """The page of one application."""
    services = services_of(request)
    async with services.sessions() as session:
        details = await applications.application_details(session=session, application_id=application_id)
    if details is None:
        raise NotFound(_("This application does not exist."))
    aid = next(
        (item for item in services.settings.profile.aid if item.id == details.application.aid_id), None
    )
    return page(
        request,
        "aid_detail.html",
        actor,
        status=status,
        item=details,
        aid=aid,
        labels=status_labels(),
        sectors=sector_labels(),
        sizes={size.value: size.label for size in SizeClass},
        next_steps=NEXT[details.application.status],
        **extra,
    )


@router.get("/{application_id}")
async def aid_detail(
    request: Request, actor: Annotated[Actor, Depends(signed_in)], application_id: int, done: str = ""
) -> Response:
    """One application: the owner, the reason, the photo, the history, and the decision forms for admins."""
    notice = _("Saved. The owner is told in the chat.") if done in STATUSES else None
    return await _detail(request, actor, application_id, notice=notice)


@router.post("/{application_id}")
async def decide(
    request: Request,
    actor: Annotated[Actor, Depends(admin_only)],
    application_id: int,
    decision: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Approves, declines (a reason is required) or marks delivered; the owner is told through the outbox."""
    check_csrf(request, csrf)
    note = " ".join(note.split())[:500]
    if decision == DECLINED and not note:
        error = _("Write the reason for declining; the owner will read it.")
        return await _detail(request, actor, application_id, status=400, error=error)
    services = services_of(request)
    now = services.clock.now()
    async with transaction(services.sessions) as session:
        details = await applications.application_details(
            session=session, application_id=application_id, for_update=True
        )
        if details is None:
            raise NotFound(_("This application does not exist."))
        try:
            await applications.decide(
                session=session,
                application=details.application,
                status=decision,
                by=actor.email,
                now=now,
                note=note or None,
            )
        except applications.WrongStep:
            error = _("This application is already {status}; nothing was changed.").format(
                status=status_labels()[details.application.status].lower()
            )
            wrong = True
        else:
            wrong = False
            profile = services.settings.profile
            aid = next((item for item in profile.aid if item.id == details.application.aid_id), None)
            await tell_owner(
                session=session,
                owner=details.owner,
                application=details.application,
                aid=aid,
                secretariat=profile.secretariat_name,
                now=now,
            )
            await audited(session, actor, f"aid.{decision}", now, application=application_id)
    if wrong:
        return await _detail(request, actor, application_id, status=409, error=error)
    return back_to(f"/admin/aid/{application_id}?done={decision}")
