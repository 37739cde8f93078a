"""Broadcast pages: list, compose with live preview and audience, send or schedule, progress, pause, cancel, CSV."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import broadcasts as service
from bot.admin.auth import Actor, admin_only, check_csrf, signed_in
from bot.admin.broadcast_labels import labels
from bot.admin.preview import preview
from bot.admin.web import NotFound, audited, back_to, page
from bot.broadcast_progress import progress
from bot.broadcasts import MESSAGE, Audience
from bot.services import Services, services_of
from core import broadcasts as rules
from core.broadcasts import BroadcastError, Segment
from core.eligibility import SECTORS
from core.i18n import _
from storage.broadcasts import broadcast_of_form, get_broadcast, list_broadcasts
from storage.db import transaction
from storage.models import Broadcast

router = APIRouter(prefix="/admin")
MISSING = _("There is no such broadcast.")


class ComposeForm(BaseModel):
    """The compose form: the message and the segment."""

    csrf: str = ""
    form_key: str = Field(default_factory=lambda: secrets.token_urlsafe(16), max_length=40)
    title: str = ""
    body: str = ""
    option1: str = ""
    option2: str = ""
    option3: str = ""
    link: str = ""
    notify: str = ""  # the checkbox "tell me when it is finished" (ticked on a new form)
    kecamatan: list[str] = []
    sector: list[str] = []
    size_class: list[str] = []
    channel: list[str] = []
    registered: str = ""
    has_loan: str = ""
    booked: str = ""
    verdict: str = ""
    active_days: str = ""

    @property
    def options(self) -> list[str]:
        """The answer options filled in."""
        return [option for option in (self.option1, self.option2, self.option3) if option.strip()]

    def segment(self) -> Segment:
        """The segment chosen; raises BroadcastError for a bad number of days."""
        days = self.active_days.strip()
        if days and not days.isdigit():
            raise BroadcastError(_("Active in the last N days: enter a number, for example 30."))
        return Segment(
            kecamatan=tuple(self.kecamatan),
            sector=tuple(self.sector),
            size_class=tuple(self.size_class),
            channel=tuple(self.channel),
            registered=self.registered or None,
            has_loan=self.has_loan or None,
            booked=self.booked or None,
            verdict=self.verdict or None,
            active_days=int(days) if days else None,
        )


class SendForm(BaseModel):
    """Send now or at a local date and time."""

    csrf: str = ""
    when: str = "now"
    at: str = ""


@router.get("/broadcasts")
async def broadcasts(request: Request, actor: Annotated[Actor, Depends(signed_in)]) -> Response:
    """Every broadcast, newest first."""
    async with services_of(request).sessions() as session:
        rows = await list_broadcasts(session=session)
    return page(request, "broadcasts.html", actor, rows=rows, **labels(request))


@router.get("/broadcasts/new")
async def compose(request: Request, actor: Annotated[Actor, Depends(admin_only)]) -> Response:
    """The compose form with its live preview."""
    return page(request, "compose.html", actor, form=ComposeForm(notify="1"), **labels(request))


async def segment_reach(
    services: Services,
    form: ComposeForm,
    narrow: Callable[[Segment], Segment] = lambda segment: segment,
    kind: str = MESSAGE,
) -> tuple[Audience | None, str | None]:
    """Who a form's segment (narrowed for its kind) reaches right now, or why the segment is wrong."""
    try:
        segment = narrow(form.segment())
        rules.check_segment(segment, kecamatan=services.settings.profile.kecamatan, sectors=SECTORS)
        async with services.sessions() as session:
            return await service.audience(session, services, segment, kind), None
    except BroadcastError as error:
        return None, str(error)


@router.post("/broadcasts/preview")
async def live_preview(
    request: Request, actor: Annotated[Actor, Depends(signed_in)], form: Annotated[ComposeForm, Form()]
) -> Response:
    """The preview and audience panel for the form as typed so far (changes nothing)."""
    services = services_of(request)
    shown = preview(title=form.title, body=form.body, options=form.options, link=form.link)
    reach, problem = await segment_reach(services, form)
    return page(
        request,
        "_preview.html",
        actor,
        shown=shown,
        reach=reach,
        segment_problem=problem,
        labels=service.exclusion_label,
    )


async def save_draft(
    request: Request,
    actor: Actor,
    form: ComposeForm,
    make: Callable[[AsyncSession], Awaitable[Broadcast]],
    action: str,
    template: str,
) -> Response:
    """Saves a compose form's draft once (`make` builds it) and opens it; the same form sent again opens that draft.

    A wrong form shows `template` again with the reason; the audit log records `action`."""
    check_csrf(request, form.csrf)
    services = services_of(request)
    try:
        async with transaction(services.sessions) as session:
            earlier = await broadcast_of_form(session=session, form_key=form.form_key)
            if earlier is not None:
                return back_to(f"/admin/broadcasts/{earlier.id}")
            broadcast = await make(session)
            now = services.clock.now()
            await audited(session, actor, action, now, broadcast=broadcast.id, title=broadcast.title)
    except BroadcastError as error:
        return page(request, template, actor, status=400, form=form, error=str(error), **labels(request))
    except IntegrityError:  # the same form submitted twice at the same moment: the other one made the draft
        async with services.sessions() as session:
            earlier = await broadcast_of_form(session=session, form_key=form.form_key)
        if earlier is None:
            raise
        return back_to(f"/admin/broadcasts/{earlier.id}")
    return back_to(f"/admin/broadcasts/{broadcast.id}")


@router.post("/broadcasts")
async def create(
    request: Request, actor: Annotated[Actor, Depends(admin_only)], form: Annotated[ComposeForm, Form()]
) -> Response:
    """Saves the draft and opens it (nothing is sent yet); the same form submitted again opens that draft."""
    services = services_of(request)

    async def make(session: AsyncSession) -> Broadcast:
        """The announcement's draft."""
        return await service.create(
            session,
            services,
            title=form.title,
            body=form.body,
            options=form.options,
            link=form.link,
            segment=form.segment(),
            by=actor.email,
            admin_id=actor.id,
            form_key=form.form_key,
            notify=bool(form.notify),
        )

    return await save_draft(request, actor, form, make, "broadcast.create", "compose.html")


async def _detail(request: Request, actor: Actor, broadcast_id: int, status: int = 200, **extra) -> Response:  # noqa: ANN003
    """A broadcast's page: the draft with its audience and send form, or its progress."""
    services = services_of(request)
    async with services.sessions() as session:
        broadcast = await get_broadcast(session=session, broadcast_id=broadcast_id)
        if broadcast is None:
            raise NotFound(MISSING)
        draft = broadcast.status == rules.DRAFT
        reach = (
            await service.audience(session, services, Segment.from_dict(broadcast.segment), broadcast.kind)
            if draft
            else None
        )
        figures = None if draft else await progress(session, services, broadcast)
    shown = preview(
        title=broadcast.title, body=broadcast.body, options=broadcast.options, link=broadcast.link
    )
    return page(
        request,
        "broadcast.html",
        actor,
        status=status,
        broadcast=broadcast,
        reach=reach,
        figures=figures,
        shown=shown,
        labels=service.exclusion_label,
        **labels(request),
        **extra,
    )


@router.get("/broadcasts/{broadcast_id}")
async def detail(
    request: Request, broadcast_id: int, actor: Annotated[Actor, Depends(signed_in)]
) -> Response:
    """One broadcast's page."""
    return await _detail(request, actor, broadcast_id)


@router.get("/broadcasts/{broadcast_id}/progress")
async def progress_panel(
    request: Request, broadcast_id: int, actor: Annotated[Actor, Depends(signed_in)]
) -> Response:
    """The progress figures alone, for the page's polling."""
    services = services_of(request)
    async with services.sessions() as session:
        broadcast = await get_broadcast(session=session, broadcast_id=broadcast_id)
        if broadcast is None:
            raise NotFound(MISSING)
        figures = await progress(session, services, broadcast)
    return page(request, "_progress.html", actor, broadcast=broadcast, figures=figures, **labels(request))


def _local_input(text: str, request: Request) -> datetime:
    """A datetime-local form value (2026-12-01T09:00) in the kabupaten's zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BroadcastError(_("Enter the date and time to send, for example 01/12/2026 09.00.")) from None
    return moment.replace(tzinfo=services_of(request).settings.zone)


@router.post("/broadcasts/{broadcast_id}/send")
async def send(
    request: Request,
    broadcast_id: int,
    actor: Annotated[Actor, Depends(admin_only)],
    form: Annotated[SendForm, Form()],
) -> Response:
    """Sends now or schedules; a second click, a past time or nobody to reach is refused and changes nothing."""
    check_csrf(request, form.csrf)
    services = services_of(request)
    try:
        at = _local_input(form.at, request) if form.when == "later" else None
        async with transaction(services.sessions) as session:
            broadcast, reach = await service.schedule(session, services, broadcast_id, at)
            await audited(
                session,
                actor,
                "broadcast.send",
                services.clock.now(),
                broadcast=broadcast_id,
                at=broadcast.scheduled_at.isoformat() if broadcast.scheduled_at else None,
                reach=reach.reached,
            )
    except BroadcastError as error:
        return await _detail(request, actor, broadcast_id, status=409, error=str(error))
    return back_to(f"/admin/broadcasts/{broadcast_id}")


async def _change(request: Request, actor: Actor, broadcast_id: int, csrf: str, action: str) -> Response:
    """Pauses, resumes or cancels; refused moves (e.g. resuming a cancelled broadcast) are explained."""
    check_csrf(request, csrf)
    services = services_of(request)
    move = {"pause": service.pause, "resume": service.resume, "cancel": service.cancel}[action]
    try:
        async with transaction(services.sessions) as session:
            await move(session, services, broadcast_id)
            await audited(session, actor, f"broadcast.{action}", services.clock.now(), broadcast=broadcast_id)
    except BroadcastError as error:
        return await _detail(request, actor, broadcast_id, status=409, error=str(error))
    return back_to(f"/admin/broadcasts/{broadcast_id}")


@router.post("/broadcasts/{broadcast_id}/{action}")
async def change(
    request: Request,
    broadcast_id: int,
    action: str,
    actor: Annotated[Actor, Depends(admin_only)],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """POST .../pause, .../resume or .../cancel."""
    if action not in ("pause", "resume", "cancel"):
        raise NotFound(_("There is no such action."))
    return await _change(request, actor, broadcast_id, csrf, action)
