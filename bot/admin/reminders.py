"""The reminders preview page: what the scheduler will send on a day, per kind, with a masked sample."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.admin.auth import Actor, signed_in
from bot.admin.web import page
from bot.reminder_preview import kind_labels, preview_day, sample
from bot.services import services_of
from core.formatting import weekday_date
from core.i18n import _
from core.reminders import Kind

router = APIRouter(prefix="/admin/reminders")


@router.get("")
async def reminders_preview(
    request: Request, actor: Annotated[Actor, Depends(signed_in)], day: str = ""
) -> Response:
    """Runs the scan for the chosen day (default today in the kabupaten's zone) without writing anything."""
    services = services_of(request)
    zone, now = services.settings.zone, services.clock.now()
    today = now.astimezone(zone).date()
    try:
        chosen = date.fromisoformat(day) if day else today
    except ValueError:
        return page(
            request,
            "reminders.html",
            actor,
            status=400,
            day=today,
            rows=[],
            total=None,
            error=_("Pick a day with the date field."),
        )
    try:
        preview = await preview_day(services.sessions, day=chosen, zone=zone, now=now)
    except ValueError as error:
        return page(
            request, "reminders.html", actor, status=400, day=chosen, rows=[], total=None, error=str(error)
        )
    labels = kind_labels()
    rows = [
        (labels[kind], len(messages), sample(messages[0]))
        for kind in Kind
        if (messages := preview.by_kind.get(kind))
    ]
    return page(
        request,
        "reminders.html",
        actor,
        day=chosen,
        heading=weekday_date(chosen),
        since=preview.since,
        rows=rows,
        total=sum(count for _label, count, _sample in rows),
    )
