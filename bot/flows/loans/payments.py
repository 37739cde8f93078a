"""Paying an instalment (from a reminder button or typed), snoozing a reminder, and correcting an amount."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot import reminders
from bot.flows.base import Answer, Ctx, Finish, Goto, Retry, Transition, choices
from bot.flows.loans.flow import (
    FLOW,
    PAID,
    clean,
    gone,
    instalment_target,
    menu_choice,
)
from bot.messages import Reply
from core.dates import parse_date
from core.formatting import long_date, rupiah, zone_abbreviation
from core.i18n import _
from core.parsing import parse_rupiah
from storage import loans
from storage.models import Instalment, Loan

_TODAY_WORDS = {"", "tadi", "tadi pagi", "tadi siang", "barusan", "hari ini"}


def paid_day(text: str, today: date) -> date:
    """The day a payment was made: 'tadi' or 'hari ini' is today, else a date ('kemarin', '19/11')."""
    return today if clean(text) in _TODAY_WORDS else parse_date(text, today=today, latest=today)


@FLOW.ask("paid", answers_push=True)
async def ask_paid(ctx: Ctx) -> list[Reply]:
    """Asks when the instalment was paid (or says it already is)."""
    target = await instalment_target(ctx)
    if target is None:
        return gone()
    loan, instalment = target
    if instalment.paid_on is not None:
        text = _("Instalment {number} is already recorded as paid on {date}.").format(
            number=instalment.number, date=long_date(instalment.paid_on)
        )
        return [Reply(text, choices(("view", _("See the loan")), menu_choice()))]
    text = _(
        "When did you pay instalment {number} of your {bank} loan ({amount})? Reply *hari ini*, *kemarin* "
        "or a date, for example 19/11/2026."
    ).format(number=instalment.number, bank=loan.bank, amount=rupiah(instalment.amount))
    return [
        Reply(
            text, choices(("today", _("Today (paid)")), ("yesterday", _("Yesterday (paid)")), menu_choice())
        )
    ]


@FLOW.answer("paid")
async def answer_paid(ctx: Ctx, answer: Answer) -> Transition:
    """Records the payment on the day given."""
    target = await instalment_target(ctx, for_update=True)
    if target is None or answer.option == "list":
        return Goto("list")
    loan, instalment = target
    if answer.option == "view" or instalment.paid_on is not None or loan.status != loans.ACTIVE:
        return Goto("view")
    if answer.option in ("today", "yesterday"):
        day = ctx.today - timedelta(days=1 if answer.option == "yesterday" else 0)
    else:
        paid = PAID.match(clean(answer.text))
        day = paid_day(paid[1] if paid else answer.text, ctx.today)
    return await record(ctx, loan, instalment, day)


async def record(ctx: Ctx, loan: Loan, instalment: Instalment, day: date) -> Transition:
    """Marks an instalment paid on `day` (not in the future, not before the akad) and updates the reminders."""
    if day > ctx.today:
        return Retry(
            _("That day has not come yet. Type the day you paid, for example kemarin or 19/11/2026.")
        )
    if day < loan.disbursed_on:
        return Retry(
            _("That is before the akad on {date}. Type the day you paid, for example kemarin.").format(
                date=long_date(loan.disbursed_on)
            )
        )
    await loans.record_payment(session=ctx.session, loan=loan, instalment=instalment, paid_on=day)
    await reminders.after_change(
        session=ctx.session, loan=loan, now=ctx.now, paid_instalment_id=instalment.id
    )
    said = _("Recorded: instalment {number} ({amount}) paid on {date}. Thank you!").format(
        number=instalment.number, amount=rupiah(instalment.amount), date=long_date(day)
    )
    if loan.status == loans.PAID_OFF:
        finished = _("That was the last instalment: your {bank} loan is paid off. Congratulations!")
        return Finish(say=(Reply(said), Reply(finished.format(bank=loan.bank))))
    return Goto("view", say=(Reply(said),))


@FLOW.ask("snooze", choice_only=True)
async def ask_snooze(ctx: Ctx) -> list[Reply]:
    """'Ingatkan besok': moves the loan's next reminder to tomorrow 08.00 (doing it again changes nothing)."""
    target = await instalment_target(ctx, for_update=True)
    if target is None:
        return gone()
    loan, instalment = target
    options = choices(("paid", _("Paid already (loan button)")), ("view", _("See the loan")), menu_choice())
    if instalment.paid_on is not None:
        text = _("Instalment {number} is already recorded as paid on {date}.").format(
            number=instalment.number, date=long_date(instalment.paid_on)
        )
        return [Reply(text, choices(("view", _("See the loan")), menu_choice()))]
    if loan.status != loans.ACTIVE or loan.reminders_paused:
        return [Reply(_("Reminders for this loan are off, so there is nothing to move."), options)]
    again = await reminders.snooze(session=ctx.session, loan=loan, instalment=instalment, now=ctx.now)
    text = _("All right, I will remind you again on {date} at 08.00 {zone}.").format(
        date=long_date(again.at.astimezone(ZoneInfo(loan.time_zone)).date()),
        zone=zone_abbreviation(loan.time_zone),
    )
    return [Reply(text, options)]


@FLOW.answer("snooze")
def answer_snooze(ctx: Ctx, answer: Answer) -> Transition:
    """Goes on to record the payment, to the loan, or to the list."""
    return Goto(answer.option if answer.option in ("paid", "list") else "view")


@FLOW.ask("fix")
async def ask_fix(ctx: Ctx) -> list[Reply]:
    """Asks for the instalment amount the bank actually charges."""
    target = await instalment_target(ctx)
    if target is None:
        return gone()
    _loan_row, instalment = target
    text = _(
        "Instalment {number} is recorded as {amount}. Type the amount your bank charges, for example 1.750.000."
    ).format(number=instalment.number, amount=rupiah(instalment.amount))
    return [Reply(text)]


@FLOW.answer("fix")
async def answer_fix(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the corrected amount and asks which instalments it applies to."""
    target = await instalment_target(ctx)
    if target is None:
        return Goto("list")
    amount = parse_rupiah(answer.text)
    if amount > target[0].principal * 2:
        return Retry(_("That is more than twice the loan itself. Check the zeros, for example 1.750.000."))
    ctx.data["new_amount"] = amount
    return Goto("fix_scope")


@FLOW.ask("fix_scope", choice_only=True)
async def ask_fix_scope(ctx: Ctx) -> list[Reply]:
    """Asks whether the new amount is for this instalment only or for every later one too."""
    target = await instalment_target(ctx)
    if target is None:
        return gone()
    number = target[1].number
    options = choices(
        ("one", _("Only instalment {number}").format(number=number)),
        ("all", _("Instalment {number} and all later ones").format(number=number)),
    )
    return [
        Reply(
            _("Is {amount} for this instalment only?").format(amount=rupiah(ctx.data["new_amount"])), options
        )
    ]


@FLOW.answer("fix_scope")
async def answer_fix_scope(ctx: Ctx, answer: Answer) -> Transition:
    """Saves the corrected amount."""
    target = await instalment_target(ctx, for_update=True)
    if target is None:
        return Goto("list")
    loan, instalment = target
    amount = ctx.data.pop("new_amount")
    changed = await loans.correct_amounts(
        session=ctx.session,
        loan_id=loan.id,
        from_number=instalment.number,
        amount=amount,
        only_one=answer.option == "one",
    )
    said = _("Saved: {count} instalment(s) now {amount}.").format(count=changed, amount=rupiah(amount))
    return Goto("view", say=(Reply(said),))
