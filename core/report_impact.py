"""The report's impact section, from answered follow-up surveys against the registration baseline."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from core.i18n import _
from core.report_facts import Answer
from core.report_table import Column, Section, Table, mean, middle, share, suppress


def turnover_changes(answers: list[Answer]) -> list[Decimal]:
    """Each answer's turnover change as a fraction of its baseline (0.59 is +59%); no baseline, no change."""
    return [
        (Decimal(a.turnover) - a.baseline_turnover) / a.baseline_turnover
        for a in answers
        if a.turnover is not None and a.baseline_turnover > 0
    ]


def impact_section(answers: list[Answer]) -> Section:
    """Median and mean turnover change, share with a new business line, workers, how the loan helped."""
    changes = turnover_changes(answers)
    lines = [a.new_line for a in answers if a.new_line is not None]
    workers = [a for a in answers if a.employees is not None and a.baseline_employees is not None]
    before = sum(a.baseline_employees or 0 for a in workers)
    now = sum(a.employees or 0 for a in workers)
    figures = (
        (_("Report: Median change of monthly turnover"), _rounded(middle(changes)), len(changes)),
        (_("Report: Mean change of monthly turnover"), _rounded(mean(changes)), len(changes)),
        (_("Report: Share with a new business line"), share(sum(lines), len(lines)), len(lines)),
        (_("Report: Change in workers"), share(now - before, before), len(workers)),
    )
    summary = Table(
        "impact",
        _("Report: Impact after the loan"),
        (
            Column(_("Report: Figure"), "text"),
            Column(_("Report: Value"), "percent"),
            Column(_("Report: Answers")),
        ),
        tuple((name, suppress(n, value), suppress(n)) for name, value, n in figures),
        note=_("Report: Figures from fewer than 5 answers are hidden; read small counts with care."),
    )
    people = Table(
        "impact_workers",
        _("Report: Workers of the businesses that answered"),
        (Column(_("Report: Figure"), "text"), Column(_("Report: Workers")), Column(_("Report: Answers"))),
        (
            (_("Report: At registration"), suppress(len(workers), before), suppress(len(workers))),
            (_("Report: Now"), suppress(len(workers), now), suppress(len(workers))),
            (_("Report: Change"), suppress(len(workers), now - before), suppress(len(workers))),
        ),
    )
    helped = Counter(a.helped for a in answers if a.helped)
    ways = Table(
        "impact_helped",
        _("Report: How the loan helped"),
        (Column(_("Report: Benefit"), "text"), Column(_("Report: Answers"))),
        tuple((way.replace("_", " ").capitalize(), suppress(n)) for way, n in sorted(helped.items())),
        chart="bar",
    )
    return Section("impact", _("Report: Impact"), (summary, people, ways))


def _rounded(value: Decimal | None) -> Decimal | None:
    """A fraction to 4 places (a percentage to 2)."""
    return None if value is None else value.quantize(Decimal("0.0001"))
