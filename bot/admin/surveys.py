"""Kirim survei: an admin sends the follow-up survey to a segment; it then lives on the broadcasts' pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import broadcasts as service
from bot import survey
from bot.admin.auth import Actor, admin_only, signed_in
from bot.admin.broadcast_labels import labels as segment_labels
from bot.admin.broadcasts import ComposeForm, save_draft, segment_reach
from bot.admin.web import page
from bot.services import services_of
from core import survey as rules
from storage.models import Broadcast

router = APIRouter(prefix="/admin")


def _invitation(request: Request) -> tuple[list[str], list[str]]:
    """The invitation as owners read it if sent now: its lines and its buttons."""
    services = services_of(request)
    last_day = rules.answer_by(services.clock.now()).astimezone(services.settings.zone).date()
    return survey.invitation(last_day).splitlines(), [option.label for option in survey.invitation_options()]


@router.get("/surveys/new")
async def compose(request: Request, actor: Annotated[Actor, Depends(admin_only)]) -> Response:
    """The survey form: a title and the segment, with the invitation and the exact audience beside it."""
    return page(request, "survey_new.html", actor, form=ComposeForm(), **segment_labels(request))


@router.post("/surveys/preview")
async def live_preview(
    request: Request, actor: Annotated[Actor, Depends(signed_in)], form: Annotated[ComposeForm, Form()]
) -> Response:
    """The invitation and who would get it (owners with a business and a recorded loan in the segment)."""
    services = services_of(request)
    lines, buttons = _invitation(request)
    reach, problem = await segment_reach(services, form, survey.for_survey, survey.KIND)
    return page(
        request,
        "_survey_preview.html",
        actor,
        lines=lines,
        buttons=buttons,
        reach=reach,
        segment_problem=problem,
        labels=service.exclusion_label,
    )


@router.post("/surveys")
async def create(
    request: Request, actor: Annotated[Actor, Depends(admin_only)], form: Annotated[ComposeForm, Form()]
) -> Response:
    """Saves the survey as a draft broadcast and opens its page, where it is sent or scheduled like any other."""
    services = services_of(request)

    async def make(session: AsyncSession) -> Broadcast:
        """The survey's draft, its segment narrowed to borrowers."""
        return await survey.create_for_segment(
            session,
            services,
            title=form.title,
            segment=form.segment(),
            by=actor.email,
            admin_id=actor.id,
            form_key=form.form_key,
        )

    return await save_draft(request, actor, form, make, "survey.create", "survey_new.html")
