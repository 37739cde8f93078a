"""Twilio status callbacks: record delivery on the outbox row, and act on late opt-outs and window refusals.

A message can be accepted by the API and fail later. On failed/undelivered the error code (and what it means) is
kept on the row as its reason, which a broadcast's progress page lists; 21610 (opted out) marks the contact
unreachable, as the sender does when the API says so at once; 63016 (outside the 24-hour window) fails the row
with the reason and, when its kind has an approved template, queues one copy that the sender will send as that
template (the copy is never copied again, so a wrong window can cost one message, never a loop).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.handlers.whatsapp_sender import CHANNEL, OPTED_OUT, OUTSIDE_WINDOW
from bot.messages import Option
from bot.privacy import mask
from bot.services import Services
from storage import outbox
from storage.contacts import get_contact
from storage.db import transaction
from storage.outbox import fail_after_send, outbox_by_provider_id

log = logging.getLogger(__name__)

FAILED_STATUSES = frozenset({"failed", "undelivered"})
TEMPLATE_RETRY = "template-retry:"
ERROR_MEANINGS = {  # the WhatsApp delivery errors Twilio reports most, as the progress page lists them
    "21610": "the recipient opted out",
    "30003": "phone unreachable",
    "30004": "message blocked",
    "30005": "unknown number",
    "30006": "number cannot receive WhatsApp",
    "30007": "filtered as spam",
    "30008": "unknown error",
    "63016": "outside WhatsApp's 24-hour window",
    "63024": "not a valid WhatsApp recipient",
}


def delivery_error(status: str, error_code: str) -> str:
    """A failed delivery's reason, kept on the row: 'Twilio 30008 undelivered: unknown error'."""
    meaning = ERROR_MEANINGS.get(error_code)
    return f"Twilio {error_code} {status}" + (f": {meaning}" if meaning else "")


async def apply_status(
    services: Services, *, message_id: str, status: str, error_code: str | None, recipient: str
) -> None:
    """Records one status callback and carries out what its error code calls for."""
    async with transaction(services.sessions) as session:
        recorded = await outbox.set_delivery_status(
            session=session, provider_message_id=message_id, status=status
        )
        log.debug("WhatsApp %s is %s (%s)", message_id, status, "recorded" if recorded else "ignored")
        if status not in FAILED_STATUSES or error_code is None:
            return
        log.info("WhatsApp %s to %s %s with Twilio %s", message_id, mask(recipient), status, error_code)
        if recorded:  # a repeated report keeps the reason written the first time
            await outbox.note_delivery_error(
                session=session, provider_message_id=message_id, reason=delivery_error(status, error_code)
            )
        if error_code == str(OPTED_OUT):
            await _opted_out(session, recipient)
        elif error_code == str(OUTSIDE_WINDOW):
            await _outside_window(session, services, message_id, services.clock.now())


async def _opted_out(session: AsyncSession, recipient: str) -> None:
    """Marks the recipient unreachable and fails what still waits for them."""
    reason = f"Twilio {OPTED_OUT}: the recipient opted out of WhatsApp messages"
    contact = await get_contact(session=session, channel=CHANNEL, external_id=recipient)
    await outbox.mark_recipient_unreachable(
        session=session,
        channel=CHANNEL,
        recipient=recipient,
        contact_id=contact.id if contact else None,
        reason=reason,
    )


async def _outside_window(session: AsyncSession, services: Services, message_id: str, now: datetime) -> None:
    """Fails the refused row and, when its kind has a template, queues it once more to go as that template."""
    row = await outbox_by_provider_id(session=session, provider_message_id=message_id)
    if row is None or row.id is None or row.status == outbox.FAILED:
        return
    has_template = row.kind in services.settings.twilio_templates
    retry = has_template and not row.send_key.startswith(TEMPLATE_RETRY)
    reason = f"Twilio {OUTSIDE_WINDOW}: outside WhatsApp's 24-hour window" + (
        "; queued again as its template" if retry else "; no template to send instead"
    )
    await fail_after_send(session=session, outbox_id=row.id, reason=reason)
    if retry:
        await outbox.enqueue(
            session=session,
            channel=row.channel,
            recipient=row.recipient,
            kind=row.kind,
            body=row.body,
            send_key=f"{TEMPLATE_RETRY}{row.id}",
            now=now,
            contact_id=row.contact_id,
            options=[Option(option["id"], option["label"]) for option in row.options],
            variables=row.variables,
            priority=row.priority,
        )
