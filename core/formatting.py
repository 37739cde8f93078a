"""Indonesian formatting of money, rates, dates and times (Babel, locale id_ID)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal

LOCALE = "id_ID"

ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def rupiah(amount: int | Decimal) -> str:
    """Formats whole Rupiah the Indonesian way: 5000000 -> 'Rp5.000.000'."""
    return format_currency(amount, "IDR", format="¤#,##0", currency_digits=False, locale=LOCALE)


def number(value: int | Decimal) -> str:
    """Formats a plain number with Indonesian separators: 1234567 -> '1.234.567'."""
    return format_decimal(value, format="#,##0.##", locale=LOCALE)


def percent(rate: Decimal) -> str:
    """Formats a yearly fraction as a percentage: Decimal('0.065') -> '6,5%'."""
    return f"{format_decimal(Decimal(rate) * 100, format='#,##0.##', locale=LOCALE)}%"


def long_date(day: date) -> str:
    """Formats a date as '21 November 2026'."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def weekday_date(day: date) -> str:
    """Formats a date as 'Senin, 23 November 2026'."""
    return format_date(day, "EEEE, d MMMM y", locale=LOCALE)


def month_year(day: date) -> str:
    """Formats a month as 'November 2026'."""
    return format_date(day, "MMMM y", locale=LOCALE)


def zone_abbreviation(zone: str) -> str:
    """Names an Indonesian time zone the way people say it (WIB, WITA, WIT)."""
    return ZONE_ABBREVIATIONS.get(zone, zone)


def clock_time(moment: datetime) -> str:
    """Formats a time of day as '09.00'."""
    return format_time(moment, "HH.mm", locale=LOCALE)


def appointment(moment: datetime, zone: str) -> str:
    """Formats an aware local datetime as 'Senin, 23 November 2026 09.00 WIB'."""
    return f"{weekday_date(moment.date())} {clock_time(moment)} {zone_abbreviation(zone)}"
