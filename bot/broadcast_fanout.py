"""The worker's broadcast job: starts due broadcasts, fans them out into the outbox, applies quiet hours.

Fan-out takes BATCH contacts at a time by keyset (contact id after the broadcast's cursor), each batch one
transaction that writes the outbox rows (send_key `broadcast:<id>:<contact>`, bulk priority), the recipient rows and
the new cursor together: a crash repeats at most the batch it was in, and the send keys make that repeat write
nothing twice. From a tick before 21.00 until 07.00 local time the job holds every waiting message of a sending
broadcast until 07.00, and rows written then are written for 07.00. A broadcast of kind survey (Kirim survei)
writes each batch's follow-up survey rows too and sends the survey's invitation under its own send keys
(bot/survey.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import survey
from bot.broadcast_notice import broadcast_finished
from bot.broadcasts import KIND, answer_options, audience_query, locked, message_text, move, send_key
from bot.governor import PRIORITY_BULK
from bot.services import Services
from core import broadcasts as rules
from core.broadcasts import Segment
from core.reminders import is_quiet, out_of_quiet
from storage import broadcast_results as results
from storage import broadcasts as store
from storage import outbox
from storage.db import transaction
from storage.models import Broadcast

log = logging.getLogger(__name__)

BATCH = 500
TICK = timedelta(seconds=5)  # how often the worker job runs; quiet hours are applied this much early


def _not_before(now: datetime, zone: ZoneInfo) -> datetime:
    """When a message written now may go: now, or 07.00 when quiet hours begin within a tick."""
    return out_of_quiet(now + TICK, zone) if is_quiet(now + TICK, zone) else now


def _common(broadcast: Broadcast, now: datetime, not_before: datetime) -> dict[str, Any]:
    """What every outbox row of a broadcast shares: the columns storage.outbox.enqueue writes, at bulk priority."""
    text = message_text(broadcast)
    return {
        "kind": KIND,
        "body": text,
        "options": [{"id": option.id, "label": option.label} for option in answer_options(broadcast)],
        "variables": {"1": text},
        "priority": PRIORITY_BULK,
        "status": outbox.PENDING,
        "attempts": 0,
        "next_attempt_at": not_before,
        "created_at": now,
    }


async def fan_out_batch(
    sessions: async_sessionmaker[AsyncSession], services: Services, broadcast_id: int
) -> int:
    """Writes the next batch of a sending broadcast into the outbox in one transaction; returns contacts handled."""
    now, zone = services.clock.now(), services.settings.zone
    async with transaction(sessions) as session:
        broadcast = await locked(session, broadcast_id)
        if broadcast.status == rules.SCHEDULED and broadcast.scheduled_at and broadcast.scheduled_at <= now:
            move(broadcast, rules.SENDING, now)
        if broadcast.status != rules.SENDING or broadcast.fanned_out_at is not None:
            return 0
        query = audience_query(services, Segment.from_dict(broadcast.segment), broadcast.kind)
        rows = await store.audience_rows(session=session, query=query, after=broadcast.cursor, limit=BATCH)
        reached = [row.id for row in rows if row.reason is None]
        not_before = _not_before(now, zone)
        # A follow-up survey to a segment writes survey rows and sends the survey's invitation.
        if broadcast.kind == survey.KIND:
            keys = await survey.ask_segment(session, broadcast_id, reached, now, zone)
            common = survey.message_columns(now, zone) | {"next_attempt_at": not_before}
        else:
            keys = {contact_id: send_key(broadcast_id, contact_id) for contact_id in reached}
            common = _common(broadcast, now, not_before)
        messages = [
            {
                **common,
                "channel": row.channel,
                "recipient": row.external_id,
                "contact_id": row.id,
                "send_key": keys[row.id],
            }
            for row in rows
            if row.id in keys
        ]
        ids = await store.write_messages(session=session, rows=messages)
        recipients = [
            {
                "broadcast_id": broadcast_id,
                "contact_id": row.id,
                "excluded": row.reason,
                "outbox_id": ids.get(keys.get(row.id, "")),
            }
            for row in rows
        ]
        added = await store.add_recipients(session=session, rows=recipients)
        broadcast.queued += sum(outbox_id is not None for outbox_id, _excluded in added)
        broadcast.excluded += sum(excluded is not None for _outbox_id, excluded in added)
        if rows:
            broadcast.cursor = rows[-1].id
        if len(rows) < BATCH:
            broadcast.fanned_out_at = now
        broadcast.updated_at = now
        session.add(broadcast)
        return len(rows)


async def _look_after(services: Services, broadcast_id: int, deadline: datetime) -> None:
    """One broadcast's turn in the job: hold in quiet hours, fan out while time allows, close when all is sent."""
    await _quiet_hours(services, broadcast_id)
    while await fan_out_batch(services.sessions, services, broadcast_id) == BATCH:
        if services.clock.now() >= deadline:
            return
    now = services.clock.now()
    async with transaction(services.sessions) as session:
        broadcast = await locked(session, broadcast_id)
        if broadcast.status != rules.SENDING or broadcast.fanned_out_at is None:
            return
        counts = await results.delivery_counts(session=session, broadcast_id=broadcast_id)
        if not any(status in (outbox.PENDING, outbox.SENDING) for status, _delivery in counts):
            move(broadcast, rules.DONE, now)
            broadcast.finished_at = now
            session.add(broadcast)
            await broadcast_finished(session, services, broadcast)


async def _quiet_hours(services: Services, broadcast_id: int) -> None:
    """From a tick before 21.00 until 07.00, holds the broadcast's waiting messages until 07.00."""
    soon, zone = services.clock.now() + TICK, services.settings.zone
    if not is_quiet(soon, zone):
        return
    async with transaction(services.sessions) as session:
        broadcast = await locked(session, broadcast_id)
        if broadcast.status == rules.SENDING:
            await store.hold_pending(
                session=session, broadcast_id=broadcast_id, until=out_of_quiet(soon, zone)
            )


def broadcast_job(services: Services) -> Callable[[], Awaitable[int]]:
    """The worker's job: starts due broadcasts, fans them out, applies quiet hours, closes finished ones."""

    async def run() -> int:
        """One round; a failing broadcast is logged and tried again next round."""
        async with services.sessions() as session:
            ids = await store.active_broadcast_ids(session=session, now=services.clock.now())
        deadline = services.clock.now() + TICK
        for broadcast_id in ids:
            try:
                await _look_after(services, broadcast_id, deadline)
            except Exception:
                log.exception("broadcast %s: round failed; trying again next round", broadcast_id)
        return len(ids)

    return run
