"""Erasure over Telegram, where every reply is an outbox row: even the confirmation leaves no chat id behind."""

from __future__ import annotations

from bot.privacy import erasure_job
from storage.models import Outbox
from tests.stored import all_rows, text_values
from tests.telegram import factories as f
from tests.telegram.conftest import TelegramBot


async def _holding(tg: TelegramBot, trace: str) -> list[tuple[str, str]]:
    """(table, column) of every text or JSON value in the database that contains `trace`."""
    tables = await all_rows(tg.services.sessions)
    return [(table, column) for table, column, text in text_values(tables) if trace in text]


async def test_the_confirmation_is_sent_then_erased_by_the_follow_up_job(tg: TelegramBot) -> None:
    chat = str(f.CHAT)
    await tg.send(f.command("start"))
    assert "Hapus data Anda?" in (await tg.send(f.text("hapus data")))[-1]["text"]
    [confirmation] = await tg.send(f.text("1"))
    assert "sudah dihapus" in confirmation["text"] and confirmation["chat_id"] == f.CHAT
    # The confirmation went out after the erasure: its outbox row still names the chat until the job runs.
    assert ("outbox", "recipient") in await _holding(tg, chat)
    assert await erasure_job(tg.services)() == 1
    assert await _holding(tg, chat) == [] and await _holding(tg, "sudah dihapus") == []
    async with tg.services.sessions() as session:
        rows = (await session.exec(Outbox.__table__.select())).all()
    assert rows and {row.status for row in rows} == {"sent"} and {row.recipient for row in rows} == {"-"}
    assert await erasure_job(tg.services)() == 0  # nothing left to do
