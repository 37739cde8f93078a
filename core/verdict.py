"""An eligibility verdict short enough for a phone: the best scheme with its rate and instalment, the common
reasons once, and a warning when the instalment is too heavy for the business (core/affordability.py)."""

from __future__ import annotations

from core.affordability import capacity, what_fits
from core.eligibility import Assessment, CreditRequest, Option, Status
from core.explain import BULLET, option_title, simulate_scheme
from core.formatting import rupiah
from core.i18n import _
from core.programmes import RegionalProgramme, Scheme

MOST_REASONS = 4


def _reasons(options: tuple[Option, ...]) -> list[str]:
    """Every different reason once, in the order they first come."""
    return list(dict.fromkeys(reason.message for option in options for reason in option.reasons))


def heaviness(
    scheme: Scheme, option: Option, request: CreditRequest, monthly_turnover: int, sector: str | None
) -> str | None:
    """A warning when the instalment takes more than the business can carry, with what would fit instead."""
    sim = simulate_scheme(scheme, request.amount, request.months, access=option.access_number)
    most = capacity(monthly_turnover, sector)
    if sim.monthly_instalment <= most:
        return None
    warning = _(
        "Careful: {instalment} a month is more than a business with {turnover} turnover can usually carry "
        "(about {most}; banks count a third of the net income)."
    ).format(instalment=rupiah(sim.monthly_instalment), turnover=rupiah(monthly_turnover), most=rupiah(most))
    fit = what_fits(request.amount, sim.borrower_rate, option.max_months, most, sim.subsidy_rate)
    if fit.months is not None:
        return " ".join([warning, _("Over {months} months it would fit.").format(months=fit.months)])
    if fit.amount is not None:
        return " ".join([warning, _("About {amount} would fit.").format(amount=rupiah(fit.amount))])
    return warning


def short_verdict(
    assessment: Assessment,
    request: CreditRequest,
    schemes: tuple[Scheme, ...],
    *,
    regional: RegionalProgramme | None = None,
    monthly_turnover: int | None = None,
    sector: str | None = None,
) -> str:
    """The verdict in one message: best scheme, rate and instalment (or why none is open), and a warning."""
    header = _("Result for {amount} over {months} months:").format(
        amount=rupiah(request.amount), months=request.months
    )
    best = assessment.best
    if best is None:
        reasons = _reasons(assessment.options)[:MOST_REASONS]
        lines = [header, _("No scheme is open for this request yet, because:")]
        lines += [f"{BULLET} {reason}" for reason in reasons]
        lines.append(_("The Rumah UMKM secretariat can help you for free."))
        return "\n".join(lines)
    scheme = next(s for s in schemes if s.id == best.scheme)
    sim = simulate_scheme(scheme, request.amount, request.months, access=best.access_number)
    lines = [
        header,
        _("Best choice: *{title}*, instalment about {instalment} a month.").format(
            title=option_title(best, regional=regional), instalment=rupiah(sim.monthly_instalment)
        ),
    ]
    if best.status is Status.NEEDS_DOCUMENTS:
        lines += [f"{BULLET} {reason}" for reason in _reasons((best,))[:MOST_REASONS]]
    others = [option.name for option in assessment.options[1:] if option.status is not Status.NOT_ELIGIBLE]
    if others:
        lines.append(_("Also open: {names}.").format(names=", ".join(others)))
    if monthly_turnover:
        warning = heaviness(scheme, best, request, monthly_turnover, sector)
        if warning:
            lines.append(warning)
    return "\n".join(lines)
