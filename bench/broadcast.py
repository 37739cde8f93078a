"""Benchmark of a broadcast's fan-out: N owners written into the outbox by the worker's job, on PostgreSQL.

It loads N Telegram owners (one in 20 opted out) into a scratch database (`bench_broadcast`, created and dropped;
COPY), stores a broadcast due now with two answer options, and times the fan-out as the worker runs it: batch
after batch of BATCH contacts taken by keyset, each batch one transaction writing outbox rows, recipient rows
and the cursor. It prints the time, the rows per second and the process's peak memory (RSS), then checks that
every reachable owner has exactly one outbox row and every opted-out one an exclusion row.

    python -m bench.broadcast                       # 100,000 owners
    python -m bench.broadcast --owners 20000
    python -m bench.broadcast --pg-url postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import resource
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
from storage.db import make_engine, transaction
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


def main(argv: list[str]) -> int:
    """Creates the scratch database, loads, fans out, prints the figures and drops the database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owners", type=int, default=100_000)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("UMKM_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to connect to while creating and dropping the scratch database",
    )
    args = parser.parse_args(argv)
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
