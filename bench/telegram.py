"""Benchmark of the Telegram channel on loopback; prints its figures.

(a) Inbound: updates per second and webhook-POST-to-reply latency (p50/p99) for our app (`create_app` under
uvicorn, SQLite in a temp dir) and for a bare python-telegram-bot echo bot, measured the same way in the same run.
(b) Delivery: queued outbox rows to distinct chats drained by the Dispatcher with the Telegram sender at a
configured rate, with one 429 + retry_after injected on the way; plus the app's own worker job for comparison.

Everything runs on 127.0.0.1: the fake Bot API (tests/fake_telegram.py) is served by uvicorn in a thread of this
process, the bots under test run as subprocesses of this file. Every loop is bounded; the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import aiohttp
import httpx
from fastapi import FastAPI, Request, Response

from tests.fake_telegram import TOKEN, Call, FakeTelegram, serve_in_thread

ROOT = Path(__file__).resolve().parents[1]  # run from here: python -m bench.telegram

SECRET = "bench-webhook-secret"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
INBOUND_RATE_LIMIT = 10_000  # replies are not bulk traffic: the governor must not be what is measured in (a)
THROUGHPUT_UPDATES = 2_000
CONCURRENCY = 64
WARM_UP_CHUNK = 250
LATENCY_RATE = 100
LATENCY_SECONDS = 5
OUTBOX_ROWS = 3_000
OUTBOX_RATE = 30  # Telegram's bulk limit; --outbox-rate raises it for a shorter run
RETRY_AFTER = 2
IN_FLIGHT = 0.05
APP_WORKER_ROWS = 300
PHASE_TIMEOUT = 120.0


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of some values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def bot_env(database_url: str, fake_url: str, rate: int) -> dict[str, str]:
    """The environment a bot process under test reads."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": f"{fake_url}/bot",
        "TELEGRAM_RATE_PER_SECOND": str(rate),
        "UMKM_ENV": "dev",
        "PUBLIC_BASE_URL": "",
    }


@contextmanager
def process(mode: str, env: dict[str, str], *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """Runs this file in a child mode (serve-app, serve-echo, drain) and stops it afterwards."""
    child = subprocess.Popen([sys.executable, "-m", "bench.telegram", mode, *args], env=env, cwd=ROOT)
    try:
        yield child
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()


async def wait_until_up(url: str, path: str) -> None:
    """Waits (bounded) until a freshly started server answers."""
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                await client.get(url + path)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


async def wait_for(condition, what: str, timeout: float = PHASE_TIMEOUT) -> None:
    """Waits (bounded) until condition() holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def text_update(update_id: int, chat: int, text: str) -> dict:
    """A private text message update."""
    person = {"id": chat, "is_bot": False, "first_name": "Bench"}
    message = {"message_id": update_id, "from": person, "chat": {**person, "type": "private"}, "date": 0}
    return {"update_id": update_id, "message": {**message, "text": text}}


class Load:
    """Posts updates to a bot's webhook and reads the replies the fake recorded."""

    def __init__(self, url: str, fake: FakeTelegram) -> None:
        self.url = url + "/webhooks/telegram"
        self.fake = fake
        self.ids = iter(range(1, 10**9))
        self.seen = 0
        self.by_chat: dict[int, list[Call]] = {}
        # aiohttp, not httpx: httpx's connection pool slows down sharply with dozens of requests in flight.
        self.client = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY * 2))

    async def post(self, chat: int, text: str) -> float:
        """Posts one update; returns when it was sent (perf_counter)."""
        started = time.perf_counter()
        update = text_update(next(self.ids), chat, text)
        for attempt in range(3):  # a kept-alive connection the server just closed: resend, as Telegram does
            try:
                async with self.client.post(self.url, json=update, headers={HEADER: SECRET}) as response:
                    response.raise_for_status()
                return started
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
                if attempt == 2:
                    raise
        return started

    def replies(self, chats: set[int]) -> dict[int, list[Call]]:
        """The accepted sendMessage calls to these chats, by chat (reading only calls new since last time)."""
        calls, end = self.fake.calls, len(self.fake.calls)
        for call in calls[self.seen : end]:
            if call.method == "sendMessage" and call.status == 200:
                self.by_chat.setdefault(call.params["chat_id"], []).append(call)
        self.seen = end
        return {chat: self.by_chat[chat] for chat in chats if chat in self.by_chat}

    async def burst(self, chats: list[int], text: str, replies_each: int) -> None:
        """Posts to every chat with bounded concurrency and waits for its replies."""
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(chat: int) -> None:
            async with gate:
                await self.post(chat, text)

        before = {chat: len(calls) for chat, calls in self.replies(set(chats)).items()}
        await asyncio.gather(*(one(chat) for chat in chats))
        wanted = set(chats)
        await wait_for(
            lambda: (
                all(
                    len(calls) - before.get(chat, 0) >= replies_each
                    for chat, calls in self.replies(wanted).items()
                )
                and len(self.replies(wanted)) == len(wanted)
            ),
            f"{len(chats)} replies",
        )

    async def throughput(self, chats: list[int], text: str) -> float:
        """Updates per second: the burst from the first POST to the last reply."""
        first = time.perf_counter()
        await self.burst(chats, text, replies_each=1)
        last = max(calls[-1].at for calls in self.replies(set(chats)).values())
        return len(chats) / (last - first)

    async def latency(self, chats: list[int], text: str, rate: int) -> list[float]:
        """Webhook-POST-to-reply latencies (ms) at a steady rate."""
        start = time.perf_counter()
        sent: dict[int, float] = {}

        async def one(index: int, chat: int) -> None:
            await asyncio.sleep(max(0.0, start + index / rate - time.perf_counter()))
            sent[chat] = await self.post(chat, text)

        await asyncio.gather(*(one(i, chat) for i, chat in enumerate(chats)))

        def answered() -> dict[int, float]:
            """When each chat got its first reply after its update was posted."""
            replies = self.replies(set(chats))
            return {
                chat: min(at)
                for chat in chats
                if (at := [c.at for c in replies.get(chat, []) if c.at >= sent[chat]])
            }

        await wait_for(lambda: len(answered()) == len(chats), "paced replies")
        return [(at - sent[chat]) * 1000 for chat, at in answered().items()]


async def inbound(
    fake: FakeTelegram, fake_url: str, mode: str, tmp: Path, postgres: str | None = None
) -> tuple[float, list[float]]:
    """Throughput and paced latency of one bot (our app or the echo bot), on SQLite or a fresh PostgreSQL."""
    port = free_port()
    database = f"sqlite+aiosqlite:///{tmp / f'{mode}.db'}"
    if mode == "serve-app" and postgres:
        from bench.engine import fresh_postgres

        database = fresh_postgres(postgres)
    elif mode != "serve-echo":
        from storage.migrate import upgrade

        upgrade(database)
    base = {"serve-app": 10_000_000, "serve-channel": 20_000_000, "serve-echo": 30_000_000}[mode]
    tp_chats = [base + n for n in range(THROUGHPUT_UPDATES)]
    lat_chats = [base + 5_000_000 + n for n in range(LATENCY_RATE * LATENCY_SECONDS)]
    with process(mode, bot_env(database, fake_url, INBOUND_RATE_LIMIT), str(port)):
        url = f"http://127.0.0.1:{port}"
        await wait_until_up(url, "/healthz")
        load = Load(url, fake)
        if (
            mode == "serve-app"
        ):  # everyone meets the bot first (welcome + menu), so the measured "menu" is one reply
            everyone = tp_chats + lat_chats
            for first in range(0, len(everyone), WARM_UP_CHUNK):
                await load.burst(everyone[first : first + WARM_UP_CHUNK], "halo", replies_each=2)
            await asyncio.sleep(1.1)  # Telegram's 1 message/s per chat, honoured by the governor
        rate = await load.throughput(tp_chats, "menu")
        latencies = await load.latency(lat_chats, "menu", LATENCY_RATE)
        await load.client.close()
    return rate, latencies


def per_second(times: list[float]) -> list[int]:
    """How many sends each 1-second window holds, one window starting at each send."""
    counts, end = [], 0
    for start, moment in enumerate(times):
        while end < len(times) and times[end] < moment + 1.0:
            end += 1
        counts.append(end - start)
    return counts


async def delivery(
    fake: FakeTelegram, fake_url: str, tmp: Path, *, app_worker: bool, rate: int = OUTBOX_RATE
) -> dict[str, float]:
    """Drains queued outbox rows through the Telegram sender and reports pacing and the 429 pause."""
    from sqlmodel import func, select

    from storage import outbox
    from storage.db import make_engine, session_maker, transaction
    from storage.migrate import upgrade
    from storage.models import Outbox

    rows = APP_WORKER_ROWS if app_worker else OUTBOX_ROWS
    database = f"sqlite+aiosqlite:///{tmp / ('app-worker.db' if app_worker else 'outbox.db')}"
    upgrade(database)
    base = 60_000_000 if app_worker else 50_000_000
    db = make_engine(database)
    sessions = session_maker(db)
    from bot.clock import SystemClock

    now = SystemClock().now()
    async with transaction(sessions) as session:
        for n in range(rows):
            await outbox.enqueue(
                session=session,
                channel="telegram",
                recipient=str(base + n),
                kind="reminder",
                body=f"Pengingat *angsuran* ke-{n}: jatuh tempo besok.",
                send_key=f"bench-{base + n}",
                now=now,
            )

    async def unfinished() -> int:
        async with sessions() as session:
            query = select(func.count()).select_from(Outbox).where(Outbox.status.in_(["pending", "sending"]))
            return (await session.exec(query)).one()

    chats = {base + n for n in range(rows)}
    mine = lambda: [c for c in list(fake.calls) if c.method == "sendMessage" and c.params["chat_id"] in chats]  # noqa: E731
    env = bot_env(database, fake_url, rate)
    mode, args = ("serve-app", [str(free_port()), "--worker"]) if app_worker else ("drain", [str(rate)])
    with process(mode, env, *args):
        if not app_worker:
            await wait_for(lambda: len(mine()) >= rows // 3, "a third of the rows")
            fake.flood(retry_after=RETRY_AFTER)
        deadline = time.monotonic() + PHASE_TIMEOUT
        while await unfinished() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
    await db.dispose()
    calls = mine()
    sent = sorted(c.at for c in calls if c.status == 200)
    flood = [c.at for c in calls if c.status == 429]
    pause = 0.0
    early = 0
    if flood:  # sends granted before the 429 came back may still arrive within IN_FLIGHT seconds of it
        pause = min(t for t in sent if t > flood[0] + IN_FLIGHT) - flood[0]
        early = sum(1 for c in calls if flood[0] + IN_FLIGHT < c.at < flood[0] + RETRY_AFTER)
    active = sent[-1] - sent[0] - (pause if flood else 0)
    return {
        "rows": rows,
        "sent": len(sent),
        "rate": rate,
        "achieved": (len(sent) - 1) / active,
        "over": sum(count > rate for count in per_second(sent)),
        "busiest": max(per_second(sent)),
        "pause": pause,
        "early": early,
        "wall": sent[-1] - sent[0],
    }


async def run(outbox_rate: int, postgres: str | None) -> None:
    """Runs every measurement and prints the figures."""
    fake = FakeTelegram(poll_wait=0.0)
    with serve_in_thread(fake.app) as fake_url, tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        ours_rate, ours_lat = await inbound(fake, fake_url, "serve-app", tmp, postgres)
        channel_rate, channel_lat = await inbound(fake, fake_url, "serve-channel", tmp)
        echo_rate, echo_lat = await inbound(fake, fake_url, "serve-echo", tmp)
        drained = await delivery(fake, fake_url, tmp, app_worker=False, rate=outbox_rate)
        app_worker = await delivery(fake, fake_url, tmp, app_worker=True)
    database = "PostgreSQL for the app" if postgres else "SQLite"
    print(
        f"bench/telegram.py (loopback; fake Bot API in-process, bots under test as uvicorn subprocesses, {database})"
    )
    print(
        f"(a) inbound, webhook POST -> sendMessage at the fake; governor rate raised to {INBOUND_RATE_LIMIT}/s"
    )
    for name, rate, lat in (
        ("Rumah UMKM app", ours_rate, ours_lat),
        ("app, echo engine", channel_rate, channel_lat),
        ("bare PTB echo bot", echo_rate, echo_lat),
    ):
        print(
            f"  {name:18} {rate:7.0f} updates/s ({THROUGHPUT_UPDATES} updates, {CONCURRENCY} in flight); "
            f"at {LATENCY_RATE}/s: p50 {statistics.median(lat):5.1f} ms, p99 {percentile(lat, 0.99):5.1f} ms"
        )
    print(
        f"  app / echo rate: {ours_rate / echo_rate:.0%}, with the echo engine {channel_rate / echo_rate:.0%}"
        "  (target >= 50%; p99 target < 100 ms at 100/s)"
    )
    print(
        f"(b) delivery, Dispatcher.run_forever + Telegram sender, {drained['rows']} rows to as many chats at "
        f"{drained['rate']}/s:"
    )
    print(
        f"  sent {drained['sent']}, achieved {drained['achieved']:.1f}/s = {drained['achieved'] / drained['rate']:.1%}"
        f" of the limit (429 pause excluded); 1-s windows over the limit: {drained['over']}"
        f" (busiest second: {drained['busiest']})"
    )
    print(
        f"  429 retry_after={RETRY_AFTER}: sending resumed after {drained['pause']:.2f} s; "
        f"sends inside the pause (after 50 ms): {drained['early']}"
    )
    print(
        f"  app worker job (create_app, APScheduler every 1 s), {app_worker['rows']} rows at {app_worker['rate']}/s:"
        f" {app_worker['achieved']:.1f}/s = {app_worker['achieved'] / app_worker['rate']:.1%}, "
        f"windows over the limit: {app_worker['over']}"
    )


class EchoEngine:
    """An engine that answers every text with itself: the app minus conversations (the reply is still saved)."""

    def __init__(self, *, sessions, **_services: object) -> None:  # noqa: ANN001
        self.sessions = sessions

    async def handle(self, inbound, keep=None):  # noqa: ANN001, ANN201
        """Echoes the text, committing the reply as the real engine does."""
        from bot.messages import Reply
        from storage.db import transaction

        replies = [Reply(inbound.text)]
        if keep is not None:
            async with transaction(self.sessions) as session:
                await keep(session, None, replies)
        return replies


def serve_app(port: int, worker: bool, echo: bool = False) -> None:
    """Child: our app under uvicorn (the webhook only, or with its worker job; echo: with EchoEngine)."""
    import uvicorn

    import bot.app
    from bot.app import create_app

    if echo:
        bot.app.Engine = EchoEngine

    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: maximum number of running instances"
    uvicorn.run(create_app(worker=worker), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def serve_echo(port: int) -> None:
    """Child: a bare python-telegram-bot echo bot (default Application: updates one at a time) behind a webhook."""
    import uvicorn
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    ptb = (
        Application.builder().token(TOKEN).base_url(os.environ["TELEGRAM_API_BASE_URL"]).updater(None).build()
    )

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """Echoes the text."""
        await update.message.reply_text(update.message.text)

    ptb.add_handler(MessageHandler(filters.TEXT, echo))

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        """Starts and stops the PTB application with the server."""
        async with ptb:
            await ptb.start()
            yield
            await ptb.stop()

    api = FastAPI(lifespan=lifespan)

    @api.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Answers."""
        return {"status": "ok"}

    @api.post("/webhooks/telegram")
    async def webhook(request: Request) -> Response:
        """Checks the secret and queues the update."""
        if request.headers.get(HEADER) != SECRET:
            return Response(status_code=403)
        await ptb.update_queue.put(Update.de_json(await request.json(), ptb.bot))
        return Response()

    uvicorn.run(api, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def drain(rate: int) -> None:
    """Child: a delivery worker, Dispatcher.run_forever with the Telegram sender, until the outbox is empty."""
    from sqlmodel import func, select

    from bot.claims import worker_id
    from bot.clock import SystemClock
    from bot.delivery import Dispatcher
    from bot.engine import Engine
    from bot.governor import ChannelLimits, make_governors
    from bot.handlers.telegram import TelegramChannel
    from bot.services import Services
    from bot.settings import Settings
    from storage.db import make_engine, session_maker
    from storage.models import Outbox

    async def work() -> None:
        settings = Settings()
        db = make_engine(settings.database_url)
        sessions = session_maker(db)
        clock = SystemClock()
        governors = make_governors({"telegram": ChannelLimits(rate=rate, per_chat_interval=1.0)})
        engine = Engine(sessions=sessions, clock=clock, profile=settings.profile)
        channel = TelegramChannel(settings)
        await channel.start(Services(settings, clock, db, sessions, engine, governors, worker_id(settings)))
        dispatcher = Dispatcher(
            sessions,
            {"telegram": channel.sender()},
            governors,
            clock,
            "bench-drain",
            batch=int(os.environ.get("DRAIN_BATCH", "50")),
        )
        stop = asyncio.Event()

        async def watch() -> None:
            while not stop.is_set():
                async with sessions() as session:
                    query = (
                        select(func.count())
                        .select_from(Outbox)
                        .where(Outbox.status.in_(["pending", "sending"]))
                    )
                    if not (await session.exec(query)).one():
                        stop.set()
                await asyncio.sleep(0.2)

        await asyncio.wait_for(
            asyncio.gather(dispatcher.run_forever(stop, poll_interval=0.05), watch()), PHASE_TIMEOUT
        )
        await channel.stop()
        await db.dispose()

    asyncio.run(work())


def main() -> None:
    """Runs the benchmark, or one of its child processes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "mode", nargs="?", default="run", choices=["run", "serve-app", "serve-channel", "serve-echo", "drain"]
    )
    parser.add_argument("value", nargs="?", type=int)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--outbox-rate", type=int, default=OUTBOX_RATE, help="delivery rate for (b), per second"
    )
    parser.add_argument(
        "--postgres",
        help="run the app of (a) on this PostgreSQL database (dropped and re-created) instead of SQLite",
    )
    args = parser.parse_args()
    if args.mode in ("serve-app", "serve-channel"):
        serve_app(args.value, args.worker, echo=args.mode == "serve-channel")
    elif args.mode == "serve-echo":
        serve_echo(args.value)
    elif args.mode == "drain":
        drain(args.value)
    else:
        asyncio.run(run(args.outbox_rate, args.postgres))


if __name__ == "__main__":
    main()
