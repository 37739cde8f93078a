"""Programme rules as data: KUR rule sets and regional programmes, from TOML files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from itertools import pairwise

from core.rule_table import RuleFileError, Table, parse_table, read_package_file

PURPOSES = ("modal_kerja", "investasi")
DOCUMENT_CONDITIONS = ("always", "married", "npwp_required")


@dataclass(frozen=True)
class Document:
    """One paper on a checklist, asked always or only under a condition (see DOCUMENT_CONDITIONS)."""

    name: str
    when: str = "always"


@dataclass(frozen=True)
class Insurance:
    """The credit insurance or guarantee premium: who pays it and, when known, its yearly rate."""

    payer: str
    rate: Decimal | None = None


@dataclass(frozen=True)
class Scheme:
    """One credit product: amount band, prices by access number, tenors, criteria and checklist."""

    id: str
    name: str
    source: str
    min_amount: int
    min_exclusive: bool
    max_amount: int
    borrower_rates: tuple[Decimal, ...]
    subsidy_rates: tuple[Decimal, ...]
    months_modal_kerja: int
    months_investasi: int
    npwp_required_above: int | None
    npwp_always: bool
    min_age: int
    min_months_in_business: int
    mentoring_waives_min_months: bool
    mentoring_required: bool
    civil_servants_allowed: bool
    other_productive_credit_allowed: bool
    licence_required: bool
    collateral: str
    insurance: Insurance
    documents: tuple[Document, ...]
    unconfirmed: tuple[str, ...] = ()
    bank_rate: Decimal | None = None
    regency_code: str | None = None
    region_name: str | None = None

    def borrower_rate(self, access_number: int) -> Decimal:
        """Returns the yearly rate the borrower pays on this access (the last rung repeats)."""
        return _rung(self.borrower_rates, access_number)

    def subsidy_rate(self, access_number: int) -> Decimal:
        """Returns the yearly subsidy the government (or pemda) pays the bank on this access."""
        return _rung(self.subsidy_rates, access_number)

    def max_months(self, purpose: str) -> int:
        """Returns the longest tenor in months for a purpose ("modal_kerja" or "investasi")."""
        if purpose == "modal_kerja":
            return self.months_modal_kerja
        if purpose == "investasi":
            return self.months_investasi
        raise ValueError(f"unknown purpose {purpose!r}; expected one of {PURPOSES}")

    def accepts(self, amount: int) -> bool:
        """Tells whether an amount falls in this scheme's plafond band."""
        above_min = amount > self.min_amount if self.min_exclusive else amount >= self.min_amount
        return above_min and amount <= self.max_amount

    def npwp_required(self, amount: int) -> bool:
        """Tells whether a loan of this amount needs an NPWP."""
        return self.npwp_always or (
            self.npwp_required_above is not None and amount > self.npwp_required_above
        )


@dataclass(frozen=True)
class AccessLimits:
    """How many KUR akad a borrower may take, by sector, and which schemes the limit binds."""

    production_sectors: int
    other_sectors: int
    schemes: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    """One version of the KUR rules, in force from `effective_from` until the next version."""

    id: str
    name: str
    effective_from: date
    source: str
    schemes: tuple[Scheme, ...]
    access_limits: AccessLimits | None
    turnover_cap: int | None


@dataclass(frozen=True)
class RegionalProgramme:
    """A kabupaten's own subsidised credit, open to residents of one regency."""

    id: str
    name: str
    effective_from: date
    source: str
    example_values: bool
    regency_code: str
    region_name: str
    partner_banks: tuple[str, ...]
    scheme: Scheme


def _rung(ladder: tuple[Decimal, ...], access_number: int) -> Decimal:
    """Picks the ladder entry for an access number, 1-based; the last entry repeats."""
    if access_number < 1:
        raise ValueError(f"access_number must be 1 or more, got {access_number}")
    return ladder[min(access_number, len(ladder)) - 1]


def _open(folder: str, name: str) -> Table:
    """Reads and parses one TOML file of the package; its id must be its file name."""
    table = parse_table(*read_package_file(folder, name))
    if table.text("id") != name:
        table.fail("id", f"must equal the file name {name!r}")
    return table


def _scheme(t: Table, scheme_id: str, region: tuple[str, str] | None = None) -> Scheme:
    """Builds a scheme from its table; a regional scheme derives its subsidy from `bank_rate`."""
    amount = t.table("amount")
    min_exclusive = "above" in amount.names()
    min_amount = amount.count("above" if min_exclusive else "from")
    max_amount = amount.count("up_to")
    if max_amount <= min_amount:
        amount.fail("up_to", "must be larger than the lower bound")
    amount.close()
    borrower_rates = t.rates("borrower_rates")
    bank_rate = t.rate("bank_rate") if region else None
    if bank_rate is not None and max(borrower_rates) > bank_rate:
        t.fail("borrower_rates", "must not exceed bank_rate")
    subsidy_rates = (
        tuple(bank_rate - r for r in borrower_rates) if bank_rate is not None else t.rates("subsidy_rates")
    )
    months = t.table("max_months")
    months_modal_kerja, months_investasi = (months.count(p) for p in PURPOSES)
    months.close()
    if min(months_modal_kerja, months_investasi) < 1:
        t.fail("max_months", "every tenor must be at least 1 month")
    insurance = t.table("insurance")
    premium = Insurance(payer=insurance.text("payer"), rate=insurance.rate("rate", None))
    insurance.close()
    scheme = Scheme(
        id=scheme_id,
        name=t.text("name"),
        source=t.text("source"),
        min_amount=min_amount,
        min_exclusive=min_exclusive,
        max_amount=max_amount,
        borrower_rates=borrower_rates,
        subsidy_rates=subsidy_rates,
        months_modal_kerja=months_modal_kerja,
        months_investasi=months_investasi,
        npwp_required_above=t.count("npwp_required_above", None),
        npwp_always=t.flag("npwp_always"),
        min_age=t.count("min_age"),
        min_months_in_business=t.count("min_months_in_business"),
        mentoring_waives_min_months=t.flag("mentoring_waives_min_months"),
        mentoring_required=t.flag("mentoring_required"),
        civil_servants_allowed=t.flag("civil_servants_allowed"),
        other_productive_credit_allowed=t.flag("other_productive_credit_allowed"),
        licence_required=t.flag("licence_required"),
        collateral=t.text("collateral"),
        insurance=premium,
        documents=tuple(_document(d) for d in t.tables("documents")),
        unconfirmed=t.strings("unconfirmed", ()),
        bank_rate=bank_rate,
        regency_code=region[0] if region else None,
        region_name=region[1] if region else None,
    )
    for key in scheme.unconfirmed:
        if key not in t.seen or key == "unconfirmed":
            t.fail("unconfirmed", f"{key!r} is not a parameter of this scheme")
    t.close()
    return scheme


def _document(t: Table) -> Document:
    """Builds one checklist entry."""
    document = Document(name=t.text("name"), when=t.raw("when", str, "always"))
    if document.when not in DOCUMENT_CONDITIONS:
        t.fail("when", f"expected one of {DOCUMENT_CONDITIONS}, got {document.when!r}")
    t.close()
    return document


def _access_limits(t: Table, scheme_ids: set[str]) -> AccessLimits:
    """Builds the repeat-access limits and checks that they name real schemes."""
    limits = AccessLimits(
        production_sectors=t.count("production_sectors"),
        other_sectors=t.count("other_sectors"),
        schemes=t.strings("schemes"),
    )
    unknown = set(limits.schemes) - scheme_ids
    if unknown:
        t.fail("schemes", f"unknown scheme(s) {sorted(unknown)}")
    t.close()
    return limits


def _rule_set(t: Table) -> RuleSet:
    """Builds one KUR rule set and checks that its plafond bands follow each other without gaps."""
    schemes_table = t.table("schemes")
    schemes = tuple(
        sorted(
            (_scheme(schemes_table.table(key), key) for key in schemes_table.names()),
            key=lambda s: s.min_amount,
        )
    )
    if not schemes:
        t.fail("schemes", "at least one scheme is needed")
    for lower, upper in pairwise(schemes):
        if not (upper.min_exclusive and upper.min_amount == lower.max_amount):
            schemes_table.fail(
                upper.id, f"band must start just above {lower.id}'s maximum {lower.max_amount}"
            )
    scheme_ids = {s.id for s in schemes}
    has_limits = "access_limits" in t.names()
    rule_set = RuleSet(
        id=t.text("id"),
        name=t.text("name"),
        effective_from=t.day("effective_from"),
        source=t.text("source"),
        schemes=schemes,
        access_limits=_access_limits(t.table("access_limits"), scheme_ids) if has_limits else None,
        turnover_cap=t.count("turnover_cap", None),
    )
    schemes_table.close()
    t.close()
    return rule_set


@cache
def rule_sets() -> tuple[RuleSet, ...]:
    """Loads every KUR rule set in core/rules, oldest first."""
    folder = resources.files("core").joinpath("rules")
    names = sorted(e.name.removesuffix(".toml") for e in folder.iterdir() if e.name.endswith(".toml"))
    tables = [_open("rules", name) for name in names]
    found = sorted((_rule_set(t) for t in tables if t.text("kind") == "kur"), key=lambda r: r.effective_from)
    for earlier, later in pairwise(found):
        if earlier.effective_from == later.effective_from:
            raise RuleFileError(f"core/rules: {earlier.id} and {later.id} share effective_from")
    return tuple(found)


def rule_set_on(day: date) -> RuleSet:
    """Returns the KUR rule set in force on a day: the latest whose effective_from is on or before it."""
    in_force = [r for r in rule_sets() if r.effective_from <= day]
    if not in_force:
        raise LookupError(f"no KUR rule set is in force on {day.isoformat()}")
    return in_force[-1]


def scheme_for_amount(rule_set: RuleSet, amount: int) -> Scheme:
    """Returns the scheme of a rule set whose plafond band holds the amount."""
    for scheme in rule_set.schemes:
        if scheme.accepts(amount):
            return scheme
    raise ValueError(f"no scheme of {rule_set.id} takes an amount of {amount}")


@cache
def regional_programme(programme_id: str) -> RegionalProgramme:
    """Loads a regional programme from core/rules/<programme_id>.toml."""
    t = _open("rules", programme_id)
    if t.text("kind") != "regional":
        t.fail("kind", "expected 'regional'")
    code, region_name = regency_code(t), t.text("region_name")
    programme = RegionalProgramme(
        id=programme_id,
        name=t.text("name"),
        effective_from=t.day("effective_from"),
        source=t.text("source"),
        example_values=t.flag("example_values"),
        regency_code=code,
        region_name=region_name,
        partner_banks=t.strings("partner_banks"),
        scheme=_scheme(t.table("scheme"), programme_id, (code, region_name)),
    )
    t.close()
    return programme


def regency_code(t: Table) -> str:
    """Reads a 4-digit regency code as NIKs carry it (Kemendagri), such as "1603"."""
    code = t.text("regency_code")
    return code if len(code) == 4 and code.isdigit() else t.fail("regency_code", "expected 4 digits")
