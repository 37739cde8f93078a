"""Benchmark of the repayment reminder scan: one morning's scan over many loans, on PostgreSQL and SQLite.

For each size N it loads N owners with one 12-month loan each (12 instalments, earlier ones paid) and one pending
reminder per loan into a scratch database (PostgreSQL: a database `bench_reminders`, created and dropped; SQLite: a
temporary file), bulk-loaded with COPY / executemany. One loan in 30 has its H-3 reminder due at 08.00 WIB on
15 December 2026, the rest over the next 29 days. It first times the operator's preview of that day from 07.00
(`umkm reminders preview`: the scan run every 15 minutes to midnight in a transaction rolled back), then one scan
at 08.00 (it claims the due reminders, writes their outbox rows and each loan's next reminder), checks the preview
counted exactly what the scan sent, and times an idle rescan right after.

    python -m bench.reminders                                  # 10k, 100k and 1M loans on both backends
    python -m bench.reminders --sizes 10000 --backends sqlite  # a quick run
    python -m bench.reminders --pg-url postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import psycopg
from sqlmodel import func, select

from bot.reminder_preview import preview_day
from bot.reminders import scan
from core.reminders import SEND_AT, local_moment
from core.simulator import simulate
from storage.db import make_engine, session_maker
from storage.migrate import upgrade
from storage.models import Outbox

ZONE = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 12, 15)
NOW = local_moment(TODAY, SEND_AT, ZONE)
MONTHS = 12
DAYS = 30  # reminders spread over 30 mornings: one loan in 30 is due now
DB_NAME = "bench_reminders"
SCHEDULE = simulate(20_000_000, MONTHS, borrower_rate=Decimal("0.06"), start=date(2026, 1, 1)).schedule
CHUNK = 200_000

# Columns loaded per table (every other column has a default or is nullable).
CONTACT = ("id", "channel", "external_id", "role", "language", "broadcasts_opt_out", "created_at")
LOAN = (
    "id",
    "contact_id",
    "bank",
    "scheme",
    "principal",
    "borrower_rate",
    "subsidy_rate",
    "months",
    "method",
    "disbursed_on",
    "due_day",
    "status",
    "reminders_paused",
    "created_at",
    "time_zone",
)
INSTALMENT = (
    "id",
    "loan_id",
    "number",
    "due_on",
    "amount",
    "principal",
    "interest",
    "paid_on",
    "paid_amount",
)
REMINDER = ("id", "loan_id", "instalment_id", "kind", "planned_at", "due_at", "status", "created_at")


def say(text: str) -> None:
    """Prints a progress line at once."""
    print(text, flush=True)


def shift_month(day: date, months: int, due_day: int) -> date:
    """The date `months` months from `day` on `due_day`, or that month's last day."""
    year, index = divmod(day.year * 12 + day.month - 1 + months, 12)
    following = date(year + (index + 1) // 12, (index + 1) % 12 + 1, 1)
    return date(year, index + 1, min(due_day, (following - timedelta(days=1)).day))


class Shapes:
    """The 360 loan shapes (days until the next H-3, number of the next unpaid instalment) as ready-made values."""

    def __init__(self, sql_time: Callable[[datetime], str], null: object) -> None:
        self.shapes = {}
        for offset in range(DAYS):
            for upcoming in range(1, MONTHS + 1):
                due = TODAY + timedelta(days=3 + offset)
                dues = [shift_month(due, number - upcoming, due.day) for number in range(1, MONTHS + 1)]
                rows = []
                for row, due_on in zip(SCHEDULE, dues, strict=True):
                    paid = row.number < upcoming
                    rows.append(
                        (
                            row.number,
                            due_on.isoformat(),
                            row.payment,
                            row.principal,
                            row.interest,
                            due_on.isoformat() if paid else null,
                            row.payment if paid else null,
                        )
                    )
                reminder_at = sql_time(local_moment(due - timedelta(days=3), SEND_AT, ZONE))
                disbursed = shift_month(dues[0], -1, due.day).isoformat()
                self.shapes[offset, upcoming] = (rows, upcoming, reminder_at, disbursed, due.day)

    def of(self, index: int) -> tuple:
        """The shape of loan number `index` (0-based)."""
        return self.shapes[index % DAYS, 1 + (index // DAYS) % MONTHS]


def rows_of(
    n: int, sql_time: Callable[[datetime], str], null: object, true: object, false: object
) -> Iterator:
    """Yields (table, row) for n owners with one loan, 12 instalments and one pending reminder each."""
    created = sql_time(NOW - timedelta(days=400))
    shapes = Shapes(sql_time, null)
    for index in range(n):
        key = index + 1
        rows, upcoming, reminder_at, disbursed, due_day = shapes.of(index)
        yield "contact", (key, "telegram", str(10**9 + key), "owner", "id", false, created)
        yield (
            "loan",
            (key, key, "BRI", "kur_mikro", 20_000_000, "0.06", "0.1", MONTHS, "annuity", disbursed, due_day)
            + ("active", false, created, "Asia/Jakarta"),
        )
        first = index * MONTHS
        for row in rows:
            yield "instalment", (first + row[0], key, *row)
        yield (
            "reminder",
            (key, key, first + upcoming, "before_3", reminder_at, reminder_at, "pending", created),
        )


def pg_time(moment: datetime) -> str:
    """A timestamptz literal for COPY."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00")


def sqlite_time(moment: datetime) -> str:
    """A UTC datetime as SQLAlchemy stores it in SQLite."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


TABLES = {"contact": CONTACT, "loan": LOAN, "instalment": INSTALMENT, "reminder": REMINDER}


def load_postgres(url: str, n: int) -> None:
    """Bulk-loads with COPY (foreign-key triggers off during the load), then analyses."""
    with psycopg.connect(url, autocommit=False) as connection:
        connection.execute("SET session_replication_role = replica")
        buffers = {table: io.StringIO() for table in TABLES}
        for written, (table, row) in enumerate(rows_of(n, pg_time, r"\N", "t", "f"), start=1):
            buffers[table].write("\t".join(map(str, row)) + "\n")
            if written % (CHUNK * 4) == 0:
                flush_copy(connection, buffers)
        flush_copy(connection, buffers)
        for table in TABLES:
            connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        connection.commit()
    with psycopg.connect(
        url, autocommit=True
    ) as connection:  # a scan never follows a bulk load: settle it first
        connection.execute("VACUUM ANALYZE")
        connection.execute("CHECKPOINT")


def flush_copy(connection: psycopg.Connection, buffers: dict[str, io.StringIO]) -> None:
    """Copies what the buffers hold, in table order (parents first), and empties them."""
    with connection.cursor() as cursor:
        for table, buffer in buffers.items():
            if buffer.tell():
                with cursor.copy(f"COPY {table} ({', '.join(TABLES[table])}) FROM STDIN") as copy:
                    copy.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()


def load_sqlite(path: str, n: int) -> None:
    """Bulk-loads with executemany in big transactions, then analyses."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    statements = {
        table: f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        for table, columns in TABLES.items()
    }
    batches: dict[str, list[tuple]] = {table: [] for table in TABLES}
    connection.execute("BEGIN")
    for table, row in rows_of(n, sqlite_time, None, 1, 0):
        batches[table].append(row)
        if len(batches[table]) >= CHUNK:
            connection.executemany(statements[table], batches[table])
            batches[table].clear()
    for table, rows in batches.items():
        connection.executemany(statements[table], rows)
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()


async def measure(url: str) -> tuple[float, int, float, float]:
    """Times the day's preview from 07.00, one scan at 08.00 (seconds, outbox rows written) and an idle rescan."""
    db = make_engine(url)
    sessions = session_maker(db)
    try:
        started = time.perf_counter()
        preview = await preview_day(sessions, day=TODAY, zone=ZONE, now=NOW - timedelta(hours=1))
        previewed = time.perf_counter() - started
        started = time.perf_counter()
        report = await scan(sessions, NOW)
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        await scan(sessions, NOW)
        idle = time.perf_counter() - started
        async with sessions() as session:
            written = (await session.exec(select(func.count()).select_from(Outbox))).one()
        assert written == report.sent == sum(map(len, preview.by_kind.values())), (written, report)
        return elapsed, written, idle, previewed
    finally:
        await db.dispose()


def run_postgres(admin_url: str, n: int) -> dict[str, float]:
    """Creates the scratch database, migrates, loads, measures and drops it."""
    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    url = plain.rsplit("/", 1)[0] + f"/{DB_NAME}"
    try:
        return run(url, url, n, load_postgres)
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def run_sqlite(n: int) -> dict[str, float]:
    """Migrates, loads and measures a temporary SQLite file."""
    with tempfile.TemporaryDirectory(prefix="bench_reminders") as folder:
        path = os.path.join(folder, "bench.db")
        return run(f"sqlite:///{path}", path, n, load_sqlite)


def run(url: str, target: str, n: int, load: Callable[[str, int], None]) -> dict[str, float]:
    """Migrates, loads and measures one database."""
    upgrade(url)
    started = time.perf_counter()
    load(target, n)
    loaded = time.perf_counter() - started
    say(f"    loaded {n:,} loans ({n * MONTHS:,} instalments) in {loaded:.1f} s")
    elapsed, written, idle, previewed = asyncio.run(measure(url))
    say(
        f"    preview of the day from 07.00: {written:,} reminders in {previewed:.2f} s (same as the scan sent)"
    )
    say(f"    scan: {written:,} reminders due -> outbox in {elapsed:.2f} s ({written / elapsed:,.0f}/s)")
    say(f"    idle rescan: {idle * 1000:.1f} ms")
    return {"load": loaded, "scan": elapsed, "due": written, "idle": idle, "preview": previewed}


def main(argv: list[str]) -> int:
    """Runs the benchmark for the sizes and backends asked for and prints a summary table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="loan counts, comma-separated")
    parser.add_argument("--backends", default="postgresql,sqlite", help="postgresql and/or sqlite")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("UMKM_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to connect to while creating and dropping the scratch database",
    )
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    results = []
    for backend in args.backends.split(","):
        for n in sizes:
            say(f"{backend}, {n:,} loans:")
            try:
                figures = run_postgres(args.pg_url, n) if backend == "postgresql" else run_sqlite(n)
            except psycopg.OperationalError as error:
                say(f"    skipped: PostgreSQL is not reachable ({str(error).splitlines()[0]}); see --pg-url")
                break
            results.append((backend, n, figures))
    say(
        "\nbackend      loans      due now  scan (s)  per 1,000 due (ms)  idle rescan (ms)  load (s)  preview (s)"
    )
    for backend, n, figures in results:
        per_thousand = figures["scan"] / max(figures["due"], 1) * 1_000_000
        say(
            f"{backend:<10} {n:>9,} {figures['due']:>10,} {figures['scan']:>9.2f} {per_thousand:>19.1f}"
            f" {figures['idle'] * 1000:>17.1f} {figures['load']:>9.1f} {figures['preview']:>12.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
