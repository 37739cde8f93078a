"""Loads the programme report for a period and kecamatan: the query the page, the exports and `umkm report` share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.business_fields import sector_labels
from core.classification import SizeClass
from core.eligibility import ReasonCode
from core.explain import regional_for
from core.i18n import _
from core.kabupaten import Profile
from core.programmes import rule_sets
from core.report import Labels, build_report
from core.report_period import KINDS, Period, period_of
from core.report_table import Section
from storage.report import facts
from storage.report_scope import Scope


@dataclass(frozen=True)
class Report:
    """The report's sections for one period and kecamatan (None: the whole kabupaten), and its demo count."""

    period: Period
    kecamatan: str | None
    sections: tuple[Section, ...]
    demo_businesses: int


class BadPeriod(ValueError):
    """The period asked for cannot be read; the message says what to send instead (Bahasa Indonesia)."""


def choose_period(kind: str, anchor: str, start: str, end: str, today: date) -> Period:
    """The period of a form or command line: a month/quarter/year holding `anchor`, or `start`..`end` (custom)."""
    if kind not in KINDS:
        raise BadPeriod(_("Report: Choose the period: month, quarter, year or custom."))
    try:
        if kind == "custom":
            return Period(date.fromisoformat(start), date.fromisoformat(end))
        return period_of(kind, date.fromisoformat(anchor) if anchor else today)
    except ValueError:
        raise BadPeriod(
            _(
                "Report: Dates are written as year-month-day, e.g. 2026-11-21, and the end comes after the start."
            )
        ) from None


def choose_kecamatan(profile: Profile, name: str) -> str | None:
    """The kecamatan asked for (None for all); an unknown name is refused."""
    if not name:
        return None
    if name not in profile.kecamatan:
        raise BadPeriod(_("Report: Unknown kecamatan: {name}.").format(name=name))
    return name


def labels(profile: Profile) -> Labels:
    """Display names of schemes, sectors, size classes, channels and reasons for this kabupaten."""
    regional = regional_for(profile)
    schemes = {scheme.id: scheme.name for rule_set in rule_sets() for scheme in rule_set.schemes}
    if regional is not None:
        schemes[regional.id] = regional.name
    return Labels(
        schemes=schemes,
        sectors=sector_labels(),
        sizes={size.value: size.label for size in SizeClass},
        channels={"telegram": "Telegram", "whatsapp": "WhatsApp", "console": _("Report: Console (test)")},
        reasons=reason_labels(),
        regional=regional.name if regional else _("Report: Regional programme"),
        aid={aid.id: aid.name for aid in profile.aid},
    )


def reason_labels() -> dict[str, str]:
    """A short label for each "not eligible" reason code."""
    return {
        ReasonCode.BUSINESS_TOO_YOUNG: _("Report: Business too young"),
        ReasonCode.TURNOVER_TOO_HIGH: _("Report: Turnover too high"),
        ReasonCode.AMOUNT_ABOVE_MAX: _("Report: Amount above the maximum"),
        ReasonCode.AMOUNT_BELOW_MIN: _("Report: Amount below the minimum"),
        ReasonCode.TENOR_TOO_LONG: _("Report: Term too long"),
        ReasonCode.ACTIVE_CIVIL_SERVANT: _("Report: Active civil servant"),
        ReasonCode.AGE_BELOW_MIN: _("Report: Too young"),
        ReasonCode.OTHER_PRODUCTIVE_CREDIT: _("Report: Has other productive credit"),
        ReasonCode.BAD_CREDIT_HISTORY: _("Report: Bad credit history"),
        ReasonCode.NPWP_REQUIRED: _("Report: Needs an NPWP"),
        ReasonCode.LICENCE_REQUIRED: _("Report: Needs a business licence"),
        ReasonCode.MENTORING_REQUIRED: _("Report: Needs KKMB mentoring"),
        ReasonCode.OUTSIDE_REGION: _("Report: Lives outside the regency"),
        ReasonCode.ACCESS_LIMIT_REACHED: _("Report: KUR access limit reached"),
    }


async def load_report(
    *,
    sessions: async_sessionmaker[AsyncSession],
    profile: Profile,
    period: Period,
    kecamatan: str | None,
    today: date,
) -> Report:
    """Reads the aggregates and shapes them into the report's sections."""
    zone = ZoneInfo(profile.time_zone)
    since, until = period.bounds(zone)
    scope = Scope(period.start, period.end, since, until, today, kecamatan)
    months = [Period(first, first).bounds(zone)[0] for first in period.months()]
    months[0] = since  # the first month starts with the period
    regional = regional_for(profile)
    insurance = regional.scheme.insurance if regional else None
    found = await facts(
        sessions=sessions,
        scope=scope,
        months=months,
        regional_scheme=regional.id if regional else None,
        premium_rate=insurance.rate if insurance and insurance.payer == "pemda" else None,
    )
    return Report(period, kecamatan, build_report(found, labels(profile)), found.demo_businesses)
