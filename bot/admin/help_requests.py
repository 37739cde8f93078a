"""Requests to talk to a person, for the secretariat: who asked what, a reply through the chat, or 'done'."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from bot.admin.auth import Actor, admin_only, check_csrf, signed_in
from bot.admin.web import NotFound, audited, back_to, page
from bot.flows.base import choices
from bot.flows.common import menu_option
from bot.privacy import mask
from bot.services import services_of
from core.i18n import _
from storage import help_requests
from storage.db import transaction
from storage.outbox import enqueue

router = APIRouter(prefix="/admin/requests")
KIND = "help_answer"
REPLY_LIMIT = 1000
WINDOW = timedelta(hours=24)  # WhatsApp: a free-form reply only within 24 hours of the owner's last message


@router.get("")
async def requests_list(
    request: Request, actor: Annotated[Actor, Depends(signed_in)], done: str = ""
) -> Response:
    """The open requests, oldest first: when, channel, who, what they wrote, and (for admins) the reply form."""
    services = services_of(request)
    now = services.clock.now()
    async with services.sessions() as session:
        found = await help_requests.open_requests(session=session)
    rows = [
        {
            "id": item.id,
            "at": item.created_at,
            "channel": item.channel,
            "who": (contact.display_name if contact else None)
            or mask(contact.external_id if contact else None),
            "text": item.text,
            "window_closed": contact is not None
            and contact.channel == "whatsapp"
            and (contact.last_inbound_at is None or now - contact.last_inbound_at > WINDOW),
        }
        for item, contact in found
    ]
    notice = _("Done. A written reply goes out through the chat.") if done else None
    return page(request, "requests.html", actor, rows=rows, notice=notice)


@router.post("/{request_id}")
async def answer(
    request: Request,
    actor: Annotated[Actor, Depends(admin_only)],
    request_id: int,
    reply: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Sends the written reply to the owner's chat (if any) and marks the request answered, once."""
    check_csrf(request, csrf)
    text = reply.strip()[:REPLY_LIMIT]
    services = services_of(request)
    now = services.clock.now()
    async with transaction(services.sessions) as session:
        found = await help_requests.open_request(session=session, request_id=request_id)
        if found is None:
            raise NotFound(_("This request does not exist or was answered already."))
        item, contact = found
        sent = bool(text) and contact is not None and contact.erased_at is None
        if sent:
            office = services.settings.profile.secretariat_name
            await enqueue(
                session=session,
                channel=contact.channel,
                recipient=contact.external_id,
                kind=KIND,
                body=_("*Answer from {office}:*\n{text}").format(office=office, text=text),
                send_key=f"help:{item.id}",
                now=now,
                contact_id=contact.id,
                options=choices(menu_option()),
            )
        help_requests.mark_answered(session=session, request=item, now=now)
        await audited(session, actor, "help_request.answered", now, request=request_id, replied=sent)
    return back_to("/admin/requests?done=1")
