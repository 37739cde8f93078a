"""Bodies Telegram's webhook must survive: malformed, unsupported or oversized updates are answered, never 5xx."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import pytest
from sqlmodel import func, select

from bot.bodylimit import MAX_BODY
from storage.models import Contact, ProcessedInbound
from tests.telegram import factories as f
from tests.telegram.conftest import SECRET, TelegramBot


def _without(update: dict, *path: str) -> dict:
    """The update with one nested field removed."""
    part = update
    for key in path[:-1]:
        part = part[key]
    del part[path[-1]]
    return update


def _with(update: dict, value: object, *path: str) -> dict:
    """The update with one nested field replaced."""
    part = update
    for key in path[:-1]:
        part = part[key]
    part[path[-1]] = value
    return update


def _raw(update: dict) -> bytes:
    return json.dumps(update).encode()


SKIPPED = [
    pytest.param(b'{"update_id": 1, "message": ', id="malformed-json"),
    pytest.param(b"\xff\xfe not utf-8", id="not-utf8"),
    pytest.param(b"", id="empty"),
    pytest.param(b"[1, 2]", id="json-array"),
    pytest.param(b'"update"', id="json-string"),
    pytest.param(b'{"message": {}}', id="no-update-id"),
    pytest.param(b'{"update_id": "7"}', id="update-id-not-int"),
    pytest.param(b'{"update_id": true, "message": {}}', id="update-id-bool"),
    pytest.param(b'{"update_id": 7}', id="no-content"),
    pytest.param(_raw(_without(f.text("halo"), "message", "chat")), id="message-without-chat"),
    pytest.param(_raw(_with(f.text("halo"), 12345, "message", "text")), id="numeric-text"),
    pytest.param(_raw(_with(f.text("halo"), "555", "message", "chat", "id")), id="chat-id-string"),
    pytest.param(_raw(_with(f.text("halo"), [], "message", "chat")), id="chat-a-list"),
    pytest.param(_raw(_with(f.text("/start"), "x", "message", "entities")), id="entities-a-string"),
    pytest.param(_raw(_with(f.press("go:menu"), 7, "callback_query", "data")), id="button-data-number"),
    pytest.param(_raw(_without(f.press("go:menu"), "callback_query", "id")), id="button-without-id"),
    pytest.param(b'{"update_id": 9, "message": ' + b"[" * 5000 + b"]" * 5000 + b"}", id="deeply-nested"),
    pytest.param(
        _raw({"update_id": 9, "x": json.loads("[" * 300 + "]" * 300), **f.text("halo")}), id="nested-extra"
    ),
    pytest.param(
        _raw(
            f.update(
                poll={
                    "id": "5",
                    "question": "Apa?",
                    "options": [{"text": "Ya", "voter_count": 1}],
                    "total_voter_count": 1,
                    "is_closed": False,
                    "is_anonymous": True,
                    "type": "regular",
                    "allows_multiple_answers": False,
                }
            )
        ),
        id="poll",
    ),
    pytest.param(_raw(f.update(poll={"id": 5})), id="poll-malformed"),
    pytest.param(_raw(f.update(edited_message=f.text("halo")["message"])), id="edited-message"),
    pytest.param(_raw(f.update(my_chat_member={"chat": {"id": 1}})), id="my-chat-member"),
]


@pytest.fixture
async def logs(tg: TelegramBot, caplog: pytest.LogCaptureFixture) -> AsyncIterator[pytest.LogCaptureFixture]:
    """The log records of the test's own requests (not of the app's start)."""
    caplog.clear()
    yield caplog


async def _nothing_processed(tg: TelegramBot) -> None:
    await tg.channel.idle()
    assert tg.fake.sent() == []
    async with tg.services.sessions() as session:
        for model in (Contact, ProcessedInbound):
            assert (await session.exec(select(func.count()).select_from(model))).one() == 0


@pytest.mark.parametrize("raw", SKIPPED)
async def test_a_body_we_cannot_use_is_answered_200_and_logged_once(
    tg: TelegramBot, logs: pytest.LogCaptureFixture, raw: bytes
) -> None:
    """Telegram resends anything not answered 2xx: such a body is skipped with one log line and no traceback."""
    response = await tg.post(None, raw=raw)
    assert response.status_code == 200
    await _nothing_processed(tg)
    lines = [r for r in logs.records if r.name.startswith("bot.")]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING and lines[0].exc_info is None
    assert "skipped" in lines[0].getMessage() and "halo" not in lines[0].getMessage()


async def test_a_usable_update_next_to_unknown_fields_is_handled(tg: TelegramBot) -> None:
    """Fields we do not read, of any shape, do not stop an update we handle."""
    update = f.command("start")
    update["message"]["future_field"] = {"deep": [[[{"x": 1}]]]}
    update["something_new"] = [1, "two", None]
    sent = await tg.send(update)
    assert "Selamat datang" in sent[0]["text"]


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "streamed"])
async def test_a_body_over_one_megabyte_is_refused_with_413_unread(tg: TelegramBot, streamed: bool) -> None:
    """A 2 MB body is refused whether it declares its length or streams in chunks without one."""
    body = b'{"update_id": 1, "message": {"text": "' + b"a" * (2 * MAX_BODY) + b'"}}'
    chunks_read = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal chunks_read
        for start in range(0, len(body), 64 * 1024):
            chunks_read += 1
            yield body[start : start + 64 * 1024]

    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    content = chunks() if streamed else body
    response = await tg.client.post("/webhooks/telegram", content=content, headers=headers)
    assert response.status_code == 413
    await _nothing_processed(tg)
    if streamed:
        assert "content-length" not in response.request.headers
        assert chunks_read <= MAX_BODY // (64 * 1024) + 2  # stopped reading just past the limit


async def test_a_body_just_under_the_limit_is_read(tg: TelegramBot) -> None:
    update = f.command("start")
    update["padding"] = "x" * (MAX_BODY - len(_raw(update)) - 20)
    sent = await tg.send(update)
    assert "Selamat datang" in sent[0]["text"]


async def test_nul_characters_are_dropped_before_the_engine(tg: TelegramBot) -> None:
    """PostgreSQL refuses NUL in text and JSON: the name and the text reach the engine without it."""
    update = f.command("start")
    update["message"]["from"]["first_name"] = "Si\x00ti"
    update["message"]["chat"]["first_name"] = "Si\x00ti"
    sent = await tg.send(update)
    assert "Selamat datang" in sent[0]["text"]
    async with tg.services.sessions() as session:
        contact = (await session.exec(select(Contact))).one()
    assert contact.display_name == "Siti"
