"""Consultant pages: list, add, edit (and deactivate), link code, recurring slots, upcoming bookings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, time
from typing import Annotated

from babel.dates import get_day_names
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.admin.auth import Actor, admin_only, check_csrf, signed_in
from bot.admin.web import NotFound, audited, back_to, page
from bot.consultant_admin import BadValue, fresh_link_code, generate_slots, names
from bot.services import services_of
from core.booking import TOPICS
from core.formatting import LOCALE
from core.i18n import _
from storage.bookings import consultant_agenda
from storage.consultants import (
    add_consultant,
    future_slot_counts,
    get_consultant,
    list_consultants,
    update_consultant,
)
from storage.contacts import contact_by_id
from storage.db import transaction
from storage.models import Consultant

router = APIRouter(prefix="/admin/consultants")
TOPIC_LABELS = {
    "kur": _("Topic: KUR"),
    "subsidi_daerah": _("Topic: regional credit subsidy"),
    "perizinan": _("Topic: permits (NIB, SKU)"),
    "pembukuan": _("Topic: bookkeeping"),
    "lainnya": _("Topic: other"),
}
PLACE_LABELS = {
    "secretariat": _("Place: secretariat"),
    "phone": _("Place: phone"),
    "video": _("Place: video"),
}
WEEKDAYS = tuple((day + 1, name) for day, name in sorted(get_day_names("wide", locale=LOCALE).items()))
APPOINTMENT_STATES = {
    "requested": _("Appointment: awaiting an answer"),
    "confirmed": _("Appointment: confirmed"),
}
AGENDA_LIMIT = 50
MISSING = _("There is no such consultant.")


class ConsultantForm(BaseModel):
    """The add and edit form."""

    csrf: str = ""
    name: str = ""
    bank: str = ""
    kecamatan: list[str] = []
    topics: list[str] = []
    active: str | None = None


class SlotsForm(BaseModel):
    """The recurring slots form."""

    csrf: str = ""
    first: str = ""
    last: str = ""
    weekdays: list[int] = []
    opens: str = ""
    closes: str = ""
    minutes: int = 60
    place: str = "secretariat"


def _choices(request: Request) -> dict:
    """The lists the forms offer."""
    return {
        "kecamatan_list": services_of(request).settings.profile.kecamatan,
        "topic_labels": TOPIC_LABELS,
        "place_labels": PLACE_LABELS,
        "weekdays": WEEKDAYS,
        "appointment_states": APPOINTMENT_STATES,
    }


def _details(form: ConsultantForm, request: Request) -> dict:
    """Checks the consultant form; raises BadValue with what to fix."""
    if not form.name.strip() or not form.bank.strip():
        raise BadValue(_("Fill in the name and the partner bank."))
    profile = services_of(request).settings.profile
    return {
        "name": form.name.strip()[:120],
        "bank": form.bank.strip()[:80],
        "kecamatan": names(form.kecamatan, profile.kecamatan, _("Kecamatan")),
        "topics": names(form.topics or list(TOPICS), TOPICS, _("Topics")),
    }


@asynccontextmanager
async def _changing(request: Request, consultant_id: int) -> AsyncIterator[tuple[AsyncSession, Consultant]]:
    """A transaction with the consultant to change; NotFound when there is none."""
    async with transaction(services_of(request).sessions) as session:
        consultant = await get_consultant(session=session, consultant_id=consultant_id)
        if consultant is None:
            raise NotFound(MISSING)
        yield session, consultant


@router.get("")
async def consultants(request: Request, actor: Annotated[Actor, Depends(signed_in)]) -> Response:
    """Every consultant with coverage, topics, bank, linked chat and open slots; the add form."""
    return await _list_page(request, actor)


async def _list_page(request: Request, actor: Actor, status: int = 200, **extra) -> Response:  # noqa: ANN003
    """The list page, with an error or notice."""
    services = services_of(request)
    async with services.sessions() as session:
        rows = await list_consultants(session=session)
        slots = await future_slot_counts(session=session, now=services.clock.now())
    return page(
        request,
        "consultants.html",
        actor,
        status=status,
        rows=rows,
        slots=slots,
        **_choices(request),
        **extra,
    )


@router.post("")
async def add(
    request: Request, actor: Annotated[Actor, Depends(admin_only)], form: Annotated[ConsultantForm, Form()]
) -> Response:
    """Adds a consultant."""
    check_csrf(request, form.csrf)
    try:
        details = _details(form, request)
    except BadValue as error:
        return await _list_page(request, actor, status=400, error=str(error), form=form)
    services = services_of(request)
    now = services.clock.now()
    async with transaction(services.sessions) as session:
        consultant = await add_consultant(session=session, now=now, **details)
        await audited(session, actor, "consultant.add", now, consultant=consultant.id, name=consultant.name)
    return back_to(f"/admin/consultants/{consultant.id}")


async def _detail_page(
    request: Request, actor: Actor, consultant_id: int, status: int = 200, **extra
) -> Response:  # noqa: ANN003
    """One consultant: the edit form, link code, slot generation and upcoming bookings."""
    services = services_of(request)
    async with services.sessions() as session:
        consultant = await get_consultant(session=session, consultant_id=consultant_id)
        if consultant is None:
            raise NotFound(MISSING)
        agenda = await consultant_agenda(session=session, consultant_id=consultant_id, limit=AGENDA_LIMIT)
        chat = consultant.contact_id and await contact_by_id(
            session=session, contact_id=consultant.contact_id
        )
        slots = await future_slot_counts(session=session, now=services.clock.now())
    today = services.clock.now().astimezone(services.settings.zone).date()
    return page(
        request,
        "consultant.html",
        actor,
        status=status,
        consultant=consultant,
        agenda=agenda,
        chat=chat or None,
        free=slots.get(consultant_id, 0),
        today=today,
        profile=services.settings.profile,
        **_choices(request),
        **extra,
    )


@router.get("/{consultant_id}")
async def detail(
    request: Request, consultant_id: int, actor: Annotated[Actor, Depends(signed_in)]
) -> Response:
    """One consultant's page."""
    return await _detail_page(request, actor, consultant_id)


@router.post("/{consultant_id}")
async def edit(
    request: Request,
    consultant_id: int,
    actor: Annotated[Actor, Depends(admin_only)],
    form: Annotated[ConsultantForm, Form()],
) -> Response:
    """Saves the edit form; unticking "Aktif" deactivates (owners stop seeing the consultant)."""
    check_csrf(request, form.csrf)
    try:
        details = _details(form, request)
    except BadValue as error:
        return await _detail_page(request, actor, consultant_id, status=400, error=str(error))
    now = services_of(request).clock.now()
    async with _changing(request, consultant_id) as (session, consultant):
        was_active = consultant.active
        await update_consultant(
            session=session, consultant=consultant, active=form.active is not None, **details
        )
        action = "consultant.deactivate" if was_active and not consultant.active else "consultant.edit"
        await audited(
            session, actor, action, now, consultant=consultant_id, **details, active=consultant.active
        )
    return back_to(f"/admin/consultants/{consultant_id}")


@router.post("/{consultant_id}/link-code")
async def link_code(
    request: Request,
    consultant_id: int,
    actor: Annotated[Actor, Depends(admin_only)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Makes a fresh one-time link code and shows it once."""
    check_csrf(request, csrf)
    now = services_of(request).clock.now()
    async with _changing(request, consultant_id) as (session, consultant):
        code = await fresh_link_code(session=session, consultant=consultant)
        await audited(session, actor, "consultant.link_code", now, consultant=consultant_id)
    return await _detail_page(request, actor, consultant_id, code=code)


@router.post("/{consultant_id}/slots")
async def slots(
    request: Request,
    consultant_id: int,
    actor: Annotated[Actor, Depends(admin_only)],
    form: Annotated[SlotsForm, Form()],
) -> Response:
    """Generates recurring office-hour slots; slots that exist already are kept."""
    check_csrf(request, form.csrf)
    services = services_of(request)
    now = services.clock.now()
    try:
        if not form.weekdays or form.minutes < 15:
            raise BadValue(_("Pick at least one day, and a slot of at least 15 minutes."))
        span = {"first": date.fromisoformat(form.first), "last": date.fromisoformat(form.last)}
        hours = {"opens": time.fromisoformat(form.opens), "closes": time.fromisoformat(form.closes)}
    except ValueError as error:
        text = str(error) if isinstance(error, BadValue) else _("Fill in the dates and times correctly.")
        return await _detail_page(request, actor, consultant_id, status=400, error=text)
    try:
        async with _changing(request, consultant_id) as (session, consultant):
            added, kept = await generate_slots(
                session=session,
                consultant=consultant,
                weekdays=set(form.weekdays),
                minutes=form.minutes,
                place=form.place,
                zone=services.settings.zone,
                **span,
                **hours,
            )
            await audited(
                session,
                actor,
                "consultant.slots",
                now,
                consultant=consultant_id,
                first=form.first,
                last=form.last,
                added=added,
            )
    except BadValue as error:  # rolled back; the page is read after the transaction ends
        return await _detail_page(request, actor, consultant_id, status=400, error=str(error))
    notice = _("{added} slots added ({kept} were there already).").format(added=added, kept=kept)
    return await _detail_page(request, actor, consultant_id, notice=notice)
