"""The programme report: turns the database's aggregates (core.report_facts) into titled tables, small cells hidden.

Every figure is defined in docs/report.md. Sections: reach, access to finance, money, repayment (core.report_repay),
impact (core.report_impact) and, where the kabupaten offers aid, aid applications (core.report_aid).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from core.formatting import month_year
from core.i18n import _
from core.report_aid import aid_section
from core.report_facts import CheckCount, Facts, Finance, Money, Reach
from core.report_impact import impact_section
from core.report_money import total_premium, total_subsidy
from core.report_repay import repayment_section
from core.report_table import Column, Section, Table, mean, middle, suppress

STATUSES = ("eligible", "needs_documents", "not_eligible")
BOOKING_STATUSES = ("requested", "confirmed", "done", "no_show", "declined", "cancelled", "expired")
MOST_REASONS = 10


@dataclass(frozen=True)
class Labels:
    """Names for the ids the database holds: schemes, sectors, size classes, channels, reasons; the regional name."""

    schemes: dict[str, str]
    sectors: dict[str, str]
    sizes: dict[str, str]
    channels: dict[str, str]
    reasons: dict[str, str]
    regional: str
    aid: dict[str, str] = field(default_factory=dict)  # the profile's aid, id -> name


def build_report(facts: Facts, labels: Labels) -> tuple[Section, ...]:
    """The whole report, section by section."""
    return (
        reach_section(facts.reach, labels),
        finance_section(facts.finance, labels),
        money_section(facts.money, labels),
        repayment_section(facts.repayment),
        impact_section(facts.answers),
        *((aid_section(facts.aid, labels.aid),) if labels.aid or facts.aid else ()),
    )


def reach_section(reach: Reach, labels: Labels) -> Section:
    """Registered businesses by kecamatan, sector, size class and channel; new per month; active users."""
    summary = Table(
        "reach_summary",
        _("Report: Businesses and users"),
        (Column(_("Report: Figure"), "text"), Column(_("Report: Count"))),
        (
            (_("Report: New businesses in the period"), suppress(reach.new)),
            (_("Report: Registered businesses at the end of the period"), suppress(reach.total)),
            (_("Report: Active users in the period"), suppress(reach.active_users)),
        ),
    )
    names = {"sector": labels.sectors, "size_class": labels.sizes, "channel": labels.channels}
    titles = {
        "kecamatan": (_("Report: By kecamatan"), _("Report: Kecamatan")),
        "sector": (_("Report: By sector"), _("Report: Sector")),
        "size_class": (_("Report: By size class"), _("Report: Size class")),
        "channel": (_("Report: By channel"), _("Report: Channel")),
    }
    tables = [summary]
    for key, (title, heading) in titles.items():
        rows = tuple(
            (names.get(key, {}).get(c.label, c.label), suppress(c.new), suppress(c.total))
            for c in reach.by.get(key, [])
        )
        columns = (
            Column(heading, "text"),
            Column(_("Report: New in the period")),
            Column(_("Report: Registered in all")),
        )
        tables.append(Table(f"reach_{key}", title, columns, rows, chart="bar", plot=(2,)))
    months = tuple((month_year(first), suppress(n)) for first, n in reach.months)
    tables.append(
        Table(
            "reach_months",
            _("Report: New businesses per month"),
            (Column(_("Report: Month"), "text"), Column(_("Report: New businesses"))),
            months,
            chart="line",
        )
    )
    return Section("reach", _("Report: Reach"), tuple(tables))


def finance_section(finance: Finance, labels: Labels) -> Section:
    """Eligibility checks and verdicts, "not eligible" reasons, appointments and recorded loans."""
    by_scheme: dict[str, dict[str, CheckCount]] = defaultdict(dict)
    for count in finance.checks:
        by_scheme[count.scheme][count.status] = count
    check_rows = []
    for scheme, counts in sorted(by_scheme.items()):
        cells = [_cell(counts.get(status)) for status in ("all", *STATUSES)]
        check_rows.append((labels.schemes.get(scheme, scheme), *cells))
    checks = Table(
        "checks",
        _("Report: Eligibility checks per scheme"),
        (
            Column(_("Report: Scheme"), "text"),
            Column(_("Report: Checks")),
            Column(_("Report: Eligible")),
            Column(_("Report: Needs documents")),
            Column(_("Report: Not eligible")),
        ),
        tuple(check_rows),
        chart="bar",
        plot=(2, 3, 4),
    )
    top = sorted(finance.reasons, key=lambda c: (-c.checks, c.scheme))[:MOST_REASONS]
    reasons = Table(
        "reasons",
        _("Report: Most common reasons for not eligible"),
        (Column(_("Report: Reason"), "text"), Column(_("Report: Scheme results"))),
        tuple((labels.reasons.get(c.scheme, c.scheme), _cell(c)) for c in top),
        chart="bar",
    )
    return Section(
        "finance",
        _("Report: Access to finance"),
        (checks, reasons, *_booking_tables(finance), _loans_table(finance, labels)),
    )


def _cell(count: CheckCount | None) -> object:
    """A check count, hidden when fewer than 5 owners are behind it."""
    return 0 if count is None else suppress(count.owners, count.checks)


def _booking_tables(finance: Finance) -> tuple[Table, Table]:
    """Appointments by status, and how long consultants took to answer a request."""
    names = {
        "requested": _("Report: Requested"),
        "confirmed": _("Report: Confirmed by the consultant"),
        "done": _("Report: Done"),
        "no_show": _("Report: Owner did not come"),
        "declined": _("Report: Declined by the consultant"),
        "cancelled": _("Report: Cancelled"),
        "expired": _("Report: Never answered"),
    }
    counts = Table(
        "bookings",
        _("Report: Appointments with a consultant"),
        (Column(_("Report: Status"), "text"), Column(_("Report: Appointments"))),
        tuple((names[s], suppress(finance.bookings.get(s, 0))) for s in BOOKING_STATUSES),
        chart="bar",
    )
    hours, answered = finance.answer_hours, len(finance.answer_hours)
    answer = Table(
        "booking_answer",
        _("Report: Time to the consultant's answer"),
        (
            Column(_("Report: Figure"), "text"),
            Column(_("Report: Hours"), "number"),
            Column(_("Report: Answers")),
        ),
        (
            (_("Report: Median"), suppress(answered, _hours(middle(hours))), suppress(answered)),
            (_("Report: Mean"), suppress(answered, _hours(mean(hours))), suppress(answered)),
        ),
    )
    return counts, answer


def _hours(value: Decimal | None) -> Decimal | None:
    """Hours to one decimal."""
    return None if value is None else value.quantize(Decimal("0.1"))


def _loans_table(finance: Finance, labels: Labels) -> Table:
    """Loans recorded in the period by scheme and bank: count and total principal."""
    rows = tuple(
        (
            labels.schemes.get(c.scheme, c.scheme),
            c.bank,
            suppress(c.owners, c.loans),
            suppress(c.owners, c.principal),
        )
        for c in sorted(finance.loans, key=lambda c: (c.scheme, c.bank))
    )
    return Table(
        "loans",
        _("Report: Loans recorded in the period"),
        (
            Column(_("Report: Scheme"), "text"),
            Column(_("Report: Bank"), "text"),
            Column(_("Report: Loans")),
            Column(_("Report: Total principal"), "money"),
        ),
        rows,
        chart="bar",
        plot=(3,),
    )


def money_section(money: Money, labels: Labels) -> Section:
    """Interest subsidy and insurance premium of the regional programme, and KUR's (central government) apart."""
    rows = []
    for name, groups, rate in (
        (
            _("Report: {name} (paid by the regency)").format(name=labels.regional),
            money.regional,
            money.premium_rate,
        ),
        (_("Report: KUR (paid by the central government)"), money.kur, None),
    ):
        loans = sum(g.loans for g in groups)
        subsidy = total_subsidy(groups)
        premiums = (
            (total_premium(groups, rate, new_only=True), total_premium(groups, rate, new_only=False))
            if rate
            else (None, None)
        )
        figures = (subsidy.in_period, subsidy.to_date, subsidy.committed, *premiums)
        rows.append((name, suppress(loans), *(suppress(loans, f) for f in figures)))
    table = Table(
        "subsidy",
        _("Report: Interest subsidy and insurance premium"),
        (
            Column(_("Report: Programme"), "text"),
            Column(_("Report: Loans")),
            Column(_("Report: Subsidy due in the period"), "money"),
            Column(_("Report: Subsidy up to the end of the period"), "money"),
            Column(_("Report: Subsidy still committed"), "money"),
            Column(_("Report: Premium for loans of the period"), "money"),
            Column(_("Report: Premium up to the end of the period"), "money"),
        ),
        tuple(rows),
        chart="bar",
        plot=(3, 4),
        note=_(
            "Report: Subsidy: each instalment at the full rate minus the same instalment at the borrower's rate."
        ),
    )
    return Section("money", _("Report: Programme money"), (table,))
