"""Instalment schedule as a narrow monospace text table for a phone screen."""

from __future__ import annotations

from core.formatting import number
from core.i18n import _
from core.simulator import ScheduleRow, Simulation

DEFAULT_PER_PAGE = 12


def schedule_table(sim: Simulation, *, first: int = 1, count: int = DEFAULT_PER_PAGE) -> str:
    """Renders instalments first..first+count-1 (clipped to the schedule) under one header line."""
    if not 1 <= first <= len(sim.schedule) or count < 1:
        raise ValueError(f"no rows {first}..{first + count - 1} in a {len(sim.schedule)}-month schedule")
    rows = sim.schedule[first - 1 : first - 1 + count]
    dated = rows[0].due_date is not None
    header = _cells(
        _("No. (column)"),
        _("Due (column)"),
        _("Instalment (column)"),
        _("Principal (column)"),
        _("Balance (column)"),
        dated=dated,
    )
    body = [_row_cells(row, dated=dated) for row in rows]
    widths = [max(len(cell) for cell in column) for column in zip(header, *body, strict=True)]
    left = {1} if dated else set()
    return "\n".join(_line(cells, widths, left) for cells in (header, *body))


def page_count(sim: Simulation, per_page: int = DEFAULT_PER_PAGE) -> int:
    """How many tables of `per_page` rows the whole schedule needs."""
    if per_page < 1:
        raise ValueError(f"per_page must be >= 1, got {per_page}")
    return -(-len(sim.schedule) // per_page)


def _row_cells(row: ScheduleRow, *, dated: bool) -> list[str]:
    """The text cells of one instalment; the due date as dd/mm/yy."""
    due = f"{row.due_date:%d/%m/%y}" if row.due_date else ""
    return _cells(
        str(row.number), due, number(row.payment), number(row.principal), number(row.balance), dated=dated
    )


def _cells(no: str, due: str, payment: str, principal: str, balance: str, *, dated: bool) -> list[str]:
    """Orders the cells of a line, leaving the date column out when the schedule has no dates."""
    return [no, due, payment, principal, balance] if dated else [no, payment, principal, balance]


def _line(cells: list[str], widths: list[int], left: set[int]) -> str:
    """Pads each cell to its column width (numbers right-aligned) and joins them with single spaces."""
    padded = (
        cell.ljust(width) if index in left else cell.rjust(width)
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )
    return " ".join(padded).rstrip()
