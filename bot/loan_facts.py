"""A recorded loan in words: the schemes an owner can name and the facts of a loan (its flow and a proposal)."""

from __future__ import annotations

from bot.flows.base import Ctx
from core.explain import schemes_for
from core.formatting import long_date, percent, rupiah
from core.i18n import _
from storage import loans
from storage.models import Instalment, Loan

OTHER_SCHEME = "lainnya"


def scheme_names(ctx: Ctx) -> dict[str, str]:
    """Scheme ids the owner can pick today, with their names."""
    names = {scheme.id: scheme.name for scheme in schemes_for(ctx.profile, ctx.today)}
    return names | {OTHER_SCHEME: _("Other credit (not KUR)")}


def scheme_name(ctx: Ctx, scheme_id: str) -> str:
    """A scheme's name, or its id when it is no longer offered."""
    return scheme_names(ctx).get(scheme_id, scheme_id)


def loan_lines(ctx: Ctx, loan: Loan, instalments: list[Instalment]) -> list[str]:
    """The facts of a loan: bank, scheme, amount, and what is left to pay (also in a consultant's proposal)."""
    lines = [
        _("*{bank}*, {scheme}: {amount} over {months} months at {rate} a year.").format(
            bank=loan.bank,
            scheme=scheme_name(ctx, loan.scheme),
            amount=rupiah(loan.principal),
            months=loan.months,
            rate=percent(loan.borrower_rate),
        )
    ]
    unpaid = [item for item in instalments if item.paid_on is None]
    if not unpaid or loan.status in (loans.PAID_OFF, loans.CLOSED):
        lines.append(_("This loan is paid off. Well done!"))
        return lines
    upcoming = unpaid[0]
    lines.append(
        _("Next instalment: number {number}, {amount}, due on {date}.").format(
            number=upcoming.number, amount=rupiah(upcoming.amount), date=long_date(upcoming.due_on)
        )
    )
    if upcoming.due_on < ctx.today:
        lines.append(_("That due date has passed and the instalment is not recorded as paid."))
    lines.append(
        _("Remaining principal: {balance}. {left} of {months} instalments left.").format(
            balance=rupiah(sum(item.principal for item in unpaid)), left=len(unpaid), months=loan.months
        )
    )
    return lines
