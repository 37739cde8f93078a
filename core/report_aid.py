"""The report's aid section: applications made, approved, declined and delivered per aid, small counts hidden."""

from __future__ import annotations

from core.aid import APPLIED, APPROVED, DECLINED, DELIVERED
from core.i18n import _
from core.report_table import Column, Section, Table, suppress

EVENTS = (APPLIED, APPROVED, DECLINED, DELIVERED)


def aid_section(figures: dict[str, dict[str, int]], names: dict[str, str]) -> Section:
    """One row per aid the profile lists (then any other aid with figures), each event counted in the period."""
    ids = [*names, *sorted(set(figures) - set(names))]
    rows = tuple(
        (names.get(aid, aid), *(suppress(figures.get(aid, {}).get(event, 0)) for event in EVENTS))
        for aid in ids
    )
    table = Table(
        "aid",
        _("Report: Aid applications"),
        (
            Column(_("Report: Aid"), "text"),
            Column(_("Report: Applied")),
            Column(_("Report: Approved")),
            Column(_("Report: Declined")),
            Column(_("Report: Delivered")),
        ),
        rows,
        chart="bar",
        plot=(1, 2, 4),
        note=_("Report: Each event is counted in the period it happened."),
    )
    return Section("aid", _("Report: Aid"), (table,))
