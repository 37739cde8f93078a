"""`umkm report`: Markdown on the screen, CSV and XLSX files, and friendly refusals."""

from __future__ import annotations

import asyncio

from openpyxl import load_workbook

from storage.db import make_engine, session_maker
from tests.report import fixture


def _load(db_url: str) -> None:
    """Writes the hand-computed fixture (the command runs its own event loop, so this test is not async)."""

    async def load() -> None:
        engine = make_engine(db_url)
        await fixture.load(session_maker(engine))
        await engine.dispose()

    asyncio.run(load())


def test_markdown_csv_and_xlsx(umkm, db_url, tmp_path) -> None:  # noqa: ANN001
    _load(db_url)
    code, out, _err = umkm("report", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "md")
    assert code == 0
    assert out.startswith("# Laporan Program Rumah UMKM, Kabupaten Muara Enim")
    assert (
        "| Gerbang Serasan (dibayar Pemkab) | 5 | Rp2.285.305 | Rp2.285.305 | Rp207.740 | Rp750.000 | Rp750.000 |"
        in out
    )
    assert "| Muara Enim | 5 | 6 |" in out and "| Lawang Kidul | < 5 | < 5 |" in out

    target = tmp_path / "laporan.csv"
    code, out, _err = umkm(
        "report", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv", "--output", str(target)
    )
    assert code == 0 and out == f"Laporan ditulis ke {target}.\n"
    assert (
        "Jangkauan,Per kecamatan,Muara Enim,Terdaftar seluruhnya,6"
        in target.read_text(encoding="utf-8").splitlines()
    )

    book = tmp_path / "laporan.xlsx"
    code, _out, _err = umkm(
        "report",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--kecamatan",
        "Muara Enim",
        "--format",
        "xlsx",
        "--output",
        str(book),
    )
    assert code == 0
    sheet = load_workbook(book)["Dana program"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    regional = next(row for row in values if row[0] == "Gerbang Serasan (dibayar Pemkab)")
    assert regional[:7] == [
        "Gerbang Serasan (dibayar Pemkab)",
        5,
        2_285_305,
        2_285_305,
        207_740,
        750_000,
        750_000,
    ]
    assert [v for v in values[2] if v] == ["Kecamatan: Muara Enim"]


def test_refusals(umkm) -> None:  # noqa: ANN001
    code, _out, err = umkm("report", "--from", "2026-13-01", "--to", "2026-12-31")
    assert code == 2 and "tahun-bulan-hari" in err and "Contoh: umkm report" in err
    code, _out, err = umkm("report", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "xlsx")
    assert code == 2 and "Berkas XLSX perlu --output" in err
    code, _out, err = umkm("report", "--from", "2026-01-01", "--to", "2026-12-31", "--kecamatan", "Atlantis")
    assert code == 2 and "Kecamatan tidak dikenal: Atlantis." in err
