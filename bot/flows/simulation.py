"""Instalment simulation: amount, period and scheme, then the figures after subsidy and a paged schedule.

Works without registration. The eligibility check hands over its amount, period, purpose, best scheme and access
number through `common.to_simulation`, so nothing is asked twice. The purpose is never asked here: without it the period is
checked against the longest tenor of the scheme (investment).
"""

from __future__ import annotations

from bot.flows.base import Answer, Ctx, Flow, Goto, Retry, Transition, choices
from bot.flows.common import SIMULATION, menu_option, to_loan_from_simulation
from bot.messages import Reply
from core.explain import (
    fit_problem,
    moneylender_comparison,
    read_amount,
    read_months,
    regional_for,
    scheme_label,
    schemes_for,
    simulate_scheme,
    simulation_summary,
    suggestion,
)
from core.formatting import long_date, rupiah
from core.i18n import _
from core.programmes import Scheme
from core.schedule_text import DEFAULT_PER_PAGE, page_count, schedule_table
from core.simulator import Simulation

FLOW = Flow(SIMULATION, first="amount", menu_label=lambda ctx: _("Instalment simulation"), menu_order=30)
ASKED = ("amount", "months", "scheme")


def _next(ctx: Ctx) -> Goto:
    """Goes to the first question not answered yet, or to the result."""
    return Goto(next((step for step in ASKED if step not in ctx.data), "result"))


def _simulation(ctx: Ctx) -> tuple[Scheme, Simulation]:
    """Simulates the chosen loan, with due dates as if the akad were signed today."""
    scheme = next(s for s in schemes_for(ctx.profile, ctx.today) if s.id == ctx.data["scheme"])
    sim = simulate_scheme(
        scheme, ctx.data["amount"], ctx.data["months"], access=ctx.data.get("access", 1), start=ctx.today
    )
    return scheme, sim


@FLOW.ask("amount")
def ask_amount(ctx: Ctx) -> list[Reply]:
    """Asks for the loan amount."""
    return [Reply(_("How much do you want to borrow? For example: 20 juta"))]


@FLOW.answer("amount")
def answer_amount(ctx: Ctx, answer: Answer) -> Transition:
    """Stores an amount some scheme takes, and moves on."""
    ctx.data["amount"] = read_amount(answer.text, schemes_for(ctx.profile, ctx.today))
    return _next(ctx)


@FLOW.ask("months")
def ask_months(ctx: Ctx) -> list[Reply]:
    """Asks for the loan period."""
    return [Reply(_("Over how many months? For example: 12 bulan or 2 tahun"))]


@FLOW.answer("months")
def answer_months(ctx: Ctx, answer: Answer) -> Transition:
    """Stores a period some scheme allows, and moves on."""
    ctx.data["months"] = read_months(answer.text, schemes_for(ctx.profile, ctx.today))
    return _next(ctx)


@FLOW.ask("scheme", choice_only=True)
def ask_scheme(ctx: Ctx) -> list[Reply]:
    """Offers every scheme in force with its rate, naming the ones that fit the amount and period."""
    regional, schemes = regional_for(ctx.profile), schemes_for(ctx.profile, ctx.today)
    amount, months = ctx.data["amount"], ctx.data["months"]
    text = "\n".join(
        [
            _("Which credit scheme? For {amount} over {months} months:").format(
                amount=rupiah(amount), months=months
            ),
            suggestion(schemes, amount, months, regional=regional),
        ]
    )
    options = [(s.id, scheme_label(s, access=ctx.data.get("access", 1), regional=regional)) for s in schemes]
    return [Reply(text, choices(*options, ("change", _("Change the amount")), menu_option()))]


@FLOW.answer("scheme")
def answer_scheme(ctx: Ctx, answer: Answer) -> Transition:
    """Takes a scheme that fits, or explains kindly why it does not and which ones do."""
    if answer.option == "change":
        for key in ("amount", "months"):
            ctx.data.pop(key, None)
        return Goto("amount")
    schemes = schemes_for(ctx.profile, ctx.today)
    scheme = next(s for s in schemes if s.id == answer.option)
    amount, months = ctx.data["amount"], ctx.data["months"]
    problem = fit_problem(scheme, amount, months, ctx.data.get("purpose"))
    if problem:
        return Retry(problem)
    ctx.data["scheme"] = scheme.id
    return _next(ctx)


@FLOW.ask("result", choice_only=True)
def ask_result(ctx: Ctx) -> list[Reply]:
    """Shows the figures once (with the rentenir comparison), then what the user can do next."""
    options = choices(
        ("schedule", _("See the instalment schedule")),
        ("save", _("Save as my loan (repayment reminders)")),
        ("again", _("Calculate again")),
        menu_option(),
    )
    question = Reply(_("What next?"), options)
    if ctx.data.get("shown"):
        return [question]
    ctx.data["shown"] = True
    scheme, sim = _simulation(ctx)
    return [
        Reply(simulation_summary(sim, scheme, regional=regional_for(ctx.profile))),
        Reply(moneylender_comparison(sim, scheme)),
        question,
    ]


@FLOW.answer("result")
def answer_result(ctx: Ctx, answer: Answer) -> Transition:
    """Opens the schedule, saves the simulated loan for reminders, or starts a new calculation."""
    if answer.option == "schedule":
        ctx.data["page"] = 1
        return Goto("schedule")
    if answer.option == "save":
        scheme, sim = _simulation(ctx)
        return to_loan_from_simulation(
            amount=sim.principal,
            months=sim.months,
            scheme=scheme.id,
            borrower_rate=sim.borrower_rate,
            subsidy_rate=sim.subsidy_rate,
            method=sim.method,
        )
    ctx.data.clear()
    return Goto("amount")


@FLOW.ask("schedule", choice_only=True)
def ask_schedule(ctx: Ctx) -> list[Reply]:
    """Shows one page of the schedule as a compact table, with paging options."""
    scheme, sim = _simulation(ctx)
    page, pages = ctx.data["page"], page_count(sim)
    table = schedule_table(sim, first=(page - 1) * DEFAULT_PER_PAGE + 1)
    heading = _("Schedule of {name}, page {page} of {pages} (due dates if the akad is on {day}):").format(
        name=scheme.name, page=page, pages=pages, day=long_date(ctx.today)
    )
    options = []
    if page < pages:
        options.append(("next", _("Next (page)")))
    if page > 1:
        options.append(("previous", _("Previous (page)")))
    options.append(("done", _("Done (schedule)")))
    return [Reply(f"{heading}\n```\n{table}\n```", choices(*options))]


@FLOW.answer("schedule")
def answer_schedule(ctx: Ctx, answer: Answer) -> Goto:
    """Turns the page, or goes back to the result's options."""
    if answer.option == "done":
        return Goto("result")
    ctx.data["page"] += 1 if answer.option == "next" else -1
    return Goto("schedule")
