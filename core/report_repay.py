"""The report's repayment section: instalments due and how they were paid, reminders sent per kind."""

from __future__ import annotations

from typing import Any

from core.i18n import _
from core.report_facts import Repayment
from core.report_table import SUPPRESSED, Column, Section, Table, share, suppress

REMINDER_KINDS = ("before_3", "due", "after_1", "after_3", "snooze")


def repayment_section(repayment: Repayment) -> Section:
    """Instalments due in the period, on time, late (H+1, H+3), unpaid; reminders; payment after a reminder."""
    r = repayment
    rows = (
        (_("Report: Instalments due"), r.due, r.due),
        (_("Report: Paid on time"), r.on_time, r.due),
        (_("Report: Late 1 day or more (H+1)"), r.late_1, r.due),
        (_("Report: Late 3 days or more (H+3)"), r.late_3, r.due),
        (_("Report: Overdue and not yet paid"), r.overdue_unpaid, r.due),
        (_("Report: Paid late"), r.paid_late, r.due),
        (_("Report: Paid late after a reminder"), r.paid_late_after_reminder, r.paid_late),
    )
    hidden = 0 < r.borrowers < 5  # a handful of borrowers: every figure would point at them
    instalments = Table(
        "instalments",
        _("Report: Instalments"),
        (
            Column(_("Report: Figure"), "text"),
            Column(_("Report: Instalments")),
            Column(_("Report: Share"), "percent"),
        ),
        tuple(_row(name, r.borrowers if hidden else n, n, whole) for name, n, whole in rows),
        chart="bar",
        note=_("Report: The share of paid late after a reminder is out of the instalments paid late."),
    )
    names = {
        "before_3": _("Report: 3 days before the due date"),
        "due": _("Report: On the due date"),
        "after_1": _("Report: 1 day late (H+1)"),
        "after_3": _("Report: 3 days late (H+3)"),
        "snooze": _("Report: Reminded again on request"),
    }
    kinds = [*REMINDER_KINDS, *sorted(set(r.reminders) - set(REMINDER_KINDS))]
    reminders = Table(
        "reminders",
        _("Report: Reminders sent"),
        (Column(_("Report: Reminder"), "text"), Column(_("Report: Sent"))),
        tuple((names.get(k, k), suppress(r.reminders.get(k, 0))) for k in kinds),
        chart="bar",
    )
    return Section("repayment", _("Report: Repayment"), (instalments, reminders))


def _row(name: str, businesses: int, count: int, whole: int) -> tuple[str, Any, Any]:
    """A figure's count and share, both hidden when few businesses are behind it (a share would give it away)."""
    shown = suppress(businesses, count)
    return name, shown, SUPPRESSED if shown == SUPPRESSED else share(count, whole)
