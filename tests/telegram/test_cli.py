"""`umkm telegram set-webhook` and `umkm serve --telegram-polling`, against the fake Bot API on a loopback port."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn

from bot.app import create_app
from bot.cli import main
from bot.handlers.telegram import TelegramChannel, serve_polling
from storage.migrate import upgrade
from tests.fake_telegram import TOKEN, FakeTelegram, serve_in_thread
from tests.telegram import factories as f
from tests.telegram.conftest import SECRET

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://umkm.example.go.id/"


@pytest.fixture
def served() -> Iterator[tuple[FakeTelegram, str]]:
    """The fake Bot API on a loopback port, and the TELEGRAM_API_BASE_URL that reaches it."""
    fake = FakeTelegram()
    with serve_in_thread(fake.app) as url:
        yield fake, f"{url}/bot"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, served, tmp_path: Path) -> Callable[..., None]:
    """Sets the environment the CLI reads; `env(NAME=None)` removes a variable."""
    _fake, base = served
    monkeypatch.chdir(tmp_path)  # no stray .env
    values = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": base,
        "PUBLIC_BASE_URL": PUBLIC,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
    }

    def apply(**changes: str | None) -> None:
        """Applies the defaults with changes."""
        for name, value in (values | changes).items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)

    apply()
    return apply


def test_set_webhook_registers_url_secret_and_update_types(served, env, capsys) -> None:
    fake, _base = served
    assert main(["telegram", "set-webhook"]) == 0
    assert fake.webhook == {
        "url": "https://umkm.example.go.id/webhooks/telegram",
        "secret_token": SECRET,
        "allowed_updates": ["message", "callback_query"],
        "drop_pending_updates": False,
    }
    out = capsys.readouterr().out
    assert out.strip() == "Webhook Telegram terpasang: https://umkm.example.go.id/webhooks/telegram"


def test_set_webhook_can_drop_pending_updates(served, env) -> None:
    fake, _base = served
    assert main(["telegram", "set-webhook", "--drop-pending-updates"]) == 0
    assert fake.webhook["drop_pending_updates"] is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"PUBLIC_BASE_URL": None}, "Isi PUBLIC_BASE_URL dulu."),
        (
            {"PUBLIC_BASE_URL": None, "TELEGRAM_WEBHOOK_SECRET": None},
            "TELEGRAM_WEBHOOK_SECRET, PUBLIC_BASE_URL",
        ),
        ({"PUBLIC_BASE_URL": "http://umkm.example.go.id"}, "harus diawali https://"),
    ],
)
def test_set_webhook_refuses_an_incomplete_setup(served, env, capsys, changes, message) -> None:
    fake, _base = served
    env(**changes)
    assert main(["telegram", "set-webhook"]) == 2
    assert message in capsys.readouterr().err
    assert fake.calls == []


def test_a_rejected_token_is_reported_without_showing_it(served, env, capsys) -> None:
    fake, _base = served
    env(TELEGRAM_BOT_TOKEN="999:WRONG-token-value")
    assert main(["telegram", "set-webhook"]) == 1
    captured = capsys.readouterr()
    assert "Telegram menolak TELEGRAM_BOT_TOKEN" in captured.err
    assert "WRONG-token-value" not in captured.out + captured.err
    assert fake.webhook is None


def test_a_refused_webhook_shows_telegrams_reason(served, env, capsys) -> None:
    fake, _base = served
    fake.fail(400, "Bad Request: bad webhook: Failed to resolve host", method="setWebhook")
    assert main(["telegram", "set-webhook"]) == 1
    assert "Telegram menolak: Bad webhook: failed to resolve host" in capsys.readouterr().err


async def test_polling_feeds_updates_through_the_webhook_route(settings, clock, fake, monkeypatch) -> None:
    channel = TelegramChannel(settings, transport=fake.transport())
    monkeypatch.setattr("bot.app.configured_channels", lambda _settings: [channel])
    app = create_app(settings, clock=clock, worker=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    fake.webhook = {"url": "https://old.example/webhooks/telegram"}
    update = f.command("start")
    fake.push_update(update)
    running = asyncio.create_task(serve_polling(server, app, settings, transport=fake.transport(), poll=1))
    await fake.wait_for(lambda: len(fake.of("getUpdates")) >= 2 and not fake.updates)
    await channel.idle()
    server.should_exit = True
    await running
    assert fake.webhook is None  # deleteWebhook first: Telegram refuses getUpdates while a webhook is set
    assert len(fake.sent(f.CHAT)) == 2 and "Selamat datang" in fake.texts(f.CHAT)[0]
    offsets = [c.params.get("offset") for c in fake.of("getUpdates")]
    assert offsets[:2] == [None, update["update_id"] + 1]
    assert fake.of("getUpdates")[0].params["allowed_updates"] == ["message", "callback_query"]


def test_serve_with_telegram_polling_answers_a_user_and_stops_on_sigint(served, env, tmp_path: Path) -> None:
    fake, _base = served
    env(PUBLIC_BASE_URL=None, TELEGRAM_WEBHOOK_SECRET=None)
    upgrade(os.environ["DATABASE_URL"])
    fake.push_update(f.command("start"))
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--telegram-polling", "--port", "0"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while len(fake.sent(f.CHAT)) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert "Selamat datang" in fake.texts(f.CHAT)[0], output
    assert "long polling aktif" in output
    assert TOKEN not in output
    assert len(fake.of("deleteWebhook")) == 1 and len(fake.of("setMyCommands")) == 1
