"""The programme report in a real headless Chromium: charts drawn by the app's own Chart.js, tables, XLSX download.

The page is photographed on a phone-sized and a laptop-sized viewport (in the test's tmp folder).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from bot.admin.accounts import create
from bot.clock import SystemClock
from storage.db import make_engine, session_maker, transaction
from tests.report import fixture
from tests.web.browser import VIEWPORTS, app_over_sqlite, chromium, shoot

pytestmark = pytest.mark.browser


async def _prepare(url: str) -> str:
    """The hand-computed report fixture and a viewer account; returns the viewer's password."""
    db = make_engine(url)
    try:
        sessions = session_maker(db)
        await fixture.load(sessions)
        async with transaction(sessions) as session:
            _viewer, password = await create(
                session=session,
                email="pantau@dinas.test",
                name="Pantau",
                role="viewer",
                now=SystemClock().now(),
                by="test",
            )
        return password
    finally:
        await db.dispose()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The app over a SQLite file holding the fixture; yields (base URL, viewer's password)."""
    with app_over_sqlite(tmp_path, _prepare) as served:
        yield served


def test_report_in_headless_chromium(server: tuple[str, str], tmp_path: Path) -> None:
    """A viewer opens the report of 2026: every chart is a drawn canvas beside its table; the XLSX opens."""
    base_url, password = server
    with chromium(base_url, viewport=VIEWPORTS["laptop"], accept_downloads=True) as seen:
        page, errors, requests = seen.page, seen.errors, seen.requests
        page.goto(f"{base_url}/admin/login")
        page.get_by_label("Email").fill("pantau@dinas.test")
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
        page.get_by_role("link", name="Laporan program").click()
        page.locator("select[name=kind]").select_option("custom")
        page.get_by_label("Dari tanggal (rentang)").fill("2026-01-01")
        page.get_by_label("Sampai tanggal (rentang)").fill("2026-12-31")
        page.get_by_role("button", name="Tampilkan").click()
        expect(page.get_by_role("heading", name="Dana program")).to_be_visible()

        assert page.evaluate("typeof Chart") == "function"
        assert page.evaluate("Chart.version") == "4.4.9"
        canvases = page.locator("canvas[data-for]")
        assert canvases.count() >= 10
        drawn = page.evaluate(
            "Array.from(document.querySelectorAll('canvas[data-for]')).filter(c => Chart.getChart(c)).length"
        )
        assert drawn == canvases.count()
        subsidy = page.locator("#t-subsidy")
        expect(subsidy).to_contain_text("Rp2.285.305")
        expect(page.locator("#t-reach_kecamatan")).to_contain_text("< 5")
        points = page.evaluate(
            "Chart.getChart(document.querySelector('canvas[data-for=t-reach_kecamatan]')).data"
        )
        assert points["labels"] == ["Lawang Kidul", "Muara Enim"]
        assert points["datasets"][0]["data"] == [None, 6]  # the hidden "< 5" is a gap, not a bar
        shoot(page, tmp_path, "report")

        with page.expect_download() as download_info:
            page.locator("#download-xlsx").click()
        download = download_info.value
        assert download.suggested_filename == "laporan-2026-01-01-2026-12-31.xlsx"
        book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
        assert book.sheetnames[0] == "Jangkauan"
        assert not errors, errors
        assert all(url.startswith(base_url) for url in requests), requests
        assert f"{base_url}/static/admin/vendor/chart-4.4.9.umd.min.js" in requests
