"""Turnover as owners say it: per month, or per day or week ("300rb sehari") converted to a month."""

from __future__ import annotations

import re

from core.parsing import parse_rupiah

DAYS_A_MONTH = 30
WEEKS_A_MONTH = 4
_PER = r"(?:/|per|tiap|setiap|se|sa|dalam)?\s*"
_DAY = re.compile(rf"\s*{_PER}(?:hari|hr)\s*(?:nya)?\s*$", re.IGNORECASE)
_WEEK = re.compile(rf"\s*{_PER}(?:minggu|mg|pekan)\s*(?:nya)?\s*$", re.IGNORECASE)
_MONTH = re.compile(rf"\s*{_PER}(?:bulan|bln|bl)\s*(?:nya)?\s*$", re.IGNORECASE)


def monthly_turnover(text: str) -> tuple[int, str | None]:
    """The monthly amount and how it was said ('day', 'week' or None for a month): '300rb sehari' -> 9,000,000."""
    for pattern, period, times in ((_DAY, "day", DAYS_A_MONTH), (_WEEK, "week", WEEKS_A_MONTH)):
        found = pattern.search(text)
        if found and found.start() > 0:
            return parse_rupiah(text[: found.start()]) * times, period
    found = _MONTH.search(text)
    return parse_rupiah(text[: found.start()] if found and found.start() > 0 else text), None
