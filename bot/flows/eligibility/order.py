"""The eligibility questions in order, when each matters, and the owner's numbered statements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.flows.base import Ctx
from core.explain import regional_for, schemes_for
from core.i18n import _

# A regency code no regency has (BPS codes never use 00): the owner said they live outside the kabupaten.
ELSEWHERE = "0000"
LICENCES = ("nib", "sku")


@dataclass(frozen=True)
class Choice:
    """One offered answer: option id, label, and the value it stores."""

    id: str
    label: Callable[[], str]
    value: Any


def yes_no(ctx: Ctx) -> tuple[Choice, ...]:
    """Yes (stores True) or no (False)."""
    return two_ways(True, False)


def two_ways(yes: Any, no: Any) -> tuple[Choice, ...]:
    """A yes/no answer storing `yes` or `no`."""
    return (Choice("yes", lambda: _("Yes (answer)"), yes), Choice("no", lambda: _("No (answer)"), no))


def _npwp_matters(ctx: Ctx) -> bool:
    """Some scheme whose band holds the amount needs an NPWP for it."""
    amount = ctx.data["amount"]
    return any(s.accepts(amount) and s.npwp_required(amount) for s in schemes_for(ctx.profile, ctx.today))


def _marriage_matters(ctx: Ctx) -> bool:
    """The owner's age is unknown or below some scheme's minimum, where being married counts."""
    age = ctx.data.get("age")
    return age is None or age < minimum_age(ctx)


def _always(ctx: Ctx) -> bool:
    """The question always matters."""
    return True


def _residence_matters(ctx: Ctx) -> bool:
    """Where the owner lives matters only where the kabupaten has its own credit programme."""
    return regional_for(ctx.profile) is not None


# Every question in order: step id, the data key it fills, and when it matters.
ORDER: tuple[tuple[str, str, Callable[[Ctx], bool]], ...] = (
    ("amount", "amount", _always),
    ("months", "months", _always),
    ("purpose", "purpose", _always),
    ("business_age", "months_in_business", _always),
    ("turnover", "annual_turnover", _always),
    ("licence", "licence", _always),
    ("npwp", "has_npwp", _npwp_matters),
    ("sector", "sector", _always),
    ("resident", "regency_code", _residence_matters),
    ("age", "age", _always),
    ("married", "married", _marriage_matters),
    ("declarations", "civil_servant", _always),
    ("previous_kur", "previous_kur_count", _always),
)
# The yes/no facts about the owner, asked together as numbered statements the owner picks ('2 4' or 'tidak ada'):
# data key and the value stored when the statement is picked (not picked: the opposite). Statement 4, "took KUR
# before", then asks how many times.
STATEMENTS: tuple[tuple[str, bool], ...] = (
    ("civil_servant", True),
    ("other_productive_credit", True),
    ("credit_history_ok", False),
    ("previous_kur", True),
    ("in_mentoring_programme", True),
)


def minimum_age(ctx: Ctx) -> int:
    """The highest minimum age of the schemes judged today."""
    return max(s.min_age for s in schemes_for(ctx.profile, ctx.today))
