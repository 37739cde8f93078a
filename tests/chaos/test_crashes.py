"""Chaos: real `umkm serve --no-worker` and `umkm worker` processes killed with SIGKILL while owners chat.

Owners talk through the Telegram stand-in as Telegram does (an update is resent until it gets a 2xx) and the
workers deliver notifications from the outbox. Processes are killed at random moments and restarted, half of
them under the same UMKM_WORKER_ID, half with the default one. At the end every owner must have received exactly
the replies the engine gives for their messages, and every notification exactly once; a copy more is allowed
only for a send the stand-in accepted just before a kill (the process died before recording it), and is counted
and reported.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Update

from bot.clock import SystemClock
from bot.engine import Engine
from bot.handlers import telegram_render as render
from bot.settings import Settings
from storage import outbox
from storage.db import is_sqlite, make_engine, session_maker, transaction
from storage.migrate import upgrade
from tests.fake_telegram import TOKEN, FakeTelegram, serve_in_thread
from tests.telegram import factories as f

ROOT = Path(__file__).resolve().parents[2]
SECRET = "chaos-webhook-secret_0123"
SCRIPT = ["/start", "7", "menu", "bantuan", "4", "menu"] * 2
OWNERS = 8
NOTIFICATIONS = 30
KILLS = 5
LEASE = 10.0  # generous: on a loaded machine a heartbeat can wait seconds for SQLite's one writer
KILL_WINDOW = 1.5  # a duplicate is only excused when its first copy was accepted this shortly before a kill

pytestmark = pytest.mark.chaos


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Fleet:
    """The bot's processes: web processes on their ports and workers, each restartable after a kill."""

    env: dict[str, str]
    log_dir: Path
    webs: dict[str, int] = field(default_factory=dict)
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    stable_ids: set[str] = field(default_factory=set)
    kills: list[float] = field(default_factory=list)

    def start(self, name: str) -> None:
        """Starts (or restarts) one process by name: web-N serves HTTP, worker-N delivers."""
        if name.startswith("web"):
            port = self.webs.setdefault(name, _free_port())
            args = ["serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)]
        else:
            args = ["worker"]
        env = dict(self.env)
        if name in self.stable_ids:
            env["UMKM_WORKER_ID"] = f"chaos-{name}"
        log = (self.log_dir / f"{name}.log").open("ab")
        self.running[name] = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, stdout=log, stderr=log
        )

    def kill(self, name: str) -> None:
        """SIGKILL: no shutdown, no cleanup, in-flight work lost."""
        process = self.running[name]
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        self.kills.append(time.perf_counter())

    def stop_all(self) -> None:
        """Stops every process the ordinary way."""
        for process in self.running.values():
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.running.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def fake() -> Iterator[tuple[FakeTelegram, str]]:
    fake = FakeTelegram()
    with serve_in_thread(fake.app) as base:
        yield fake, base


def _scripts() -> dict[int, list[dict[str, Any]]]:
    """Each owner's updates, fixed in advance so a resend is the very same update."""
    return {900_000 + n: [f.text(text, chat_id=900_000 + n) for text in SCRIPT] for n in range(OWNERS)}


async def _expected(scripts: dict[int, list[dict[str, Any]]], tmp_path: Path) -> dict[int, Counter[str]]:
    """The texts the engine gives for each owner's script, rendered as the Telegram sender renders them."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'expected.db'}"
    upgrade(url)
    db = make_engine(url)
    engine = Engine(sessions=session_maker(db), clock=SystemClock(), profile=Settings(_env_file=None).profile)
    expected: dict[int, Counter[str]] = {}
    try:
        for chat, updates in scripts.items():
            texts: Counter[str] = Counter()
            for update in updates:
                inbound = render.inbound(Update.de_json(update, None), SystemClock().now())
                for reply in await engine.handle(inbound):
                    texts.update(piece.text for piece in render.pieces(reply.text, reply.options))
            expected[chat] = texts
    finally:
        await db.dispose()
    return expected


async def _notify(db_url: str, chats: list[int]) -> dict[int, Counter[str]]:
    """Queues notifications for the workers to deliver while the chaos runs."""
    db = make_engine(db_url)
    sent: dict[int, Counter[str]] = {chat: Counter() for chat in chats}
    try:
        async with transaction(session_maker(db)) as session:
            for n in range(NOTIFICATIONS):
                chat = chats[n % len(chats)]
                body = f"Pemberitahuan nomor {n}: jadwal pelatihan pengemasan."
                await outbox.enqueue(
                    session=session,
                    channel="telegram",
                    recipient=str(chat),
                    kind="notification",
                    body=body,
                    send_key=f"chaos:{n}",
                    now=SystemClock().now(),
                )
                sent[chat].update(p.text for p in render.pieces(body))
    finally:
        await db.dispose()
    return sent


async def _wait_ready(fleet: Fleet, name: str) -> None:
    """Waits until a web process answers /healthz."""
    url = f"http://127.0.0.1:{fleet.webs[name]}/healthz"
    async with httpx.AsyncClient(timeout=1.0) as client:
        for _ in range(300):
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{name} did not start; see {fleet.log_dir / (name + '.log')}")


async def _owner(fleet: Fleet, updates: list[dict[str, Any]], rng: random.Random) -> int:
    """Sends each update until a web process answers 2xx, as Telegram does; returns how many resends it took."""
    resends = 0
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient(timeout=10.0) as client:
        for update in updates:
            while True:
                port = fleet.webs[rng.choice(sorted(fleet.webs))]
                try:
                    response = await client.post(
                        f"http://127.0.0.1:{port}/webhooks/telegram", json=update, headers=headers
                    )
                    if response.status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                resends += 1
                await asyncio.sleep(0.2)
            await asyncio.sleep(rng.uniform(0.0, 0.3))
    return resends


async def _chaos(fleet: Fleet, rng: random.Random, owners: asyncio.Future[Any]) -> None:
    """Kills a random process every so often while the owners chat, and starts it again."""
    for _ in range(KILLS):
        await asyncio.sleep(rng.uniform(0.4, 1.2))
        if owners.done():
            return
        name = rng.choice(sorted(fleet.running))
        fleet.kill(name)
        fleet.start(name)
        if name.startswith("web"):
            await _wait_ready(fleet, name)


def _received(fake: FakeTelegram) -> dict[int, list[tuple[str, float]]]:
    by_chat: dict[int, list[tuple[str, float]]] = {}
    for call in fake.of("sendMessage"):
        by_chat.setdefault(call.params["chat_id"], []).append((call.params["text"], call.at))
    return by_chat


async def test_killed_processes_lose_nothing_and_send_nothing_twice(
    db_url: str, fake: tuple[FakeTelegram, str], tmp_path: Path
) -> None:
    fake_api, base = fake
    rng = random.Random(int(os.environ.get("CHAOS_SEED", "20261129")))
    scripts = _scripts()
    expected = await _expected(scripts, tmp_path)
    notifications = await _notify(db_url, list(scripts))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TWILIO_", "UMKM_"))},
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": db_url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": f"{base}/bot",
        "WEBCHAT_ENABLED": "false",
        "OUTBOX_LEASE_SECONDS": str(LEASE),
    }
    single = is_sqlite(db_url)  # SQLite: one web and one worker; PostgreSQL: two of each
    names = ["web-1", "worker-1"] if single else ["web-1", "web-2", "worker-1", "worker-2"]
    fleet = Fleet(env, tmp_path, stable_ids={"web-1", "worker-2"})
    for name in names:
        fleet.start(name)
    try:
        for name in names:
            if name.startswith("web"):
                await _wait_ready(fleet, name)
        owners = asyncio.gather(*(_owner(fleet, u, random.Random(c)) for c, u in scripts.items()))
        await _chaos(fleet, rng, owners)
        resends = sum(await owners)
        want = {chat: expected[chat] + notifications[chat] for chat in scripts}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            got = _received(fake_api)
            if all(not (want[c] - Counter(t for t, _ in got.get(c, []))) for c in scripts):
                break
            await asyncio.sleep(0.25)
        await asyncio.sleep(LEASE + 1.5)  # anything left claimed would be resent by now: count it too
    finally:
        fleet.stop_all()
    got = _received(fake_api)
    missing = {c: want[c] - Counter(t for t, _ in got.get(c, [])) for c in scripts}
    assert not any(missing.values()), f"lost messages: { {c: dict(m) for c, m in missing.items() if m} }"
    duplicates = 0
    for chat in scripts:
        seen: Counter[str] = Counter()
        for text, _at in got[chat]:
            seen[text] += 1
            if seen[text] > want[chat][text]:
                duplicates += 1
                copies = [a for t, a in got[chat] if t == text]  # the same text may be owed more than once
                assert any(0 <= kill - a <= KILL_WINDOW for a in copies for kill in fleet.kills), (
                    f"{text[:40]!r} sent once more to {chat} with no kill right after a copy"
                )
        assert set(seen) <= set(want[chat]), f"unexpected messages to {chat}"
    total = sum(sum(w.values()) for w in want.values())
    print(
        f"\nchaos: {len(fleet.kills)} kills, {resends} webhook resends, {total} messages expected, "
        f"{duplicates} sent once more (accepted just before a kill)"
    )
