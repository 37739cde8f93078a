"""The eligibility questions: what a registered business already tells, and each question with its answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.business_fields import sector_labels
from bot.flows.base import Answer, Ctx, Retry, Start, Transition, choices, go_then
from bot.flows.common import REGISTRATION
from bot.flows.eligibility.conclusion import next_step
from bot.flows.eligibility.flow import FLOW
from bot.flows.eligibility.order import (
    ELSEWHERE,
    LICENCES,
    STATEMENTS,
    Choice,
    minimum_age,
    two_ways,
    yes_no,
)
from bot.messages import Reply
from core.choosing import read_picks
from core.eligibility import SECTORS
from core.explain import purpose_label, read_amount, read_months, schemes_for
from core.i18n import _
from core.identity import parse_nik
from core.parsing import ParseError, parse_rupiah
from core.periods import months_between, parse_business_age
from core.programmes import PURPOSES
from storage.businesses import get_business
from storage.models import Business

_AGE = re.compile(r"([0-9]{1,3}) *(?:tahun|thn|th)?")


def _facts(business: Business, ctx: Ctx) -> dict[str, Any]:
    """What a registered business already tells: age of the business, turnover, papers, sector, NIK facts."""
    facts: dict[str, Any] = {
        "months_in_business": months_between(business.started_on, ctx.today),
        "annual_turnover": business.monthly_turnover * 12,
        "licence": business.licence_type if business.licence_type in LICENCES else "none",
    }
    if business.has_npwp is not None:  # else asked when it matters
        facts["has_npwp"] = business.has_npwp
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
    return await next_step(ctx)


@FLOW.ask("months")
async def ask_months(ctx: Ctx) -> list[Reply]:
    """Asks for the loan period (after the introduction when a sentence gave the amount)."""
    return [*await _intro_once(ctx), Reply(_("Over how many months? For example: 12 bulan or 2 tahun"))]


@FLOW.answer("months")
async def answer_months(ctx: Ctx, answer: Answer) -> Transition:
    """Stores a period some scheme allows."""
    ctx.data["months"] = read_months(answer.text, schemes_for(ctx.profile, ctx.today))
    return await next_step(ctx)


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
    return await next_step(ctx)


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
    return await next_step(ctx)


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
    return await next_step(ctx)


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
        return await next_step(ctx)

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
    return two_ways(ctx.profile.regency_code, ELSEWHERE)


def _kur_counts(ctx: Ctx) -> tuple[Choice, ...]:
    """How many KUR loans before (asked once the owner said there was one): once to four or more."""
    labels = (_("Once"), _("Twice"), _("3 times"), _("4 times or more"))
    return tuple(Choice(str(n), lambda label=label: label, n) for n, label in enumerate(labels, start=1))


_question("purpose", "purpose", lambda ctx: _("What is the loan for?"), _purposes)
_question("licence", "licence", lambda ctx: _("Does your business have a licence?"), _licences)
_question("npwp", "has_npwp", lambda ctx: _("Do you have an NPWP (tax ID number)?"), yes_no)
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
        age=minimum_age(ctx)
    ),
    yes_no,
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
    return await next_step(ctx)
