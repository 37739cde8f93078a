"""Consultant bookings without I/O: statuses and their moves, topics, places, link codes and reminder times.

Statuses: requested -> confirmed | declined | cancelled | expired; confirmed -> cancelled | done | no_show.
"expired" is a request the consultant never answered before the meeting time (the booking job sets it), so
the slot and the owner's one-booking-per-consultant place are freed. Requested and confirmed bookings are
"active": the database holds at most one per slot and one per owner and consultant.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

REQUESTED = "requested"
CONFIRMED = "confirmed"
DECLINED = "declined"
CANCELLED = "cancelled"
DONE = "done"
NO_SHOW = "no_show"
EXPIRED = "expired"

ACTIVE = (REQUESTED, CONFIRMED)
TRANSITIONS: dict[str, frozenset[str]] = {
    REQUESTED: frozenset({CONFIRMED, DECLINED, CANCELLED, EXPIRED}),
    CONFIRMED: frozenset({CANCELLED, DONE, NO_SHOW}),
}

TOPICS = ("kur", "subsidi_daerah", "perizinan", "pembukuan", "lainnya")
PLACES = ("secretariat", "phone", "video")
OUTCOMES = ("dirujuk_bank", "lengkapi_dokumen", "belum_siap")

NOTE_LIMIT = 1000
REASON_LIMIT = 200

LINK_PREFIX = "KKMB"
# No 0/O, 1/I/L: nothing a consultant could mistype for another character.
LINK_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LINK_LENGTH = 6
_LINK_IN_SENTENCE = re.compile(rf"\b{LINK_PREFIX}-([0-9a-z]{{{LINK_LENGTH}}})\b", re.I)
_LINK_TEXT = re.compile(rf"^\s*(?:/start\s+)?{LINK_PREFIX}[\s\-_:]*([0-9a-z]{{{LINK_LENGTH}}})\s*$", re.I)

DAY_BEFORE = "day_before"
HOUR_BEFORE = "hour_before"
FOLLOW_UP = "follow_up"
DAY_BEFORE_AT = time(9, 0)
FOLLOW_UP_FOR = timedelta(hours=12)


class BookingStateError(ValueError):
    """A status change the booking's life does not allow (e.g. done -> confirmed)."""


def can_move(current: str, new: str) -> bool:
    """Tells whether a booking may go from `current` to `new`."""
    return new in TRANSITIONS.get(current, frozenset())


def check_move(current: str, new: str) -> None:
    """Refuses a status change the booking's life does not allow."""
    if not can_move(current, new):
        raise BookingStateError(f"a {current} booking cannot become {new}")


def new_link_code() -> str:
    """A fresh one-time code such as 'KKMB-7Q2M9X' (about 887 million possibilities)."""
    body = "".join(secrets.choice(LINK_ALPHABET) for _ in range(LINK_LENGTH))
    return f"{LINK_PREFIX}-{body}"


def read_link_code(text: str) -> str | None:
    """Finds a link code in a whole message ('kkmb 7q2m9x', 'KKMB-7Q2M9X', '/start KKMB-7Q2M9X'), or written
    with its dash inside a sentence ('ini kode saya KKMB-AEEYR2')."""
    match = _LINK_TEXT.match(text or "") or _LINK_IN_SENTENCE.search(text or "")
    return f"{LINK_PREFIX}-{match.group(1).upper()}" if match else None


@dataclass(frozen=True)
class Reminder:
    """One timed message about a confirmed booking: who gets it, from when, and until when it still makes sense."""

    kind: str
    due: datetime
    until: datetime
    owner: bool = True


def reminders(starts_at: datetime, ends_at: datetime, zone: ZoneInfo) -> tuple[Reminder, ...]:
    """The day-before (09.00 local), hour-before and after-meeting messages of a meeting."""
    day = starts_at.astimezone(zone).date() - timedelta(days=1)
    day_before = datetime.combine(day, DAY_BEFORE_AT, tzinfo=zone)
    hour_before = starts_at - timedelta(hours=1)
    return (
        Reminder(DAY_BEFORE, day_before, hour_before),
        Reminder(HOUR_BEFORE, hour_before, starts_at),
        Reminder(FOLLOW_UP, ends_at, ends_at + FOLLOW_UP_FOR, owner=False),
    )


def due_reminders(starts_at: datetime, ends_at: datetime, now: datetime, zone: ZoneInfo) -> list[Reminder]:
    """The reminders whose time has come and not yet passed at `now`."""
    return [r for r in reminders(starts_at, ends_at, zone) if r.due <= now < r.until]
