"""Loan simulation: instalment schedules, government interest subsidy and the rentenir comparison.

Money is whole Rupiah (int); every amount is rounded half-up once, and the last instalment absorbs
the rounding so that the balance ends at exactly 0. Rates are yearly fractions as Decimal, except the
rentenir's, which is monthly.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from enum import StrEnum

MAX_MONTHS = 360
DEFAULT_MONEYLENDER_RATE = Decimal("0.20")

_CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP)
_ZERO = Decimal(0)
_ONE = Decimal(1)
_TWELVE = Decimal(12)
_RATE_STEP = Decimal("0.000001")


class Method(StrEnum):
    """How instalments are computed; plain strings ("annuity", ...) are accepted wherever a Method is."""

    ANNUITY = "annuity"
    FLAT = "flat"
    DECLINING = "declining"


class PremiumPayer(StrEnum):
    """Who pays the one-off credit insurance premium."""

    BORROWER = "borrower"
    GOVERNMENT = "government"
    PEMDA = "pemda"
    BANK = "bank"


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One monthly instalment; payment == principal + interest, balance is what is left after paying it."""

    number: int
    due_date: date | None
    payment: int
    principal: int
    interest: int
    subsidy: int
    balance: int


@dataclass(frozen=True, slots=True)
class Simulation:
    """A simulated loan: headline figures and the full instalment schedule."""

    principal: int
    months: int
    method: Method
    borrower_rate: Decimal
    subsidy_rate: Decimal
    monthly_instalment: int
    instalment_without_subsidy: int
    monthly_saving: int
    total_interest: int
    total_subsidy: int
    insurance_premium: int
    premium_paid_by: PremiumPayer
    total_paid: int
    schedule: tuple[ScheduleRow, ...]


@dataclass(frozen=True, slots=True)
class MoneylenderComparison:
    """The same loan from a rentenir who charges flat interest on the whole principal every month."""

    principal: int
    months: int
    monthly_rate: Decimal
    monthly_instalment: int
    total_interest: int
    total_paid: int

    def extra_cost_vs(self, simulation: Simulation) -> int:
        """Rupiah the rentenir costs in total beyond `simulation` (same principal); negative if cheaper."""
        if simulation.principal != self.principal:
            raise ValueError("cannot compare loans with different principals")
        return self.total_paid - simulation.total_paid


def simulate(
    principal: int,
    months: int,
    *,
    borrower_rate: Decimal,
    subsidy_rate: Decimal = _ZERO,
    method: str = Method.ANNUITY,
    insurance_premium_rate: Decimal = _ZERO,
    premium_paid_by: str = PremiumPayer.BORROWER,
    start: date | None = None,
    due_day: int | None = None,
) -> Simulation:
    """Simulates a loan of `principal` Rupiah over `months` months at the yearly `borrower_rate`."""
    _check_loan(principal, months)
    for rate in (borrower_rate, subsidy_rate, insurance_premium_rate):
        _check_rate(rate)
    method = Method(method)
    payer = PremiumPayer(premium_paid_by)
    if due_day is not None and not 1 <= due_day <= 31:
        raise ValueError(f"due_day must be 1..31, got {due_day}")
    with localcontext(_CONTEXT):
        schedule = tuple(_schedule(principal, months, borrower_rate, subsidy_rate, method, start, due_day))
        instalment_without_subsidy = _first_payment(principal, months, borrower_rate + subsidy_rate, method)
        premium = _whole(principal * insurance_premium_rate)
    total_interest = sum(row.interest for row in schedule)
    borrower_premium = premium if payer is PremiumPayer.BORROWER else 0
    return Simulation(
        principal=principal,
        months=months,
        method=method,
        borrower_rate=borrower_rate,
        subsidy_rate=subsidy_rate,
        monthly_instalment=schedule[0].payment,
        instalment_without_subsidy=instalment_without_subsidy,
        monthly_saving=instalment_without_subsidy - schedule[0].payment,
        total_interest=total_interest,
        total_subsidy=sum(row.subsidy for row in schedule),
        insurance_premium=premium,
        premium_paid_by=payer,
        total_paid=principal + total_interest + borrower_premium,
        schedule=schedule,
    )


def compare_with_moneylender(
    principal: int, months: int, *, monthly_rate: Decimal = DEFAULT_MONEYLENDER_RATE
) -> MoneylenderComparison:
    """Costs the same loan from a rentenir charging `monthly_rate` of the principal every month."""
    _check_loan(principal, months)
    _check_rate(monthly_rate)
    with localcontext(_CONTEXT):
        total_interest = _whole(principal * monthly_rate * months)
        monthly_instalment = _whole(Decimal(principal + total_interest) / months)
    return MoneylenderComparison(
        principal=principal,
        months=months,
        monthly_rate=monthly_rate,
        monthly_instalment=monthly_instalment,
        total_interest=total_interest,
        total_paid=principal + total_interest,
    )


def flat_equivalent_rate(simulation: Simulation) -> Decimal:
    """The flat yearly rate with the same total interest, to 0.0001 point (6% annuity, 12 months: 3,28%)."""
    with localcontext(_CONTEXT):
        rate = Decimal(simulation.total_interest * 12) / (simulation.principal * simulation.months)
        return rate.quantize(_RATE_STEP, rounding=ROUND_HALF_UP)


def _check_loan(principal: int, months: int) -> None:
    """Rejects a principal or term the simulator cannot handle."""
    if isinstance(principal, bool) or not isinstance(principal, int):
        raise TypeError(f"principal must be int Rupiah, got {type(principal).__name__}")
    if isinstance(months, bool) or not isinstance(months, int):
        raise TypeError(f"months must be int, got {type(months).__name__}")
    if principal <= 0:
        raise ValueError(f"principal must be positive, got {principal}")
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be 1..{MAX_MONTHS}, got {months}")


def _check_rate(rate: Decimal) -> None:
    """Rejects a rate that is not a finite, non-negative Decimal."""
    if not isinstance(rate, Decimal):
        raise TypeError(f"rates must be Decimal, got {type(rate).__name__}")
    if not rate.is_finite() or rate < 0:
        raise ValueError(f"rates must be finite and >= 0, got {rate}")


def _whole(amount: Decimal) -> int:
    """Rounds to whole Rupiah, half-up."""
    return int(amount.quantize(_ONE, rounding=ROUND_HALF_UP))


def _schedule(
    principal: int,
    months: int,
    rate: Decimal,
    subsidy_rate: Decimal,
    method: Method,
    start: date | None,
    due_day: int | None,
) -> Iterator[ScheduleRow]:
    """Builds the schedule rows, with due dates when `start` is given."""
    day = due_day or (start.day if start else 0)
    for number, (part, interest, subsidy, balance) in enumerate(
        _parts(principal, months, rate, subsidy_rate, method), start=1
    ):
        due = _due_date(start, number, day) if start else None
        yield ScheduleRow(number, due, part + interest, part, interest, subsidy, balance)


def _parts(
    principal: int, months: int, rate: Decimal, subsidy_rate: Decimal, method: Method
) -> Iterator[tuple[int, int, int, int]]:
    """Yields (principal part, interest, subsidy, balance after payment) month by month."""
    level_payment = _annuity(principal, months, rate) if method is Method.ANNUITY and rate else None
    equal_part = _whole(Decimal(principal) / months)
    flat_interest = _whole(principal * rate / _TWELVE)
    balance = principal
    for number in range(1, months + 1):
        interest = flat_interest if method is Method.FLAT else _whole(balance * rate / _TWELVE)
        subsidy = _whole(balance * subsidy_rate / _TWELVE)
        if number == months:
            part = balance
        elif level_payment is not None:
            part = min(level_payment - interest, balance)
        else:
            part = min(equal_part, balance)
        balance -= part
        yield part, interest, subsidy, balance


def _annuity(principal: int, months: int, rate: Decimal) -> int:
    """The level annuity instalment P*i / (1 - (1+i)^-n) with i = rate/12, rounded."""
    monthly = rate / _TWELVE
    return _whole(principal * monthly / (_ONE - (_ONE + monthly) ** -months))


def _first_payment(principal: int, months: int, rate: Decimal, method: Method) -> int:
    """The first instalment of the same loan at another rate."""
    part, interest, _subsidy, _balance = next(_parts(principal, months, rate, _ZERO, method))
    return part + interest


def _due_date(start: date, number: int, day: int) -> date:
    """Instalment `number` falls `number` months after `start`, on `day` or the month's last day."""
    year, month_index = divmod(start.year * 12 + start.month - 1 + number, 12)
    month = month_index + 1
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))
