"""The outbox over Telegram: the dispatcher with the real sender, python-telegram-bot and the fake Bot API.

Crashes, flood control (429 retry_after), blocked users (403) and server errors (5xx), each checked on the
calls the fake recorded and on the outbox rows.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.claims import hand_back_previous, renew_once
from bot.delivery import Dispatcher
from bot.messages import Option
from storage import outbox
from storage.contacts import get_or_create_contact
from storage.db import transaction
from storage.models import Contact, Outbox
from tests.fake_telegram import BLOCKED
from tests.telegram import factories as f
from tests.telegram.conftest import TelegramBot, keyboard_of

CHAT = 777000222
# PTB 22 warns about RetryAfter.retry_after becoming a timedelta while it builds the error itself.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def _dispatcher(tg: TelegramBot, worker: str = "w1") -> Dispatcher:
    """A dispatcher over the Telegram channel's sender and the app's governors (virtual time)."""
    s = tg.services
    return Dispatcher(s.sessions, {"telegram": tg.channel.sender()}, s.governors, s.clock, worker)


async def _contact(tg: TelegramBot, chat: int = CHAT) -> int:
    async with transaction(tg.services.sessions) as session:
        contact = await get_or_create_contact(
            session=session, channel="telegram", external_id=str(chat), now=tg.services.clock.now()
        )
        return contact.id


async def _enqueue(tg: TelegramBot, key: str, chat: int = CHAT, **extra) -> int:
    values = {"kind": "reminder", "body": f"Pengingat *{key}*: angsuran jatuh tempo besok."} | extra
    async with transaction(tg.services.sessions) as session:
        row = await outbox.enqueue(
            session=session,
            channel="telegram",
            recipient=str(chat),
            send_key=key,
            now=tg.services.clock.now(),
            **values,
        )
        return row.id


async def _row(tg: TelegramBot, outbox_id: int) -> Outbox:
    async with tg.services.sessions() as session:
        return await session.get(Outbox, outbox_id)


async def test_a_live_worker_keeps_its_claim_by_renewing_the_lease(tg: TelegramBot) -> None:
    outbox_id = await _enqueue(tg, "slow")
    async with transaction(tg.services.sessions) as session:
        await outbox.claim_due(session=session, now=tg.services.clock.now(), worker="w1", limit=10)
    for _ in range(6):  # a minute of heartbeats every 10 s: the claim never looks abandoned
        tg.services.clock.advance(seconds=10)
        assert await renew_once(tg.services.sessions, tg.services.clock, "w1", {outbox_id}) == 1
        assert await _dispatcher(tg, "w2").run_once() == 0
    tg.services.clock.advance(seconds=16)
    assert await _dispatcher(tg, "w2").run_once() == 1
    assert (await _row(tg, outbox_id)).status == "sent"


async def test_a_delivery_that_broke_off_is_no_longer_renewed_and_is_taken_over(
    tg: TelegramBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    tg.expected_errors.append("delivery broke off")
    outbox_id = await _enqueue(tg, "bug")
    held: set[int] = set()
    s = tg.services
    first = Dispatcher(s.sessions, {"telegram": tg.channel.sender()}, s.governors, s.clock, "w1", held=held)

    async def bug(*_args: object) -> None:
        raise RuntimeError("a bug after the claim")

    monkeypatch.setattr(first, "_deliver_held", bug)
    assert await first.run_once() == 1
    assert held == set() and (await _row(tg, outbox_id)).status == "sending"
    assert await renew_once(s.sessions, s.clock, "w1", held) == 0  # w1 lives on but no longer renews it
    tg.services.clock.advance(seconds=16)
    assert await _dispatcher(tg, "w2").run_once() == 1
    assert (await _row(tg, outbox_id)).status == "sent"


async def test_an_outbox_row_goes_out_as_html_with_its_buttons(tg: TelegramBot) -> None:
    options = (Option("paid", "Sudah bayar"), Option("global:menu", "Menu"))
    outbox_id = await _enqueue(tg, "r1", options=options)
    assert await _dispatcher(tg).run_once() == 1
    [sent] = tg.fake.sent(CHAT)
    assert sent["text"] == "Pengingat <b>r1</b>: angsuran jatuh tempo besok." and sent["parse_mode"] == "HTML"
    assert keyboard_of(sent) == [[("1. Sudah bayar", "paid")], [("2. Menu", "global:menu")]]
    row = await _row(tg, outbox_id)
    assert (row.status, row.provider_message_id) == ("sent", "1")


async def test_a_long_row_is_sent_in_pieces_with_the_keyboard_last(tg: TelegramBot) -> None:
    body = "\n".join(f"Bulan {n}: Rp1.721.329" for n in range(1, 400))
    await _enqueue(tg, "long", body=body, options=(Option("global:menu", "Menu"),))
    await _dispatcher(tg).run_once()
    sent = tg.fake.sent(CHAT)
    assert len(sent) == 3 and "\n".join(p["text"] for p in sent) == body
    assert all(len(p["text"]) <= 4096 for p in sent)
    assert [keyboard_of(p) for p in sent] == [[], [], [[("Menu", "global:menu")]]]


async def test_a_claim_dropped_before_sending_is_sent_once_by_the_restarted_worker(tg: TelegramBot) -> None:
    outbox_id = await _enqueue(tg, "crash")
    async with transaction(tg.services.sessions) as session:  # claimed and committed, then the process dies
        [claimed] = await outbox.claim_due(
            session=session, now=tg.services.clock.now(), worker="w1", limit=10
        )
    assert claimed.id == outbox_id and (await _row(tg, outbox_id)).status == "sending"
    assert await _dispatcher(tg, "w2").run_once() == 0  # another worker waits for the lease
    assert await _dispatcher(tg, "w1").run_once() == 0  # a live w1 could still be sending it
    assert await hand_back_previous(tg.services.sessions, tg.services.clock, "w1") == 1  # w1 restarts
    assert await _dispatcher(tg, "w1").run_once() == 1
    assert await _dispatcher(tg, "w1").run_once() == 0
    assert len(tg.fake.sent(CHAT)) == 1 and (await _row(tg, outbox_id)).status == "sent"


async def test_a_worker_killed_mid_send_is_replaced_after_the_lease_and_sends_once(tg: TelegramBot) -> None:
    outbox_id = await _enqueue(tg, "killed")
    tg.fake.hang()
    running = asyncio.create_task(_dispatcher(tg, "w1").run_once())
    await tg.fake.hanging.wait()
    running.cancel()  # the process is killed while the request is in flight
    with pytest.raises(asyncio.CancelledError):
        await running
    assert (await _row(tg, outbox_id)).status == "sending"
    assert await _dispatcher(tg, "w2").run_once() == 0
    tg.services.clock.advance(seconds=16)  # w1 stopped renewing its 15-second lease
    assert await _dispatcher(tg, "w2").run_once() == 1
    assert [c.status for c in tg.fake.of("sendMessage", status=None)] == [0, 200]
    assert len(tg.fake.sent(CHAT)) == 1 and (await _row(tg, outbox_id)).status == "sent"


async def test_flood_control_reschedules_the_row_and_pauses_the_channel_for_retry_after(
    tg: TelegramBot,
) -> None:
    outbox_id = await _enqueue(tg, "flood")
    tg.fake.flood(retry_after=7)
    start = tg.services.clock.now()
    await _dispatcher(tg).run_once()
    row = await _row(tg, outbox_id)
    assert (row.status, row.attempts) == ("pending", 0)  # a throttled try is not an attempt
    assert row.next_attempt_at == start + timedelta(seconds=7) and "Flood control" in row.last_error
    governor = tg.services.governors["telegram"]
    assert governor.paused_for() == pytest.approx(7.0)
    other = await _enqueue(tg, "other-chat", chat=CHAT + 1)
    paused_at = tg.time.now
    await _dispatcher(tg).run_once()  # the other chat's row waits out the pause
    assert tg.time.now - paused_at >= 7.0 and (await _row(tg, other)).status == "sent"
    assert await _dispatcher(tg).run_once() == 1  # the throttled row, due now
    assert [c.status for c in tg.fake.of("sendMessage", status=None)] == [429, 200, 200]
    assert (await _row(tg, outbox_id)).status == "sent"


async def test_a_blocked_user_is_marked_unreachable_and_gets_nothing_more(tg: TelegramBot) -> None:
    contact_id = await _contact(tg)
    first = await _enqueue(tg, "b1", contact_id=contact_id)
    second = await _enqueue(tg, "b2", contact_id=contact_id)
    tg.fake.block(CHAT)
    await _dispatcher(tg).run_once()
    assert [(await _row(tg, i)).status for i in (first, second)] == ["failed", "failed"]
    async with tg.services.sessions() as session:
        contact = await session.get(Contact, contact_id)
    assert BLOCKED.partition(": ")[2] in contact.unreachable_reason.casefold()
    later = await _enqueue(tg, "b3", contact_id=contact_id)
    assert await _dispatcher(tg).run_once() == 0
    assert (await _row(tg, later)).status == "failed"
    assert [c.status for c in tg.fake.of("sendMessage", status=None)] == [403]


@pytest.mark.parametrize(
    ("status", "description"),
    [(400, "Bad Request: chat not found"), (403, "Forbidden: user is deactivated")],
)
async def test_other_unreachable_answers_mark_the_contact(
    tg: TelegramBot, status: int, description: str
) -> None:
    contact_id = await _contact(tg)
    outbox_id = await _enqueue(tg, "u", contact_id=contact_id)
    tg.fake.fail(status, description)
    await _dispatcher(tg).run_once()
    async with tg.services.sessions() as session:
        contact = await session.get(Contact, contact_id)
    assert description.partition(": ")[2] in contact.unreachable_reason.casefold()
    assert (await _row(tg, outbox_id)).status == "failed"


async def test_a_bad_request_fails_only_that_row(tg: TelegramBot) -> None:
    bad = await _enqueue(tg, "bad")
    tg.fake.fail(400, "Bad Request: message is too long")
    await _dispatcher(tg).run_once()
    good = await _enqueue(tg, "good")
    await _dispatcher(tg).run_once()
    assert (await _row(tg, bad)).status == "failed" and (await _row(tg, good)).status == "sent"
    assert "Message is too long" in (await _row(tg, bad)).last_error


async def test_a_server_error_is_retried_with_backoff(tg: TelegramBot) -> None:
    outbox_id = await _enqueue(tg, "5xx")
    tg.fake.break_down(times=2)
    start = tg.services.clock.now()
    await _dispatcher(tg).run_once()
    row = await _row(tg, outbox_id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, start + timedelta(seconds=30))
    assert "Internal Server Error" in row.last_error
    assert await _dispatcher(tg).run_once() == 0  # not before the backoff
    tg.services.clock.advance(seconds=30)
    await _dispatcher(tg).run_once()
    row = await _row(tg, outbox_id)
    assert (row.status, row.attempts) == ("pending", 2)
    assert row.next_attempt_at == tg.services.clock.now() + timedelta(minutes=2)
    tg.services.clock.advance(minutes=2)
    await _dispatcher(tg).run_once()
    assert [c.status for c in tg.fake.of("sendMessage", status=None)] == [500, 500, 200]
    assert (await _row(tg, outbox_id)).status == "sent"


async def test_a_reply_hit_by_flood_control_is_queued_and_delivered_after_retry_after(
    tg: TelegramBot,
) -> None:
    tg.fake.flood(retry_after=3)
    assert await tg.send(f.command("start")) == []
    async with tg.services.sessions() as session:
        rows = (await session.exec(select(Outbox).order_by(Outbox.id))).all()
    assert [(r.kind, r.priority, r.status) for r in rows] == [("reply", 100, "pending")] * 2
    assert {r.next_attempt_at for r in rows} == {tg.services.clock.now() + timedelta(seconds=3)}
    tg.services.clock.advance(seconds=3)
    assert await _dispatcher(tg).run_once() == 2
    texts = tg.fake.texts(f.CHAT)
    assert "Selamat datang" in texts[0] and "Menu utama" in texts[1]


async def test_a_reply_to_a_user_who_blocked_the_bot_marks_them_and_is_not_retried(tg: TelegramBot) -> None:
    await tg.send(f.command("start"))
    tg.fake.block(f.CHAT)
    assert await tg.send(f.command("menu")) == []
    async with tg.services.sessions() as session:
        contact = (await session.exec(select(Contact))).one()
        statuses = [r.status for r in (await session.exec(select(Outbox).order_by(Outbox.id))).all()]
    assert statuses[:2] == ["sent", "sent"] and set(statuses[2:]) == {
        "failed"
    }  # the answer to /menu: none retried
    assert "blocked by the user" in contact.unreachable_reason.casefold()
    assert await _dispatcher(tg).run_once() == 0
    assert [c.status for c in tg.fake.of("sendMessage", status=None)][-1] == 403


async def test_a_user_who_unblocks_and_writes_again_is_reachable_again(tg: TelegramBot) -> None:
    contact_id = await _contact(tg, f.CHAT)
    tg.fake.block(f.CHAT)
    await _enqueue(tg, "before", chat=f.CHAT, contact_id=contact_id)
    await _dispatcher(tg).run_once()
    tg.fake.faults.clear()  # the user unblocks the bot and writes
    sent = await tg.send(f.command("start"))
    assert "Selamat datang" in sent[0]["text"]
    async with tg.services.sessions() as session:
        assert (await session.get(Contact, contact_id)).unreachable_reason is None
    later = await _enqueue(tg, "after", chat=f.CHAT, contact_id=contact_id)
    tg.services.clock.advance(seconds=2)
    assert await _dispatcher(tg).run_once() == 1 and (await _row(tg, later)).status == "sent"
