"""Where a broadcast stands: delivery figures, exclusions, the rate now and an ETA, answers per option, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.broadcasts import exclusion_label
from bot.services import Services
from core import broadcasts as rules
from core.i18n import _
from core.reminders import is_quiet
from storage import broadcast_results as store
from storage import outbox
from storage.models import Broadcast

RATE_WINDOW = timedelta(minutes=1)
CSV_PAGE = 1000


@dataclass(frozen=True)
class Progress:
    """One broadcast's figures right now."""

    queued: int
    sent: int
    delivered: int
    read: int
    failed: int
    cancelled: int
    excluded: dict[str, int]
    failures: list[tuple[str, int]]
    answers: list[tuple[str, int]]
    per_minute: int
    eta_minutes: int | None
    quiet: bool

    @property
    def excluded_total(self) -> int:
        """Everyone kept out."""
        return sum(self.excluded.values())


async def progress(session: AsyncSession, services: Services, broadcast: Broadcast) -> Progress:
    """Counts the broadcast's outbox rows by state, and its answers by option."""
    assert broadcast.id is not None
    now = services.clock.now()
    counts = await store.delivery_counts(session=session, broadcast_id=broadcast.id)
    by = {"queued": 0, "sent": 0, "delivered": 0, "read": 0, "failed": 0, "cancelled": 0}
    for (status, delivery), count in counts.items():
        if status in (outbox.PENDING, outbox.SENDING):
            by["queued"] += count
        elif status == outbox.CANCELLED:
            by["cancelled"] += count
        elif status == outbox.FAILED or delivery in ("failed", "undelivered"):
            by["failed"] += count
        elif delivery in ("delivered", "read"):
            by[delivery] += count
        else:
            by["sent"] += count
    recent = await store.sent_since(session=session, broadcast_id=broadcast.id, since=now - RATE_WINDOW)
    eta = -(-by["queued"] // recent) if by["queued"] and recent else None  # minutes, rounded up
    picked = await store.answer_counts(session=session, broadcast_id=broadcast.id)
    return Progress(
        **by,
        excluded={
            exclusion_label(reason): count
            for reason, count in (
                await store.exclusion_counts(session=session, broadcast_id=broadcast.id)
            ).items()
        },
        failures=await store.failure_reasons(session=session, broadcast_id=broadcast.id),
        answers=[(label, picked.get(n, 0)) for n, label in enumerate(broadcast.options, 1)],
        per_minute=recent,
        eta_minutes=eta,
        quiet=broadcast.status == rules.SENDING and is_quiet(now, services.settings.zone),
    )


async def answers_csv(services: Services, broadcast: Broadcast) -> AsyncIterator[str]:
    """Who answered what, a page at a time (keyset), as CSV text chunks for the organisers."""
    assert broadcast.id is not None
    zone = services.settings.zone
    header = [
        _("CSV column: contact id"),
        _("CSV column: channel"),
        _("CSV column: owner's name"),
        _("CSV column: business"),
        _("CSV column: kecamatan"),
        _("CSV column: phone"),
        _("CSV column: answer"),
        _("CSV column: answered at"),
    ]
    after = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    while True:
        async with services.sessions() as session:
            rows = await store.answers_after(
                session=session, broadcast_id=broadcast.id, after=after, limit=CSV_PAGE
            )
        for contact_id, channel, owner, business, kecamatan, phone, answer, at in rows:
            label = broadcast.options[answer - 1] if 1 <= answer <= len(broadcast.options) else str(answer)
            moment = _local(at, zone)
            writer.writerow(
                [
                    contact_id,
                    channel,
                    owner or "",
                    business or "",
                    kecamatan or "",
                    phone or "",
                    label,
                    moment,
                ]
            )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(rows) < CSV_PAGE:
            return
        after = rows[-1][0]


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    """A moment as local ISO time for a spreadsheet."""
    return moment.astimezone(zone).isoformat(timespec="minutes") if moment else ""
