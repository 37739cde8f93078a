"""Plain-Indonesian texts about programmes, assessments and simulations, shared by the chat flows and the CLI.

Pure: no database, no clock (dates are passed in). Every figure comes from core.programmes (the rule files),
core.eligibility and core.simulator; nothing here repeats a figure or a text of the TOML files.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from core.askback import check_bare_amount
from core.eligibility import Assessment, CreditRequest, Option, Status
from core.formatting import long_date, percent, rupiah
from core.i18n import _
from core.kabupaten import Profile
from core.parsing import ParseError, parse_months, parse_rupiah
from core.programmes import RegionalProgramme, Scheme, regional_programme, rule_set_on
from core.simulator import (
    Method,
    PremiumPayer,
    Simulation,
    compare_with_moneylender,
    simulate,
)

BULLET = "•"
MESSAGE_LIMIT = 900
PAYERS = {
    "pemerintah": PremiumPayer.GOVERNMENT,
    "pemda": PremiumPayer.PEMDA,
    "bank": PremiumPayer.BANK,
    "peminjam": PremiumPayer.BORROWER,
    "debitur": PremiumPayer.BORROWER,
}


def offered_schemes(on: date, regional: RegionalProgramme | None = None) -> tuple[Scheme, ...]:
    """The KUR schemes in force on a day, then the regional programme's scheme once it has started."""
    schemes = rule_set_on(on).schemes
    if regional is not None and regional.effective_from <= on:
        return (*schemes, regional.scheme)
    return schemes


def regional_for(profile: Profile) -> RegionalProgramme | None:
    """The kabupaten's own subsidised credit named by its profile, or None where there is none."""
    return regional_programme(profile.regional_programme) if profile.regional_programme else None


def schemes_for(profile: Profile, on: date) -> tuple[Scheme, ...]:
    """The schemes a kabupaten offers on a day: KUR in force plus its regional programme."""
    return offered_schemes(on, regional_for(profile))


def is_example(scheme_id: str, regional: RegionalProgramme | None) -> bool:
    """Tells whether a scheme's figures are example values (a regional programme not yet set by Perbup)."""
    return regional is not None and regional.example_values and scheme_id == regional.id


def title(name: str, rate: Decimal, *, example: bool = False) -> str:
    """Names a scheme with its yearly rate: 'KUR Mikro (6%)', or '(3%, contoh)' for example figures."""
    if example:
        return _("{name} ({rate}, example)").format(name=name, rate=percent(rate))
    return _("{name} ({rate})").format(name=name, rate=percent(rate))


def scheme_label(scheme: Scheme, *, access: int = 1, regional: RegionalProgramme | None = None) -> str:
    """The option label of a scheme with the rate the borrower pays on this access."""
    return title(scheme.name, scheme.borrower_rate(access), example=is_example(scheme.id, regional))


def band(scheme: Scheme) -> str:
    """The plafond band in words: 'di atas Rp10.000.000 sampai Rp100.000.000'."""
    values = {"low": rupiah(scheme.min_amount), "high": rupiah(scheme.max_amount)}
    if scheme.min_exclusive and scheme.min_amount == 0:
        return _("up to {high}").format(**values)
    if scheme.min_exclusive:
        return _("above {low} up to {high}").format(**values)
    return _("{low} up to {high}").format(**values)


def tenors(scheme: Scheme) -> str:
    """The longest tenor per purpose: 'modal kerja paling lama 36 bulan, investasi 60 bulan'."""
    return _("working capital at most {working} months, investment {investment} months").format(
        working=scheme.months_modal_kerja, investment=scheme.months_investasi
    )


def rates(values: tuple[Decimal, ...]) -> str:
    """A yearly rate, or its range when it changes with each access: '6%' or '6%–9%'."""
    low, high = min(values), max(values)
    return percent(low) if low == high else f"{percent(low)}–{percent(high)}"


def purpose_label(purpose: str) -> str:
    """'modal kerja' or 'investasi'."""
    return _("working capital") if purpose == "modal_kerja" else _("investment")


def longest_months(scheme: Scheme, purpose: str | None = None) -> int:
    """The longest tenor for a purpose, or for any purpose when it is not known."""
    if purpose is None:
        return max(scheme.months_modal_kerja, scheme.months_investasi)
    return scheme.max_months(purpose)


def amount_problem(schemes: Iterable[Scheme], amount: int) -> str | None:
    """Says kindly when no scheme takes the amount at all, with the limits; None when some scheme does."""
    schemes = tuple(schemes)
    if any(s.accepts(amount) for s in schemes):
        return None
    largest = max(schemes, key=lambda s: s.max_amount)
    if amount > largest.max_amount:
        return _("The largest loan I can check is {maximum} ({name}). Please type a smaller amount.").format(
            maximum=rupiah(largest.max_amount), name=largest.name
        )
    smallest = min(schemes, key=lambda s: s.min_amount)
    return _("The smallest loan I can check is {minimum} ({name}). Please type a larger amount.").format(
        minimum=rupiah(smallest.min_amount), name=smallest.name
    )


def months_problem(schemes: Iterable[Scheme], months: int) -> str | None:
    """Says kindly when the period is longer than every scheme allows; None otherwise."""
    longest = max(schemes, key=longest_months)
    if months <= longest_months(longest):
        return None
    return _("Loans run at most {maximum} months ({name}). Please type a shorter period.").format(
        maximum=longest_months(longest), name=longest.name
    )


def read_amount(text: str, schemes: Iterable[Scheme]) -> int:
    """Reads a loan amount that some scheme takes; a ParseError says kindly why not ('5' is asked back)."""
    check_bare_amount(text)
    amount = parse_rupiah(text)
    problem = amount_problem(schemes, amount)
    if problem:
        raise ParseError(problem)
    return amount


def read_months(text: str, schemes: Iterable[Scheme]) -> int:
    """Reads a loan period that some scheme allows; a ParseError says kindly why not."""
    months = parse_months(text)
    problem = months_problem(schemes, months)
    if problem:
        raise ParseError(problem)
    return months


def fit_problem(scheme: Scheme, amount: int, months: int, purpose: str | None = None) -> str | None:
    """Says kindly why the amount or period does not fit a scheme, with its band or tenor; None if it fits."""
    if not scheme.accepts(amount):
        return _("{name} is for loans {band}; you asked for {amount}.").format(
            name=scheme.name, band=band(scheme), amount=rupiah(amount)
        )
    if months > longest_months(scheme, purpose):
        if purpose is None:
            return _("{name} runs at most {maximum} months ({tenors}); you asked for {months}.").format(
                name=scheme.name, maximum=longest_months(scheme), tenors=tenors(scheme), months=months
            )
        return _("{name} for {purpose} runs at most {maximum} months; you asked for {months}.").format(
            name=scheme.name,
            purpose=purpose_label(purpose),
            maximum=scheme.max_months(purpose),
            months=months,
        )
    return None


def fitting(
    schemes: Iterable[Scheme], amount: int, months: int, purpose: str | None = None
) -> tuple[Scheme, ...]:
    """The schemes whose band holds the amount and whose tenor allows the period."""
    return tuple(s for s in schemes if fit_problem(s, amount, months, purpose) is None)


def suggestion(
    schemes: Iterable[Scheme], amount: int, months: int, *, regional: RegionalProgramme | None = None
) -> str:
    """Names the schemes that fit the amount and period, or says none does."""
    fit = fitting(schemes, amount, months)
    if not fit:
        return _("No scheme fits {amount} over {months} months. Change the amount or the period.").format(
            amount=rupiah(amount), months=months
        )
    names = ", ".join(scheme_label(s, regional=regional) for s in fit)
    return _("These fit: {schemes}.").format(schemes=names)


def premium_payer(scheme: Scheme) -> PremiumPayer:
    """Who pays the scheme's credit insurance premium, read from its rule file ('pemerintah', 'pemda', ...)."""
    payer = scheme.insurance.payer.strip().lower()
    if payer in PAYERS:
        return PAYERS[payer]
    return PremiumPayer(payer)


def simulate_scheme(
    scheme: Scheme,
    amount: int,
    months: int,
    *,
    access: int = 1,
    method: str = Method.ANNUITY,
    start: date | None = None,
) -> Simulation:
    """Simulates a loan under a scheme: its rate and subsidy on this access, and its insurance premium."""
    return simulate(
        amount,
        months,
        borrower_rate=scheme.borrower_rate(access),
        subsidy_rate=scheme.subsidy_rate(access),
        method=method,
        insurance_premium_rate=scheme.insurance.rate or Decimal(0),
        premium_paid_by=premium_payer(scheme),
        start=start,
    )


def subsidy_payer(scheme: Scheme) -> str:
    """Who pays the interest subsidy: the central government for KUR, the pemda for a regional programme."""
    return _("the regency government") if scheme.regency_code else _("the government")


def payer_name(payer: PremiumPayer) -> str:
    """Names who pays the premium."""
    names = {
        PremiumPayer.GOVERNMENT: _("the government"),
        PremiumPayer.PEMDA: _("the regency government"),
        PremiumPayer.BANK: _("the bank"),
        PremiumPayer.BORROWER: _("you"),
    }
    return names[payer]


def method_label(method: Method) -> str:
    """Names the way instalments are computed."""
    labels = {
        Method.ANNUITY: _("annuity, fixed instalment"),
        Method.FLAT: _("flat interest"),
        Method.DECLINING: _("declining instalment"),
    }
    return labels[method]


def insurance_line(sim: Simulation, scheme: Scheme) -> str:
    """Who pays the credit insurance premium, with its amount when the rule file gives a rate."""
    payer = payer_name(sim.premium_paid_by)
    if scheme.insurance.rate is None:
        return _("Credit insurance premium: paid by {payer}").format(payer=payer)
    return _("Credit insurance premium {amount}: paid by {payer}").format(
        amount=rupiah(sim.insurance_premium), payer=payer
    )


def simulation_summary(sim: Simulation, scheme: Scheme, *, regional: RegionalProgramme | None = None) -> str:
    """The headline figures of a simulated loan: instalment with and without subsidy, interest, subsidy, premium."""
    first = (
        _("Monthly instalment: {amount}")
        if sim.method is not Method.DECLINING
        else _("First instalment: {amount}")
    )
    lines = [
        _("{name}: {amount} over {months} months at {rate} a year ({method}).").format(
            name=scheme.name,
            amount=rupiah(sim.principal),
            months=sim.months,
            rate=percent(sim.borrower_rate),
            method=method_label(sim.method),
        ),
        f"{BULLET} {first.format(amount=rupiah(sim.monthly_instalment))}",
        f"{BULLET} "
        + _("Without the subsidy ({rate} a year): {amount}").format(
            rate=percent(sim.borrower_rate + sim.subsidy_rate), amount=rupiah(sim.instalment_without_subsidy)
        ),
        f"{BULLET} " + _("You save each month: {amount}").format(amount=rupiah(sim.monthly_saving)),
        f"{BULLET} " + _("Total interest: {amount}").format(amount=rupiah(sim.total_interest)),
        f"{BULLET} "
        + _("Interest subsidy paid by {payer}: {amount}").format(
            payer=subsidy_payer(scheme), amount=rupiah(sim.total_subsidy)
        ),
        f"{BULLET} {insurance_line(sim, scheme)}",
        f"{BULLET} " + _("Total you pay: {amount}").format(amount=rupiah(sim.total_paid)),
    ]
    if is_example(scheme.id, regional):
        lines.append(
            _("Note: the figures of {name} are examples until the Perbup sets them.").format(name=scheme.name)
        )
    return "\n".join(lines)


def moneylender_comparison(sim: Simulation, scheme: Scheme) -> str:
    """Costs the same loan from a rentenir at 20% a month and says how much more it takes than the scheme."""
    lender = compare_with_moneylender(sim.principal, sim.months)
    return _(
        "Compare: a loan shark (rentenir) at {rate} a month would take {instalment} a month, "
        "{total} in total: {extra} more than {name}. Stay away from loan sharks and illegal online loans."
    ).format(
        rate=percent(lender.monthly_rate),
        instalment=rupiah(lender.monthly_instalment),
        total=rupiah(lender.total_paid),
        extra=rupiah(lender.extra_cost_vs(sim)),
        name=scheme.name,
    )


def verdict(status: Status) -> str:
    """The verdict in plain words."""
    words = {
        Status.ELIGIBLE: _("Eligible"),
        Status.NEEDS_DOCUMENTS: _("Needs documents"),
        Status.NOT_ELIGIBLE: _("Not eligible yet"),
    }
    return words[status]


def option_title(option: Option, *, regional: RegionalProgramme | None = None) -> str:
    """An assessed option's name with its rate."""
    return title(option.name, option.borrower_rate, example=is_example(option.scheme, regional))


def option_block(option: Option, *, regional: RegionalProgramme | None = None) -> str:
    """One scheme's verdict and its reasons, one per line."""
    head = f"{option_title(option, regional=regional)}: {verdict(option.status)}"
    return "\n".join([head, *(f"{BULLET} {reason.message}" for reason in option.reasons)])


def assessment_header(assessment: Assessment, request: CreditRequest) -> str:
    """What was checked, under which rules and on which day."""
    return _("Eligibility for {amount} over {months} months ({purpose}), {rules} rules, {day}:").format(
        amount=rupiah(request.amount),
        months=request.months,
        purpose=purpose_label(request.purpose),
        rules=rule_set_on(assessment.on).name,
        day=long_date(assessment.on),
    )


def assessment_summary(
    assessment: Assessment, request: CreditRequest, *, regional: RegionalProgramme | None = None
) -> list[str]:
    """Every scheme's verdict with its reasons, best first, packed into phone-sized messages."""
    blocks = [assessment_header(assessment, request)]
    blocks += [option_block(option, regional=regional) for option in assessment.options]
    return pack(blocks)


def pack(blocks: Iterable[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Joins text blocks with blank lines into as few messages as fit under `limit` characters."""
    messages: list[str] = []
    for block in blocks:
        if messages and len(messages[-1]) + 2 + len(block) <= limit:
            messages[-1] = f"{messages[-1]}\n\n{block}"
        else:
            messages.append(block)
    return messages


def documents_checklist(option: Option | None, *, regional: RegionalProgramme | None = None) -> str:
    """The papers to prepare for the best option, or what to do when no option is open."""
    if option is None:
        return _(
            "No scheme is open for this request yet. Fix the points above, then check again. "
            "The Rumah UMKM secretariat can help you for free."
        )
    lines = [
        _("Best option: {option}. Prepare these documents:").format(
            option=option_title(option, regional=regional)
        )
    ]
    lines += [f"{BULLET} {name}" for name in option.documents]
    return "\n".join(lines)


def documents_line(option: Option) -> str:
    """An option's document checklist on one line."""
    return _("Documents: {documents}").format(documents=", ".join(option.documents))
