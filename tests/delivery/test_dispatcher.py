"""The dispatcher end to end on a real database: claims, sends through fake senders, and records every outcome."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.claims import hand_back_previous
from bot.clock import FixedClock
from bot.delivery import Dispatcher, OutboxMessage, PermanentFailure, RecipientUnreachable, RetryLater
from bot.governor import ChannelLimits, Governor, make_governors
from bot.messages import Option
from bot.privacy import mask
from storage import outbox
from storage.contacts import get_or_create_contact
from storage.db import transaction
from storage.models import Contact, Outbox
from tests.fakes_delivery import FakeSender, HangingSender, VirtualTime

Sessions = async_sessionmaker[AsyncSession]
PHONE = "+6281234567890"


def _dispatcher(
    sessions: Sessions, clock: FixedClock, time: VirtualTime, *senders, worker="w1", **kw
) -> Dispatcher:
    """A dispatcher whose governors run on virtual time: Telegram 30/s and 1/s per chat, WhatsApp 10/s."""
    governors = {
        "telegram": Governor(
            rate=30, per_chat_interval=1.0, headroom=0, monotonic=time.monotonic, sleep=time.sleep
        ),
        "whatsapp": Governor(
            rate=10, per_chat_interval=1.0, headroom=0, monotonic=time.monotonic, sleep=time.sleep
        ),
    }
    return Dispatcher(sessions, {s.channel: s for s in senders}, governors, clock, worker, **kw)


async def _enqueue(
    sessions: Sessions, clock: FixedClock, send_key: str, recipient: str = "1001", **extra
) -> int:
    values = {"channel": "telegram", "kind": "reminder", "body": f"body {send_key}"} | extra
    async with transaction(sessions) as session:
        row = await outbox.enqueue(
            session=session, send_key=send_key, recipient=recipient, now=clock.now(), **values
        )
        return row.id


async def _contact(sessions: Sessions, clock: FixedClock, external_id: str) -> int:
    async with transaction(sessions) as session:
        contact = await get_or_create_contact(
            session=session, channel="telegram", external_id=external_id, now=clock.now()
        )
        return contact.id


async def _row(sessions: Sessions, outbox_id: int) -> Outbox:
    async with sessions() as session:
        return await session.get(Outbox, outbox_id)


async def _statuses(sessions: Sessions) -> dict[str, str]:
    async with sessions() as session:
        return {row.send_key: row.status for row in (await session.exec(select(Outbox))).all()}


@pytest.fixture
def time(clock: FixedClock) -> VirtualTime:
    """Virtual monotonic time that moves the test clock along."""
    return VirtualTime(clock)


async def test_due_rows_are_sent_once_with_what_the_sender_needs(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    sender = FakeSender("telegram", time)
    contact_id = await _contact(sessions, clock, "1001")
    due = await _enqueue(
        sessions, clock, "due", contact_id=contact_id, options=(Option("ya", "Ya"),), variables={"n": 1}
    )
    await _enqueue(sessions, clock, "later", not_before=clock.now() + timedelta(hours=1))
    dispatcher = _dispatcher(sessions, clock, time, sender)
    assert await dispatcher.run_once() == 1
    assert await dispatcher.run_once() == 0
    assert sender.sent[0].message == OutboxMessage(
        id=due,
        channel="telegram",
        recipient="1001",
        kind="reminder",
        body="body due",
        options=(Option("ya", "Ya"),),
        variables={"n": 1},
        contact_id=contact_id,
        priority=0,
        attempt=1,
    )
    row = await _row(sessions, due)
    assert (row.status, row.provider_message_id, row.sent_at) == ("sent", "telegram-1", clock.now())
    assert await _statuses(sessions) == {"due": "sent", "later": "pending"}


async def test_rows_of_channels_without_a_sender_are_left_alone(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    await _enqueue(sessions, clock, "wa", recipient=PHONE, channel="whatsapp")
    assert await _dispatcher(sessions, clock, time, FakeSender("telegram")).run_once() == 0
    assert await _statuses(sessions) == {"wa": "pending"}


def test_every_sender_needs_a_governor(sessions: Sessions, clock: FixedClock) -> None:
    with pytest.raises(ValueError, match="console"):
        Dispatcher(sessions, {"console": FakeSender("console")}, {}, clock, "w1")


async def test_a_crash_after_the_claim_is_delivered_once_by_another_worker_after_the_lease(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    outbox_id = await _enqueue(sessions, clock, "k")
    async with transaction(sessions) as session:  # a worker claims, commits, and dies before sending
        await outbox.claim_due(session=session, now=clock.now(), worker="dead", limit=10)
    sender = FakeSender("telegram", time)
    survivor = _dispatcher(sessions, clock, time, sender, worker="w2")
    assert await survivor.run_once() == 0
    clock.advance(minutes=5)
    assert await survivor.run_once() == 1
    assert await survivor.run_once() == 0
    assert [d.message.id for d in sender.sent] == [outbox_id]
    row = await _row(sessions, outbox_id)
    assert (row.status, row.claimed_by, row.attempts) == ("sent", "w2", 2)


async def test_a_worker_killed_mid_send_delivers_once_when_it_restarts(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    outbox_id = await _enqueue(sessions, clock, "k")
    hanging = HangingSender("telegram")
    running = asyncio.create_task(_dispatcher(sessions, clock, time, hanging).run_once())
    await hanging.started.wait()
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert (await _row(sessions, outbox_id)).status == "sending"
    sender = FakeSender("telegram", time)
    assert await hand_back_previous(sessions, clock, "w1") == 1  # the same worker id starts again
    assert await _dispatcher(sessions, clock, time, sender, worker="w1").run_once() == 1
    assert [d.message.id for d in sender.sent] == [outbox_id]
    assert (await _row(sessions, outbox_id)).status == "sent"


async def test_transient_errors_back_off_then_succeed(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    outbox_id = await _enqueue(sessions, clock, "k")
    sender = FakeSender("telegram", time)
    sender.fail("1001", ConnectionError("reset by peer"), TimeoutError())
    dispatcher = _dispatcher(sessions, clock, time, sender)
    await dispatcher.run_once()
    row = await _row(sessions, outbox_id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "unexpected ConnectionError")
    assert row.next_attempt_at == clock.now() + timedelta(seconds=30)
    clock.advance(seconds=29)
    assert await dispatcher.run_once() == 0
    clock.advance(seconds=1)
    await dispatcher.run_once()
    assert (await _row(sessions, outbox_id)).next_attempt_at == clock.now() + timedelta(minutes=2)
    clock.advance(minutes=2)
    await dispatcher.run_once()
    row = await _row(sessions, outbox_id)
    assert (row.status, row.attempts, len(sender.sent)) == ("sent", 3, 1)


async def test_a_row_fails_after_its_last_attempt(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    outbox_id = await _enqueue(sessions, clock, "k")
    sender = FakeSender("telegram", time)
    sender.fail("1001", OSError(), OSError())
    dispatcher = _dispatcher(sessions, clock, time, sender, max_attempts=2)
    await dispatcher.run_once()
    clock.advance(seconds=30)
    await dispatcher.run_once()
    row = await _row(sessions, outbox_id)
    assert (row.status, row.last_error) == ("failed", "gave up after 2 attempts: unexpected OSError")


async def test_a_permanent_failure_fails_only_that_row(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    await _enqueue(sessions, clock, "bad", recipient="1001")
    await _enqueue(sessions, clock, "good", recipient="2002")
    sender = FakeSender("telegram", time)
    sender.fail("1001", PermanentFailure("Bad Request: message is too long"))
    await _dispatcher(sessions, clock, time, sender).run_once()
    assert await _statuses(sessions) == {"bad": "failed", "good": "sent"}
    assert sender.bodies() == ["body good"]


async def test_an_unreachable_recipient_is_marked_and_nothing_more_is_sent_to_it(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    blocked = await _contact(sessions, clock, "1001")
    await _enqueue(sessions, clock, "first", contact_id=blocked)
    await _enqueue(sessions, clock, "same-batch", contact_id=blocked)
    await _enqueue(
        sessions, clock, "tomorrow", contact_id=blocked, not_before=clock.now() + timedelta(days=1)
    )
    await _enqueue(sessions, clock, "someone-else", recipient="2002")
    sender = FakeSender("telegram", time)
    sender.fail("1001", RecipientUnreachable("Forbidden: bot was blocked by the user"))
    dispatcher = _dispatcher(sessions, clock, time, sender)
    await dispatcher.run_once()
    assert sender.bodies() == ["body someone-else"]
    assert await _statuses(sessions) == {
        "first": "failed",
        "same-batch": "failed",
        "tomorrow": "failed",
        "someone-else": "sent",
    }
    async with sessions() as session:
        assert (
            await session.get(Contact, blocked)
        ).unreachable_reason == "Forbidden: bot was blocked by the user"
    await _enqueue(sessions, clock, "after", contact_id=blocked)
    await dispatcher.run_once()
    assert sender.bodies() == ["body someone-else"]
    assert (await _statuses(sessions))["after"] == "failed"


async def test_retry_after_reschedules_the_row_and_pauses_only_that_channel_for_exactly_that_long(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    start = clock.now()
    throttled = await _enqueue(sessions, clock, "throttled", recipient="1001")
    await _enqueue(sessions, clock, "next-telegram", recipient="2002")
    await _enqueue(sessions, clock, "wa1", recipient=PHONE, channel="whatsapp")
    await _enqueue(sessions, clock, "wa2", recipient="+6281111111111", channel="whatsapp")
    telegram, whatsapp = FakeSender("telegram", time), FakeSender("whatsapp", time)
    telegram.fail("1001", RetryLater("Too Many Requests: retry after 3", retry_after=3))
    dispatcher = _dispatcher(sessions, clock, time, telegram, whatsapp)
    await dispatcher.run_once()
    row = await _row(sessions, throttled)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, start + timedelta(seconds=3))
    assert [(d.message.body, d.at) for d in whatsapp.sent] == [
        ("body wa1", 0.0),
        ("body wa2", pytest.approx(0.1)),
    ]
    assert [(d.message.body, d.at) for d in telegram.sent] == [("body next-telegram", 3.0)]
    assert clock.now() == start + timedelta(seconds=3)
    await dispatcher.run_once()
    assert telegram.bodies() == ["body next-telegram", "body throttled"]
    assert telegram.sent[-1].at == pytest.approx(3.0 + 1 / 30)  # the next free slot after next-telegram's


async def test_a_long_pause_hands_waiting_rows_back_until_it_ends(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    start = clock.now()
    await _enqueue(sessions, clock, "throttled", recipient="1001")
    waiting = await _enqueue(sessions, clock, "waiting", recipient="2002")
    sender = FakeSender("telegram", time)
    sender.fail("1001", RetryLater("Too Many Requests: retry after 600", retry_after=600))
    await _dispatcher(sessions, clock, time, sender, max_pause=30).run_once()
    row = await _row(sessions, waiting)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, start + timedelta(seconds=600))
    assert sender.sent == []


async def test_retry_later_without_a_delay_backs_off_like_any_transient_error(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    outbox_id = await _enqueue(sessions, clock, "k", recipient=PHONE, channel="whatsapp")
    sender = FakeSender("whatsapp", time)
    sender.fail(PHONE, RetryLater("63018 rate limit exceeded"))
    await _dispatcher(sessions, clock, time, sender).run_once()
    row = await _row(sessions, outbox_id)
    assert (row.status, row.attempts, row.next_attempt_at) == (
        "pending",
        1,
        clock.now() + timedelta(seconds=30),
    )


async def test_run_forever_drains_in_batches_until_stopped(
    sessions: Sessions, clock: FixedClock, time: VirtualTime
) -> None:
    for n in range(5):
        await _enqueue(sessions, clock, f"k{n}", recipient=f"chat{n}")
    stop = asyncio.Event()

    class StoppingSender(FakeSender):
        async def send(self, message: OutboxMessage) -> str | None:
            provider_id = await super().send(message)
            if len(self.sent) == 5:
                stop.set()
            return provider_id

    sender = StoppingSender("telegram", time)
    await asyncio.wait_for(_dispatcher(sessions, clock, time, sender, batch=2).run_forever(stop, 3600), 30)
    assert sender.bodies() == [f"body k{n}" for n in range(5)]


async def test_logs_mask_recipients_and_never_show_bodies(
    sessions: Sessions, clock: FixedClock, time: VirtualTime, caplog: pytest.LogCaptureFixture
) -> None:
    await _enqueue(
        sessions, clock, "ok", recipient=PHONE, channel="whatsapp", body="Angsuran Rp1.250.000 jatuh tempo"
    )
    await _enqueue(
        sessions, clock, "bad", recipient="+6282222222222", channel="whatsapp", body="NIK 3201234567890123"
    )
    sender = FakeSender("whatsapp", time)
    sender.fail("+6282222222222", PermanentFailure("21211 invalid To number"))
    with caplog.at_level(logging.INFO, logger="bot.delivery"):
        await _dispatcher(sessions, clock, time, sender).run_once()
    assert mask(PHONE) in caplog.text and mask("+6282222222222") in caplog.text
    for secret in (PHONE, "+6282222222222", "Angsuran", "3201234567890123"):
        assert secret not in caplog.text


async def test_drain_keeps_claiming_while_batches_are_full(sessions, clock) -> None:
    sender = FakeSender("telegram")
    time = VirtualTime(clock)
    governors = make_governors(
        {"telegram": ChannelLimits(rate=1000)}, monotonic=time.monotonic, sleep=time.sleep
    )
    dispatcher = Dispatcher(sessions, {"telegram": sender}, governors, clock, "w1", batch=10)
    async with sessions.begin() as session:
        for n in range(25):
            await outbox.enqueue(
                session=session,
                channel="telegram",
                recipient=f"chat-{n}",
                kind="broadcast",
                body="info",
                send_key=f"drain-{n}",
                now=clock.now(),
            )
    assert await dispatcher.drain() == 25
    assert len(sender.sent) == 25
