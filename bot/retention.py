"""Retention: what the reply path keeps only for a while (sent replies' text, handled provider message ids)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.services import Services
from storage import outbox
from storage.conversations import prune_processed
from storage.db import transaction

log = logging.getLogger(__name__)

KEEP_REPLIES = timedelta(
    days=2
)  # long enough to look into a delivery problem, no longer: replies hold personal data
KEEP_MESSAGE_IDS = timedelta(days=7)  # Telegram resends an update for up to a day, Twilio for minutes


def retention_job(services: Services) -> Callable[[], Awaitable[int]]:
    """The worker's hourly clean-up: finished replies and old provider message ids; returns rows removed."""

    async def run() -> int:
        """Removes what is past its keeping time."""
        now = services.clock.now()
        async with transaction(services.sessions) as session:
            replies = await outbox.prune_replies(session=session, before=now - KEEP_REPLIES)
            ids = await prune_processed(session=session, before=now - KEEP_MESSAGE_IDS)
        if replies or ids:
            log.info("retention: %d sent replies and %d handled message ids removed", replies, ids)
        return replies + ids

    return run
