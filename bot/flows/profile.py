"""Profil usaha saya: the saved business as the owner sees it, with the way to change it through registration."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from bot.business_fields import business_lines
from bot.flows.base import Answer, Ctx, Flow, Start, Transition, choices
from bot.flows.common import REGISTRATION
from bot.messages import Reply
from core.formatting import long_date
from core.i18n import _
from storage.businesses import get_business
from storage.models import Business


def _menu_label(ctx: Ctx) -> str | None:
    """Offers the profile only to those who have registered (given consent)."""
    return None if ctx.contact.consent_at is None else _("My business profile")


FLOW = Flow("profile", first="view", menu_label=_menu_label, menu_order=10)


def data_from_business(business: Business) -> dict[str, Any]:
    """Loads a saved business into registration data, to change it through the summary."""
    return {
        "mode": "update",
        "owner_name": business.owner_name,
        "phone": business.phone,
        "nik": business.nik,
        "business_name": business.name,
        "sector": business.sector,
        "kecamatan": business.kecamatan,
        "desa": business.desa,
        "started_on": business.started_on.isoformat(),
        "monthly_turnover": business.monthly_turnover,
        "capital": business.capital,
        "employees": business.employees,
        "licence_type": business.licence_type,
        "licence_number": business.licence_number,
        "has_npwp": business.has_npwp,
    }


@FLOW.ask("view", choice_only=True)
async def ask_view(ctx: Ctx) -> list[Reply]:
    """Shows the saved business and its size class, with options to change it or go back."""
    business = await get_business(session=ctx.session, contact_id=ctx.contact.id)
    back = ("global:menu", _("Main menu (from the profile)"))
    if business is None:
        register = (f"go:{REGISTRATION}", _("Register business"))
        return [Reply(_("No business is registered for this chat yet."), choices(register, back))]
    updated = business.updated_at if business.updated_at.tzinfo else business.updated_at.replace(tzinfo=UTC)
    lines = [
        _("*Your business profile*"),
        *business_lines(data_from_business(business), ctx.profile),
        _("Last updated: {date}").format(date=long_date(updated.astimezone(ctx.zone).date())),
    ]
    return [Reply("\n".join(lines), choices(("edit", _("Change business data")), back))]


@FLOW.answer("view")
async def answer_view(ctx: Ctx, answer: Answer) -> Transition:
    """Starts registration, or loads the saved business into the registration's list of fields to change."""
    business = await get_business(session=ctx.session, contact_id=ctx.contact.id)
    if business is None:
        return Start(REGISTRATION)
    return Start(REGISTRATION, data=data_from_business(business), step="edit")
