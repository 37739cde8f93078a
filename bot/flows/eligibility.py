"""Cek kelayakan: which KUR scheme or regional credit the owner qualifies for, asking only what is missing.

A registered business supplies its age, turnover, licence, NPWP and sector, and its owner's NIK the age and regency.
An unregistered user answers those questions here (about ten more) rather than being sent to register first: the
check stays quick and needs no identity data (NIK). The amount question offers "register first" as an option for
those who prefer it; the check does not resume by itself after registration.

Questions that cannot change a verdict are skipped and taken in the owner's favour, as core.eligibility does with
an unknown age or regency: NPWP when no scheme whose band holds the amount needs one, marriage when the owner is
old enough for every scheme. Then only the checklist can differ, and its surat nikah line already says "jika sudah
menikah". The stored inputs keep None for a question not asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.business_fields import sector_labels
from bot.flows.base import Answer, Ctx, Flow, Goto, Retry, Start, Transition, choices, go_then
from bot.flows.common import REGISTRATION, menu_option, to_simulation
from bot.messages import Reply
from core.choosing import read_picks
from core.eligibility import SECTORS, Applicant, Assessment, CreditRequest, evaluate
from core.explain import (
    assessment_summary,
    documents_checklist,
    licence_guidance,
    purpose_label,
    read_amount,
    read_months,
    regional_for,
    schemes_for,
)
from core.i18n import _
from core.parsing import ParseError, parse_nik, parse_rupiah
from core.periods import months_between, parse_business_age
from core.programmes import PURPOSES
from core.verdict import short_verdict
from storage.businesses import get_business
from storage.checks import save_eligibility_check
from storage.models import Business

FLOW = Flow("eligibility", first="amount", menu_label=lambda ctx: _("Check eligibility"), menu_order=20)

# A regency code no regency has (BPS codes never use 00): the owner said they live outside the kabupaten.
ELSEWHERE = "0000"
LICENCES = ("nib", "sku")
_AGE = re.compile(r"([0-9]{1,3}) *(?:tahun|thn|th)?")


@dataclass(frozen=True)
class Choice:
    """One offered answer: option id, label, and the value it stores."""

    id: str
    label: Callable[[], str]
    value: Any


def _yes_no(ctx: Ctx) -> tuple[Choice, ...]:
    """Yes (stores True) or no (False)."""
    return _two_ways(True, False)


def _two_ways(yes: Any, no: Any) -> tuple[Choice, ...]:
    """A yes/no answer storing `yes` or `no`."""
    return (Choice("yes", lambda: _("Yes (answer)"), yes), Choice("no", lambda: _("No (answer)"), no))


def _npwp_matters(ctx: Ctx) -> bool:
    """Some scheme whose band holds the amount needs an NPWP for it."""
    amount = ctx.data["amount"]
    return any(s.accepts(amount) and s.npwp_required(amount) for s in schemes_for(ctx.profile, ctx.today))


def _marriage_matters(ctx: Ctx) -> bool:
    """The owner's age is unknown or below some scheme's minimum, where being married counts."""
    age = ctx.data.get("age")
    return age is None or age < _minimum_age(ctx)


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


async def _next(ctx: Ctx) -> Transition:
    """Asks the first question that is still open and matters, or gives the verdict."""
    for step, key, matters in ORDER:
        if key not in ctx.data and matters(ctx):
            return Goto(step)
    return await _conclude(ctx)


def _facts(business: Business, ctx: Ctx) -> dict[str, Any]:
    """What a registered business already tells: age of the business, turnover, papers, sector, NIK facts."""
    facts: dict[str, Any] = {
        "months_in_business": months_between(business.started_on, ctx.today),
        "annual_turnover": business.monthly_turnover * 12,
        "licence": business.licence_type if business.licence_type in LICENCES else "none",
        "has_npwp": business.has_npwp,
    }
    if business.sector in SECTORS:
        facts["sector"] = business.sector
    if business.nik:
        try:
            nik = parse_nik(business.nik, today=ctx.today)
        except ParseError:
            return facts
        facts["age"] = nik.age_on(ctx.today)
        facts["regency_code"] = nik.regency_code
    return facts


async def _introduce(ctx: Ctx) -> str:
    """Loads the registered business once and says what the check will use."""
    business = await get_business(session=ctx.session, contact_id=ctx.contact.id)
    ctx.data["registered"] = business is not None
    if business is None:
        return _(
            "Let's check which credit suits you. Your business is not registered yet, "
            "so I'll also ask a few questions about it. Or register first, so next time is quicker."
        )
    ctx.data.update(_facts(business, ctx))
    return _(
        "Let's check which credit suits you. I'll use the data of {name}, so I only ask what is missing."
    ).format(name=business.name)


async def _intro_once(ctx: Ctx) -> list[Reply]:
    """The introduction, before the first question of the check (whichever a sentence's amount and term left)."""
    return [] if "registered" in ctx.data else [Reply(await _introduce(ctx))]


@FLOW.ask("amount")
async def ask_amount(ctx: Ctx) -> list[Reply]:
    """Introduces the check on first entry and asks for the loan amount."""
    intro = await _intro_once(ctx)
    options = ()
    if not ctx.data["registered"] and REGISTRATION in ctx.flows:
        options = choices((go_then(REGISTRATION, FLOW.id), _("Register my business first")))
    return [*intro, Reply(_("How much do you want to borrow? For example: 50 juta"), options)]


@FLOW.answer("amount")
async def answer_amount(ctx: Ctx, answer: Answer) -> Transition:
    """Stores an amount some scheme takes (or leaves for registration when asked)."""
    if answer.option:
        return Start(answer.option.removeprefix("go:"))
    ctx.data["amount"] = read_amount(answer.text, schemes_for(ctx.profile, ctx.today))
    return await _next(ctx)


@FLOW.ask("months")
async def ask_months(ctx: Ctx) -> list[Reply]:
    """Asks for the loan period (after the introduction when a sentence gave the amount)."""
    return [*await _intro_once(ctx), Reply(_("Over how many months? For example: 12 bulan or 2 tahun"))]


@FLOW.answer("months")
async def answer_months(ctx: Ctx, answer: Answer) -> Transition:
    """Stores a period some scheme allows."""
    ctx.data["months"] = read_months(answer.text, schemes_for(ctx.profile, ctx.today))
    return await _next(ctx)


@FLOW.ask("business_age")
def ask_business_age(ctx: Ctx) -> list[Reply]:
    """Asks how long the business has run."""
    text = _("How long has your business been running? For example: 2 tahun, 8 bulan, or since Maret 2024")
    return [Reply(text, choices(("new", _("Just started (under 1 month)"))))]


@FLOW.answer("business_age")
async def answer_business_age(ctx: Ctx, answer: Answer) -> Transition:
    """Stores the months in business from a period or a start month."""
    months = 0 if answer.option == "new" else parse_business_age(answer.text, today=ctx.today)
    ctx.data["months_in_business"] = months
    return await _next(ctx)


@FLOW.ask("turnover")
def ask_turnover(ctx: Ctx) -> list[Reply]:
    """Asks for the monthly turnover."""
    text = _("About how much does your business sell in a month (omzet)? For example: 15 juta")
    return [Reply(text, choices(("none", _("No sales yet"))))]


@FLOW.answer("turnover")
async def answer_turnover(ctx: Ctx, answer: Answer) -> Transition:
    """Stores the yearly turnover (twelve months of the monthly figure)."""
    monthly = 0 if answer.option == "none" else parse_rupiah(answer.text)
    ctx.data["annual_turnover"] = monthly * 12
    return await _next(ctx)


@FLOW.ask("age")
def ask_age(ctx: Ctx) -> list[Reply]:
    """Asks the owner's age (only when no NIK tells it)."""
    return [Reply(_("How old are you? For example: 35"))]


@FLOW.answer("age")
async def answer_age(ctx: Ctx, answer: Answer) -> Transition:
    """Stores an age in years."""
    match = _AGE.fullmatch(answer.text.strip().lower())
    if not match or not 17 <= int(match[1]) <= 100:
        return Retry(_("Please type your age in years, for example 35."))
    ctx.data["age"] = int(match[1])
    return await _next(ctx)


def _question(
    step: str, key: str, text: Callable[[Ctx], str], options: Callable[[Ctx], tuple[Choice, ...]]
) -> None:
    """Registers a question answered by picking one option; the option's value is stored under `key`."""

    async def ask(ctx: Ctx) -> list[Reply]:
        """Asks the question with its options (after the introduction when a sentence gave amount and term)."""
        intro = await _intro_once(ctx)
        return [*intro, Reply(text(ctx), choices(*((o.id, o.label()) for o in options(ctx))))]

    async def answer(ctx: Ctx, answer: Answer) -> Transition:
        """Stores the picked option's value and moves on."""
        ctx.data[key] = next(o.value for o in options(ctx) if o.id == answer.option)
        return await _next(ctx)

    FLOW.ask(step, choice_only=True)(ask)
    FLOW.answer(step)(answer)


def _purposes(ctx: Ctx) -> tuple[Choice, ...]:
    """Working capital or investment."""
    return tuple(Choice(p, lambda p=p: purpose_label(p).capitalize(), p) for p in PURPOSES)


def _licences(ctx: Ctx) -> tuple[Choice, ...]:
    """NIB, SKU or none."""
    return (
        Choice("nib", lambda: _("NIB (from OSS)"), "nib"),
        Choice("sku", lambda: _("SKU from the desa or kelurahan"), "sku"),
        Choice("none", lambda: _("None yet"), "none"),
    )


def _sectors(ctx: Ctx) -> tuple[Choice, ...]:
    """The business sectors of core.eligibility."""
    return tuple(Choice(s, lambda s=s: sector_labels()[s], s) for s in SECTORS)


def _residence(ctx: Ctx) -> tuple[Choice, ...]:
    """Lives in the kabupaten (stores its regency code) or elsewhere (a code of no regency)."""
    return _two_ways(ctx.profile.regency_code, ELSEWHERE)


def _minimum_age(ctx: Ctx) -> int:
    """The highest minimum age of the schemes judged today."""
    return max(s.min_age for s in schemes_for(ctx.profile, ctx.today))


def _kur_counts(ctx: Ctx) -> tuple[Choice, ...]:
    """How many KUR loans before (asked once the owner said there was one): once to four or more."""
    labels = (_("Once"), _("Twice"), _("3 times"), _("4 times or more"))
    return tuple(Choice(str(n), lambda label=label: label, n) for n, label in enumerate(labels, start=1))


_question("purpose", "purpose", lambda ctx: _("What is the loan for?"), _purposes)
_question("licence", "licence", lambda ctx: _("Does your business have a licence?"), _licences)
_question("npwp", "has_npwp", lambda ctx: _("Do you have an NPWP (tax ID number)?"), _yes_no)
_question("sector", "sector", lambda ctx: _("What kind of business is it?"), _sectors)
_question(
    "resident",
    "regency_code",
    lambda ctx: _("Do you live in {region} (KTP address)?").format(region=ctx.profile.name),
    _residence,
)
_question(
    "married",
    "married",
    lambda ctx: _("Are you married? Credit needs you to be {age} or older, or married.").format(
        age=_minimum_age(ctx)
    ),
    _yes_no,
)
_question(
    "previous_kur",
    "previous_kur_count",
    lambda ctx: _("How many times have you taken KUR before?"),
    _kur_counts,
)


def _statement_labels() -> tuple[str, ...]:
    """The numbered statements, in the order of STATEMENTS."""
    return (
        _("I am an active civil servant (ASN), soldier (TNI) or police officer (Polri)"),
        _(
            "I have a business loan at a bank now (not counted: home or vehicle loans, credit cards, "
            "ultra-micro loans up to Rp20 juta, online loans)"
        ),
        _("An instalment of mine was more than 90 days late (macet) in the last few years"),
        _("I have taken KUR before"),
        _("I am mentored by a KKMB consultant (for example through Rumah UMKM)"),
    )


@FLOW.ask("declarations")
def ask_declarations(ctx: Ctx) -> list[Reply]:
    """Asks the yes/no facts about the owner at once: the numbers of the statements that are true, or none."""
    lines = [
        _("Last question: which of these are true for you? Reply with their numbers (for example: 2 4).")
    ]
    lines += [f"{number}. {label}" for number, label in enumerate(_statement_labels(), start=1)]
    lines.append(_("None of them? Reply *tidak ada*."))
    return [Reply("\n".join(lines))]


@FLOW.answer("declarations")
async def answer_declarations(ctx: Ctx, answer: Answer) -> Transition:
    """Stores each statement as picked or not; a KUR taken before asks how many times next."""
    picked = read_picks(answer.text, len(STATEMENTS))
    if picked is None:
        return Retry(
            _("Please reply with the numbers of the true statements, for example 2 4, or *tidak ada*.")
        )
    for number, (key, value) in enumerate(STATEMENTS, start=1):
        ctx.data[key] = value if number in picked else not value
    if not ctx.data.pop("previous_kur"):
        ctx.data["previous_kur_count"] = 0
    return await _next(ctx)


def _applicant(data: dict[str, Any]) -> Applicant:
    """The owner as the rules see them; a question not asked counts in the owner's favour (see the module note)."""
    return Applicant(
        age=data["age"],
        married=data.get("married", True),
        months_in_business=data["months_in_business"],
        annual_turnover=data["annual_turnover"],
        has_business_licence=data["licence"] in LICENCES,
        has_npwp=data.get("has_npwp", True),
        is_civil_servant=data["civil_servant"],
        other_productive_credit=data["other_productive_credit"],
        credit_history_ok=data["credit_history_ok"],
        previous_kur_count=data["previous_kur_count"],
        sector=data["sector"],
        regency_code=data.get("regency_code"),
        in_mentoring_programme=data["in_mentoring_programme"],
    )


def _inputs(data: dict[str, Any]) -> dict[str, Any]:
    """The answers and business facts to store with the check; a question not asked is stored as None."""
    keys = ["registered", *(key for _step, key, _matters in ORDER)]
    keys += [key for key, _value in STATEMENTS if key not in keys and key != "previous_kur"]
    inputs = {key: data.get(key) for key in keys}
    if inputs["regency_code"] == ELSEWHERE:
        inputs["regency_code"] = None
        inputs["lives_elsewhere"] = True
    return inputs


async def _conclude(ctx: Ctx) -> Goto:
    """Judges every scheme, stores the check, and says the verdicts, the checklist and how to get a licence."""
    data, regional = ctx.data, regional_for(ctx.profile)
    request = CreditRequest(amount=data["amount"], months=data["months"], purpose=data["purpose"])
    assessment = evaluate(_applicant(data), request, on=ctx.today, regional=regional)
    await save_eligibility_check(
        session=ctx.session,
        contact_id=ctx.contact.id,
        inputs=_inputs(data),
        assessment=assessment,
        now=ctx.now,
    )
    best = assessment.best
    data["best"] = best.scheme if best else None
    data["access"] = best.access_number if best else data["previous_kur_count"] + 1
    text = short_verdict(
        assessment,
        request,
        schemes_for(ctx.profile, ctx.today),
        regional=regional,
        monthly_turnover=(data.get("annual_turnover") or 0) // 12,
        sector=data.get("sector"),
    )
    return Goto("result", say=(Reply(text),))


@FLOW.ask("result", choice_only=True)
def ask_result(ctx: Ctx) -> list[Reply]:
    """Offers the instalment simulation of the best option, the papers to bring, every scheme's verdict, or the menu."""
    options = [("documents", _("Papers to prepare")), ("details", _("Every scheme's verdict")), menu_option()]
    if ctx.data.get("best"):
        options.insert(0, ("simulate", _("Simulate the instalments")))
    return [Reply(_("What next?"), choices(*options))]


def _assessed(ctx: Ctx) -> tuple[CreditRequest, Assessment]:
    """The request and its assessment again (the same answers give the same verdicts)."""
    data = ctx.data
    request = CreditRequest(amount=data["amount"], months=data["months"], purpose=data["purpose"])
    return request, evaluate(_applicant(data), request, on=ctx.today, regional=regional_for(ctx.profile))


@FLOW.answer("result")
def answer_result(ctx: Ctx, answer: Answer) -> Transition:
    """Shows the papers or every verdict on request, or hands the request over to the simulation."""
    data, regional = ctx.data, regional_for(ctx.profile)
    if answer.option in ("documents", "details"):
        request, assessment = _assessed(ctx)
        if answer.option == "details":
            texts = assessment_summary(assessment, request, regional=regional)
        else:
            texts = [documents_checklist(assessment.best, regional=regional)]
            if data["licence"] not in LICENCES:
                texts.append(licence_guidance(data["sector"]))
        return Goto("result", say=tuple(Reply(text) for text in texts))
    return to_simulation(
        amount=data["amount"],
        months=data["months"],
        scheme=data["best"],
        purpose=data["purpose"],
        access=data["access"],
    )
