"""Telling an owner what became of an aid application, through the outbox (a pushed message with options).

Outside WhatsApp's 24-hour window the template of kind aid_decision goes out with variables
{"1": headline, "2": aid name, "3": the admin's reason or "-"}.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.base import choices, go
from bot.flows.common import AID, menu_option
from core.aid import APPROVED, DECLINED, DELIVERED, Aid
from core.i18n import _
from storage.models import AidApplication, Contact
from storage.outbox import enqueue

KIND = "aid_decision"


def _headline(status: str, aid: str) -> str:
    """The first line of the notice for a status."""
    headlines = {
        APPROVED: _("Your application for {aid} is approved."),
        DECLINED: _("Your application for {aid} was not approved."),
        DELIVERED: _("{aid}: the aid has been handed over to you."),
    }
    return headlines[status].format(aid=aid)


def _lines(status: str, note: str | None, secretariat: str) -> list[str]:
    """What follows the headline: the admin's reason, and what to do next."""
    lines = [_("Note from the Dinas: {note}").format(note=note)] if note else []
    if status == APPROVED:
        lines.append(_("The {office} will contact you about the handover.").format(office=secretariat))
    elif status == DECLINED:
        lines.append(
            _("You may ask the {office} about it, or apply for other aid.").format(office=secretariat)
        )
    return lines


async def tell_owner(
    *,
    session: AsyncSession,
    owner: Contact | None,
    application: AidApplication,
    aid: Aid | None,
    secretariat: str,
    now: datetime,
) -> bool:
    """Queues the notice of the application's current status once; False when the owner is gone or it was sent."""
    if owner is None or owner.erased_at is not None:
        return False
    name = aid.name if aid is not None else application.aid_id
    headline = _headline(application.status, name)
    note = application.decision_note if application.status != DELIVERED else None
    body = "\n".join([f"*{headline}*", *_lines(application.status, note, secretariat)])
    options = choices((go(AID, "mine"), _("My aid applications")), menu_option())
    row = await enqueue(
        session=session,
        channel=owner.channel,
        recipient=owner.external_id,
        kind=KIND,
        body=body,
        send_key=f"aid:{application.id}:{application.status}",
        now=now,
        contact_id=owner.id,
        options=options,
        variables={"1": headline, "2": name, "3": note or "-"},
    )
    return row is not None
