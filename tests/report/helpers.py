"""Reading a report's tables in tests: a table by key, a row by its first cell."""

from __future__ import annotations

from core.report_table import Section, Table


def table(sections: tuple[Section, ...], key: str) -> Table:
    """The table with this key."""
    found = [t for s in sections for t in s.tables if t.key == key]
    assert found, f"no table {key}"
    return found[0]


def row(sections: tuple[Section, ...], key: str, label: str) -> tuple:
    """The row of a table whose first cell is `label` (without it)."""
    rows = [r[1:] for r in table(sections, key).rows if r[0] == label]
    assert rows, f"no row {label!r} in {key}: {[r[0] for r in table(sections, key).rows]}"
    return rows[0]
