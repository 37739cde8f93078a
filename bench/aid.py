"""Benchmark of the aid pages' queries: the figures per aid and the filtered list, over many applications.

For each size N it loads N owners with a registered business and one application each (aid, kecamatan and status
spread evenly over OKU Timur's four aid and 20 kecamatan; a third approved, a sixth declined, a sixth delivered)
into a scratch database (SQLite: a temporary file; PostgreSQL: the empty database given with --pg-url, migrated and
filled, and emptied again after), then times what /admin/aid runs: `aid_figures` for the year (whole kabupaten
and one kecamatan), the first page of the list unfiltered and filtered by aid, status and kecamatan, and the
duplicate check an owner's application makes.

    python -m bench.aid                                   # 10k and 100k applications on SQLite
    python -m bench.aid --pg-url postgresql://postgres@127.0.0.1:5432/aid_bench
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, text

from core.aid import APPLIED, APPROVED, DECLINED, DELIVERED
from core.kabupaten import load_profile
from storage.aid import aid_figures, application_of, list_applications
from storage.db import make_engine, session_maker
from storage.migrate import downgrade, upgrade
from storage.models import AidApplication, Business, Contact

PROFILE = load_profile("oku_timur")
START = datetime(2026, 1, 1, tzinfo=UTC)
STATUSES = (APPLIED, APPLIED, APPROVED, APPROVED, DECLINED, DELIVERED)
CHUNK = 20_000
RUNS = 7


def _rows(n: int) -> tuple[list[dict], list[dict], list[dict]]:
    """N contacts, their businesses and their applications."""
    contacts, businesses, applications = [], [], []
    for i in range(1, n + 1):
        at = START + timedelta(minutes=(i * 47) % (330 * 24 * 60))
        status = STATUSES[i % len(STATUSES)]
        kecamatan = PROFILE.kecamatan[i % len(PROFILE.kecamatan)]
        contacts.append({"id": i, "channel": "telegram", "external_id": str(i), "created_at": at})
        businesses.append(
            {
                "contact_id": i, "owner_name": f"Pemilik {i}", "name": f"Usaha {i}", "sector": "jasa",
                "kecamatan": kecamatan, "desa": "Desa", "started_on": date(2023, 1, 1), "monthly_turnover": 1,
                "capital": 1, "employees": 1, "licence_type": "none", "has_npwp": False, "size_class": "mikro",
                "created_at": at, "updated_at": at,
            }
        )  # fmt: skip
        decided = at + timedelta(days=3) if status != APPLIED else None
        applications.append(
            {
                "contact_id": i, "aid_id": PROFILE.aid[i % len(PROFILE.aid)].id, "period": "2026",
                "kecamatan": kecamatan, "reason": "Untuk usaha saya.", "status": status, "applied_at": at,
                "decided_at": decided, "delivered_at": decided + timedelta(days=7) if status == DELIVERED else None,
            }
        )  # fmt: skip
    return contacts, businesses, applications


async def _load(url: str, n: int) -> float:
    """Bulk-loads the rows; returns the seconds it took."""
    engine = make_engine(url)
    began = time.perf_counter()
    try:
        async with engine.begin() as connection:
            for table, rows in zip((Contact, Business, AidApplication), _rows(n), strict=True):
                for at in range(0, n, CHUNK):
                    await connection.execute(insert(table), rows[at : at + CHUNK])
            if url.startswith("postgresql"):
                await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()
    return time.perf_counter() - began


async def _median_ms(run: Callable[[], Awaitable[object]]) -> float:
    """The median of RUNS timings of one query, in milliseconds (after one warm-up)."""
    await run()
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        await run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


async def _measure(url: str) -> dict[str, float]:
    """Times each query the pages and the flow run."""
    engine = make_engine(url)
    sessions = session_maker(engine)
    end = datetime(2027, 1, 1, tzinfo=UTC)
    try:
        async with sessions() as session:
            queries = {
                "figures, year": lambda: aid_figures(session, START, end),
                "figures, one kecamatan": lambda: aid_figures(session, START, end, "Martapura"),
                "list, first page": lambda: list_applications(session=session),
                "list, filtered": lambda: list_applications(
                    session=session, aid_id="sealer", status=APPROVED, kecamatan="Martapura"
                ),
                "duplicate check": lambda: application_of(
                    session=session, contact_id=4242, aid_id="sealer", period="2026"
                ),
            }
            return {name: await _median_ms(run) for name, run in queries.items()}
    finally:
        await engine.dispose()


def _sqlite(n: int) -> tuple[float, dict[str, float]]:
    """Loads and measures on a temporary SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "aid.db")
        upgrade(f"sqlite:///{path}")
        url = f"sqlite+aiosqlite:///{path}"
        return asyncio.run(_load(url, n)), asyncio.run(_measure(url))


def _postgres(url: str, n: int) -> tuple[float, dict[str, float]]:
    """Loads and measures on the given (empty) PostgreSQL database, emptied again after."""
    upgrade(url)
    try:
        return asyncio.run(_load(url, n)), asyncio.run(_measure(url))
    finally:
        downgrade(url, "base")


def main() -> None:
    """Prints one table row per backend and size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--pg-url", help="an empty PostgreSQL database to fill and empty again")
    args = parser.parse_args()
    print("| backend | applications | load (s) | " + " | ".join(f"{name} (ms)" for name in _names()) + " |")
    print("|---|---:|---:|" + "---:|" * len(_names()))
    for n in args.sizes:
        backends = [("SQLite", lambda n=n: _sqlite(n))]
        if args.pg_url:
            backends.append(("PostgreSQL", lambda n=n: _postgres(args.pg_url, n)))
        for name, run in backends:
            load, timings = run()
            cells = " | ".join(f"{timings[key]:.1f}" for key in _names())
            print(f"| {name} | {n:,} | {load:.1f} | {cells} |", flush=True)


def _names() -> tuple[str, ...]:
    """The measured queries, in column order."""
    return (
        "figures, year",
        "figures, one kecamatan",
        "list, first page",
        "list, filtered",
        "duplicate check",
    )


if __name__ == "__main__":
    main()
