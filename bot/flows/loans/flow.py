"""The loans flow object, its questions in order, and the helpers every part of it shares."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from bot.flows.base import Ctx, Flow, Goto, choices
from bot.flows.common import LOANS
from bot.messages import Reply
from core.i18n import _
from core.simulator import Method, Simulation, simulate
from storage import loans
from storage.models import Instalment, Loan

FLOW = Flow(
    LOANS,
    first="list",
    menu_label=lambda ctx: _("My loans (menu)") if ctx.contact.role == "owner" else None,
    menu_order=60,
)
# The questions of a new loan, in order: (data key, step).
ASKED = (
    ("bank", "bank"),
    ("scheme", "scheme"),
    ("amount", "amount"),
    ("borrower_rate", "rate"),
    ("months", "months"),
    ("disbursed_on", "disbursed"),
    ("due_day", "due_day"),
)
SIMULATION_KEYS = ("amount", "months", "scheme", "borrower_rate", "subsidy_rate", "method")
COMMON_BANKS = ("BRI", "BNI", "Mandiri", "BSI")
MAX_DAYS_AHEAD = 90
PAID = re.compile(r"^(?:sudah|udah|sdh|dah|telah) ?(?:di)?(?:bayar|byr|setor|lunas)\b ?(.*)$")


def clean(text: str) -> str:
    """Lower case, single spaces, no closing full stop or exclamation mark (slashes in dates stay)."""
    return " ".join(text.casefold().split()).rstrip(".!")


def words(text: str) -> str:
    """Lower-case words only: '/Bln.' -> 'bln'."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def menu_choice() -> tuple[str, str]:
    """The option back to the main menu."""
    return ("global:menu", _("Main menu (loans button)"))


def ask_next(ctx: Ctx) -> Goto:
    """Goes to the first unanswered question of a new loan, or to its summary."""
    return ctx.then(next((step for key, step in ASKED if key not in ctx.data), "summary"))


def simulation_of(data: dict[str, Any]) -> Simulation:
    """The schedule of the loan being recorded."""
    return simulate(
        int(data["amount"]),
        int(data["months"]),
        borrower_rate=Decimal(data["borrower_rate"]),
        subsidy_rate=Decimal(data.get("subsidy_rate", "0")),
        method=data.get("method", Method.ANNUITY),
        start=date.fromisoformat(data["disbursed_on"]),
        due_day=int(data["due_day"]),
    )


async def loan_of(ctx: Ctx, *, for_update: bool = False) -> Loan | None:
    """The loan the owner is looking at (None when it is not theirs or is gone)."""
    loan_id = ctx.data.get("loan_id")
    if not isinstance(loan_id, int):
        return None
    return await loans.loan_of(
        session=ctx.session, contact_id=ctx.contact.id, loan_id=loan_id, for_update=for_update
    )


async def instalment_target(ctx: Ctx, *, for_update: bool = False) -> tuple[Loan, Instalment] | None:
    """The loan and instalment a step is about: from a reminder button's ref, or the one chosen before."""
    ref = ctx.data.pop("ref", None)
    if ref is not None:
        ctx.data["instalment_id"] = int(ref) if str(ref).isdigit() else None
        instalment_id = ctx.data["instalment_id"]
        found = (
            None
            if instalment_id is None
            else await loans.loan_id_of_instalment(session=ctx.session, instalment_id=instalment_id)
        )
        ctx.data["loan_id"] = found
    loan = await loan_of(ctx, for_update=for_update)
    if loan is None:
        return None
    instalments = await loans.instalments_of(session=ctx.session, loan_id=loan.id)
    chosen = next((item for item in instalments if item.id == ctx.data.get("instalment_id")), None)
    return None if chosen is None else (loan, chosen)


def gone() -> list[Reply]:
    """Says the loan or instalment is no longer recorded."""
    return [
        Reply(
            _("That loan is no longer recorded."),
            choices(("list", _("My loans (list button)")), menu_choice()),
        )
    ]
