"""The eligibility flow object."""

from __future__ import annotations

from bot.flows.base import Flow
from core.i18n import _

FLOW = Flow("eligibility", first="amount", menu_label=lambda ctx: _("Check eligibility"), menu_order=20)
