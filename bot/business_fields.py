"""The business profile's fields as the owner sees them (registration, profile and eligibility share them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.flows.common import mask_nik, mask_phone
from core.classification import SizeClass, classify
from core.eligibility import SECTORS
from core.formatting import month_year, rupiah
from core.i18n import _
from core.kabupaten import Profile

OUTSIDE_KECAMATAN = "lainnya"
# The profile's fields in summary order: the registration step that asks each, and the data key it fills.
FIELDS = (
    ("owner_name", "owner_name"),
    ("phone", "phone"),
    ("nik", "nik"),
    ("business_name", "business_name"),
    ("sector", "sector"),
    ("kecamatan", "kecamatan"),
    ("desa", "desa"),
    ("started_on", "started_on"),
    ("turnover", "monthly_turnover"),
    ("capital", "capital"),
    ("employees", "employees"),
    ("licence", "licence_type"),
    ("npwp", "has_npwp"),
)


def sector_labels() -> dict[str, str]:
    """The Indonesian label of every sector id of core.eligibility.SECTORS, in that order."""
    labels = {
        "pertanian": _("Sector option: farming (crops)"),
        "perkebunan": _("Sector option: plantations"),
        "perikanan": _("Sector option: fisheries"),
        "peternakan": _("Sector option: livestock"),
        "industri_pengolahan": _("Sector option: processing / home-made food"),
        "perdagangan": _("Sector option: trade / shop (warung)"),
        "jasa": _("Sector option: services"),
        "lainnya": _("Sector option: other"),
    }
    return {sector: labels[sector] for sector in SECTORS}


def field_labels() -> dict[str, str]:
    """The name of each field, by its step (summary lines and the list of fields to change)."""
    return {
        "owner_name": _("Field: owner's name"),
        "phone": _("Field: mobile number"),
        "nik": _("Field: NIK"),
        "business_name": _("Field: business name"),
        "sector": _("Field: sector"),
        "kecamatan": _("Field: kecamatan"),
        "desa": _("Field: desa/kelurahan"),
        "started_on": _("Field: started"),
        "turnover": _("Field: monthly turnover"),
        "capital": _("Field: capital without land and buildings"),
        "employees": _("Field: employees"),
        "licence": _("Field: business licence"),
        "npwp": _("Field: NPWP"),
    }


def outside_label(profile: Profile) -> str:
    """The kecamatan entry for a business outside the kabupaten."""
    return _("Outside {region}").format(region=profile.name)


# Fields registration leaves for later (the profile or the eligibility check asks them): the NIK, the capital
# (asked at once only while there are no sales, to give the size class), the employees and the NPWP.
LATER = frozenset({"nik", "capital", "employees", "has_npwp"})


def size_class(data: dict[str, Any]) -> SizeClass:
    """PP 7/2021 class by yearly sales (monthly turnover x 12), or by capital while there are no sales."""
    turnover = data["monthly_turnover"]
    return classify(annual_sales=turnover * 12 if turnover else None, capital=data.get("capital"))


def missing(data: dict[str, Any]) -> str | None:
    """The first field a registration cannot be saved without (its step), or None: the capital is needed only
    while there are no sales."""
    for step, key in FIELDS:
        needed = key not in LATER or (key == "capital" and data.get("monthly_turnover") == 0)
        if needed and data.get(key) is None:
            return step
    return None


def shown(data: dict[str, Any], step: str, profile: Profile) -> str | None:
    """One field's value as the owner sees it (the NIK masked), or None when it is not given yet."""
    value = data.get(dict(FIELDS)[step])
    if value is None:
        return None
    if step == "nik":
        return mask_nik(value)
    if step == "phone":
        return mask_phone(value)
    if step == "sector":
        return sector_labels().get(value, value)
    if step == "kecamatan":
        return outside_label(profile) if value == OUTSIDE_KECAMATAN else value
    if step == "started_on":
        return month_year(date.fromisoformat(value))
    if step in ("turnover", "capital"):
        return rupiah(value)
    if step == "employees":
        return _("{count} people").format(count=value) if value else _("none (works alone)")
    if step == "licence":
        return _licence_shown(value, data.get("licence_number"))
    if step == "npwp":
        return _("Has an NPWP") if value else _("Has no NPWP yet")
    return str(value)


def _licence_shown(kind: str, number: str | None) -> str:
    """The licence as 'NIB 1234567890123', 'SKU dari desa/kelurahan' or 'Belum punya'."""
    if kind == "nib":
        return _("NIB {number}").format(number=number) if number else _("NIB (number not filled in)")
    return _("SKU from the village office") if kind == "sku" else _("No licence yet")


def business_lines(data: dict[str, Any], profile: Profile) -> list[str]:
    """Every field as 'Label: value', then the size class; the NIK is masked."""
    labels = field_labels()
    lines = [f"{labels[step]}: {shown(data, step, profile) or '-'}" for step, _key in FIELDS]
    if data.get("monthly_turnover") or data.get("capital") is not None:
        lines.append(_("Size class: *{label}*").format(label=size_class(data).label))
    return lines


def business_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The Business columns from complete registration data."""
    return {
        "owner_name": data["owner_name"],
        "phone": data["phone"],
        "nik": data["nik"],
        "name": data["business_name"],
        "sector": data["sector"],
        "kecamatan": data["kecamatan"],
        "desa": data["desa"],
        "started_on": date.fromisoformat(data["started_on"]),
        "monthly_turnover": data["monthly_turnover"],
        "capital": data.get("capital"),
        "employees": data.get("employees"),
        "licence_type": data["licence_type"],
        "licence_number": data.get("licence_number") if data["licence_type"] == "nib" else None,
        "has_npwp": data.get("has_npwp"),
        "size_class": size_class(data).value,
    }
