"""core.booking as tables: status moves, link codes, reminder times."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.booking import (
    LINK_ALPHABET,
    BookingStateError,
    can_move,
    check_move,
    due_reminders,
    new_link_code,
    read_link_code,
)

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("requested", "confirmed", True),
        ("requested", "declined", True),
        ("requested", "cancelled", True),
        ("requested", "expired", True),
        ("requested", "done", False),
        ("confirmed", "cancelled", True),
        ("confirmed", "done", True),
        ("confirmed", "no_show", True),
        ("confirmed", "declined", False),
        ("declined", "confirmed", False),
        ("cancelled", "confirmed", False),
        ("done", "no_show", False),
        ("no_show", "done", False),
        ("expired", "confirmed", False),
    ],
)
def test_status_moves(current: str, new: str, allowed: bool) -> None:
    assert can_move(current, new) is allowed
    if not allowed:
        with pytest.raises(BookingStateError):
            check_move(current, new)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("KKMB-7Q2M9X", "KKMB-7Q2M9X"),
        ("kkmb 7q2m9x", "KKMB-7Q2M9X"),
        ("  Kkmb7Q2M9X ", "KKMB-7Q2M9X"),
        ("/start KKMB-7Q2M9X", "KKMB-7Q2M9X"),
        ("KKMB_7Q2M9X", "KKMB-7Q2M9X"),
        ("KKMB-7Q2M9", None),
        ("KKMB-7Q2M9XY", None),
        ("kode saya KKMB-7Q2M9X", "KKMB-7Q2M9X"),  # inside a sentence, written with its dash
        ("mau ketemu kkmb dimana", None),
        ("KKMB", None),
        ("", None),
    ],
)
def test_link_codes_are_read_in_every_form_a_person_types(text: str, code: str | None) -> None:
    assert read_link_code(text) == code


def test_new_link_codes_avoid_look_alike_characters() -> None:
    codes = {new_link_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        prefix, body = code.split("-")
        assert prefix == "KKMB" and len(body) == 6 and set(body) <= set(LINK_ALPHABET)
        assert not set(body) & set("01ILO") and read_link_code(code) == code


def _wib(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, WIB."""
    return datetime(2026, 11, day, hour, minute, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    ("now", "kinds"),
    [
        (_wib(21, 10), []),
        (_wib(22, 8, 59), []),
        (_wib(22, 9), ["day_before"]),
        (_wib(23, 7, 59), ["day_before"]),
        (_wib(23, 8), ["hour_before"]),
        (_wib(23, 8, 59), ["hour_before"]),
        (_wib(23, 9), []),
        (_wib(23, 10), ["follow_up"]),
        (_wib(23, 21, 59), ["follow_up"]),
        (_wib(23, 22), []),
    ],
)
def test_reminders_for_a_meeting_on_monday_at_nine(now: datetime, kinds: list[str]) -> None:
    starts, ends = _wib(23, 9).astimezone(UTC), _wib(23, 10).astimezone(UTC)
    due = due_reminders(starts, ends, now.astimezone(UTC), JAKARTA)
    assert [reminder.kind for reminder in due] == kinds
    assert all(reminder.owner == (reminder.kind != "follow_up") for reminder in due)
