"""The six-monthly follow-up survey without I/O: when it is due, when it may be asked, its questions and statuses.

Due dates fall every six months after an owner's first recorded loan (the akad date), while a loan is running and
for a year after the last one ended. The latest due date on or before today is asked once; it is not asked when the
owner was surveyed (six-monthly or by an admin) less than `RECENT` before it.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.i18n import _
from core.kabupaten import fold
from core.reminders import is_quiet

EVERY_MONTHS = 6
AFTER_END_MONTHS = 12
ANSWER_DAYS = 14
RECENT = timedelta(days=30)
QUESTIONS = ("turnover", "employees", "new_line", "helped")

ASKED, ANSWERED, SKIPPED, EXPIRED, OPTED_OUT = "asked", "answered", "skipped", "expired", "opted_out"
HELPED = ("modal", "alat", "pasar", "belum")
_SKIP_WORDS = {
    "lewati",
    "lewat",
    "lewatin",
    "skip",
    "lompati",
    "tidak tahu",
    "tdk tahu",
    "gak tahu",
    "ga tahu",
    "-",
}


def add_months(day: date, months: int) -> date:
    """The same day `months` months later, or the month's last day when it is shorter (31 Aug + 6 -> 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def latest_due(first_loan_on: date, today: date) -> date | None:
    """The latest six-monthly date after the first loan that is on or before today (None in the first six months)."""
    months = (today.year - first_loan_on.year) * 12 + today.month - first_loan_on.month
    steps = months // EVERY_MONTHS
    while steps >= 1 and add_months(first_loan_on, steps * EVERY_MONTHS) > today:
        steps -= 1
    return add_months(first_loan_on, steps * EVERY_MONTHS) if steps >= 1 else None


def latest_first_loan(today: date) -> date:
    """The latest first-loan date that can be due today: six months are never fewer than 181 days."""
    return today - timedelta(days=181)


def due_now(
    *, first_loan_on: date, ended_on: date | None, today: date, last_asked_on: date | None
) -> date | None:
    """The due date to ask today, or None: not yet six months, more than a year after the last loan ended
    (`ended_on` None while a loan runs), or asked already for this date or less than `RECENT` before it."""
    due = latest_due(first_loan_on, today)
    if due is None:
        return None
    if ended_on is not None and due > add_months(ended_on, AFTER_END_MONTHS):
        return None
    if last_asked_on is not None and last_asked_on > due - RECENT:
        return None
    return due


def may_ask(moment: datetime, zone: ZoneInfo, *, weekdays: Sequence[int], opens: time, closes: time) -> bool:
    """Whether a survey may be sent now: on an office day within office hours, and never in the quiet hours."""
    local = moment.astimezone(zone)
    return local.isoweekday() in weekdays and opens <= local.time() < closes and not is_quiet(moment, zone)


def answer_by(asked_at: datetime) -> datetime:
    """Until when the owner may answer."""
    return asked_at + timedelta(days=ANSWER_DAYS)


def closing_status(answered: int, otherwise: str) -> str:
    """How a survey ends: 'answered' when at least one question was answered, else `otherwise`
    (skipped when the owner reached the end or declined, expired when the time ran out, opted_out)."""
    return ANSWERED if answered > 0 else otherwise


def is_skip(text: str) -> bool:
    """Whether an answer means "skip this question": 'lewati', 'skip', 'tidak tahu', '-'."""
    return text.strip() == "-" or fold(text) in _SKIP_WORDS


def helped_labels() -> dict[str, str]:
    """The options of "how did the loan help", by id (a WhatsApp button holds 20 characters)."""
    return {
        "modal": _("More capital/stock"),
        "alat": _("Bought equipment"),
        "pasar": _("New market"),
        "belum": _("Not felt yet"),
    }
