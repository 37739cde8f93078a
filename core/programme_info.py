"""Plain-Indonesian texts about the programmes themselves: each scheme, the regional programme, the Dinas's other
programmes, free licensing and the secretariat, for the chat's information pages and the CLI (pure)."""

from __future__ import annotations

from datetime import date

from babel.dates import get_day_names

from core.explain import (
    BULLET,
    band,
    is_example,
    offered_schemes,
    payer_name,
    premium_payer,
    rates,
    subsidy_payer,
    tenors,
)
from core.formatting import LOCALE, long_date, percent, rupiah, zone_abbreviation
from core.i18n import _
from core.kabupaten import LocalProgramme, Profile
from core.programmes import RegionalProgramme, Scheme, rule_set_on


def licence_guidance(sector: str | None = None) -> str:
    """How to get a business licence for free: NIB online at OSS, SKU at the village office, PIRT for food."""
    lines = [
        _("No business licence yet? You can get one for free:"),
        f"{BULLET} " + _("NIB: register online at oss.go.id with your NIK."),
        f"{BULLET} " + _("SKU (Surat Keterangan Usaha): ask at your kantor desa or kelurahan."),
    ]
    if sector == "industri_pengolahan":
        lines.append(
            f"{BULLET} " + _("Home-made food? Also get a PIRT permit through OSS (oss.go.id), free.")
        )
    return "\n".join(lines)


def requirements(scheme: Scheme) -> str:
    """The owner's main conditions: age, time in business, mentoring, civil servants."""
    months = (
        _("business running at least {months} months (or in a mentoring programme)")
        if scheme.mentoring_waives_min_months
        else _("business running at least {months} months")
    ).format(months=scheme.min_months_in_business)
    parts = [_("at least {age} years old or married").format(age=scheme.min_age), months]
    if scheme.mentoring_required:
        parts.append(_("mentored by a KKMB consultant"))
    if not scheme.civil_servants_allowed:
        parts.append(_("not an active ASN, TNI or Polri member"))
    return ", ".join(parts)


def npwp_rule(scheme: Scheme) -> str:
    """When the scheme needs an NPWP."""
    if scheme.npwp_always:
        return _("always needed")
    if scheme.npwp_required_above is not None:
        return _("needed for loans above {amount}").format(amount=rupiah(scheme.npwp_required_above))
    return _("not needed")


def scheme_info(scheme: Scheme, *, regional: RegionalProgramme | None = None) -> str:
    """A scheme's facts from its rule file: plafond, rate, tenor, subsidy, collateral, premium, papers."""
    example = is_example(scheme.id, regional)
    lines = [_("{name} (example figures)").format(name=scheme.name) if example else scheme.name]
    subsidy = _("{rate} a year").format(rate=rates(scheme.subsidy_rates))
    if scheme.bank_rate is not None:
        subsidy = _("{rate} a year (bank rate {bank})").format(
            rate=rates(scheme.subsidy_rates), bank=percent(scheme.bank_rate)
        )
    premium = payer_name(premium_payer(scheme))
    if scheme.insurance.rate is not None:
        premium = _("{rate} of the loan, paid by {payer}").format(
            rate=percent(scheme.insurance.rate), payer=premium
        )
    else:
        premium = _("paid by {payer}").format(payer=premium)
    facts = [
        _("Loan: {band}").format(band=band(scheme)),
        _("Interest: {rate} a year").format(rate=rates(scheme.borrower_rates)),
        _("Period: {tenors}").format(tenors=tenors(scheme)),
        _("Interest subsidy from {payer}: {subsidy}").format(payer=subsidy_payer(scheme), subsidy=subsidy),
        _("Collateral: {collateral}").format(collateral=scheme.collateral),
        _("Credit insurance premium: {premium}").format(premium=premium),
        _("NPWP: {rule}").format(rule=npwp_rule(scheme)),
        _("Conditions: {conditions}").format(conditions=requirements(scheme)),
        _("Documents: {documents}").format(documents=", ".join(d.name for d in scheme.documents)),
    ]
    lines += [f"{BULLET} {fact}" for fact in facts]
    return "\n".join(lines)


def regional_info(regional: RegionalProgramme) -> str:
    """The regional programme: who it is for, its partner banks, its scheme, and a warning for example figures."""
    lines = [
        _("{programme} is the credit programme of {region}, for its residents.").format(
            programme=regional.name, region=regional.region_name
        ),
        scheme_info(regional.scheme, regional=regional),
        f"{BULLET} " + _("Partner banks: {banks}").format(banks=", ".join(regional.partner_banks)),
    ]
    if regional.example_values:
        lines.append(_("The figures above are EXAMPLES until the Perbup sets them; ask the secretariat."))
    return "\n".join(lines)


def programmes_overview(on: date, regional: RegionalProgramme | None = None) -> str:
    """One line per scheme in force on a day: plafond and rate."""
    rule_set = rule_set_on(on)
    lines = [
        _("Credit in force today ({rules} rules, since {day}):").format(
            rules=rule_set.name, day=long_date(rule_set.effective_from)
        )
    ]
    for scheme in offered_schemes(on, regional):
        name = scheme.name
        if is_example(scheme.id, regional):
            name = _("{name} (example figures)").format(name=scheme.name)
        lines.append(
            f"{BULLET} "
            + _("{name}: {band}, interest {rate} a year").format(
                name=name, band=band(scheme), rate=rates(scheme.borrower_rates)
            )
        )
    return "\n".join(lines)


def local_programmes_overview(profile: Profile) -> str | None:
    """The Dinas's programmes besides credit, one line each; None when the profile lists none."""
    if not profile.programmes:
        return None
    lines = [_("Also from the Dinas of {region}:").format(region=profile.name)]
    return "\n".join([*lines, *(f"{BULLET} {programme.name}" for programme in profile.programmes)])


def local_programme_info(programme: LocalProgramme) -> str:
    """One Dinas programme: its name and what it offers."""
    return f"*{programme.name}*\n{programme.summary}"


def office_days(weekdays: tuple[int, ...]) -> str:
    """ISO weekdays in words: 'Senin–Jumat' for a run, else 'Senin, Rabu'."""
    names = get_day_names("wide", locale=LOCALE)
    days = sorted(weekdays)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{names[days[0] - 1]}–{names[days[-1] - 1]}"
    return ", ".join(names[day - 1] for day in days)


def secretariat_info(profile: Profile) -> str:
    """Where the Rumah UMKM secretariat is and when it is open."""
    address = profile.secretariat_address
    if profile.address_is_example:
        address = _("{address} (example address)").format(address=address)
    return "\n".join(
        [
            _("Rumah UMKM secretariat:"),
            profile.secretariat_name,
            address,
            _("Open {days}, {opens}–{closes} {zone}.").format(
                days=office_days(profile.office_weekdays),
                opens=f"{profile.office_opens:%H.%M}",
                closes=f"{profile.office_closes:%H.%M}",
                zone=zone_abbreviation(profile.time_zone),
            ),
        ]
    )
