"""The end of the check: the next open question or the verdict, stored; then papers and every verdict on request."""

from __future__ import annotations

from typing import Any

from bot.flows.base import Answer, Ctx, Goto, Transition, choices
from bot.flows.common import menu_option, to_simulation
from bot.flows.eligibility.flow import FLOW
from bot.flows.eligibility.order import (
    ELSEWHERE,
    LICENCES,
    ORDER,
    STATEMENTS,
)
from bot.messages import Reply
from core.eligibility import Applicant, Assessment, CreditRequest, evaluate
from core.explain import assessment_summary, documents_checklist, regional_for, schemes_for
from core.i18n import _
from core.programme_info import licence_guidance
from core.verdict import short_verdict
from storage.checks import save_eligibility_check


async def next_step(ctx: Ctx) -> Transition:
    """Asks the first question that is still open and matters, or gives the verdict."""
    for step, key, matters in ORDER:
        if key not in ctx.data and matters(ctx):
            return Goto(step)
    return await conclude(ctx)


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


async def conclude(ctx: Ctx) -> Goto:
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
