"""Benchmark of the follow-up survey jobs on PostgreSQL: the six-monthly asking job over many borrowers.

For each size N it loads N registered owners with one active loan each (akad dates spread over the two years
before 23 November 2026) into a scratch database `bench_survey` (created and dropped) with INSERT ... SELECT
generate_series. It then times, at Monday 23 November 2026 09.00 WIB: the first asking run (every owner whose loan
is six months old or more is asked: survey rows and outbox rows, batches of 500), an idle rerun right after (what
the job costs every 5 minutes when nobody is due), and the expiry job 14 days later closing every survey.

    python -m bench.survey                       # 10k and 100k borrowers
    python -m bench.survey --sizes 30000
    python -m bench.survey --pg-url postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg

from bot.admin.broadcast_cli import services_for
from bot.clock import FixedClock
from bot.settings import Settings
from bot.survey import ask_due, close_lapsed
from storage.db import make_engine
from storage.migrate import upgrade

DB_NAME = "bench_survey"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09.00 WIB
LOAD = [
    """INSERT INTO contact (id, channel, external_id, role, language, broadcasts_opt_out, created_at)
       SELECT i, 'telegram', i::text, 'owner', 'id', i %% 50 = 0, TIMESTAMPTZ '2024-01-01 00:00+00'
       FROM generate_series(1, %(n)s) AS i""",
    """INSERT INTO business (contact_id, owner_name, name, sector, kecamatan, desa, started_on, monthly_turnover,
           capital, employees, licence_type, has_npwp, size_class, created_at, updated_at)
       SELECT i, 'Pemilik ' || i, 'Usaha ' || i, 'perdagangan', 'Muara Enim', 'Pasar II', DATE '2022-01-01',
           5000000 + (i %% 20) * 1000000, 25000000, i %% 5, 'none', false, 'mikro',
           TIMESTAMPTZ '2024-01-01 00:00+00', TIMESTAMPTZ '2024-01-01 00:00+00'
       FROM generate_series(1, %(n)s) AS i""",
    """INSERT INTO loan (contact_id, bank, scheme, principal, borrower_rate, subsidy_rate, months, method,
           disbursed_on, due_day, status, reminders_paused, created_at)
       SELECT i, 'BRI', 'kur_mikro', 20000000, 0.06, 0.10, 24, 'annuity', DATE '2026-11-22' - (i %% 730),
           1, 'active', false, TIMESTAMPTZ '2024-01-01 00:00+00'
       FROM generate_series(1, %(n)s) AS i""",
]


def say(text: str) -> None:
    """Prints a line at once."""
    print(text, flush=True)


async def measure(url: str) -> dict[str, float]:
    """The first asking run, an idle rerun, and the expiry 14 days later."""
    settings = Settings(_env_file=None, database_url=url)
    db = make_engine(url)
    clock = FixedClock(NOW)
    services = services_for(settings, db, clock)
    try:
        started = time.perf_counter()
        asked = await ask_due(services)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = await ask_due(services)
        idle = time.perf_counter() - started
        assert again == 0, again
        clock.moment = NOW + timedelta(days=14)
        started = time.perf_counter()
        closed = await close_lapsed(services.sessions, clock.now())
        expiry = time.perf_counter() - started
        assert closed == asked, (closed, asked)
    finally:
        await db.dispose()
    return {"asked": asked, "first": first, "idle": idle, "expiry": expiry}


def run(admin_url: str, n: int) -> dict[str, float]:
    """Creates the scratch database, migrates, loads, measures and drops it."""
    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    url = plain.rsplit("/", 1)[0] + f"/{DB_NAME}"
    try:
        upgrade(url)
        with psycopg.connect(url, autocommit=True) as connection:
            for statement in LOAD:
                connection.execute(statement, {"n": n})
            connection.execute("SELECT setval(pg_get_serial_sequence('contact', 'id'), %(n)s)", {"n": n})
            connection.execute("VACUUM ANALYZE")
        return asyncio.run(measure(url))
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def main(argv: list[str]) -> int:
    """Runs the benchmark for the sizes asked for and prints a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="borrower counts, comma-separated")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("UMKM_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to connect to while creating and dropping the scratch database",
    )
    args = parser.parse_args(argv)
    say("borrowers     asked  first run (s)  idle rerun (s)  expiry of all (s)")
    for n in (int(size.replace("_", "")) for size in args.sizes.split(",")):
        try:
            figures = run(args.pg_url, n)
        except psycopg.OperationalError as error:
            say(f"skipped: PostgreSQL is not reachable ({str(error).splitlines()[0]}); see --pg-url")
            return 0
        say(
            f"{n:>9,} {figures['asked']:>9,} {figures['first']:>14.2f} {figures['idle']:>15.2f}"
            f" {figures['expiry']:>18.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
