"""The notice to the admin who made a broadcast, when it finishes: on the workspace, and in their linked chat."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services import Services
from core import broadcasts as rules
from core.formatting import number
from core.i18n import _
from storage import broadcast_results as results
from storage import notices, outbox
from storage.admins import admin_by_id
from storage.contacts import contact_by_id
from storage.models import Broadcast

KIND = "admin_notice"


def send_key(broadcast_id: int) -> str:
    """The one-send key of a broadcast's notice to its admin's chat."""
    return f"admin-notice:broadcast:{broadcast_id}"


def chat_text(broadcast: Broadcast, counts: dict[str, int], base_url: str) -> str:
    """What the admin reads in the chat: the outcome, the figures and where to see more."""
    figures = {name: number(count) for name, count in counts.items()}
    link = f"{base_url}/admin/broadcasts/{broadcast.id}"
    if broadcast.status == rules.CANCELLED:
        text = _(
            'Your broadcast "{title}" was cancelled: {sent} sent before, {stopped} not sent. Details: {link}'
        )
    else:
        text = _(
            'Your broadcast "{title}" is finished: {sent} sent, {failed} failed, {excluded} excluded. Details: {link}'
        )
    return text.format(title=broadcast.title, link=link, excluded=number(broadcast.excluded), **figures)


async def _counts(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    """Sent, failed and stopped messages of the broadcast."""
    counts = {"sent": 0, "failed": 0, "stopped": 0}
    for (status, _delivery), count in (
        await results.delivery_counts(session=session, broadcast_id=broadcast_id)
    ).items():
        name = {outbox.FAILED: "failed", outbox.CANCELLED: "stopped"}.get(status, "sent")
        counts[name] += count
    return counts


async def broadcast_finished(session: AsyncSession, services: Services, broadcast: Broadcast) -> bool:
    """Writes the creating admin's notice once (done, or cancelled after it was sent or scheduled) and queues it
    to the admin's linked chat in the same transaction; returns whether a notice was written now."""
    if not broadcast.notify_admin or broadcast.admin_id is None or broadcast.id is None:
        return False
    if broadcast.scheduled_at is None:  # a draft cancelled before sending: nothing to report
        return False
    now = services.clock.now()
    written = await notices.add_notice(
        session=session,
        admin_id=broadcast.admin_id,
        broadcast_id=broadcast.id,
        outcome=broadcast.status,
        now=now,
    )
    admin = await admin_by_id(session=session, admin_id=broadcast.admin_id)
    chat = (
        await contact_by_id(session=session, contact_id=admin.contact_id)
        if admin and admin.contact_id
        else None
    )
    if written and chat is not None and chat.erased_at is None:
        text = chat_text(
            broadcast,
            await _counts(session, broadcast.id),
            str(services.settings.public_base_url or "").rstrip("/"),
        )
        await outbox.enqueue(
            session=session,
            channel=chat.channel,
            recipient=chat.external_id,
            kind=KIND,
            body=text,
            send_key=send_key(broadcast.id),
            now=now,
            contact_id=chat.id,
            variables={"1": text},
        )
    return written
