"""Pushed contexts: a business-initiated message with options stays answerable by plain text for a few days.

One row per contact: a newer pushed message replaces it, an answer closes it, and it lapses at `expires_at`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import PushedContext

OPEN_FOR = timedelta(days=3)
REPLY = (
    "reply"  # the outbox kind of an immediate answer to the user's own message; every other kind is pushed
)
Pairs = list[tuple[str, str]]


async def open_contexts(
    *, session: AsyncSession, contexts: Sequence[tuple[int, str, Pairs]], now: datetime
) -> None:
    """Makes each (contact id, kind, (id, label) pairs) the contact's answerable pushed context, replacing older ones."""
    rows = {
        contact_id: {
            "contact_id": contact_id,
            "kind": kind,
            "options": [[option_id, label] for option_id, label in options],
            "opened_at": now,
            "expires_at": now + OPEN_FOR,
        }
        for contact_id, kind, options in contexts
        if options
    }  # the last message to a contact wins
    if not rows:
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(PushedContext).values(list(rows.values()))
    fresh = {name: statement.excluded[name] for name in ("kind", "options", "opened_at", "expires_at")}
    await session.exec(statement.on_conflict_do_update(index_elements=["contact_id"], set_=fresh))


async def open_for_rows(*, session: AsyncSession, rows: Sequence[Mapping[str, Any]]) -> None:
    """Opens the pushed context of every pushed outbox row (its columns as written) that has options and a contact:
    every producer (storage.outbox.enqueue, the reminder scan, broadcast fan-out) calls this with what it wrote."""
    contexts = [
        (row["contact_id"], row["kind"], [(option["id"], option["label"]) for option in row["options"]])
        for row in rows
        if row.get("contact_id") is not None and row.get("options") and row["kind"] != REPLY
    ]
    if contexts:
        await open_contexts(session=session, contexts=contexts, now=rows[0]["created_at"])


async def open_context_of(*, session: AsyncSession, contact_id: int, now: datetime) -> PushedContext | None:
    """The contact's pushed context while it is still open."""
    context = await session.get(PushedContext, contact_id, populate_existing=True)
    if context is None or context.expires_at <= now:
        return None
    return context


async def close_context(*, session: AsyncSession, contact_id: int) -> None:
    """Closes the contact's pushed context (it was answered)."""
    context = await session.get(PushedContext, contact_id)
    if context is not None:
        await session.delete(context)
