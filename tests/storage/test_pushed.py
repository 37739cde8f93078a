"""Every producer's outbox row with options opens a pushed context: broadcasts and surveys get it for free."""

from __future__ import annotations

from bot.clock import FixedClock
from bot.flows.base import go
from bot.messages import Option
from storage import outbox
from storage.broadcasts import write_messages
from storage.contacts import get_or_create_contact
from storage.db import transaction
from storage.models import PushedContext
from storage.pushed import OPEN_FOR, open_context_of
from tests.transcript import Chat


async def _push(sessions, clock: FixedClock, contact_id: int, kind: str, key: str, *options: Option) -> None:
    """Queues a message with options as any producer does."""
    async with transaction(sessions) as session:
        await outbox.enqueue(
            session=session,
            channel="console",
            recipient="siti",
            kind=kind,
            body="…",
            send_key=key,
            now=clock.now(),
            contact_id=contact_id,
            options=options,
        )


async def _context(sessions, contact_id: int, clock: FixedClock) -> PushedContext | None:
    """The contact's open pushed context."""
    async with sessions() as session:
        return await open_context_of(session=session, contact_id=contact_id, now=clock.now())


async def test_a_newer_pushed_message_replaces_the_context_and_replies_open_none(sessions, clock) -> None:
    async with transaction(sessions) as session:
        contact = await get_or_create_contact(
            session=session, channel="console", external_id="siti", now=clock.now()
        )
    await _push(sessions, clock, contact.id, "broadcast", "b1", Option(go("info"), "Info"))
    await _push(sessions, clock, contact.id, "reply", "r1", Option("x", "Balasan"))  # an answer, not a push
    context = await _context(sessions, contact.id, clock)
    assert context is not None and context.options == [[go("info"), "Info"]]
    clock.advance(hours=1)
    await _push(sessions, clock, contact.id, "survey", "s1", Option(go("eligibility"), "Cek kelayakan"))
    context = await _context(sessions, contact.id, clock)
    assert context is not None and (context.kind, context.options) == (
        "survey",
        [[go("eligibility"), "Cek kelayakan"]],
    )
    assert context.expires_at == clock.now() + OPEN_FOR
    clock.advance(days=3, seconds=1)
    assert await _context(sessions, contact.id, clock) is None
    await _push(sessions, clock, contact.id, "broadcast", "b2")  # no options: nothing to answer
    assert await _context(sessions, contact.id, clock) is None


async def test_a_broadcast_option_typed_by_number_opens_its_flow(sessions, clock) -> None:
    chat = Chat(sessions, clock, user="siti")
    await chat.say("halo")
    async with sessions() as session:
        contact = await get_or_create_contact(
            session=session, channel="console", external_id="siti", now=clock.now()
        )
    clock.advance(minutes=10)
    await _push(
        sessions,
        clock,
        contact.id,
        "broadcast",
        "b1",
        Option(go("info"), "Info program"),
        Option(go("simulation"), "Hitung angsuran"),
    )
    clock.advance(minutes=10)
    assert "Berapa pinjaman" in await chat.say("2")


async def test_a_broadcast_fanned_out_in_bulk_is_answerable_by_number(sessions, clock) -> None:
    chat = Chat(sessions, clock, user="siti")
    await chat.say("halo")
    async with sessions() as session:
        contact = await get_or_create_contact(
            session=session, channel="console", external_id="siti", now=clock.now()
        )
    clock.advance(minutes=10)
    row = {
        "channel": "console",
        "recipient": "siti",
        "contact_id": contact.id,
        "kind": "broadcast",
        "body": "Pelatihan pembukuan gratis",
        "options": [
            {"id": go("simulation"), "label": "Hitung angsuran"},
            {"id": go("info"), "label": "Info"},
        ],
        "variables": {},
        "priority": 0,
        "status": outbox.PENDING,
        "attempts": 0,
        "next_attempt_at": clock.now(),
        "created_at": clock.now(),
        "send_key": "broadcast:1:1",
    }
    async with transaction(sessions) as session:
        await write_messages(session=session, rows=[row])
    clock.advance(minutes=10)
    assert "Berapa pinjaman" in await chat.say("1")
