"""Benchmark of a broadcast: the fan-out of N owners on PostgreSQL, and delivery at 30/s beside a reply storm.

(a) Fan-out: it loads N Telegram owners (one in 20 opted out) into a scratch database (`bench_broadcast`, created and dropped;
COPY), stores a broadcast due now with two answer options, and times the fan-out as the worker runs it: batch
after batch of BATCH contacts taken by keyset, each batch one transaction writing outbox rows, recipient rows
and the cursor. It prints the time, the rows per second and the process's peak memory (RSS), then checks that
every reachable owner has exactly one outbox row and every opted-out one an exclusion row.

(b) Delivery (--delivery): the app with its worker under uvicorn (SQLite, Telegram limit 30/s) against the fake
Bot API, a broadcast to RECIPIENTS owners started by the worker's job, and beside it a storm of owners asking the
bot for its menu at STORM_RATE a second. It reports the share of the 30/s limit used while the broadcast runs, the
busiest second, and the storm's reply latency (webhook POST to sendMessage at the fake). The child switches quiet
hours off, so the run does not depend on the hour it starts.

    python -m bench.broadcast                       # (a) with 100,000 owners
    python -m bench.broadcast --owners 20000
    python -m bench.broadcast --pg-url postgresql://postgres@127.0.0.1:5432/postgres
    python -m bench.broadcast --delivery            # (b)
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime

import psycopg
from sqlmodel import func, select

from bot import broadcast_fanout as fanout
from bot.admin.broadcast_cli import services_for
from bot.clock import FixedClock
from bot.settings import Settings
from storage.broadcasts import add_broadcast
from storage.db import make_engine, session_maker, transaction
from storage.migrate import upgrade
from storage.models import BroadcastRecipient, Outbox

DB_NAME = "bench_broadcast"
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 09.00 WIB, outside quiet hours
OPTED_OUT_EVERY = 20


def say(text: str) -> None:
    """Prints a progress line at once."""
    print(text, flush=True)


def peak_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(url: str, n: int) -> None:
    """COPYs n owner contacts (every OPTED_OUT_EVERY-th opted out of broadcasts)."""
    stamp = NOW.strftime("%Y-%m-%d %H:%M:%S+00")
    buffer = io.StringIO()
    for key in range(1, n + 1):
        opted_out = "t" if key % OPTED_OUT_EVERY == 0 else "f"
        buffer.write(f"{key}\ttelegram\t{10**9 + key}\towner\tid\t{opted_out}\t{stamp}\t{stamp}\n")
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        columns = "id, channel, external_id, role, language, broadcasts_opt_out, last_inbound_at, created_at"
        with cursor.copy(f"COPY contact ({columns}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('contact', 'id'), (SELECT max(id) FROM contact))"
        )
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


async def fan_out(url: str, n: int) -> dict[str, float]:
    """Stores a broadcast due now and runs its fan-out to the end, timed."""
    settings = Settings(_env_file=None, database_url=url)
    db = make_engine(url)
    services = services_for(settings, db, FixedClock(NOW))
    sessions = services.sessions
    try:
        async with transaction(sessions) as session:
            broadcast = await add_broadcast(
                session=session,
                now=NOW,
                title="Bench",
                body="Pelatihan pengemasan gratis, Senin 09.00 WIB.",
                options=["Ya, saya ikut", "Tidak"],
                segment={},
                status="scheduled",
                scheduled_at=NOW,
                created_by="bench",
            )
        before = peak_mib()
        started = time.perf_counter()
        batches = 0
        while await fanout.fan_out_batch(sessions, services, broadcast.id) == fanout.BATCH:
            batches += 1
        elapsed = time.perf_counter() - started
        async with sessions() as session:
            rows = (await session.exec(select(func.count()).select_from(Outbox))).one()
            keys = (await session.exec(select(func.count(func.distinct(Outbox.send_key))))).one()
            excluded = (
                await session.exec(
                    select(func.count())
                    .select_from(BroadcastRecipient)
                    .where(BroadcastRecipient.excluded.is_not(None))
                )
            ).one()
        expected_out = n // OPTED_OUT_EVERY
        assert rows == keys == n - expected_out and excluded == expected_out, (rows, keys, excluded)
        return {
            "seconds": elapsed,
            "rows": rows,
            "excluded": excluded,
            "batches": batches + 1,
            "before_mib": before,
            "peak_mib": peak_mib(),
        }
    finally:
        await db.dispose()


RECIPIENTS = 900
STORM_RATE = 5
LIMIT = 30


def serve(port: int) -> None:
    """Child: the app with its worker under uvicorn, quiet hours switched off."""
    import bot.broadcast_fanout
    from bench.telegram import serve_app

    bot.broadcast_fanout.is_quiet = lambda _moment, _zone: False
    serve_app(port, worker=True)


async def delivery() -> None:
    """(b): a broadcast delivered at the 30/s limit while a reply storm runs; prints the figures."""
    import tempfile
    from pathlib import Path

    from bench.telegram import Load, bot_env, free_port, per_second, percentile, wait_until_up
    from tests.fake_telegram import FakeTelegram, serve_in_thread

    fake = FakeTelegram(poll_wait=0.0)
    with serve_in_thread(fake.app) as fake_url, tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'delivery.db'}"
        upgrade(url)
        recipients = await _recipients(url)
        port = free_port()
        env = bot_env(url, fake_url, LIMIT)
        child = subprocess.Popen([sys.executable, "-m", "bench.broadcast", "--serve", str(port)], env=env)
        try:
            await wait_until_up(f"http://127.0.0.1:{port}", "/healthz")
            load = Load(f"http://127.0.0.1:{port}", fake)
            storm = [70_000_000 + n for n in range(STORM_RATE * 60)]
            started = time.perf_counter()
            await _due_now(url)
            storm_task = asyncio.create_task(load.latency(storm, "menu", STORM_RATE))
            deadline = time.monotonic() + 300
            while _broadcast_sends(fake, recipients) < len(recipients) and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            latencies = await storm_task
            await load.client.close()
        finally:
            child.terminate()
            child.wait(15)
    sends = sorted(call.at for call in fake.of("sendMessage") if call.at >= started)
    ours = sorted(call.at for call in fake.of("sendMessage") if call.params["chat_id"] in recipients)
    window = [at for at in sends if ours[0] <= at <= ours[-1]]
    used = (len(window) - 1) / (ours[-1] - ours[0]) / LIMIT
    say(
        f"delivery: {len(ours)} broadcast messages in {ours[-1] - ours[0]:.1f} s beside {len(latencies)} storm "
        f"replies; {used:.1%} of the {LIMIT}/s limit used, busiest second {max(per_second(sends))} sends"
    )
    say(
        f"storm replies while the broadcast ran: p50 {percentile(latencies, 0.5):.0f} ms, "
        f"p99 {percentile(latencies, 0.99):.0f} ms"
    )


async def _recipients(url: str) -> set[int]:
    """RECIPIENTS Telegram owners who wrote recently, and a broadcast to them as a draft; returns their chat ids."""
    from storage.contacts import get_or_create_contact

    db = make_engine(url)
    chats = {80_000_000 + n for n in range(RECIPIENTS)}
    try:
        async with transaction(session_maker(db)) as session:
            now = datetime.now(UTC)
            for chat in chats:
                contact = await get_or_create_contact(
                    session=session, channel="telegram", external_id=str(chat), now=now
                )
                contact.last_inbound_at = now
                session.add(contact)
            await add_broadcast(
                session=session,
                now=now,
                title="Bench",
                body="Pelatihan pengemasan gratis, Senin 09.00 WIB.",
                options=["Ya, saya ikut", "Tidak"],
                segment={},
                created_by="bench",
            )
    finally:
        await db.dispose()
    return chats


async def _due_now(url: str) -> None:
    """Schedules the draft for now (the worker's job picks it up within five seconds)."""
    from sqlalchemy import update

    from storage.models import Broadcast

    db = make_engine(url)
    try:
        async with transaction(session_maker(db)) as session:
            now = datetime.now(UTC)
            await session.exec(update(Broadcast).values(status="scheduled", scheduled_at=now))
    finally:
        await db.dispose()


def _broadcast_sends(fake, recipients: set[int]) -> int:  # noqa: ANN001
    """How many broadcast messages the fake accepted so far."""
    return sum(call.params["chat_id"] in recipients for call in fake.of("sendMessage"))


def main(argv: list[str]) -> int:
    """Creates the scratch database, loads, fans out, prints the figures and drops the database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owners", type=int, default=100_000)
    parser.add_argument("--delivery", action="store_true", help="(b): delivery at 30/s beside a reply storm")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("UMKM_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to connect to while creating and dropping the scratch database",
    )
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    if args.delivery:
        asyncio.run(delivery())
        return 0
    plain = args.pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    url = plain.rsplit("/", 1)[0] + f"/{DB_NAME}"
    try:
        upgrade(url)
        load(url, args.owners)
        say(f"loaded {args.owners:,} owners")
        figures = asyncio.run(fan_out(url, args.owners))
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    say(
        f"fan-out: {figures['rows']:,} outbox rows and {figures['excluded']:,} exclusions in {figures['batches']} "
        f"batches of {fanout.BATCH}: {figures['seconds']:.1f} s ({figures['rows'] / figures['seconds']:,.0f} rows/s)"
    )
    say(
        f"memory: peak RSS {figures['peak_mib']:.0f} MiB ({figures['before_mib']:.0f} MiB before the fan-out)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
