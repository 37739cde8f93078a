"""What the repayment reminder scan will send on a day, for an operator to check before 08.00.

The preview runs the scan itself (storage.reminders.claim_due and bot.reminders.settle, which decide with
core.reminders) from now to the end of the day, every STEP, in one transaction that is always rolled back: the
same selection, quiet hours, staleness and catch-up as the real scan, and nothing is written. Reminders fall due
at 07.00 or 08.00 local time or on a step, so each is decided at the moment the minute-by-minute scan decides it.
While it runs it holds the rows it claims, so the real scan leaves those to its next round (a minute later).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.privacy import mask
from bot.reminders import BATCH, ScanReport, settle
from core.formatting import clock_time, weekday_date, zone_abbreviation
from core.i18n import _
from core.reminders import Kind, local_moment
from storage import reminders
from storage.db import rehearsal

STEP = timedelta(minutes=15)
AHEAD_DAYS = 7  # how far ahead a day may be previewed: every step up to it is a scan round
SAMPLE_LENGTH = 90


@dataclass
class DayPreview:
    """The reminder messages the scan will queue on one local day, by kind, from `since` on."""

    day: date
    since: datetime
    by_kind: dict[str, list[reminders.ReminderMessage]] = field(default_factory=dict)


def _moments(now: datetime, end: datetime, step: timedelta) -> Iterator[datetime]:
    """Now, then every step boundary before `end` (zones are whole hours from UTC, so boundaries are local too)."""
    yield now
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    moment = epoch + ((now - epoch) // step + 1) * step
    while moment < end:
        yield moment
        moment += step


async def _scan_at(
    session: AsyncSession, now: datetime, report: ScanReport
) -> list[reminders.ReminderMessage]:
    """One scan round at `now` inside the preview's transaction; returns the messages it would queue."""
    queued: list[reminders.ReminderMessage] = []
    while True:
        claimed = await reminders.claim_due(session=session, now=now, limit=BATCH)
        if claimed:
            queued += await settle(session, claimed, now, report)
        if len(claimed) < BATCH:
            return queued


async def preview_day(
    sessions: async_sessionmaker[AsyncSession],
    *,
    day: date,
    zone: ZoneInfo,
    now: datetime,
    step: timedelta = STEP,
) -> DayPreview:
    """Runs the scan from now through the local day without committing, and keeps what it queues on that day.

    A ValueError says kindly when the day is over or too far ahead."""
    start, end = local_moment(day, time(0), zone), local_moment(day + timedelta(days=1), time(0), zone)
    if end <= now:
        raise ValueError(_("{day} is over; pick today or a later day.").format(day=weekday_date(day)))
    if start - now > timedelta(days=AHEAD_DAYS):
        message = _("{day} is too far ahead; pick a day at most {days} days from today.")
        raise ValueError(message.format(day=weekday_date(day), days=AHEAD_DAYS))
    preview, report = DayPreview(day, max(start, now)), ScanReport()
    async with rehearsal(sessions) as session:
        for moment in _moments(now, end, step):
            queued = await _scan_at(session, moment, report)
            if moment >= start:
                for message in queued:
                    preview.by_kind.setdefault(message.kind, []).append(message)
    return preview


def kind_labels() -> dict[str, str]:
    """Each reminder kind as an operator reads it."""
    return {
        Kind.BEFORE: _("3 days before the due date"),
        Kind.DUE: _("on the due date"),
        Kind.AFTER_1: _("1 day overdue"),
        Kind.AFTER_3: _("3 days overdue (last)"),
        Kind.SNOOZE: _("asked again ('remind me tomorrow')"),
    }


def sample(message: reminders.ReminderMessage) -> str:
    """One message with its recipient masked and its text cut to a line."""
    text = " ".join(message.body.split())
    text = text if len(text) <= SAMPLE_LENGTH else f"{text[: SAMPLE_LENGTH - 1]}…"
    return _("e.g. to {recipient} ({channel}): {text}").format(
        recipient=mask(message.recipient), channel=message.channel, text=text
    )


def preview_text(preview: DayPreview, zone: ZoneInfo) -> str:
    """Per kind: how many messages and one masked sample; then the total."""
    local = preview.since.astimezone(zone)
    lines = [
        _("Repayment reminders the scheduler will send on {day}, from {time} {zone}:").format(
            day=weekday_date(preview.day), time=clock_time(local), zone=zone_abbreviation(zone.key)
        )
    ]
    labels = kind_labels()
    for kind in Kind:
        messages = preview.by_kind.get(kind, [])
        if messages:
            lines.append(f"• {labels[kind]}: {len(messages)}")
            lines.append(f"  {sample(messages[0])}")
    total = sum(len(messages) for messages in preview.by_kind.values())
    lines.append(
        _("Total: {count} messages.").format(count=total) if total else _("Nothing to send that day.")
    )
    return "\n".join(lines)
