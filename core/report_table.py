"""The report's building blocks: tables of typed columns grouped in sections, and the "< 5" rule for small cells."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median
from typing import Any

SMALL = 5
SUPPRESSED = "< 5"
KINDS = ("text", "count", "money", "percent", "number")


_COUNT: Any = object()


def suppress(count: int, value: Any = _COUNT) -> Any:
    """A figure about `count` businesses: "< 5" when 1 to 4 businesses are behind it, else the figure.

    `value` defaults to the count itself. Zero is shown as it is: it names nobody.
    """
    shown = count if value is _COUNT else value
    return SUPPRESSED if 0 < count < SMALL else shown


def share(part: int, whole: int) -> Decimal | None:
    """part / whole as a fraction to 4 places, or None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def middle(values: Sequence[Decimal]) -> Decimal | None:
    """The median, or None without values."""
    return Decimal(median(values)) if values else None


def mean(values: Sequence[Decimal]) -> Decimal | None:
    """The arithmetic mean, or None without values."""
    return sum(values, Decimal(0)) / len(values) if values else None


@dataclass(frozen=True)
class Column:
    """One column: its heading and what its cells hold (see KINDS)."""

    heading: str
    kind: str = "count"

    def __post_init__(self) -> None:
        """Refuses an unknown kind."""
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Table:
    """A titled table; `chart` ("bar", "line" or "") draws the columns numbered in `plot` against the first."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: str = ""
    plot: tuple[int, ...] = (1,)
    note: str = ""

    def __post_init__(self) -> None:
        """Every row has one cell per column."""
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.key}: row {row!r} does not match {len(self.columns)} columns")


@dataclass(frozen=True)
class Section:
    """One part of the report (reach, finance, money, repayment, impact) and its tables."""

    key: str
    title: str
    tables: tuple[Table, ...] = field(default_factory=tuple)
