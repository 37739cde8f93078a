"""Benchmark of the programme report on PostgreSQL: 100,000 businesses, 30,000 loans, 300,000 instalments.

It creates a scratch database `bench_report` (dropped at the end), migrates it and bulk-loads with COPY: 100,000
owners with a business registered over 18 months (June 2025 to November 2026) across the 22 kecamatan, 30,000 loans
(one in three Gerbang Serasan, the rest KUR Mikro) of 6, 10 or 14 monthly instalments (300,000 in all), paid on time
except one in ten late by 1 to 5 days and one in forty unpaid, 60,000 sent reminders, 50,000 eligibility checks,
5,000 appointments and 10,000 answered follow-up surveys. Then it times the whole report (every section, as the
page and the exports build it) for the year 2026, for one kecamatan, and for one month, each run three times.

    python -m bench.report
    python -m bench.report --pg-url postgresql://postgres@127.0.0.1:5432/postgres --scale 0.1   # a quick run
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import psycopg

from bot.admin.report_data import load_report
from core.kabupaten import load_profile
from core.report_period import Period, period_of
from core.simulator import simulate
from storage.db import make_engine, session_maker
from storage.migrate import upgrade

DB_NAME = "bench_report"
TODAY = date(2026, 11, 29)
PROFILE = load_profile("muara_enim")
SECTORS = ("pertanian", "perkebunan", "perikanan", "peternakan", "industri_pengolahan", "perdagangan", "jasa")
FIRST = datetime(2025, 6, 1, tzinfo=UTC)
SPAN_DAYS = 545
TABLES = {
    "contact": ("id", "channel", "external_id", "role", "language", "broadcasts_opt_out", "last_inbound_at", "created_at"),
    "business": (
        "id", "contact_id", "owner_name", "name", "sector", "kecamatan", "desa", "started_on", "monthly_turnover",
        "capital", "employees", "licence_type", "has_npwp", "size_class", "created_at", "updated_at",
    ),
    "loan": (
        "id", "contact_id", "bank", "scheme", "principal", "borrower_rate", "subsidy_rate", "months", "method",
        "disbursed_on", "due_day", "status", "reminders_paused", "created_at", "time_zone",
    ),
    "instalment": ("id", "loan_id", "number", "due_on", "amount", "principal", "interest", "paid_on", "paid_amount"),
    "reminder": ("id", "loan_id", "instalment_id", "kind", "planned_at", "due_at", "status", "done_at", "created_at"),
    "eligibilitycheck": ("id", "contact_id", "checked_on", "rules_version", "inputs", "result", "created_at"),
    "booking": (
        "id", "slot_id", "consultant_id", "owner_contact_id", "topic", "status", "history", "created_at", "updated_at",
    ),
    "followupsurvey": (
        "id", "contact_id", "due_on", "kecamatan", "sector", "baseline_turnover", "baseline_employees", "status",
        "asked_at", "answer_by", "turnover", "employees", "new_line", "helped", "answered_at",
    ),
}  # fmt: skip
NULL = r"\N"


def say(text: str) -> None:
    """Prints a progress line at once."""
    print(text, flush=True)


def stamp(moment: datetime) -> str:
    """A timestamptz literal for COPY."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00")


def month_later(day: date, months: int) -> date:
    """The same day `months` months later (at most the 28th, as the loans here fall due)."""
    year, index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, index + 1, min(day.day, 28))


def rows(businesses: int, loans: int) -> Iterator[tuple[str, tuple]]:
    """Yields (table, row) for the whole synthetic programme (deterministic)."""
    rnd = random.Random(12)
    areas = PROFILE.kecamatan
    for key in range(1, businesses + 1):
        created = FIRST + timedelta(days=SPAN_DAYS * key / businesses, minutes=key % 600)
        wrote = stamp(created + timedelta(days=rnd.randrange(0, 200))) if key % 3 else NULL
        yield (
            "contact",
            (key, ("telegram", "whatsapp")[key % 2], str(key), "owner", "id", "f", wrote, stamp(created)),
        )
        turnover = rnd.randrange(1, 60) * 1_000_000
        yield "business", (
            key, key, f"Pemilik {key}", f"Usaha {key}", SECTORS[key % 7], areas[key % len(areas)], "Desa",
            "2020-01-01", turnover, turnover * 2, key % 6, "nib", "f", ("mikro", "kecil")[key % 9 == 0],
            stamp(created), stamp(created),
        )  # fmt: skip
    instalment_id = reminder_id = 0
    for loan in range(1, loans + 1):
        owner = loan * (businesses // loans)
        regional = loan % 3 == 0
        months = (6, 10, 14)[(loan // 3) % 3]
        principal = rnd.randrange(1, 50) * 1_000_000 if regional else rnd.randrange(11, 100) * 1_000_000
        rate, subsidy = ("0.03", "0.09") if regional else ("0.06", "0.10")
        disbursed = date(2025, 6, 1) + timedelta(days=rnd.randrange(0, SPAN_DAYS))
        schedule = simulate(
            principal, months, borrower_rate=Decimal(rate), subsidy_rate=Decimal(subsidy)
        ).schedule
        yield "loan", (
            loan, owner, ("BRI", "Bank Sumsel Babel")[loan % 2], "gerbang_serasan" if regional else "kur_mikro",
            principal, rate, subsidy, months, "annuity", disbursed.isoformat(), min(disbursed.day, 28),
            "active" if month_later(disbursed, months) > TODAY else "paid_off", "f", stamp(FIRST), "Asia/Jakarta",
        )  # fmt: skip
        for row in schedule:
            instalment_id += 1
            due = month_later(disbursed, row.number)
            fate = rnd.random()
            paid = (
                NULL
                if due > TODAY or fate < 0.025
                else (due + timedelta(days=rnd.randint(1, 5) if fate < 0.1 else 0))
            )
            yield "instalment", (
                instalment_id, loan, row.number, due.isoformat(), row.payment, row.principal, row.interest,
                NULL if paid == NULL else paid.isoformat(), NULL if paid == NULL else row.payment,
            )  # fmt: skip
            if due <= TODAY and instalment_id % 5 == 0:
                reminder_id += 1
                at = stamp(datetime.combine(due, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1))
                kind = "after_1" if fate < 0.1 else "due"
                yield "reminder", (reminder_id, loan, instalment_id, kind, at, at, "sent", at, at)
    yield from _activity(rnd, businesses)


def _activity(rnd: random.Random, businesses: int) -> Iterator[tuple[str, tuple]]:
    """Eligibility checks, appointments and answered surveys."""
    verdicts = ("eligible", "needs_documents", "not_eligible")
    for key in range(1, businesses // 2 + 1):
        status = verdicts[key % 3]
        reasons = ["BUSINESS_TOO_YOUNG"] if status == "not_eligible" else []
        result = {s: {"status": status, "reasons": reasons} for s in ("kur_mikro", "gerbang_serasan")}
        day = (FIRST + timedelta(days=rnd.randrange(0, SPAN_DAYS))).date()
        yield (
            "eligibilitycheck",
            (key, key * 2, day.isoformat(), "kur_2026", "{}", json.dumps(result), stamp(FIRST)),
        )
    for key in range(1, businesses // 20 + 1):
        created = FIRST + timedelta(days=rnd.randrange(0, SPAN_DAYS))
        history = [
            {"at": (created + timedelta(hours=rnd.randrange(1, 48))).isoformat(), "event": "confirmed"}
        ]
        yield (
            "booking",
            (key, key, 1, key * 20, "kur", "done", json.dumps(history), stamp(created), stamp(created)),
        )
    for key in range(1, businesses // 10 + 1):
        asked = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=rnd.randrange(0, 320))
        base = rnd.randrange(1, 30) * 1_000_000
        yield "followupsurvey", (
            key, key * 10, asked.date().isoformat(), PROFILE.kecamatan[key % 22], "jasa", base, 2, "answered",
            stamp(asked), stamp(asked + timedelta(days=14)), int(base * rnd.uniform(0.8, 2.2)), rnd.randrange(1, 6),
            "t" if key % 3 else "f", "modal_usaha", stamp(asked + timedelta(days=1)),
        )  # fmt: skip


def load(url: str, businesses: int, loans: int) -> dict[str, int]:
    """Bulk-loads with COPY (foreign-key triggers off during the load), then analyses; returns row counts."""
    counts = dict.fromkeys(TABLES, 0)
    buffers = {table: io.StringIO() for table in TABLES}
    for table, row in rows(businesses, loans):
        buffers[table].write("\t".join(map(str, row)) + "\n")
        counts[table] += 1
    with psycopg.connect(url) as connection:
        connection.execute("SET session_replication_role = replica")
        with connection.cursor() as cursor:
            for table, buffer in buffers.items():
                with cursor.copy(f"COPY {table} ({', '.join(TABLES[table])}) FROM STDIN") as copy:
                    copy.write(buffer.getvalue())
        connection.commit()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return counts


async def measure(url: str) -> list[tuple[str, float, float]]:
    """Times the full report for three scopes; returns (name, first run, best of the next two) in seconds."""
    db = make_engine(url)
    sessions = session_maker(db)
    scopes = [
        ("year 2026, whole kabupaten", period_of("year", TODAY), None),
        ("year 2026, kecamatan Muara Enim", period_of("year", TODAY), "Muara Enim"),
        ("November 2026, whole kabupaten", period_of("month", TODAY), None),
        ("18 months, whole kabupaten", Period(date(2025, 6, 1), TODAY), None),
    ]
    found = []
    try:
        for name, period, kecamatan in scopes:
            times = []
            for _ in range(3):
                started = time.perf_counter()
                await load_report(
                    sessions=sessions, profile=PROFILE, period=period, kecamatan=kecamatan, today=TODAY
                )
                times.append(time.perf_counter() - started)
            found.append((name, times[0], min(times[1:])))
            say(f"    {name}: first {times[0]:.2f} s, then {min(times[1:]):.2f} s")
    finally:
        await db.dispose()
    return found


def main(argv: list[str]) -> int:
    """Creates, loads, measures and drops the scratch database; prints the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("UMKM_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL database to connect to while creating and dropping the scratch database",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (1.0: 100,000)")
    args = parser.parse_args(argv)
    businesses, loans = int(100_000 * args.scale), int(30_000 * args.scale)
    with psycopg.connect(args.pg_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    url = args.pg_url.rsplit("/", 1)[0] + f"/{DB_NAME}"
    try:
        upgrade(url)
        started = time.perf_counter()
        counts = load(url, businesses, loans)
        say(
            f"loaded in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{n:,} {t}" for t, n in counts.items())
        )
        asyncio.run(measure(url))
    finally:
        with psycopg.connect(args.pg_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
