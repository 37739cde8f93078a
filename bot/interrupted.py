"""A flow interrupted by a pushed message: kept aside in the conversation's data, and taken up again on *lanjut*."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.flows import menu
from bot.flows.base import Flow
from bot.flows.common import PAUSED
from storage.models import Conversation


def keep_interrupted(
    data: dict[str, Any],
    conversation: Conversation,
    *,
    now: datetime,
    flows: dict[str, Flow],
    stale_after: timedelta,
) -> None:
    """Keeps the flow the contact was in (not the menu, not one left `stale_after` ago) to offer it back later."""
    if conversation.flow in ("", menu.FLOW.id) or conversation.flow not in flows:
        return
    if now - conversation.updated_at > stale_after:
        return
    kept = {key: value for key, value in data.items() if key != PAUSED}
    data[PAUSED] = {
        "flow": conversation.flow,
        "step": conversation.step,
        "history": list(conversation.history),
        "data": kept,
    }


def resume_interrupted(data: dict[str, Any], conversation: Conversation) -> None:
    """Puts the kept flow back at the step it was on, with its data."""
    paused = data.pop(PAUSED)
    conversation.flow, conversation.step = paused["flow"], paused["step"]
    conversation.history, conversation.misses = list(paused["history"]), 0
    data.clear()
    data.update(paused["data"])
