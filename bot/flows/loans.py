"""Pinjaman saya: record a loan once (by hand or from a simulation), see what is next, and keep reminders right.

Entry points besides the menu:
- `from_simulation(...)` (step "from_simulation"): a simulation just made; data keys "amount", "months", "scheme",
  "borrower_rate", "subsidy_rate" (strings, rates as yearly fractions such as "0.06") and optionally "method".
- Reminder buttons `go("loans", "paid", instalment_id)` and `go("loans", "snooze", instalment_id)`.
- A consultant's proposal `go("loans", "confirm_proposed", loan_id)`: the loan becomes active only when its owner
  confirms it.
- A consultant recording a loan for an owner (step "bank", data keys "for_owner" and "booking", from the consultant
  flow): the same questions, then the summary hands the loan to `bot.flows.consultant.propose_for_owner`.
Every change locks the loan and puts its pending reminder right in the same transaction (bot.reminders).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from bot import reminders
from bot.flows.base import Answer, Ctx, Finish, Flow, Goto, Retry, Start, Transition, choices
from bot.messages import Reply
from core.explain import method_label, regional_for, schemes_for
from core.formatting import long_date, percent, rupiah, zone_abbreviation
from core.i18n import _
from core.parsing import ParseError, parse_date, parse_months, parse_rupiah
from core.simulator import Method, Simulation, simulate
from storage import loans
from storage.models import Instalment, Loan

FLOW = Flow(
    "loans",
    first="list",
    menu_label=lambda ctx: _("My loans (menu)") if ctx.contact.role == "owner" else None,
    menu_order=60,
)
# The questions of a new loan, in order: (data key, step).
ASKED = (
    ("bank", "bank"),
    ("scheme", "scheme"),
    ("amount", "amount"),
    ("borrower_rate", "rate"),
    ("months", "months"),
    ("disbursed_on", "disbursed"),
    ("due_day", "due_day"),
)
SIMULATION_KEYS = ("amount", "months", "scheme", "borrower_rate", "subsidy_rate", "method")
OTHER_SCHEME = "lainnya"
COMMON_BANKS = ("BRI", "BNI", "Mandiri", "BSI")
MAX_DAYS_AHEAD = 90
_PAID = re.compile(r"^(?:sudah|udah|sdh|dah|telah) ?(?:di)?(?:bayar|byr|setor|lunas)\b ?(.*)$")
_TODAY_WORDS = {"", "tadi", "tadi pagi", "tadi siang", "barusan", "hari ini"}
_RATE = re.compile(r"(?:bunga )?([0-9]+(?:[.,][0-9]+)?) ?(?:%|persen)?(?: (.*))?")
_MONTHLY = {"per bulan", "perbulan", "sebulan", "bulan", "bln", "per bln", "sebln"}
_YEARLY = {"", "per tahun", "pertahun", "setahun", "tahun", "thn", "per thn", "th", "pa", "p a", "efektif"}
_DAY = re.compile(r"^(?:tanggal|tgl)?\.? ?([0-9]{1,2})$")


def _clean(text: str) -> str:
    """Lower case, single spaces, no closing full stop or exclamation mark (slashes in dates stay)."""
    return " ".join(text.casefold().split()).rstrip(".!")


def _words(text: str) -> str:
    """Lower-case words only: '/Bln.' -> 'bln'."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def from_simulation(
    *,
    amount: int,
    months: int,
    scheme: str,
    borrower_rate: Decimal,
    subsidy_rate: Decimal,
    method: str = "annuity",
) -> Start:
    """Starts recording a simulated loan: only the bank, the akad date and the due day are asked."""
    data = {
        "amount": str(amount),
        "months": str(months),
        "scheme": scheme,
        "borrower_rate": str(borrower_rate),
        "subsidy_rate": str(subsidy_rate),
        "method": str(method),
    }
    return Start(FLOW.id, step="from_simulation", data=data)


def menu_choice() -> tuple[str, str]:
    """The option back to the main menu."""
    return ("global:menu", _("Main menu (loans button)"))


def _ask_next(ctx: Ctx) -> Goto:
    """Goes to the first unanswered question of a new loan, or to its summary."""
    return ctx.then(next((step for key, step in ASKED if key not in ctx.data), "summary"))


def _scheme_names(ctx: Ctx) -> dict[str, str]:
    """Scheme ids the owner can pick today, with their names."""
    names = {scheme.id: scheme.name for scheme in schemes_for(ctx.profile, ctx.today)}
    return names | {OTHER_SCHEME: _("Other credit (not KUR)")}


def _scheme_name(ctx: Ctx, scheme_id: str) -> str:
    """A scheme's name, or its id when it is no longer offered."""
    return _scheme_names(ctx).get(scheme_id, scheme_id)


def _simulation(data: dict[str, Any]) -> Simulation:
    """The schedule of the loan being recorded."""
    return simulate(
        int(data["amount"]),
        int(data["months"]),
        borrower_rate=Decimal(data["borrower_rate"]),
        subsidy_rate=Decimal(data.get("subsidy_rate", "0")),
        method=data.get("method", Method.ANNUITY),
        start=date.fromisoformat(data["disbursed_on"]),
        due_day=int(data["due_day"]),
    )


async def _loan(ctx: Ctx, *, for_update: bool = False) -> Loan | None:
    """The loan the owner is looking at (None when it is not theirs or is gone)."""
    loan_id = ctx.data.get("loan_id")
    if not isinstance(loan_id, int):
        return None
    return await loans.loan_of(
        session=ctx.session, contact_id=ctx.contact.id, loan_id=loan_id, for_update=for_update
    )


async def _target(ctx: Ctx, *, for_update: bool = False) -> tuple[Loan, Instalment] | None:
    """The loan and instalment a step is about: from a reminder button's ref, or the one chosen before."""
    ref = ctx.data.pop("ref", None)
    if ref is not None:
        ctx.data["instalment_id"] = int(ref) if str(ref).isdigit() else None
        instalment_id = ctx.data["instalment_id"]
        found = (
            None
            if instalment_id is None
            else await loans.loan_id_of_instalment(session=ctx.session, instalment_id=instalment_id)
        )
        ctx.data["loan_id"] = found
    loan = await _loan(ctx, for_update=for_update)
    if loan is None:
        return None
    instalments = await loans.instalments_of(session=ctx.session, loan_id=loan.id)
    chosen = next((item for item in instalments if item.id == ctx.data.get("instalment_id")), None)
    return None if chosen is None else (loan, chosen)


def _gone() -> list[Reply]:
    """Says the loan or instalment is no longer recorded."""
    return [
        Reply(
            _("That loan is no longer recorded."),
            choices(("list", _("My loans (list button)")), menu_choice()),
        )
    ]


# --- the list and one loan -----------------------------------------------------------------------------------


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
        return _ask_next(ctx)
    ctx.data["loan_id"] = int(answer.option.removeprefix("loan:"))
    loan = await _loan(ctx)
    return Goto("confirm_proposed" if loan is not None and loan.status == loans.PROPOSED else "view")


def loan_lines(ctx: Ctx, loan: Loan, instalments: list[Instalment]) -> list[str]:
    """The facts of a loan: bank, scheme, amount, and what is left to pay (also in a consultant's proposal)."""
    lines = [
        _("*{bank}*, {scheme}: {amount} over {months} months at {rate} a year.").format(
            bank=loan.bank,
            scheme=_scheme_name(ctx, loan.scheme),
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
    loan = await _loan(ctx)
    if loan is None:
        return _gone()
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
    loan = await _loan(ctx, for_update=True)
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
    paid = _PAID.match(_clean(answer.text))
    if paid is None:
        return Retry(_("Please choose one of the options, or type for example *sudah bayar kemarin*."))
    if not paid[1]:
        return Goto("paid")
    return await _record(ctx, loan, unpaid[0], _paid_day(paid[1], ctx.today))


def _paid_day(text: str, today: date) -> date:
    """The day a payment was made: 'tadi' or 'hari ini' is today, else a date ('kemarin', '19/11')."""
    return today if _clean(text) in _TODAY_WORDS else parse_date(text, today=today)


# --- paying, snoozing, correcting ------------------------------------------------------------------------------


@FLOW.ask("paid")
async def ask_paid(ctx: Ctx) -> list[Reply]:
    """Asks when the instalment was paid (or says it already is)."""
    target = await _target(ctx)
    if target is None:
        return _gone()
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
    target = await _target(ctx, for_update=True)
    if target is None or answer.option == "list":
        return Goto("list")
    loan, instalment = target
    if answer.option == "view" or instalment.paid_on is not None or loan.status != loans.ACTIVE:
        return Goto("view")
    if answer.option in ("today", "yesterday"):
        day = ctx.today - timedelta(days=1 if answer.option == "yesterday" else 0)
    else:
        paid = _PAID.match(_clean(answer.text))
        day = _paid_day(paid[1] if paid else answer.text, ctx.today)
    return await _record(ctx, loan, instalment, day)


async def _record(ctx: Ctx, loan: Loan, instalment: Instalment, day: date) -> Transition:
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
    target = await _target(ctx, for_update=True)
    if target is None:
        return _gone()
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
    target = await _target(ctx)
    if target is None:
        return _gone()
    _loan_row, instalment = target
    text = _(
        "Instalment {number} is recorded as {amount}. Type the amount your bank charges, for example 1.750.000."
    ).format(number=instalment.number, amount=rupiah(instalment.amount))
    return [Reply(text)]


@FLOW.answer("fix")
async def answer_fix(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the corrected amount and asks which instalments it applies to."""
    target = await _target(ctx)
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
    target = await _target(ctx)
    if target is None:
        return _gone()
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
    target = await _target(ctx, for_update=True)
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


# --- closing and deleting --------------------------------------------------------------------------------------


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
    loan = await _loan(ctx, for_update=True)
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
    loan = await _loan(ctx, for_update=True)
    if answer.option != "yes" or loan is None:
        return Goto("view")
    await reminders.withdraw_messages(session=ctx.session, loan=loan)
    await loans.delete_loan(session=ctx.session, loan_id=loan.id)
    return Finish(say=(Reply(_("The loan is deleted.")),))


# --- a consultant's proposal -----------------------------------------------------------------------------------


@FLOW.ask("confirm_proposed", choice_only=True)
async def ask_confirm_proposed(ctx: Ctx) -> list[Reply]:
    """Shows a loan a consultant recorded for the owner and asks whether it is right."""
    ref = ctx.data.pop("ref", None)
    if ref is not None:
        ctx.data["loan_id"] = int(ref) if str(ref).isdigit() else None
    loan = await _loan(ctx)
    if loan is None or loan.status != loans.PROPOSED:
        return _gone()
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
    loan = await _loan(ctx, for_update=True)
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


# --- recording a new loan --------------------------------------------------------------------------------------


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
        "scheme": lambda v: v in _scheme_names(ctx),
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
    return _ask_next(ctx)


@FLOW.ask("scheme", choice_only=True)
def ask_scheme(ctx: Ctx) -> list[Reply]:
    """Asks which credit scheme the loan is."""
    return [Reply(_("Which kind of credit is it?"), choices(*_scheme_names(ctx).items()))]


@FLOW.answer("scheme")
def answer_scheme(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the scheme."""
    ctx.data["scheme"] = answer.option
    return _ask_next(ctx)


@FLOW.ask("amount")
def ask_amount(ctx: Ctx) -> list[Reply]:
    """Asks for the loan amount in the akad."""
    return [Reply(_("How much is the loan in the akad? For example: 25 juta"))]


@FLOW.answer("amount")
def answer_amount(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the amount."""
    ctx.data["amount"] = str(parse_rupiah(answer.text))
    return _ask_next(ctx)


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
    found = _RATE.fullmatch(_clean(text).replace("%", "% ").replace("  ", " ").strip())
    period = _words(found[2] or "") if found else None
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
    return _ask_next(ctx)


@FLOW.ask("months")
def ask_months(ctx: Ctx) -> list[Reply]:
    """Asks for the term."""
    return [Reply(_("Over how many months is the loan? For example: 24 bulan or 2 tahun"))]


@FLOW.answer("months")
def answer_months(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the term."""
    ctx.data["months"] = str(parse_months(answer.text))
    return _ask_next(ctx)


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
    day = ctx.today if answer.option == "today" else parse_date(answer.text, today=ctx.today)
    if day > ctx.today + timedelta(days=MAX_DAYS_AHEAD):
        return Retry(_("That is more than 3 months ahead. Type the akad date, for example 15/10/2026."))
    ctx.data["disbursed_on"] = day.isoformat()
    if ctx.data.get("_return_to") == "summary":
        ctx.data.pop("due_day", None)
        return Goto("due_day")
    return _ask_next(ctx)


@FLOW.ask("due_day")
def ask_due_day(ctx: Ctx) -> list[Reply]:
    """Asks for the due day of the month, offering the akad's day."""
    day = date.fromisoformat(ctx.data["disbursed_on"]).day
    options = choices(("same", _("Day {day} (the akad's day)").format(day=day)))
    return [Reply(_("On which day of the month is each instalment due? Usually the akad's day."), options)]


@FLOW.answer("due_day")
def answer_due_day(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the due day (a day the month lacks becomes that month's last day)."""
    if answer.option == "same":
        day = date.fromisoformat(ctx.data["disbursed_on"]).day
    else:
        found = _DAY.match(_words(answer.text))
        day = int(found[1]) if found else 0
    if not 1 <= day <= 31:
        return Retry(_("Type a day of the month from 1 to 31, for example 25."))
    ctx.data["due_day"] = day
    return _ask_next(ctx)


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
    return _ask_next(ctx)


@FLOW.ask("summary", choice_only=True)
def ask_summary(ctx: Ctx) -> list[Reply]:
    """Shows the loan to be saved with its first instalment."""
    sim = _simulation(ctx.data)
    first = sim.schedule[0]
    past = sum(row.due_date < ctx.today for row in sim.schedule)
    for_owner = "for_owner" in ctx.data
    lines = [
        _("Check the owner's loan before sending it:") if for_owner else _("Check your loan:"),
        _("• Bank: {bank}").format(bank=ctx.data["bank"]),
        _("• Credit: {scheme}").format(scheme=_scheme_name(ctx, ctx.data["scheme"])),
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
    sim = _simulation(ctx.data)
    if sim.schedule[-1].due_date < ctx.today:
        return Retry(_("With that akad date every instalment is already due. Check the date or the months."))
    if "for_owner" in ctx.data:
        # Imported here: the consultant flow imports this module.
        from bot.flows.consultant import propose_for_owner

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
