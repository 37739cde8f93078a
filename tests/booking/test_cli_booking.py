"""`umkm consultant add|list|deactivate|link-code` and `umkm slots generate` against the test database."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.booking import read_link_code
from storage.db import sync_url

PROFILES = Path(__file__).parents[1] / "profiles"


def _scalar(db_url: str, sql: str) -> object:
    """One value from the test database."""
    engine = create_engine(sync_url(db_url))
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_consultant_add_list_link_code_and_deactivate(umkm, db_url: str) -> None:
    code, out, _ = umkm(
        "consultant",
        "add",
        "--name",
        "Siti Rahmawati",
        "--bank",
        "BRI Unit Muara Enim",
        "--kecamatan",
        "muara enim, Ujan Mas",
    )
    assert code == 0 and "Konsultan 1 ditambahkan: Siti Rahmawati (BRI Unit Muara Enim)" in out
    assert "umkm consultant link-code 1" in out
    code, out, _ = umkm("consultant", "list")
    assert (
        "1. Siti Rahmawati (BRI Unit Muara Enim), aktif, chat: belum terhubung, kecamatan: Muara Enim, Ujan Mas"
        in out
    )

    code, out, _ = umkm("consultant", "link-code", "1")
    [printed] = re.findall(r"KKMB-[0-9A-Z]{6}", out.splitlines()[0])
    assert code == 0 and read_link_code(printed) == printed and "berlaku sekali" in out
    assert _scalar(db_url, "SELECT link_code FROM consultant WHERE id = 1") == printed

    code, out, _ = umkm("consultant", "deactivate", "1")
    assert code == 0 and "sekarang nonaktif" in out
    assert "nonaktif" in umkm("consultant", "list")[1]


def test_consultant_mistakes_are_reported_kindly(umkm) -> None:
    code, _, err = umkm("consultant", "add", "--name", "X", "--bank", "Y", "--kecamatan", "Atlantis")
    assert code == 2 and "--kecamatan: tidak dikenal Atlantis" in err
    code, _, err = umkm("consultant", "add", "--name", "X")
    assert code == 2 and "--bank, --kecamatan" in err
    code, _, err = umkm("consultant", "link-code", "9")
    assert code == 2 and "Tidak ada konsultan dengan id 9" in err
    assert "Belum ada konsultan" in umkm("consultant", "list")[1]


def test_slots_generate_adds_office_hours_once(umkm, db_url: str) -> None:
    umkm(
        "consultant",
        "add",
        "--name",
        "Siti",
        "--bank",
        "BRI",
        "--kecamatan",
        "Muara Enim",
        "--topics",
        "kur,pembukuan",
    )
    args = [
        "slots",
        "generate",
        "--consultant",
        "1",
        "--weekdays",
        "1,2,3",
        "--from",
        "2026-11-23",
        "--to",
        "2026-12-18",
    ]
    args += ["--start", "09:00", "--end", "12:00", "--minutes", "60", "--place", "secretariat"]
    code, out, _ = umkm(*args)
    assert code == 0 and "36 slot ditambahkan untuk Siti (0 sudah ada sebelumnya)" in out
    assert "0 slot ditambahkan untuk Siti (36 sudah ada sebelumnya)" in umkm(*args)[1]
    assert _scalar(db_url, "SELECT COUNT(*) FROM slot") == 36
    code, _, err = umkm(*args[:-2], "--place", "kafe")
    assert code == 2 and "--place" in err
    code, _, err = umkm(
        "slots", "generate", "--consultant", "1", "--from", "2026-12-18", "--to", "2026-11-23"
    )
    assert code == 2 and "--to tidak boleh sebelum --from" in err


@pytest.mark.parametrize(
    ("profile", "first", "last"),
    [
        ("wita.toml", datetime(2026, 11, 23, 0, tzinfo=UTC), datetime(2026, 11, 23, 6, tzinfo=UTC)),
        ("wit.toml", datetime(2026, 11, 22, 23, tzinfo=UTC), datetime(2026, 11, 23, 5, tzinfo=UTC)),
    ],
    ids=["WITA", "WIT"],
)
def test_slots_default_to_the_profiles_office_hours_in_its_zone(
    umkm, db_url: str, monkeypatch: pytest.MonkeyPatch, profile: str, first: datetime, last: datetime
) -> None:
    monkeypatch.setenv("UMKM_PROFILE", str(PROFILES / profile))
    umkm("consultant", "add", "--name", "Siti", "--bank", "BRI", "--kecamatan", "Muara Enim")
    code, out, _ = umkm(
        "slots", "generate", "--consultant", "1", "--from", "2026-11-23", "--to", "2026-11-23"
    )
    assert (
        code == 0 and "6 slot ditambahkan untuk Siti" in out
    )  # 08.00 to 15.00 local, an hour each, no lunch
    starts = [_scalar(db_url, f"SELECT {edge}(starts_at) FROM slot") for edge in ("MIN", "MAX")]
    assert [_utc(value) for value in starts] == [first, last]


def _utc(value: object) -> datetime:
    """A stored timestamp as aware UTC, whatever form the backend returns it in."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
