"""The Telegram channel under test: the real app and python-telegram-bot, the Bot API faked in-process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from bot.app import create_app
from bot.clock import FixedClock
from bot.governor import Governor
from bot.handlers.telegram import SECRET_HEADER, TelegramChannel
from bot.services import Services
from bot.settings import Settings
from tests.fake_telegram import BASE_URL, TOKEN, FakeTelegram
from tests.fakes_delivery import VirtualTime

SECRET = "test-webhook-secret_0123"


@dataclass
class TelegramBot:
    """The running app with its Telegram channel, an HTTP client on it, and the fake Bot API it talks to."""

    client: httpx.AsyncClient
    channel: TelegramChannel
    services: Services
    fake: FakeTelegram
    time: VirtualTime
    expected_errors: list[str] = field(default_factory=list)

    async def post(
        self, update: Any, *, secret: str | None = SECRET, raw: bytes | None = None
    ) -> httpx.Response:
        """POSTs an update to /webhooks/telegram as Telegram would (raw: a body as is)."""
        headers = {"Content-Type": "application/json"} | (
            {SECRET_HEADER: secret} if secret is not None else {}
        )
        content = raw if raw is not None else httpx.Request("POST", "/", json=update).content
        return await self.client.post("/webhooks/telegram", content=content, headers=headers)

    async def send(self, update: dict[str, Any]) -> list[dict[str, Any]]:
        """Delivers one update, waits until it is handled, and returns the sendMessage calls it caused."""
        before = len(self.fake.sent())
        response = await self.post(update)
        assert response.status_code == 200, response.text
        await self.channel.idle()
        return self.fake.sent()[before:]

    def button(self, fragment: str) -> str:
        """The callback data of the newest button whose label contains `fragment`."""
        for params in reversed(self.fake.sent()):
            for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if fragment.casefold() in button["text"].casefold():
                        return button["callback_data"]
        raise AssertionError(f"no button like {fragment!r} was shown")


def keyboard_of(params: dict[str, Any]) -> list[list[tuple[str, str]]]:
    """A sent message's inline keyboard as rows of (label, callback data)."""
    rows = (params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [[(button["text"], button["callback_data"]) for button in row] for row in rows]


@pytest.fixture
def fake() -> FakeTelegram:
    """A fresh fake Bot API."""
    return FakeTelegram()


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Settings of a deployment with Telegram on the test database."""
    return Settings(
        _env_file=None,
        database_url=db_url,
        telegram_bot_token=TOKEN,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=BASE_URL,
        webchat_enabled=False,
    )


@asynccontextmanager
async def running(
    settings: Settings, clock: FixedClock, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[TelegramBot]:
    """One app process with its lifespan running, its Telegram governor on virtual time (30/s, 1/s per chat)."""
    channel = TelegramChannel(settings, transport=fake.transport())
    monkeypatch.setattr("bot.app.configured_channels", lambda _settings: [channel])
    app = create_app(settings, clock=clock, worker=False)
    async with app.router.lifespan_context(app):
        services: Services = app.state.services
        time = VirtualTime(clock)
        services.governors["telegram"] = Governor(
            rate=30, per_chat_interval=1.0, monotonic=time.monotonic, sleep=time.sleep
        )
        await channel.idle()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
            yield TelegramBot(client, channel, services, fake, time)
            await channel.idle()


@pytest.fixture
async def tg(
    settings: Settings,
    clock: FixedClock,
    fake: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> AsyncIterator[TelegramBot]:
    """The running app; fails the test if an error was logged (unless expected) or swallowed on the loop."""
    caplog.set_level(logging.INFO)
    loop_errors: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: loop_errors.append(context))
    async with running(settings, clock, fake, monkeypatch) as bot:
        yield bot
    loop.set_exception_handler(None)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    unexpected = [r for r in errors if not any(e in r.getMessage() for e in bot.expected_errors)]
    assert not unexpected, f"errors were logged: {[r.getMessage() for r in unexpected]}"
    assert not loop_errors, f"exceptions were swallowed on the event loop: {loop_errors}"
