"""Pinjaman saya: the list of loans, one loan, closing, deleting, and confirming a consultant's proposal."""

from __future__ import annotations

from bot import reminders
from bot.flows.base import Answer, Ctx, Finish, Goto, Retry, Transition, choices
from bot.flows.loans.flow import (
    ASKED,
    FLOW,
    PAID,
    SIMULATION_KEYS,
    ask_next,
    clean,
    gone,
    loan_of,
    menu_choice,
)
from bot.flows.loans.payments import paid_day, record
from bot.loan_facts import loan_lines
from bot.messages import Reply
from core.formatting import rupiah, zone_abbreviation
from core.i18n import _
from storage import loans
from storage.models import Loan


@FLOW.ask("list", choice_only=True)
async def ask_list(ctx: Ctx) -> list[Reply]:
    """Lists the owner's loans, or invites them to record one."""
    found = await loans.listed_loans(session=ctx.session, contact_id=ctx.contact.id)
    add = ("add", _("Record a loan"))
    if not found:
        text = _(
            "You have not recorded a loan yet. Record it once and I will remind you before every due date, "
            "so no instalment is missed."
        )
        return [Reply(text, choices(add, menu_choice()))]
    options = []
    for loan in found:
        label = _("{bank} loan of {amount}").format(bank=loan.bank, amount=rupiah(loan.principal))
        if loan.status == loans.PROPOSED:
            label = _("{loan} (waiting for your confirmation)").format(loan=label)
        options.append((f"loan:{loan.id}", label))
    return [Reply(_("Your loans. Which one?"), choices(*options, add, menu_choice()))]


@FLOW.answer("list")
async def answer_list(ctx: Ctx, answer: Answer) -> Transition:
    """Opens a loan, or starts recording a new one."""
    if answer.option == "add":
        for key in (*dict(ASKED), *SIMULATION_KEYS):
            ctx.data.pop(key, None)
        return ask_next(ctx)
    ctx.data["loan_id"] = int(answer.option.removeprefix("loan:"))
    loan = await loan_of(ctx)
    return Goto("confirm_proposed" if loan is not None and loan.status == loans.PROPOSED else "view")


def _reminder_line(loan: Loan) -> str:
    """Whether reminders are on, and when they come."""
    if loan.reminders_paused:
        return _("Reminders: paused.")
    return _("Reminders: on, 3 days before and on each due date at 08.00 {zone}.").format(
        zone=zone_abbreviation(loan.time_zone)
    )


@FLOW.ask("view")
async def ask_view(ctx: Ctx) -> list[Reply]:
    """Shows one loan: next instalment, remaining principal, months left, and what the owner can do."""
    loan = await loan_of(ctx)
    if loan is None:
        return gone()
    instalments = await loans.instalments_of(session=ctx.session, loan_id=loan.id)
    lines = loan_lines(ctx, loan, instalments)
    options = []
    if loan.status == loans.ACTIVE:
        lines.append(_reminder_line(loan))
        lines.append(_("Paid an earlier day? Type for example *sudah bayar kemarin*."))
        pause = (
            ("resume", _("Resume reminders")) if loan.reminders_paused else ("pause", _("Pause reminders"))
        )
        options = [
            ("paid", _("Paid already (loan button)")),
            ("fix", _("Correct the instalment amount")),
            pause,
            ("close", _("Paid off early: close the loan")),
        ]
    options += [("delete", _("Delete this loan")), ("list", _("My loans (list button)")), menu_choice()]
    return [Reply("\n".join(lines), choices(*options))]


@FLOW.answer("view")
async def answer_view(ctx: Ctx, answer: Answer) -> Transition:
    """Carries out the owner's choice; 'sudah bayar kemarin' (or a date) records the payment at once."""
    if answer.option in ("list", "delete"):
        return Goto(answer.option)
    loan = await loan_of(ctx, for_update=True)
    if loan is None or loan.status != loans.ACTIVE:
        return Goto("view")
    instalments = await loans.instalments_of(session=ctx.session, loan_id=loan.id)
    unpaid = [item for item in instalments if item.paid_on is None]
    ctx.data["instalment_id"] = unpaid[0].id if unpaid else None
    if answer.option in ("paid", "fix", "close"):
        return Goto(answer.option)
    if answer.option in ("pause", "resume"):
        await loans.set_paused(session=ctx.session, loan=loan, paused=answer.option == "pause")
        await reminders.after_change(session=ctx.session, loan=loan, now=ctx.now)
        said = _("Reminders paused.") if loan.reminders_paused else _("Reminders are on again.")
        return Goto("view", say=(Reply(said),))
    paid = PAID.match(clean(answer.text))
    if paid is None:
        return Retry(_("Please choose one of the options, or type for example *sudah bayar kemarin*."))
    if not paid[1]:
        return Goto("paid")
    return await record(ctx, loan, unpaid[0], paid_day(paid[1], ctx.today))


@FLOW.ask("close", choice_only=True)
def ask_close(ctx: Ctx) -> list[Reply]:
    """Asks to confirm closing the loan as paid off early."""
    return [
        Reply(
            _("Close this loan because you paid it off early? The reminders stop."),
            choices(("yes", _("Yes, close the loan")), ("no", _("No, keep the loan (close)"))),
        )
    ]


@FLOW.answer("close")
async def answer_close(ctx: Ctx, answer: Answer) -> Transition:
    """Closes the loan and stops its reminders."""
    loan = await loan_of(ctx, for_update=True)
    if answer.option != "yes" or loan is None:
        return Goto("view")
    await loans.set_status(session=ctx.session, loan=loan, status=loans.CLOSED, on=ctx.today)
    await reminders.after_change(session=ctx.session, loan=loan, now=ctx.now)
    said = _("Your {bank} loan is closed as paid off. Congratulations, and no more reminders for it.")
    return Finish(say=(Reply(said.format(bank=loan.bank)),))


@FLOW.ask("delete", choice_only=True)
def ask_delete(ctx: Ctx) -> list[Reply]:
    """Asks to confirm deleting the loan."""
    return [
        Reply(
            _("Delete this loan with its schedule and reminders? This cannot be undone."),
            choices(("yes", _("Yes, delete it")), ("no", _("No, keep the loan (delete)"))),
        )
    ]


@FLOW.answer("delete")
async def answer_delete(ctx: Ctx, answer: Answer) -> Transition:
    """Deletes the loan, its instalments and reminders."""
    loan = await loan_of(ctx, for_update=True)
    if answer.option != "yes" or loan is None:
        return Goto("view")
    await reminders.withdraw_messages(session=ctx.session, loan=loan)
    await loans.delete_loan(session=ctx.session, loan_id=loan.id)
    return Finish(say=(Reply(_("The loan is deleted.")),))


@FLOW.ask("confirm_proposed", choice_only=True)
async def ask_confirm_proposed(ctx: Ctx) -> list[Reply]:
    """Shows a loan a consultant recorded for the owner and asks whether it is right."""
    ref = ctx.data.pop("ref", None)
    if ref is not None:
        ctx.data["loan_id"] = int(ref) if str(ref).isdigit() else None
    loan = await loan_of(ctx)
    if loan is None or loan.status != loans.PROPOSED:
        return gone()
    instalments = await loans.instalments_of(session=ctx.session, loan_id=loan.id)
    lines = [
        _("Your consultant recorded this loan for you. Is it right?"),
        *loan_lines(ctx, loan, instalments),
    ]
    options = choices(
        ("confirm", _("Yes, it is right (proposal)")), ("reject", _("No, it is wrong (proposal)"))
    )
    return [Reply("\n".join(lines), options)]


@FLOW.answer("confirm_proposed")
async def answer_confirm_proposed(ctx: Ctx, answer: Answer) -> Transition:
    """Activates the proposed loan (its reminders start), or deletes it."""
    loan = await loan_of(ctx, for_update=True)
    if loan is None or loan.status != loans.PROPOSED:
        return Goto("list")
    if answer.option == "reject":
        await loans.delete_loan(session=ctx.session, loan_id=loan.id)
        return Finish(
            say=(Reply(_("All right, the loan was not saved. Tell your consultant what is wrong.")),)
        )
    await loans.set_status(session=ctx.session, loan=loan, status=loans.ACTIVE)
    await reminders.after_change(session=ctx.session, loan=loan, now=ctx.now)
    return Goto("view", say=(Reply(_("Saved. I will remind you before every due date.")),))
