"""Aid a kabupaten offers (equipment, training, licensing help): who may apply, in which period, and the rules.

Read from a profile's `[[aid]]` tables (docs/profiles.md). Pure: the day and the owner's business are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.classification import SizeClass
from core.eligibility import SECTORS
from core.i18n import _
from core.rule_table import Table

AID_KINDS = ("equipment", "training", "licensing")
REASON_MIN = 10
REASON_LIMIT = 500
_ID = re.compile(r"[a-z][a-z0-9_]*")
_YEAR = re.compile(r"\d{4}")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})")

APPLIED = "applied"
APPROVED = "approved"
DECLINED = "declined"
DELIVERED = "delivered"
STATUSES = (APPLIED, APPROVED, DECLINED, DELIVERED)
# What an admin may do next from each status.
NEXT = {APPLIED: (APPROVED, DECLINED), APPROVED: (DELIVERED,), DECLINED: (), DELIVERED: ()}


@dataclass(frozen=True)
class AidPeriod:
    """When applications are taken: a whole year ("2026") or a date range ("2026-03-01/2026-06-30")."""

    key: str
    first: date
    last: date

    def open_on(self, day: date) -> bool:
        """Tells whether applications are taken on `day`."""
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Aid:
    """One kind of aid on offer, who may apply for it and what is asked."""

    id: str
    kind: str
    name: str
    summary: str
    period: AidPeriod
    source: str
    registered_business: bool = True
    size_classes: tuple[str, ...] = ()  # empty: any size
    sectors: tuple[str, ...] = ()  # empty: any sector
    asks_photo: bool = False


@dataclass(frozen=True)
class Applicant:
    """What the rules look at: whether a business is registered, its size class and sector."""

    registered: bool
    size_class: str | None = None
    sector: str | None = None


def parse_period(text: str) -> AidPeriod:
    """Reads "2026" or "2026-03-01/2026-06-30"; a ValueError says what is expected."""
    text = text.strip()
    if _YEAR.fullmatch(text):
        year = int(text)
        return AidPeriod(text, date(year, 1, 1), date(year, 12, 31))
    match = _RANGE.fullmatch(text)
    if match:
        first, last = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        if first <= last:
            return AidPeriod(text, first, last)
    raise ValueError('expected a year such as "2026" or a date range such as "2026-03-01/2026-06-30"')


def _period(t: Table) -> AidPeriod:
    """Reads the `period` key."""
    try:
        return parse_period(t.text("period"))
    except ValueError as error:
        t.fail("period", str(error))


def _listed(t: Table, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Reads an optional list whose items must be among `allowed`."""
    values = t.strings(key, ())
    wrong = [value for value in values if value not in allowed]
    if wrong:
        t.fail(key, f"unknown {wrong}; expected any of {list(allowed)}")
    return values


def read_aid(t: Table, read: Callable[[Callable[[], Any]], Any]) -> Aid | None:
    """Reads one [[aid]] table; `read` notes each problem (with its field path) and returns None for it.

    The caller reports the table's unknown keys."""
    values: dict[str, Any] = {
        key: read(lambda key=key: t.text(key)) for key in ("id", "kind", "name", "summary", "source")
    }
    if values["id"] is not None and not _ID.fullmatch(values["id"]):
        read(lambda: t.fail("id", "expected lowercase letters, digits and _ such as 'sewing_machine'"))
    if values["kind"] is not None and values["kind"] not in AID_KINDS:
        read(lambda: t.fail("kind", f"expected one of {list(AID_KINDS)}"))
    values["period"] = read(lambda: _period(t))
    values["registered_business"] = read(lambda: t.raw("registered_business", bool, True))
    values["size_classes"] = read(lambda: _listed(t, "size_classes", tuple(SizeClass)))
    values["sectors"] = read(lambda: _listed(t, "sectors", SECTORS))
    values["asks_photo"] = read(lambda: t.raw("asks_photo", bool, False))
    return None if None in values.values() else Aid(**values)


def open_aid(aid: tuple[Aid, ...], day: date) -> tuple[Aid, ...]:
    """The aid whose application period includes `day`."""
    return tuple(item for item in aid if item.period.open_on(day))


def refusal(aid: Aid, applicant: Applicant) -> str | None:
    """Why the applicant may not apply (in Indonesian), or None when they may."""
    if aid.registered_business and not applicant.registered:
        return _("Only a registered business may apply for this aid.")
    if aid.size_classes and applicant.size_class not in aid.size_classes:
        sizes = ", ".join(SizeClass(size).label for size in aid.size_classes)
        return _("This aid is for: {sizes}.").format(sizes=sizes)
    if aid.sectors and applicant.sector not in aid.sectors:
        return _("This aid is for other business fields than yours.")
    return None


def rules_text(aid: Aid) -> str:
    """Who may apply and what is asked, in short Indonesian lines."""
    lines = []
    if aid.registered_business:
        lines.append(_("• your business is registered with Rumah UMKM"))
    if aid.size_classes:
        sizes = ", ".join(SizeClass(size).label for size in aid.size_classes)
        lines.append(_("• size: {sizes}").format(sizes=sizes))
    if aid.sectors:
        lines.append(_("• only some business fields"))
    lines.append(_("• one application per owner in period {period}").format(period=aid.period.key))
    lines.append(_("• a short reason (why you need it)"))
    if aid.asks_photo:
        lines.append(_("• optional: a photo of your workplace"))
    return "\n".join(lines)


def reason_problem(text: str) -> str | None:
    """What is wrong with a typed reason (too short, too long), or None when it will do."""
    words = " ".join(text.split())
    if len(words) < REASON_MIN:
        return _("Please write a little more: in one or two sentences, why does your business need this?")
    if len(words) > REASON_LIMIT:
        return _("That is {count} characters; please keep it under {limit}.").format(
            count=len(words), limit=REASON_LIMIT
        )
    return None


def status_label(status: str) -> str:
    """An application status as the owner reads it."""
    labels = {
        APPLIED: _("received, being reviewed"),
        APPROVED: _("approved"),
        DECLINED: _("not approved"),
        DELIVERED: _("delivered"),
    }
    return labels[status]
