"""Recording a new loan: bank, scheme, amount, rate, months, akad date and due day, then the summary."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from bot import reminders
from bot.bookings.proposals import propose_for_owner
from bot.flows.base import Answer, Ctx, Goto, Retry, Transition, choices
from bot.flows.loans.flow import (
    COMMON_BANKS,
    FLOW,
    MAX_DAYS_AHEAD,
    ask_next,
    clean,
    simulation_of,
    words,
)
from bot.loan_facts import scheme_name, scheme_names
from bot.messages import Reply
from core.askback import check_bare_amount
from core.dates import parse_date
from core.explain import method_label, regional_for, schemes_for
from core.formatting import long_date, percent, rupiah, zone_abbreviation
from core.i18n import _
from core.parsing import ParseError, parse_months, parse_rupiah
from core.simulator import Method, Simulation
from core.vocabulary import fold, yes_or_no
from storage import loans

_RATE = re.compile(r"(?:bunga )?([0-9]+(?:[.,][0-9]+)?) ?(?:%|persen)?(?: (.*))?")
_MONTHLY = {"per bulan", "perbulan", "sebulan", "bulan", "bln", "per bln", "sebln"}
_YEARLY = {"", "per tahun", "pertahun", "setahun", "tahun", "thn", "per thn", "th", "pa", "p a", "efektif"}
_SAME_DAY = {"sama", "sama dengan akad", "sama dgn akad", "sama akad", "tanggal akad", "tgl akad", "sama aja"}
_DAY = re.compile(r"^(?:tanggal|tgl)?\.? ?([0-9]{1,2})$")


def _bank_question(ctx: Ctx) -> Reply:
    """Asks for the bank, offering the usual ones."""
    regional = regional_for(ctx.profile)
    banks = dict.fromkeys((*COMMON_BANKS, *(regional.partner_banks if regional else ())))
    return Reply(
        _("Which bank is the loan from? Pick one or type its name."),
        choices(*((f"bank:{name}", name) for name in banks)),
    )


@FLOW.ask("bank")
def ask_bank(ctx: Ctx) -> list[Reply]:
    """Asks for the bank."""
    return [_bank_question(ctx)]


@FLOW.ask("from_simulation")
def ask_from_simulation(ctx: Ctx) -> list[Reply]:
    """Takes over a simulation's loan (dropping any value that is not usable) and asks for the bank."""
    checks = {
        "amount": lambda v: int(v) > 0,
        "months": lambda v: 0 < int(v) <= 360,
        "scheme": lambda v: v in scheme_names(ctx),
        "borrower_rate": lambda v: 0 <= Decimal(v) < 1,
        "subsidy_rate": lambda v: 0 <= Decimal(v) < 1,
        "method": lambda v: v in tuple(Method),
    }
    for key, check in checks.items():
        try:
            usable = key in ctx.data and check(str(ctx.data[key]))
        except (ValueError, InvalidOperation):
            usable = False
        if not usable:
            ctx.data.pop(key, None)
    intro = Reply(_("Let's save this simulation as your loan, so I can remind you before every due date."))
    return [intro, _bank_question(ctx)]


@FLOW.answer("bank")
@FLOW.answer("from_simulation")
def answer_bank(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the bank's name."""
    name = answer.option.removeprefix("bank:") if answer.option else " ".join(answer.text.split())
    if not 2 <= len(name) <= 80 or not any(ch.isalpha() for ch in name):
        return Retry(_("Please type the bank's name, for example BRI or Bank Sumsel Babel."))
    ctx.data["bank"] = name
    return ask_next(ctx)


@FLOW.ask("scheme", choice_only=True)
def ask_scheme(ctx: Ctx) -> list[Reply]:
    """Asks which credit scheme the loan is."""
    return [Reply(_("Which kind of credit is it?"), choices(*scheme_names(ctx).items()))]


@FLOW.answer("scheme")
def answer_scheme(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the scheme."""
    ctx.data["scheme"] = answer.option
    return ask_next(ctx)


@FLOW.ask("amount")
def ask_amount(ctx: Ctx) -> list[Reply]:
    """Asks for the loan amount in the akad."""
    return [Reply(_("How much is the loan in the akad? For example: 25 juta"))]


@FLOW.answer("amount")
def answer_amount(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the amount."""
    check_bare_amount(answer.text)
    ctx.data["amount"] = str(parse_rupiah(answer.text))
    return ask_next(ctx)


def _scheme_rates(ctx: Ctx) -> list[tuple[Decimal, Decimal]]:
    """The (borrower rate, subsidy rate) pairs of the chosen scheme, if it is one offered today."""
    scheme = next((s for s in schemes_for(ctx.profile, ctx.today) if s.id == ctx.data.get("scheme")), None)
    return (
        []
        if scheme is None
        else list(dict.fromkeys(zip(scheme.borrower_rates, scheme.subsidy_rates, strict=True)))
    )


@FLOW.ask("rate")
def ask_rate(ctx: Ctx) -> list[Reply]:
    """Asks for the yearly interest rate, offering the scheme's rates."""
    options = choices(*((f"rate:{rate}", percent(rate)) for rate, _subsidy in _scheme_rates(ctx)))
    return [Reply(_("What is the interest rate a year? For example: 6%"), options)]


def read_rate(text: str) -> Decimal:
    """Reads an interest rate as a yearly fraction: '6%', '6,5 persen', '0,5% per bulan' (times 12)."""
    found = _RATE.fullmatch(clean(text).replace("%", "% ").replace("  ", " ").strip())
    period = words(found[2] or "") if found else None
    if found is None or period not in _MONTHLY | _YEARLY:
        raise ParseError(_("Please type the rate as a percentage, for example 6% or 0,5% per bulan."))
    yearly = Decimal(found[1].replace(",", ".")) / 100 * (12 if period in _MONTHLY else 1)
    if yearly >= 1:
        raise ParseError(_("That rate looks too high. Type the yearly rate, for example 6%."))
    return yearly.quantize(Decimal("0.000001"))


@FLOW.answer("rate")
def answer_rate(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the rate, and the subsidy that goes with it when the scheme's rule file names one."""
    rate = Decimal(answer.option.removeprefix("rate:")) if answer.option else read_rate(answer.text)
    ctx.data["borrower_rate"] = str(rate)
    ctx.data["subsidy_rate"] = str(dict(_scheme_rates(ctx)).get(rate, Decimal(0)))
    return ask_next(ctx)


@FLOW.ask("months")
def ask_months(ctx: Ctx) -> list[Reply]:
    """Asks for the term."""
    return [Reply(_("Over how many months is the loan? For example: 24 bulan or 2 tahun"))]


@FLOW.answer("months")
def answer_months(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the term."""
    ctx.data["months"] = str(parse_months(answer.text))
    return ask_next(ctx)


@FLOW.ask("disbursed")
def ask_disbursed(ctx: Ctx) -> list[Reply]:
    """Asks for the akad (disbursement) date."""
    options = choices(("today", _("Today (akad)")))
    return [
        Reply(_("On which day was the akad, when the money was paid out? For example: 15/10/2026"), options)
    ]


@FLOW.answer("disbursed")
def answer_disbursed(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the akad date; changing it from the summary asks the due day again."""
    latest = ctx.today + timedelta(days=MAX_DAYS_AHEAD)  # '5 oktober' is the akad behind, not next year's
    day = ctx.today if answer.option == "today" else parse_date(answer.text, today=ctx.today, latest=latest)
    if day > latest:
        return Retry(_("That is more than 3 months ahead. Type the akad date, for example 15/10/2026."))
    ctx.data["disbursed_on"] = day.isoformat()
    if ctx.data.get("_return_to") == "summary":
        ctx.data.pop("due_day", None)
        return Goto("due_day")
    return ask_next(ctx)


@FLOW.ask("due_day")
def ask_due_day(ctx: Ctx) -> list[Reply]:
    """Asks for the due day of the month, naming the akad's day (no numbered option: '1' means the 1st)."""
    day = date.fromisoformat(ctx.data["disbursed_on"]).day
    return [
        Reply(
            _("On which day of the month is each instalment due? Usually the akad's day: type {day}.").format(
                day=day
            )
        )
    ]


@FLOW.answer("due_day")
def answer_due_day(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the due day (a day the month lacks becomes that month's last day); 'sama' or 'ya' is the akad's day."""
    if fold(answer.text) in _SAME_DAY or yes_or_no(answer.text):
        day = date.fromisoformat(ctx.data["disbursed_on"]).day
    else:
        found = _DAY.match(words(answer.text))
        day = int(found[1]) if found else 0
    if not 1 <= day <= 31:
        return Retry(_("Type a day of the month from 1 to 31, for example 25."))
    ctx.data["due_day"] = day
    return ask_next(ctx)


@FLOW.ask("method", choice_only=True)
def ask_method(ctx: Ctx) -> list[Reply]:
    """Asks how the instalments are computed."""
    return [
        Reply(
            _("How does the bank compute the instalments?"),
            choices(*((m.value, method_label(m)) for m in Method)),
        )
    ]


@FLOW.answer("method")
def answer_method(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the method."""
    ctx.data["method"] = answer.option
    return ask_next(ctx)


@FLOW.ask("summary", choice_only=True)
def ask_summary(ctx: Ctx) -> list[Reply]:
    """Shows the loan to be saved with its first instalment."""
    sim = simulation_of(ctx.data)
    first = sim.schedule[0]
    past = sum(row.due_date < ctx.today for row in sim.schedule)
    for_owner = "for_owner" in ctx.data
    lines = [
        _("Check the owner's loan before sending it:") if for_owner else _("Check your loan:"),
        _("• Bank: {bank}").format(bank=ctx.data["bank"]),
        _("• Credit: {scheme}").format(scheme=scheme_name(ctx, ctx.data["scheme"])),
        _("• Amount: {amount} over {months} months").format(amount=rupiah(sim.principal), months=sim.months),
        _("• Interest: {rate} a year ({method})").format(
            rate=percent(sim.borrower_rate), method=method_label(sim.method)
        ),
        _("• Akad: {date}; due every month on day {day}").format(
            date=long_date(date.fromisoformat(ctx.data["disbursed_on"])), day=ctx.data["due_day"]
        ),
        _("• First instalment: {amount} on {date}").format(
            amount=rupiah(first.payment), date=long_date(first.due_date)
        ),
    ]
    if past:
        lines.append(_("{count} instalment(s) due before today will be recorded as paid.").format(count=past))
    options = choices(
        ("save", _("Send to the owner to confirm") if for_owner else _("Save the loan")),
        ("change", _("Change something (loan)")),
        ("global:cancel", _("Cancel (loan)")),
    )
    return [Reply("\n".join(lines), options)]


def loan_fields(ctx: Ctx, sim: Simulation) -> dict[str, Any]:
    """The columns of the loan being recorded, for storage.loans.add_loan or propose_loan."""
    data = ctx.data
    return {
        "bank": data["bank"],
        "scheme": data["scheme"],
        "principal": sim.principal,
        "borrower_rate": sim.borrower_rate,
        "subsidy_rate": sim.subsidy_rate,
        "months": sim.months,
        "method": str(sim.method),
        "disbursed_on": date.fromisoformat(data["disbursed_on"]),
        "due_day": int(data["due_day"]),
        "time_zone": ctx.profile.time_zone,
        "schedule": sim.schedule,
        "now": ctx.now,
        "paid_before": ctx.today,
    }


@FLOW.answer("summary")
async def answer_summary(ctx: Ctx, answer: Answer) -> Transition:
    """Saves the loan with its schedule and first reminder, or lets the owner change a field."""
    if answer.option == "change":
        return Goto("change")
    sim = simulation_of(ctx.data)
    if sim.schedule[-1].due_date < ctx.today:
        return Retry(_("With that akad date every instalment is already due. Check the date or the months."))
    if "for_owner" in ctx.data:
        return await propose_for_owner(ctx, loan_fields(ctx, sim))
    loan = await loans.add_loan(session=ctx.session, contact_id=ctx.contact.id, **loan_fields(ctx, sim))
    await reminders.after_change(session=ctx.session, loan=loan, now=ctx.now)
    ctx.data.clear()
    ctx.data["loan_id"] = loan.id
    said = _("Saved! I will remind you 3 days before and on every due date at 08.00 {zone}.").format(
        zone=zone_abbreviation(loan.time_zone)
    )
    return Goto("view", say=(Reply(said),))


def _field_labels() -> dict[str, str]:
    """The fields of a new loan the owner can change, by their step."""
    return {
        "bank": _("Field: bank (loan)"),
        "scheme": _("Field: kind of credit"),
        "amount": _("Field: loan amount"),
        "rate": _("Field: interest rate"),
        "months": _("Field: months (loan)"),
        "method": _("Field: instalment method"),
        "disbursed": _("Field: akad date"),
        "due_day": _("Field: due day"),
    }


@FLOW.ask("change", choice_only=True)
def ask_change(ctx: Ctx) -> list[Reply]:
    """Asks which field to change."""
    return [Reply(_("What do you want to change?"), choices(*_field_labels().items()))]


@FLOW.answer("change")
def answer_change(ctx: Ctx, answer: Answer) -> Transition:
    """Opens the field's question; its answer comes back to the summary."""
    ctx.data["_return_to"] = "summary"
    return Goto(answer.option)
