"""Once the webhook answers 200 the answer is safe: committed as claimed outbox rows before the 200, sent once."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.delivery import Dispatcher
from bot.retention import retention_job
from storage.db import make_engine
from storage.models import Outbox, ProcessedInbound
from tests.telegram import factories as f
from tests.telegram.conftest import TelegramBot


async def _rows(tg: TelegramBot) -> list[Outbox]:
    async with tg.services.sessions() as session:
        return list((await session.exec(select(Outbox).order_by(Outbox.id))).all())


def _other_worker(tg: TelegramBot) -> Dispatcher:
    """A dispatcher in another process (another worker id) over the same database and stand-in."""
    s = tg.services
    return Dispatcher(s.sessions, {"telegram": tg.channel.sender()}, s.governors, s.clock, "other-worker")


async def test_the_answer_is_committed_before_the_200_and_survives_a_kill(tg: TelegramBot) -> None:
    tg.fake.hang()  # the first send never returns: the process is killed while it is in flight
    response = await tg.post(f.command("start"))
    assert response.status_code == 200
    rows = await _rows(tg)
    assert [(r.kind, r.priority, r.status, r.claimed_by) for r in rows] == [
        ("reply", 100, "sending", tg.services.worker_id)
    ] * 2
    await tg.fake.hanging.wait()
    for task in list(tg.channel.pipeline._tasks):  # SIGKILL: the fast path dies with the process
        task.cancel()
    await asyncio.gather(*tg.channel.pipeline._tasks, return_exceptions=True)
    assert await _other_worker(tg).run_once() == 0  # the dead process's lease is still running
    tg.services.clock.advance(seconds=16)
    assert await _other_worker(tg).run_once() == 2
    texts = tg.fake.texts(f.CHAT)
    assert len(texts) == 2 and "Selamat datang" in texts[0] and "Menu utama" in texts[1]
    assert {r.status for r in await _rows(tg)} == {"sent"}


async def test_a_resent_update_gets_no_second_answer(tg: TelegramBot) -> None:
    update = f.command("start")
    first = await tg.send(update)
    again = await tg.send(update)  # Telegram resends after a timeout on its side
    assert len(first) == 2 and again == []
    assert len(await _rows(tg)) == 2


async def test_when_nothing_can_be_saved_the_webhook_asks_telegram_to_resend(
    tg: TelegramBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    tg.expected_errors += ["engine failed", "could not recover"]

    async def database_away(**_kwargs: object) -> bool:
        raise ConnectionError("database is away")

    monkeypatch.setattr("bot.engine.mark_processed", database_away)
    update = f.command("start")
    assert (await tg.post(update)).status_code == 503
    assert await _rows(tg) == [] and tg.fake.sent() == []
    monkeypatch.undo()
    assert len(await tg.send(update)) == 2  # the resent update is answered once the database is back
    async with tg.services.sessions() as session:
        assert len((await session.exec(select(ProcessedInbound))).all()) == 1


async def test_an_engine_failure_apologises_once_even_when_the_update_is_resent(
    tg: TelegramBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    tg.expected_errors.append("engine failed")

    async def broken(*_args: object) -> list[object]:
        raise RuntimeError("a bug in a flow")

    monkeypatch.setattr("bot.engine.Engine._route", broken)
    update = f.command("start")
    apology = await tg.send(update)
    assert "Maaf" in apology[0]["text"]
    assert await tg.send(update) == []


async def test_sent_replies_and_old_message_ids_are_kept_only_for_a_while(tg: TelegramBot) -> None:
    update = f.command("start")
    await tg.send(update)
    prune = retention_job(tg.services)
    tg.services.clock.advance(days=1)
    assert await prune() == 0
    tg.services.clock.advance(days=1, seconds=1)
    assert await prune() == 2 and await _rows(tg) == []  # the two replies' text is gone
    assert await tg.send(update) == []  # the update id is still known: a late resend is not answered again
    tg.services.clock.advance(days=5)
    assert await prune() == 1


async def test_after_the_database_restarts_one_update_is_resent_and_none_is_lost(
    tg: TelegramBot, db_url: str
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("a server restart is a PostgreSQL matter (SQLite opens its file again)")
    tg.expected_errors += ["engine failed", "could not recover"]
    assert len(await tg.send(f.command("start"))) == 2  # the pool now holds a connection
    engine = tg.services.sessions.kw["bind"]
    admin = make_engine(db_url)
    async with admin.connect() as connection:  # the server restarted: every connection it had is gone
        others = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
        await connection.execute(text(f"{others} AND pid <> pg_backend_pid()"))
    await admin.dispose()
    update = f.text("menu")
    first = await tg.post(update)
    if first.status_code == 503:  # the stale connection failed: the pool is thrown away, Telegram resends
        first = await tg.post(update)
    assert first.status_code == 200
    await tg.channel.idle()
    assert any("Menu utama" in text for text in tg.fake.texts(f.CHAT)[2:])
    assert engine.pool.checkedout() == 0
