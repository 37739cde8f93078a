"""Pieces every flow shares: flow ids, the menu option, the scam warning, masking, and hand-overs between flows.

A flow never imports another flow: it hands over by returning a `Start` naming the other flow's id, built here
when data is carried over.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.flows.base import Start
from core.i18n import _

REGISTRATION = "registration"
SIMULATION = "simulation"
LOANS = "loans"
BOOKING = "booking"
CONSULTANT = "consultant"
PERSON = "person"
AID = "aid"
SURVEY = "survei"  # the follow-up survey (bot/flows/survey.py), opened from its pushed invitation
BUTTON_CHANNELS = frozenset({"telegram", "web"})
PAUSED = "_paused"  # data key: the flow a pushed message's answer interrupted, kept to carry on with


def menu_option() -> tuple[str, str]:
    """The option that goes back to the main menu."""
    return ("global:menu", _("Menu (button)"))


def shows_buttons(channel: str) -> bool:
    """Whether a channel shows options as buttons (Telegram, the web chat); WhatsApp text and the terminal number
    them instead, so their wording never says 'tekan tombol'."""
    return channel in BUTTON_CHANNELS


def pick_one(count: int, channel: str) -> str:
    """Asks the user to pick one of the offered options, in the words of the channel (buttons or numbers)."""
    if shows_buttons(channel):
        if count <= 1:
            return _("Please press the button or reply 1.")
        return _("Please reply with a number from 1 to {last}, or press a button.").format(last=count)
    if count <= 1:
        return _("Please reply 1.")
    return _("Please reply with a number from 1 to {last}.").format(last=count)


def scam_warning() -> str:
    """Warns that the bot never asks for OTP codes, PINs or fees."""
    return _("Beware of fraud: Rumah UMKM and KKMB consultants NEVER ask for OTP codes, PINs or fees.")


def mask_nik(nik: str) -> str:
    """Shows only the first 4 and last 2 digits of a NIK."""
    return f"{nik[:4]}{'*' * 10}{nik[-2:]}"


def mask_phone(phone: str) -> str:
    """Shows a number with its middle hidden: '+6281234567890' -> '+62812****890'."""
    return f"{phone[:6]}****{phone[-3:]}"


def to_simulation(
    *, amount: int, months: int, scheme: str | None, purpose: str | None = None, access: int = 1
) -> Start:
    """Starts the simulation with what another flow already knows, at the first step still open."""
    data: dict[str, Any] = {"amount": amount, "months": months, "purpose": purpose, "access": access}
    if scheme is not None:
        data["scheme"] = scheme
    return Start(SIMULATION, data=data, step="result" if scheme else "scheme")


def to_loan_from_simulation(
    *,
    amount: int,
    months: int,
    scheme: str,
    borrower_rate: Decimal,
    subsidy_rate: Decimal,
    method: str = "annuity",
) -> Start:
    """Starts recording a simulated loan: only the bank, the akad date and the due day are asked."""
    data = {
        "amount": str(amount),
        "months": str(months),
        "scheme": scheme,
        "borrower_rate": str(borrower_rate),
        "subsidy_rate": str(subsidy_rate),
        "method": str(method),
    }
    return Start(LOANS, step="from_simulation", data=data)
