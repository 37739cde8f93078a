"""Every flow the engine knows, by id."""

from __future__ import annotations

from bot.flows import menu
from bot.flows.base import Flow

FLOWS: dict[str, Flow] = {flow.id: flow for flow in (menu.FLOW,)}
