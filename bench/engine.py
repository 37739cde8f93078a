"""Benchmark of the conversation engine: simulated users registering a business then simulating a loan.

Run from the project folder: python -m bench.engine [--users 1000] [--concurrency 1 10] [--postgres URL]
Prints messages per second, p50/p99 latency per message and peak memory, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.clock import FixedClock
from bot.engine import Engine
from bot.messages import Inbound
from core.kabupaten import load_profile
from storage.db import make_engine, session_maker, sync_url
from storage.migrate import upgrade

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/bench_engine"


def script(user: int) -> list[tuple[str, str]]:
    """One owner's messages, each with a fragment its reply must contain (so the bench walks the real path)."""
    nik = f"16030155039{user % 100000:05d}"[:12] + f"{user % 9000 + 1:04d}"
    return [
        ("halo", "Menu utama"),
        ("Daftar usaha", "setuju"),
        ("setuju", "nama lengkap pemilik"),
        (f"Pemilik {user}", "Nomor HP"),
        (f"0812{user:08d}", "NIK"),
        (nik, "nama usaha"),
        (f"Warung {user}", "bidang usaha"),
        ("5", "kecamatan"),
        ("muara enim", "Desa"),
        ("Pasar II", "bulan dan tahun"),
        ("Maret 2022", "omzet"),
        ("50 juta", "modal usaha"),
        ("25jt", "karyawan"),
        ("3 orang", "Izin usaha"),
        ("NIB", "nomor NIB"),
        ("1234567890123", "NPWP"),
        ("ya", "Mohon periksa data Anda"),
        ("simpan", "sudah terdaftar"),
        ("Simulasi angsuran", "pinjaman"),
        ("20 juta", "Berapa lama"),
        ("24", "skema"),
        ("KUR Mikro", "Angsuran per bulan"),
        ("Lihat jadwal angsuran", "Angsuran"),
        ("menu", "Menu utama"),
    ]


async def walk(engine: Engine, clock: FixedClock, user: int, latencies: list[float]) -> None:
    """Plays one user's script, timing each message and checking each reply."""
    sender = f"+62812{user:08d}"
    for number, (message, expected) in enumerate(script(user)):
        inbound = Inbound(
            channel="whatsapp",
            sender_id=sender,
            received_at=clock.now(),
            text=message,
            message_id=f"{user}-{number}",
        )
        start = time.perf_counter()
        replies = await engine.handle(inbound)
        latencies.append(time.perf_counter() - start)
        said = "\n".join(reply.text + " " + " ".join(o.label for o in reply.options) for reply in replies)
        if expected.casefold() not in said.casefold():
            raise AssertionError(f"user {user}: {message!r} -> {said[:300]!r} lacks {expected!r}")


async def run(url: str, users: int, concurrency: int) -> dict[str, float]:
    """Walks every user's script with `concurrency` users at a time; returns the figures."""
    engine_db = make_engine(url)
    clock = FixedClock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    engine = Engine(sessions=session_maker(engine_db), clock=clock, profile=load_profile())
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(user: int) -> None:
        async with gate:
            await walk(engine, clock, user, latencies)

    start = time.perf_counter()
    await asyncio.gather(*(one(user) for user in range(users)))
    elapsed = time.perf_counter() - start
    await engine_db.dispose()
    latencies.sort()
    return {
        "messages": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def fresh_postgres(url: str) -> str:
    """Drops and re-creates the benchmark's PostgreSQL database, then migrates it."""
    parsed = make_url(sync_url(url))
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    upgrade(url)
    return url


def main() -> None:
    """Runs the benchmark on SQLite and PostgreSQL and prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10])
    parser.add_argument(
        "--postgres", default=DEFAULT_POSTGRES, help="database to drop and re-create ('' to skip)"
    )
    args = parser.parse_args()
    print(
        f"bench/engine.py: {args.users} users x {len(script(0))} messages (registration, then a simulation)"
    )
    for concurrency in args.concurrency:
        folder = Path(tempfile.mkdtemp())
        backends = [("SQLite", f"sqlite+aiosqlite:///{folder / 'bench.db'}")]
        if args.postgres:
            backends.append(("PostgreSQL", args.postgres))
        for name, url in backends:
            if name == "SQLite":
                upgrade(url)
            else:
                fresh_postgres(url)
            figures = asyncio.run(run(url, args.users, concurrency))
            print(
                f"  {name:<10} {concurrency:>2} users at a time: {figures['messages']:.0f} messages, "
                f"{figures['rate']:.0f} msg/s, p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory of the process: {peak:.0f} MiB  (targets: >= 300 msg/s and p99 < 50 ms on SQLite)")


if __name__ == "__main__":
    main()
