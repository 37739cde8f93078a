"""Whether an instalment fits the business: repayment capacity from turnover and the sector's margin.

The rule (share of net income an instalment may take) and the margins are data in core/rules/affordability.toml,
with their source. A too heavy loan gets a suggestion: a longer term that fits, or the amount that fits.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from importlib import resources

from core.simulator import simulate

STEP = 1_000_000  # suggested amounts are whole millions


@dataclass(frozen=True)
class Rule:
    """The share of monthly net income an instalment may take, and each sector's net margin."""

    share_of_income: Decimal
    margins: dict[str, Decimal]
    source: str


@cache
def rule() -> Rule:
    """Loads core/rules/affordability.toml."""
    text = resources.files("core").joinpath("rules", "affordability.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    margins = {sector: Decimal(str(value)) for sector, value in data["margins"].items()}
    return Rule(Decimal(str(data["share_of_income"])), margins, data["source"])


def capacity(monthly_turnover: int, sector: str | None) -> int:
    """The largest monthly instalment the business can carry: turnover x sector margin x share of income."""
    margins = rule().margins
    margin = margins.get(sector or "lainnya", margins["lainnya"])
    value = Decimal(monthly_turnover) * margin * rule().share_of_income
    return int(value.to_integral_value(ROUND_FLOOR))


@dataclass(frozen=True)
class Fit:
    """What fits instead: a longer term for the same amount, else a smaller amount over the longest term."""

    months: int | None
    amount: int | None


def what_fits(amount: int, rate: Decimal, longest: int, most: int, subsidy: Decimal = Decimal(0)) -> Fit:
    """A term up to `longest` months that brings the instalment under `most`, else the amount that fits."""
    for months in range(12, longest + 1, 12):
        if simulate(amount, months, borrower_rate=rate, subsidy_rate=subsidy).monthly_instalment <= most:
            return Fit(months=months, amount=None)
    per_million = simulate(STEP, longest, borrower_rate=rate, subsidy_rate=subsidy).monthly_instalment
    fits = most // per_million * STEP if per_million else 0
    return Fit(months=None, amount=fits or None)
