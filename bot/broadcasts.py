"""Broadcasts as the pages and the CLI handle them: compose, audience, schedule, pause, resume and cancel.

The worker's job writes a sending broadcast into the outbox (bot/broadcast_fanout.py). Pause holds the broadcast's
waiting messages indefinitely, resume releases them (from 07.00 in quiet hours), cancel marks them cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.broadcast_notice import broadcast_finished
from bot.flows.base import go
from bot.handlers.whatsapp_sender import WINDOW, WINDOW_MARGIN
from bot.messages import Option
from bot.services import Services
from core import broadcasts as rules
from core.broadcasts import BroadcastError, Segment
from core.eligibility import SECTORS
from core.i18n import _
from core.reminders import out_of_quiet
from storage import broadcasts as store
from storage.models import Broadcast

KIND = "broadcast"
MESSAGE = "message"  # Broadcast.kind of an announcement; a follow-up survey to a segment is "survey" (bot/survey.py)
FLOW = "siaran"  # the broadcast-answer flow (bot/flows/broadcast_answer.py)
HELD = datetime(9999, 1, 1, tzinfo=ZoneInfo("UTC"))  # "not before" of a paused broadcast's messages
SAMPLE = 5


def answer_options(broadcast: Broadcast) -> tuple[Option, ...]:
    """The broadcast's answer options as buttons: go:siaran:<n>:<broadcast id>."""
    return tuple(
        Option(go(FLOW, str(n), broadcast.id), label) for n, label in enumerate(broadcast.options, 1)
    )


def message_text(broadcast: Broadcast) -> str:
    """What owners read."""
    return rules.full_text(broadcast.body, broadcast.link)


def send_key(broadcast_id: int, contact_id: int) -> str:
    """The one-send key of a broadcast to one contact."""
    return f"broadcast:{broadcast_id}:{contact_id}"


@dataclass
class Audience:
    """Who a broadcast reaches: the count, the excluded per reason, and a few masked names."""

    reached: int
    excluded: dict[str, int]
    sample: list[tuple[str, str]] = field(default_factory=list)

    @property
    def excluded_total(self) -> int:
        """Everyone kept out, whatever the reason."""
        return sum(self.excluded.values())


def mask_name(name: str | None) -> str:
    """A name as the sample shows it: 'Siti Aminah' -> 'Si** Am***'."""
    if not name:
        return _("(no name)")
    return " ".join(word[:2] + "*" * max(len(word) - 2, 1) for word in name.split())


def audience_query(services: Services, segment: Segment, kind: str = MESSAGE) -> Any:
    """The audience query of a segment as of now, for a broadcast of `kind` (its own WhatsApp template)."""
    now = services.clock.now()
    return store.audience(
        segment,
        now=now,
        window_opened_after=now - (WINDOW - WINDOW_MARGIN),
        template=(KIND if kind == MESSAGE else kind) in services.settings.twilio_templates,
    )


async def audience(
    session: AsyncSession, services: Services, segment: Segment, kind: str = MESSAGE
) -> Audience:
    """The exact count, the exclusions by reason and a masked sample of a segment right now."""
    query = audience_query(services, segment, kind)
    counts = await store.audience_counts(session=session, query=query)
    excluded = {reason: count for reason, count in counts.items() if reason is not None}
    result = Audience(counts.get(None, 0), excluded)
    after = 0
    while len(result.sample) < SAMPLE:
        rows = await store.audience_rows(session=session, query=query, after=after, limit=50)
        if not rows:
            break
        result.sample += [(mask_name(row.name), row.channel) for row in rows if row.reason is None]
        after = rows[-1].id
    result.sample = result.sample[:SAMPLE]
    return result


async def create(
    session: AsyncSession,
    services: Services,
    *,
    title: str,
    body: str,
    options: list[str],
    link: str | None,
    segment: Segment,
    by: str,
    admin_id: int | None,
    form_key: str | None = None,
    notify: bool = False,
) -> Broadcast:
    """Stores a draft after checking the message and the segment; raises BroadcastError saying what to fix."""
    options = [option.strip() for option in options if option.strip()]
    link = (link or "").strip() or None
    problems = rules.check_message(title=title, body=body, options=options, link=link)
    if problems:
        raise BroadcastError(" ".join(problems))
    rules.check_segment(segment, kecamatan=services.settings.profile.kecamatan, sectors=SECTORS)
    return await store.add_broadcast(
        session=session,
        now=services.clock.now(),
        title=title.strip(),
        body=body.strip(),
        options=options,
        link=link,
        segment=segment.to_dict(),
        admin_id=admin_id,
        notify_admin=notify and admin_id is not None,
        created_by=by[:160],
        form_key=form_key or None,
    )


async def locked(session: AsyncSession, broadcast_id: int) -> Broadcast:
    """The broadcast row, locked; BroadcastError when there is none."""
    broadcast = await store.get_broadcast(session=session, broadcast_id=broadcast_id, lock=True)
    if broadcast is None:
        raise BroadcastError(_("There is no broadcast {id}.").format(id=broadcast_id))
    return broadcast


def move(broadcast: Broadcast, status: str, now: datetime) -> None:
    """Moves the life cycle on, or raises BroadcastError."""
    rules.check_move(broadcast.status, status)
    broadcast.status, broadcast.updated_at = status, now


async def schedule(
    session: AsyncSession, services: Services, broadcast_id: int, at: datetime | None
) -> tuple[Broadcast, Audience]:
    """Sends now (at None) or at a future moment; refused for nobody to reach, a past time or a second click."""
    now = services.clock.now()
    broadcast = await locked(session, broadcast_id)
    rules.check_move(broadcast.status, rules.SCHEDULED)
    if at is not None and at <= now:
        raise BroadcastError(_("That time has already passed. Choose a time in the future."))
    reach = await audience(session, services, Segment.from_dict(broadcast.segment), broadcast.kind)
    if reach.reached == 0:
        reasons = ", ".join(f"{exclusion_label(reason)}: {count}" for reason, count in reach.excluded.items())
        raise BroadcastError(
            _("Nobody would receive this broadcast ({reasons}). Widen the segment.").format(
                reasons=reasons or _("no owner matches the segment")
            )
        )
    move(broadcast, rules.SCHEDULED, now)
    broadcast.scheduled_at = at or now
    session.add(broadcast)
    return broadcast, reach


async def pause(session: AsyncSession, services: Services, broadcast_id: int) -> Broadcast:
    """Stops sending at once: waiting messages are held until resumed."""
    broadcast = await locked(session, broadcast_id)
    move(broadcast, rules.PAUSED, services.clock.now())
    await store.hold_pending(session=session, broadcast_id=broadcast_id, until=HELD)
    session.add(broadcast)
    return broadcast


async def resume(session: AsyncSession, services: Services, broadcast_id: int) -> Broadcast:
    """Sends again (from 07.00 when it is quiet hours now)."""
    now = services.clock.now()
    broadcast = await locked(session, broadcast_id)
    move(broadcast, rules.SENDING, now)
    await store.release_pending(
        session=session, broadcast_id=broadcast_id, at=out_of_quiet(now, services.settings.zone)
    )
    session.add(broadcast)
    return broadcast


async def cancel(session: AsyncSession, services: Services, broadcast_id: int) -> tuple[Broadcast, int]:
    """Cancels what is not yet sent; returns the broadcast and how many messages were stopped."""
    broadcast = await locked(session, broadcast_id)
    move(broadcast, rules.CANCELLED, services.clock.now())
    stopped = await store.cancel_pending(session=session, broadcast_id=broadcast_id)
    broadcast.finished_at = services.clock.now()
    session.add(broadcast)
    await broadcast_finished(session, services, broadcast)
    return broadcast, stopped


def exclusion_label(reason: str) -> str:
    """Why a contact is left out, as the pages and the CLI say it."""
    return {
        rules.ERASED: _("erased their data"),
        rules.OPTED_OUT: _("opted out (sent berhenti)"),
        rules.UNREACHABLE: _("unreachable (blocked the bot or the number is gone)"),
        rules.NO_CHANNEL: _("only on web chat or console, where nothing can be pushed"),
        rules.NO_TEMPLATE: _("WhatsApp outside the 24-hour window and no TWILIO_TEMPLATE_BROADCAST"),
    }[reason]
