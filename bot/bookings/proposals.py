"""A consultant's record of an owner's loan after a done meeting: stored as proposed, sent to the owner to confirm."""

from __future__ import annotations

from typing import Any

from bot.bookings.access import answerable_booking
from bot.bookings.notices import Notice, send_to_owner
from bot.bookings.words import business_name, consultant_label, when
from bot.flows.base import Ctx, Finish, Start, Transition, choices, go
from bot.flows.common import CONSULTANT, LOANS
from bot.loan_facts import loan_lines
from bot.messages import Reply
from core.booking import DONE
from core.formatting import rupiah
from core.i18n import _
from storage.loans import instalments_of, propose_loan


async def propose_for_owner(ctx: Ctx, fields: dict[str, Any]) -> Transition:
    """Stores the loan entered in the loans flow as proposed for the done meeting's owner and sends them the
    confirm button; nothing is stored when the booking is not this chat's, not done, or its owner is erased."""
    ctx.data["ref"] = ctx.data.get("booking")
    details = await answerable_booking(ctx, lock=True)
    if (
        details is None
        or details.booking.status != DONE
        or details.booking.owner_contact_id != ctx.data.get("for_owner")
        or details.owner.erased_at is not None
    ):
        return Finish(
            say=(
                Reply(
                    _(
                        "The loan was not sent: that meeting is not in your agenda or its owner cannot be reached."
                    )
                ),
            )
        )
    loan = await propose_loan(
        session=ctx.session,
        owner_contact_id=details.booking.owner_contact_id,
        consultant_contact_id=ctx.contact.id,
        **fields,
    )
    instalments = await instalments_of(session=ctx.session, loan_id=loan.id)
    lines = (
        _("{consultant} recorded your loan after your meeting on {when}:").format(
            consultant=consultant_label(details.consultant), when=when(details.slot.starts_at, ctx.zone)
        ),
        *loan_lines(ctx, loan, instalments),
        _("Please check it: reminders start once you confirm it."),
    )
    options = choices((go(LOANS, "confirm_proposed", loan.id), _("Check and confirm the loan")))
    notice = Notice(_("Loan to confirm"), lines, options)
    await send_to_owner(ctx.session, details, notice, f"loan-proposal:{loan.id}", ctx.now, ctx.zone)
    text = _("Sent to {business}: {bank} loan of {amount}. It is saved once the owner confirms it.").format(
        business=business_name(details), bank=loan.bank, amount=rupiah(loan.principal)
    )
    return Start(CONSULTANT, step="agenda", say=(Reply(text),))
