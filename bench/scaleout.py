"""Scale-out on PostgreSQL: 1, 2 and 4 web processes behind one database, and 3 workers sharing one rate.

(a) Inbound: `umkm serve --no-worker` processes on one fresh PostgreSQL database; updates are spread over them
round-robin (as a load balancer would); updates per second (first POST to last reply) and the webhook-POST-to-
reply p99 at a steady rate, for 1, 2 and 4 processes. Target: 2 processes give at least 1.6x one.
(b) Delivery: three `umkm worker` processes drain a queued broadcast through the Telegram stand-in, sharing
TELEGRAM_RATE_PER_SECOND=30 through the database. Target: no 1-second window over 30 at the stand-in, at least
95% of 30/s used.

Run: `python -m bench.scaleout [--postgres URL] [--rows N]`. Everything runs on 127.0.0.1; the stand-in Bot API
is served in this process, the bot processes are children; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from bench.engine import fresh_postgres
from bench.telegram import (
    ROOT,
    Load,
    bot_env,
    free_port,
    per_second,
    percentile,
    wait_for,
    wait_until_up,
)
from tests.fake_telegram import FakeTelegram, serve_in_thread

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/bench_scaleout"
INBOUND_UPDATES = 1_000
LATENCY_RATE = 100
LATENCY_SECONDS = 3
INBOUND_LIMIT = 10_000  # the governor is not what (a) measures
DRAIN_ROWS = 3_000
DRAIN_RATE = 30
DRAIN_WORKERS = 3


@contextmanager
def bot_process(env: dict[str, str], *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """Runs `umkm <args>` as a child and stops it afterwards."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield child
    finally:
        child.terminate()
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            child.kill()


class SpreadLoad(Load):
    """Posts each chat's updates to one of several web processes, round-robin by chat."""

    def __init__(self, urls: list[str], fake: FakeTelegram) -> None:
        super().__init__(urls[0], fake)
        self.urls = [url + "/webhooks/telegram" for url in urls]

    async def post(self, chat: int, text: str) -> float:
        """Posts one update to the process this chat is spread to."""
        self.url = self.urls[chat % len(self.urls)]
        return await super().post(chat, text)


async def inbound(
    fake: FakeTelegram, fake_url: str, postgres: str, processes: int, base: int
) -> tuple[float, list[float]]:
    """Throughput and paced latency with `processes` web processes on one fresh database."""
    env = bot_env(fresh_postgres(postgres), fake_url, INBOUND_LIMIT)
    ports = [free_port() for _ in range(processes)]
    chats = [base + n for n in range(INBOUND_UPDATES)]
    paced = [base + 500_000 + n for n in range(LATENCY_RATE * LATENCY_SECONDS)]
    with ExitStack() as stack:
        for port in ports:
            stack.enter_context(bot_process(env, "serve", "--no-worker", "--port", str(port)))
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            await wait_until_up(url, "/healthz")
        load = SpreadLoad(urls, fake)
        everyone = chats + paced
        for first in range(0, len(everyone), 250):  # everyone meets the bot first: "menu" is then one reply
            await load.burst(everyone[first : first + 250], "halo", replies_each=2)
        await asyncio.sleep(1.1)
        rate = await load.throughput(chats, "menu")
        latencies = await load.latency(paced, "menu", LATENCY_RATE)
        await load.client.close()
    return rate, latencies


async def drain(fake: FakeTelegram, fake_url: str, postgres: str, rows: int) -> dict[str, float]:
    """Three workers drain `rows` queued messages to as many chats at a shared 30/s."""
    from bot.clock import SystemClock
    from storage import outbox
    from storage.db import make_engine, session_maker, transaction

    database = fresh_postgres(postgres)
    db = make_engine(database)
    base = 80_000_000
    now = SystemClock().now()
    async with transaction(session_maker(db)) as session:
        for n in range(rows):
            await outbox.enqueue(
                session=session,
                channel="telegram",
                recipient=str(base + n),
                kind="broadcast",
                body=f"Pelatihan pengemasan gratis, Sabtu ini. Pesan {n}.",
                send_key=f"bench-broadcast-{n}",
                now=now,
            )
    await db.dispose()
    chats = set(range(base, base + rows))
    mine = lambda: [c for c in list(fake.calls) if c.method == "sendMessage" and c.params["chat_id"] in chats]  # noqa: E731
    env = bot_env(database, fake_url, DRAIN_RATE)
    with ExitStack() as stack:
        for n in range(DRAIN_WORKERS):
            stack.enter_context(bot_process({**env, "UMKM_WORKER_ID": f"bench-worker-{n}"}, "worker"))
        await wait_for(
            lambda: len({c.params["chat_id"] for c in mine()}) >= rows,
            "the broadcast",
            2 * rows / DRAIN_RATE + 60,
        )
    sent = sorted(c.at for c in mine() if c.status == 200)
    windows = per_second(sent)
    achieved = (len(sent) - 1) / (sent[-1] - sent[0])
    return {
        "rows": rows,
        "sent": len(sent),
        "achieved": achieved,
        "over": sum(1 for count in windows if count > DRAIN_RATE),
        "busiest": max(windows),
        "duplicates": len(sent) - len({c.params["chat_id"] for c in mine() if c.status == 200}),
    }


async def run(postgres: str, rows: int, inbound_too: bool = True) -> None:
    """Runs every measurement, printing each figure as soon as it is known."""
    fake = FakeTelegram(poll_wait=0.0)
    print("bench/scaleout.py (loopback, PostgreSQL; stand-in Bot API in-process, bot processes as children)")
    print(
        f"(a) inbound, {INBOUND_UPDATES} updates spread round-robin over `umkm serve --no-worker` processes:"
    )
    with serve_in_thread(fake.app) as fake_url:
        one = None
        for index, processes in enumerate((1, 2, 4) if inbound_too else ()):
            rate, lat = await inbound(fake, fake_url, postgres, processes, 10_000_000 * (index + 1))
            one = one or rate
            print(
                f"  {processes} process(es): {rate:6.0f} updates/s ({rate / one:.2f}x one); at {LATENCY_RATE}/s:"
                f" p50 {statistics.median(lat):5.1f} ms, p99 {percentile(lat, 0.99):6.1f} ms",
                flush=True,
            )
        print("  target: 2 processes >= 1.6x one")
        drained = await drain(fake, fake_url, postgres, rows)
    print(
        f"(b) {DRAIN_WORKERS} workers draining {drained['rows']} messages at a shared {DRAIN_RATE}/s: sent "
        f"{drained['sent']}, {drained['achieved']:.2f}/s = {drained['achieved'] / DRAIN_RATE:.1%} of the limit; "
        f"1-s windows over {DRAIN_RATE}: {drained['over']} (busiest second: {drained['busiest']}); "
        f"sent twice: {drained['duplicates']}"
    )
    print("  target: no second over 30, at least 95% of 30/s used")


def main() -> None:
    """Parses the options and runs the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a database to drop and re-create")
    parser.add_argument("--rows", type=int, default=DRAIN_ROWS, help="messages in the drained broadcast")
    parser.add_argument("--drain-only", action="store_true", help="measure only (b)")
    args = parser.parse_args()
    started = time.monotonic()
    asyncio.run(run(args.postgres, args.rows, inbound_too=not args.drain_only))
    print(f"(ran {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
