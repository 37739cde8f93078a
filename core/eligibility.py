"""Who qualifies for which KUR scheme or regional programme on a given day, with reasons in plain Indonesian.

Simplification: the access number is previous_kur_count + 1 for every scheme, capped at the last rung of the
rate ladder. KMK 317/2023 counts Super Mikro -> Mikro and Mikro -> Kecil as the first akad of the new scheme;
that graduation is not modelled, so a graduate is shown the higher (more costly) rung. Unknown age or regency
(None) never fails a check: the flows ask for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from core.formatting import rupiah
from core.i18n import _
from core.programmes import PURPOSES, AccessLimits, RegionalProgramme, Scheme, rule_set_on

SECTORS = (
    "pertanian",
    "perkebunan",
    "perikanan",
    "peternakan",
    "industri_pengolahan",
    "perdagangan",
    "jasa",
    "lainnya",
)
PRODUCTION_SECTORS = ("pertanian", "perkebunan", "perikanan", "peternakan")


class Status(StrEnum):
    """Outcome of one option."""

    ELIGIBLE = "eligible"
    NEEDS_DOCUMENTS = "needs_documents"
    NOT_ELIGIBLE = "not_eligible"


class ReasonCode(StrEnum):
    """Stable codes for why an option is not (yet) open; stored with each check."""

    BUSINESS_TOO_YOUNG = "BUSINESS_TOO_YOUNG"
    TURNOVER_TOO_HIGH = "TURNOVER_TOO_HIGH"
    AMOUNT_ABOVE_MAX = "AMOUNT_ABOVE_MAX"
    AMOUNT_BELOW_MIN = "AMOUNT_BELOW_MIN"
    TENOR_TOO_LONG = "TENOR_TOO_LONG"
    ACTIVE_CIVIL_SERVANT = "ACTIVE_CIVIL_SERVANT"
    AGE_BELOW_MIN = "AGE_BELOW_MIN"
    OTHER_PRODUCTIVE_CREDIT = "OTHER_PRODUCTIVE_CREDIT"
    BAD_CREDIT_HISTORY = "BAD_CREDIT_HISTORY"
    NPWP_REQUIRED = "NPWP_REQUIRED"
    LICENCE_REQUIRED = "LICENCE_REQUIRED"
    MENTORING_REQUIRED = "MENTORING_REQUIRED"
    OUTSIDE_REGION = "OUTSIDE_REGION"
    ACCESS_LIMIT_REACHED = "ACCESS_LIMIT_REACHED"


# What the owner can still arrange (a paper, KKMB mentoring) gives needs_documents; every other reason blocks.
DOCUMENT_CODES = frozenset(
    {ReasonCode.NPWP_REQUIRED, ReasonCode.LICENCE_REQUIRED, ReasonCode.MENTORING_REQUIRED}
)
_BAND_CODES = frozenset({ReasonCode.AMOUNT_ABOVE_MAX, ReasonCode.AMOUNT_BELOW_MIN})
_STATUS_ORDER = {Status.ELIGIBLE: 0, Status.NEEDS_DOCUMENTS: 1, Status.NOT_ELIGIBLE: 2}


@dataclass(frozen=True)
class Applicant:
    """What the bot knows about the business owner; age and regency_code may still be unknown (None)."""

    age: int | None
    married: bool
    months_in_business: int
    annual_turnover: int
    has_business_licence: bool
    has_npwp: bool
    is_civil_servant: bool
    other_productive_credit: bool
    credit_history_ok: bool
    previous_kur_count: int
    sector: str
    regency_code: str | None
    in_mentoring_programme: bool

    def __post_init__(self) -> None:
        """Rejects impossible values early, where the flow can still ask again."""
        counts = (self.months_in_business, self.annual_turnover, self.previous_kur_count, self.age or 0)
        if min(counts) < 0:
            raise ValueError("age, months in business, turnover and KUR count must be 0 or more")
        if self.sector not in SECTORS:
            raise ValueError(f"unknown sector {self.sector!r}; expected one of {SECTORS}")
        if self.regency_code is not None and not (
            len(self.regency_code) == 4 and self.regency_code.isdigit()
        ):
            raise ValueError(f"regency_code must be 4 digits, got {self.regency_code!r}")


@dataclass(frozen=True)
class CreditRequest:
    """The loan the owner asks for: whole Rupiah, tenor in months, purpose modal_kerja or investasi."""

    amount: int
    months: int
    purpose: str

    def __post_init__(self) -> None:
        """Rejects a non-positive amount or tenor and an unknown purpose."""
        if self.amount < 1 or self.months < 1:
            raise ValueError("amount and months must be 1 or more")
        if self.purpose not in PURPOSES:
            raise ValueError(f"unknown purpose {self.purpose!r}; expected one of {PURPOSES}")


@dataclass(frozen=True)
class Reason:
    """One reason an option is closed or needs something, with a stable code and an Indonesian message."""

    code: ReasonCode
    message: str


@dataclass(frozen=True)
class Option:
    """One scheme judged for this owner and request, with its price and checklist."""

    scheme: str
    name: str
    status: Status
    reasons: tuple[Reason, ...]
    borrower_rate: Decimal
    subsidy_rate: Decimal
    max_amount: int
    max_months: int
    documents: tuple[str, ...]
    access_number: int


@dataclass(frozen=True)
class Assessment:
    """Every option for one request on one day, best first, and the rules version used."""

    on: date
    rule_set_id: str
    options: tuple[Option, ...]

    @property
    def best(self) -> Option | None:
        """Returns the first option unless every option is not eligible."""
        if self.options and self.options[0].status != Status.NOT_ELIGIBLE:
            return self.options[0]
        return None


def evaluate(
    applicant: Applicant, request: CreditRequest, *, on: date, regional: RegionalProgramme | None = None
) -> Assessment:
    """Judges every KUR scheme in force on `on` (and the regional programme, if given) for this request."""
    rule_set = rule_set_on(on)
    judged = [
        _option(s, applicant, request, rule_set.turnover_cap, rule_set.access_limits)
        for s in rule_set.schemes
    ]
    if regional is not None:
        if regional.effective_from > on:
            raise LookupError(f"{regional.id} is not in force on {on.isoformat()}")
        judged.append(_option(regional.scheme, applicant, request, None, None))
    judged.sort(key=_rank)
    return Assessment(on=on, rule_set_id=rule_set.id, options=tuple(judged))


def _rank(option: Option) -> tuple[int, bool, Decimal]:
    """Orders options: status first, then the band that fits the amount, then the cheapest rate."""
    off_band = any(r.code in _BAND_CODES for r in option.reasons)
    return _STATUS_ORDER[option.status], off_band, option.borrower_rate


def _option(
    scheme: Scheme,
    applicant: Applicant,
    request: CreditRequest,
    turnover_cap: int | None,
    limits: AccessLimits | None,
) -> Option:
    """Judges one scheme."""
    access = applicant.previous_kur_count + 1
    reasons = (
        *_applicant_reasons(scheme, applicant, turnover_cap, limits),
        *_request_reasons(scheme, request),
        *_paper_reasons(scheme, applicant, request.amount),
    )
    wanted = {
        "always": True,
        "married": applicant.married,
        "npwp_required": scheme.npwp_required(request.amount),
    }
    return Option(
        scheme=scheme.id,
        name=scheme.name,
        status=_status({r.code for r in reasons}),
        reasons=reasons,
        borrower_rate=scheme.borrower_rate(access),
        subsidy_rate=scheme.subsidy_rate(access),
        max_amount=scheme.max_amount,
        max_months=scheme.max_months(request.purpose),
        documents=tuple(d.name for d in scheme.documents if wanted[d.when]),
        access_number=access,
    )


def _status(codes: set[ReasonCode]) -> Status:
    """Any blocking reason closes the option; only fixable papers leave it open with needs_documents."""
    if codes - DOCUMENT_CODES:
        return Status.NOT_ELIGIBLE
    return Status.NEEDS_DOCUMENTS if codes else Status.ELIGIBLE


def _reason(code: ReasonCode, message: str, **values: object) -> Reason:
    """Builds a reason from a translated message and its figures."""
    return Reason(code, message.format(**values))


def _applicant_reasons(
    scheme: Scheme, a: Applicant, turnover_cap: int | None, limits: AccessLimits | None
) -> Iterator[Reason]:
    """Checks the owner and the business against the scheme's criteria."""
    if a.age is not None and a.age < scheme.min_age and not a.married:
        msg = _("You must be at least {minimum} years old, or married; you are {age}.")
        yield _reason(ReasonCode.AGE_BELOW_MIN, msg, minimum=scheme.min_age, age=a.age)
    if a.is_civil_servant and not scheme.civil_servants_allowed:
        msg = _("Active civil servants, soldiers and police officers cannot take this credit.")
        yield _reason(ReasonCode.ACTIVE_CIVIL_SERVANT, msg)
    if a.other_productive_credit and not scheme.other_productive_credit_allowed:
        msg = _("You still have another business loan at a bank. Pay it off first.")
        yield _reason(ReasonCode.OTHER_PRODUCTIVE_CREDIT, msg)
    if not a.credit_history_ok:
        msg = _("Your loan record in SLIK is not current. Settle it first.")
        yield _reason(ReasonCode.BAD_CREDIT_HISTORY, msg)
    waived = scheme.mentoring_waives_min_months and a.in_mentoring_programme
    if a.months_in_business < scheme.min_months_in_business and not waived:
        msg = (
            _("Your business needs {minimum} months, or a mentoring programme; yours has run {months}.")
            if scheme.mentoring_waives_min_months
            else _("Your business must run at least {minimum} months; yours has run {months}.")
        )
        minimum = scheme.min_months_in_business
        yield _reason(ReasonCode.BUSINESS_TOO_YOUNG, msg, minimum=minimum, months=a.months_in_business)
    if turnover_cap is not None and a.annual_turnover > turnover_cap:
        msg = _("Yearly turnover may be at most {cap}; yours is {turnover}.")
        yield _reason(
            ReasonCode.TURNOVER_TOO_HIGH, msg, cap=rupiah(turnover_cap), turnover=rupiah(a.annual_turnover)
        )
    if scheme.regency_code and a.regency_code is not None and a.regency_code != scheme.regency_code:
        msg = _("{name} is only for residents of {region}.")
        yield _reason(ReasonCode.OUTSIDE_REGION, msg, name=scheme.name, region=scheme.region_name)
    if limits is not None and scheme.id in limits.schemes:
        yield from _access_reasons(a, limits)


def _access_reasons(a: Applicant, limits: AccessLimits) -> Iterator[Reason]:
    """Checks the number of KUR akad already taken against the sector's limit."""
    production = a.sector in PRODUCTION_SECTORS
    limit = limits.production_sectors if production else limits.other_sectors
    if a.previous_kur_count >= limit:
        msg = (
            _("KUR for farming sectors is at most {limit} times; you had {count}.")
            if production
            else _("KUR for your kind of business is at most {limit} times; you had {count}.")
        )
        yield _reason(ReasonCode.ACCESS_LIMIT_REACHED, msg, limit=limit, count=a.previous_kur_count)


def _request_reasons(scheme: Scheme, request: CreditRequest) -> Iterator[Reason]:
    """Checks the amount against the plafond band and the tenor against the longest allowed."""
    if request.amount > scheme.max_amount:
        msg = _("The largest {name} loan is {maximum}; you asked for {amount}.")
        yield _reason(
            ReasonCode.AMOUNT_ABOVE_MAX,
            msg,
            name=scheme.name,
            maximum=rupiah(scheme.max_amount),
            amount=rupiah(request.amount),
        )
    elif not scheme.accepts(request.amount):
        msg = (
            _("{name} is for loans above {minimum}; you asked for {amount}.")
            if scheme.min_exclusive
            else _("The smallest {name} loan is {minimum}; you asked for {amount}.")
        )
        yield _reason(
            ReasonCode.AMOUNT_BELOW_MIN,
            msg,
            name=scheme.name,
            minimum=rupiah(scheme.min_amount),
            amount=rupiah(request.amount),
        )
    longest = scheme.max_months(request.purpose)
    if request.months > longest:
        purpose = _("working capital") if request.purpose == "modal_kerja" else _("investment")
        msg = _("{name} for {purpose} runs at most {maximum} months; you asked for {months}.")
        values = {"name": scheme.name, "purpose": purpose, "maximum": longest, "months": request.months}
        yield _reason(ReasonCode.TENOR_TOO_LONG, msg, **values)


def _paper_reasons(scheme: Scheme, a: Applicant, amount: int) -> Iterator[Reason]:
    """Lists what the owner can still arrange: NPWP, NIB or SKU, KKMB mentoring."""
    if scheme.npwp_required(amount) and not a.has_npwp:
        if scheme.npwp_always:
            msg = _("{name} always needs an NPWP. You can register for free at the tax office or online.")
            yield _reason(ReasonCode.NPWP_REQUIRED, msg, name=scheme.name)
        else:
            msg = _(
                "Loans above {threshold} need an NPWP. You can register for free at the tax office or online."
            )
            yield _reason(ReasonCode.NPWP_REQUIRED, msg, threshold=rupiah(scheme.npwp_required_above or 0))
    if scheme.licence_required and not a.has_business_licence:
        msg = _("You need an NIB (free at oss.go.id) or a business letter (SKU) from your village office.")
        yield _reason(ReasonCode.LICENCE_REQUIRED, msg)
    if scheme.mentoring_required and not a.in_mentoring_programme:
        msg = _("{name} needs mentoring by a KKMB consultant. You can sign up through Rumah UMKM.")
        yield _reason(ReasonCode.MENTORING_REQUIRED, msg, name=scheme.name)
