"""Instalment schedule as a monospace text table: narrow for a phone screen, full width for a terminal."""

from __future__ import annotations

from collections.abc import Callable

from core.formatting import number
from core.i18n import _
from core.simulator import ScheduleRow, Simulation

DEFAULT_PER_PAGE = 12

# A column: its header and how to write one instalment's cell.
Column = tuple[Callable[[], str], Callable[[ScheduleRow], str]]

NUMBER: Column = (lambda: _("No. (column)"), lambda row: str(row.number))
DUE: Column = (lambda: _("Due (column)"), lambda row: f"{row.due_date:%d/%m/%y}" if row.due_date else "")
INSTALMENT: Column = (lambda: _("Instalment (column)"), lambda row: number(row.payment))
PRINCIPAL: Column = (lambda: _("Principal (column)"), lambda row: number(row.principal))
INTEREST: Column = (lambda: _("Interest (column)"), lambda row: number(row.interest))
SUBSIDY: Column = (lambda: _("Subsidy (column)"), lambda row: number(row.subsidy))
BALANCE: Column = (lambda: _("Balance (column)"), lambda row: number(row.balance))


def schedule_table(sim: Simulation, *, first: int = 1, count: int = DEFAULT_PER_PAGE) -> str:
    """Renders instalments first..first+count-1 (clipped) for a phone; with due dates the principal is left out."""
    if not 1 <= first <= len(sim.schedule) or count < 1:
        raise ValueError(f"no rows {first}..{first + count - 1} in a {len(sim.schedule)}-month schedule")
    rows = sim.schedule[first - 1 : first - 1 + count]
    dated = rows[0].due_date is not None
    columns = [NUMBER, DUE, INSTALMENT, BALANCE] if dated else [NUMBER, INSTALMENT, PRINCIPAL, BALANCE]
    return _render(rows, columns)


def full_schedule_table(sim: Simulation) -> str:
    """Renders the whole schedule with every column (principal, interest, subsidy) for a wide screen."""
    dated = sim.schedule[0].due_date is not None
    columns = [NUMBER, *([DUE] if dated else []), INSTALMENT, PRINCIPAL, INTEREST, SUBSIDY, BALANCE]
    return _render(sim.schedule, columns)


def page_count(sim: Simulation, per_page: int = DEFAULT_PER_PAGE) -> int:
    """How many tables of `per_page` rows the whole schedule needs."""
    if per_page < 1:
        raise ValueError(f"per_page must be >= 1, got {per_page}")
    return -(-len(sim.schedule) // per_page)


def _render(rows: tuple[ScheduleRow, ...], columns: list[Column]) -> str:
    """Lays out a header line and one line per row; the date column is left-aligned, numbers right-aligned."""
    header = [head() for head, _cell in columns]
    body = [[cell(row) for _head, cell in columns] for row in rows]
    widths = [max(len(cell) for cell in column) for column in zip(header, *body, strict=True)]
    left = {index for index, column in enumerate(columns) if column is DUE}
    return "\n".join(_line(cells, widths, left) for cells in (header, *body))


def _line(cells: list[str], widths: list[int], left: set[int]) -> str:
    """Pads each cell to its column width (numbers right-aligned) and joins them with single spaces."""
    padded = (
        cell.ljust(width) if index in left else cell.rjust(width)
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )
    return " ".join(padded).rstrip()
