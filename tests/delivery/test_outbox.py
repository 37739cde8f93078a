"""The outbox repository: send-once keys, claims, leases, outcomes and delivery statuses, on every backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import FixedClock
from bot.messages import Option
from storage import outbox
from storage.contacts import get_or_create_contact
from storage.db import is_sqlite, transaction
from storage.models import Contact, Outbox

Sessions = async_sessionmaker[AsyncSession]


async def _contact(sessions: Sessions, clock: FixedClock, external_id: str = "1001") -> int:
    async with transaction(sessions) as session:
        contact = await get_or_create_contact(
            session=session, channel="telegram", external_id=external_id, now=clock.now()
        )
        assert contact.id is not None
        return contact.id


async def _enqueue(sessions: Sessions, clock: FixedClock, send_key: str, **extra) -> Outbox | None:
    values = {"channel": "telegram", "recipient": "1001", "kind": "reminder", "body": f"body {send_key}"}
    async with transaction(sessions) as session:
        return await outbox.enqueue(session=session, send_key=send_key, now=clock.now(), **(values | extra))


async def _claim(
    sessions: Sessions, clock: FixedClock, worker: str = "w1", limit: int = 10, **extra
) -> list[int]:
    async with transaction(sessions) as session:
        rows = await outbox.claim_due(session=session, now=clock.now(), worker=worker, limit=limit, **extra)
        return [row.id for row in rows]


async def _row(sessions: Sessions, outbox_id: int) -> Outbox:
    async with sessions() as session:
        row = await session.get(Outbox, outbox_id)
        assert row is not None
        return row


async def _count(sessions: Sessions) -> int:
    async with sessions() as session:
        return (await session.exec(select(func.count()).select_from(Outbox))).one()


async def test_enqueue_writes_a_pending_row(sessions: Sessions, clock: FixedClock) -> None:
    contact_id = await _contact(sessions, clock)
    row = await _enqueue(
        sessions,
        clock,
        "reminder:1:2026-11",
        contact_id=contact_id,
        options=(Option("paid", "Sudah bayar"),),
        variables={"amount": 1_250_000},
        priority=5,
    )
    assert row is not None and row.id is not None
    stored = await _row(sessions, row.id)
    assert (stored.status, stored.attempts, stored.priority, stored.contact_id) == (
        "pending",
        0,
        5,
        contact_id,
    )
    assert stored.options == [{"id": "paid", "label": "Sudah bayar"}]
    assert stored.variables == {"amount": 1_250_000}
    assert stored.next_attempt_at == clock.now() == stored.created_at


async def test_enqueue_is_once_per_send_key(sessions: Sessions, clock: FixedClock) -> None:
    first = await _enqueue(sessions, clock, "booking:7:confirmed")
    again = await _enqueue(sessions, clock, "booking:7:confirmed", body="another body")
    assert first is not None and again is None
    assert await _count(sessions) == 1
    assert (await _row(sessions, first.id)).body == "body booking:7:confirmed"


async def test_enqueue_twice_in_one_transaction_keeps_the_first(
    sessions: Sessions, clock: FixedClock
) -> None:
    async with transaction(sessions) as session:
        kwargs = {
            "channel": "telegram",
            "recipient": "1",
            "kind": "k",
            "send_key": "same",
            "now": clock.now(),
        }
        assert await outbox.enqueue(session=session, body="first", **kwargs) is not None
        assert await outbox.enqueue(session=session, body="second", **kwargs) is None
    assert await _count(sessions) == 1


async def test_concurrent_enqueues_of_one_key_make_one_row(sessions: Sessions, clock: FixedClock) -> None:
    results = await asyncio.gather(*(_enqueue(sessions, clock, "broadcast:3:1001") for _ in range(5)))
    assert sum(result is not None for result in results) == 1
    assert await _count(sessions) == 1


async def test_not_before_delays_the_row(sessions: Sessions, clock: FixedClock) -> None:
    await _enqueue(sessions, clock, "later", not_before=clock.now() + timedelta(hours=1))
    assert await _claim(sessions, clock) == []
    clock.advance(hours=1)
    assert len(await _claim(sessions, clock)) == 1


async def test_claim_takes_highest_priority_then_most_overdue(sessions: Sessions, clock: FixedClock) -> None:
    start = clock.now()
    clock.advance(minutes=30)
    recent = await _enqueue(sessions, clock, "recent", not_before=start + timedelta(minutes=20))
    urgent = await _enqueue(sessions, clock, "urgent", priority=10)
    oldest = await _enqueue(sessions, clock, "oldest", not_before=start)
    await _enqueue(sessions, clock, "future", not_before=clock.now() + timedelta(seconds=1))
    assert await _claim(sessions, clock, limit=2) == [urgent.id, oldest.id]
    assert await _claim(sessions, clock, worker="w2") == [recent.id]


async def test_claim_marks_rows_sending_and_commits(sessions: Sessions, clock: FixedClock) -> None:
    row = await _enqueue(sessions, clock, "k")
    await _claim(sessions, clock, worker="w1")
    stored = await _row(sessions, row.id)
    assert (stored.status, stored.claimed_by, stored.claimed_at, stored.attempts) == (
        "sending",
        "w1",
        clock.now(),
        1,
    )


async def test_claim_only_takes_the_given_channels(sessions: Sessions, clock: FixedClock) -> None:
    await _enqueue(sessions, clock, "tg")
    wa = await _enqueue(sessions, clock, "wa", channel="whatsapp", recipient="+6281234567890")
    assert await _claim(sessions, clock, channels=["whatsapp"]) == [wa.id]


async def test_claim_of_a_dead_worker_is_taken_over_after_the_lease(
    sessions: Sessions, clock: FixedClock
) -> None:
    row = await _enqueue(sessions, clock, "k")
    assert await _claim(sessions, clock, worker="dead") == [row.id]
    clock.advance(seconds=14)
    assert await _claim(sessions, clock, worker="w2") == []
    clock.advance(seconds=1)
    assert await _claim(sessions, clock, worker="w2") == [row.id]
    stored = await _row(sessions, row.id)
    assert (stored.claimed_by, stored.attempts) == ("w2", 2)


async def test_a_restarted_worker_hands_its_claims_back_at_once(
    sessions: Sessions, clock: FixedClock
) -> None:
    row = await _enqueue(sessions, clock, "k")
    await _claim(sessions, clock, worker="w1")
    assert await _claim(sessions, clock, worker="w1") == []  # a live claim is never claimed twice
    async with transaction(sessions) as session:
        assert await outbox.release_claims(session=session, worker="w1", next_attempt_at=clock.now()) == 1
    assert await _claim(sessions, clock, worker="w2") == [row.id]
    assert (await _row(sessions, row.id)).attempts == 1  # handing back is not an attempt


async def test_a_claim_whose_lease_is_renewed_is_never_taken_over(
    sessions: Sessions, clock: FixedClock
) -> None:
    row = await _enqueue(sessions, clock, "k")
    await _claim(sessions, clock, worker="w1")
    for _ in range(10):
        clock.advance(seconds=10)
        async with transaction(sessions) as session:
            assert await outbox.renew_claims(session=session, worker="w1", now=clock.now(), ids=[row.id]) == 1
        assert await _claim(sessions, clock, worker="w2") == []
    clock.advance(seconds=15)
    assert await _claim(sessions, clock, worker="w2") == [row.id]


async def test_concurrent_claimers_never_share_a_row(
    sessions: Sessions, clock: FixedClock, db_url: str
) -> None:
    ids = {(await _enqueue(sessions, clock, f"k{n}")).id for n in range(40)}
    # On PostgreSQL all four transactions hold their claims at once (SKIP LOCKED); SQLite serialises them.
    barrier = None if is_sqlite(db_url) else asyncio.Barrier(4)

    async def claimer(worker: str) -> list[int]:
        async with transaction(sessions) as session:
            rows = await outbox.claim_due(session=session, now=clock.now(), worker=worker, limit=15)
            if barrier is not None:
                await barrier.wait()
            return [row.id for row in rows]

    claims = await asyncio.wait_for(asyncio.gather(*(claimer(f"w{n}") for n in range(4))), timeout=30)
    flat = [outbox_id for claim in claims for outbox_id in claim]
    assert len(flat) == len(set(flat)) == 40
    assert set(flat) == ids


async def test_rows_to_unreachable_contacts_fail_instead_of_being_claimed(
    sessions: Sessions, clock: FixedClock
) -> None:
    contact_id = await _contact(sessions, clock)
    async with transaction(sessions) as session:
        contact = await session.get(Contact, contact_id)
        contact.unreachable_reason = "Forbidden: bot was blocked by the user"
    row = await _enqueue(sessions, clock, "k", contact_id=contact_id)
    assert await _claim(sessions, clock) == []
    stored = await _row(sessions, row.id)
    assert (stored.status, stored.last_error, stored.attempts) == (
        "failed",
        "Forbidden: bot was blocked by the user",
        0,
    )


async def _claimed(sessions: Sessions, clock: FixedClock, key: str = "k") -> int:
    row = await _enqueue(sessions, clock, key)
    await _claim(sessions, clock, worker="w1")
    return row.id


async def test_mark_sent_records_each_rows_provider_id_in_one_statement(
    sessions: Sessions, clock: FixedClock
) -> None:
    first = await _claimed(sessions, clock)
    second = await _claimed(sessions, clock, key="k2")
    async with transaction(sessions) as session:
        sent = {first: "SM1", second: None}
        assert await outbox.mark_sent(session=session, worker="w1", now=clock.now(), sent=sent) == {
            first,
            second,
        }
    stored = await _row(sessions, first)
    assert (stored.status, stored.provider_message_id, stored.sent_at) == ("sent", "SM1", clock.now())
    assert (await _row(sessions, second)).provider_message_id is None


async def test_marks_from_a_worker_that_lost_the_claim_change_nothing(
    sessions: Sessions, clock: FixedClock
) -> None:
    outbox_id = await _claimed(sessions, clock)
    async with transaction(sessions) as session:
        assert not await outbox.mark_failed(session=session, outbox_id=outbox_id, worker="other", reason="x")
        assert not await outbox.mark_sent(
            session=session, worker="other", now=clock.now(), sent={outbox_id: "SM9"}
        )
    assert (await _row(sessions, outbox_id)).status == "sending"


async def test_mark_retry_reschedules_and_throttling_does_not_count(
    sessions: Sessions, clock: FixedClock
) -> None:
    outbox_id = await _claimed(sessions, clock)
    later = clock.now() + timedelta(seconds=30)
    async with transaction(sessions) as session:
        await outbox.mark_retry(
            session=session, outbox_id=outbox_id, worker="w1", next_attempt_at=later, error="timeout"
        )
    stored = await _row(sessions, outbox_id)
    assert (stored.status, stored.next_attempt_at, stored.attempts, stored.last_error) == (
        "pending",
        later,
        1,
        "timeout",
    )
    clock.advance(seconds=30)
    await _claim(sessions, clock, worker="w1")
    async with transaction(sessions) as session:
        await outbox.mark_retry(
            session=session,
            outbox_id=outbox_id,
            worker="w1",
            next_attempt_at=later,
            error="429",
            throttled=True,
        )
    assert (await _row(sessions, outbox_id)).attempts == 1


async def test_mark_failed_keeps_the_reason(sessions: Sessions, clock: FixedClock) -> None:
    outbox_id = await _claimed(sessions, clock)
    async with transaction(sessions) as session:
        await outbox.mark_failed(session=session, outbox_id=outbox_id, worker="w1", reason="x" * 900)
    stored = await _row(sessions, outbox_id)
    assert stored.status == "failed" and stored.last_error == "x" * 500


async def test_unreachable_recipient_fails_every_waiting_row_of_the_contact(
    sessions: Sessions, clock: FixedClock
) -> None:
    blocked = await _contact(sessions, clock, "1001")
    other = await _contact(sessions, clock, "2002")
    tomorrow = clock.now() + timedelta(days=1)
    mine = [
        await _enqueue(sessions, clock, f"mine{n}", contact_id=blocked, not_before=tomorrow) for n in range(2)
    ]
    same_chat = await _enqueue(sessions, clock, "no-contact", recipient="1001")
    theirs = await _enqueue(sessions, clock, "theirs", contact_id=other, recipient="2002")
    async with transaction(sessions) as session:
        failed = await outbox.mark_recipient_unreachable(
            session=session,
            channel="telegram",
            recipient="1001",
            contact_id=blocked,
            reason="user is deactivated",
        )
    assert failed == 3
    for row in [*mine, same_chat]:
        stored = await _row(sessions, row.id)
        assert (stored.status, stored.last_error) == ("failed", "user is deactivated")
    assert (await _row(sessions, theirs.id)).status == "pending"
    async with sessions() as session:
        assert (await session.get(Contact, blocked)).unreachable_reason == "user is deactivated"
        assert (await session.get(Contact, other)).unreachable_reason is None


async def test_cancel_pending_for_contact(sessions: Sessions, clock: FixedClock) -> None:
    contact_id = await _contact(sessions, clock)
    waiting = await _enqueue(sessions, clock, "waiting", contact_id=contact_id)
    sending = await _enqueue(sessions, clock, "sending", contact_id=contact_id)
    async with transaction(sessions) as session:
        await outbox.claim_due(session=session, now=clock.now(), worker="w1", limit=1, channels=["telegram"])
    async with transaction(sessions) as session:
        assert (
            await outbox.cancel_pending_for_contact(session=session, contact_id=contact_id, reason="STOP")
            == 1
        )
    assert (await _row(sessions, waiting.id)).status == "sending"
    stored = await _row(sessions, sending.id)
    assert (stored.status, stored.last_error) == ("cancelled", "STOP")


@pytest.mark.parametrize(
    ("statuses", "final"),
    [
        (["queued", "sent", "delivered", "read"], "read"),
        (["sent", "read", "delivered"], "read"),
        (["delivered", "sent", "queued"], "delivered"),
        (["sent", "undelivered", "delivered", "read"], "undelivered"),
        (["queued", "failed", "sent"], "failed"),
        (["delivered", "failed"], "delivered"),
        (["sent", "receiving"], "sent"),
    ],
    ids=[
        "forward",
        "read-beats-late-delivered",
        "no-regress",
        "undelivered-final",
        "failed-final",
        "no-fail-after-delivery",
        "unknown-ignored",
    ],
)
async def test_delivery_status_only_moves_forward(
    sessions: Sessions, clock: FixedClock, statuses: list[str], final: str
) -> None:
    outbox_id = await _claimed(sessions, clock)
    async with transaction(sessions) as session:
        await outbox.mark_sent(session=session, worker="w1", now=clock.now(), sent={outbox_id: "SM42"})
    for status in statuses:
        async with transaction(sessions) as session:
            await outbox.set_delivery_status(session=session, provider_message_id="SM42", status=status)
    assert (await _row(sessions, outbox_id)).delivery_status == final


async def test_delivery_status_of_an_unknown_message_is_ignored(sessions: Sessions) -> None:
    async with transaction(sessions) as session:
        assert not await outbox.set_delivery_status(
            session=session, provider_message_id="SMnope", status="read"
        )
