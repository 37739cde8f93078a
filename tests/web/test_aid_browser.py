"""Aid applications and the reminders preview in a real headless Chromium, for OKU Timur (a profile with aid)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bot.admin.accounts import create
from bot.clock import SystemClock
from storage.aid import add_application
from storage.businesses import save_business
from storage.contacts import get_or_create_contact
from storage.db import make_engine, session_maker, transaction
from tests.web.browser import VIEWPORTS, app_over_sqlite, chromium, shoot

pytestmark = pytest.mark.browser


async def _prepare(url: str) -> str:
    """An admin account and one owner's sealer application; returns the admin's password."""
    db = make_engine(url)
    try:
        async with transaction(session_maker(db)) as session:
            now = SystemClock().now()
            _admin, password = await create(
                session=session, email="rina@dinas.test", name="Rina", role="admin", now=now, by="test"
            )
            contact = await get_or_create_contact(
                session=session, channel="telegram", external_id="71", now=now
            )
            fields = {
                "owner_name": "Sri Wahyuni", "phone": None, "nik": None, "name": "Keripik Bu Sri",
                "sector": "industri_pengolahan", "kecamatan": "Martapura", "desa": "Terukis Rahayu",
                "started_on": date(2023, 3, 1), "monthly_turnover": 30_000_000, "capital": 50_000_000,
                "employees": 1, "licence_type": "sku", "licence_number": None, "has_npwp": False,
                "size_class": "mikro",
            }  # fmt: skip
            await save_business(session=session, contact_id=contact.id, fields=fields, now=now)
            await add_application(
                session=session, contact_id=contact.id, aid_id="sealer", period="2026", kecamatan="Martapura",
                reason="Keripik saya sering melempem karena kemasan bocor.", photo=None, now=now,
            )  # fmt: skip
        return password
    finally:
        await db.dispose()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The OKU Timur app over a fresh SQLite file; yields (base URL, admin password)."""
    with app_over_sqlite(tmp_path, _prepare, umkm_kabupaten="oku_timur") as served:
        yield served


def test_aid_and_reminders_pages_in_headless_chromium(server: tuple[str, str], tmp_path: Path) -> None:
    """From the home tiles: filter the applications, approve with a note, mark delivered; preview a day's reminders."""
    base_url, password = server
    with chromium(base_url, viewport=VIEWPORTS["phone"], device_scale_factor=2) as seen:
        page, errors = seen.page, seen.errors
        page.goto(f"{base_url}/admin/login")
        page.get_by_label("Email").fill("rina@dinas.test")
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()

        page.locator("a.tile", has_text="Pengajuan bantuan").click()
        expect(page.get_by_role("heading", name="Pengajuan bantuan", exact=True)).to_be_visible()
        expect(page.locator("#aid-figures")).to_contain_text("Mesin sealer kemasan")
        page.get_by_label("Status").select_option(label="Diajukan")
        page.get_by_label("Kecamatan").select_option(label="Martapura")
        page.get_by_role("button", name="Tampilkan").click()
        rows = page.locator("#aid-applications tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Keripik Bu Sri")
        shoot(page, tmp_path, "aid-list")

        rows.first.get_by_role("link").click()
        expect(page.get_by_text("Keripik saya sering melempem karena kemasan bocor.")).to_be_visible()
        page.get_by_label("Catatan untuk pemilik usaha").fill("Silakan ambil di kantor Dinas hari Senin.")
        page.get_by_role("button", name="Setujui").click()
        expect(page.locator("#status")).to_have_text("Disetujui")
        expect(page.locator(".notice")).to_contain_text("Pemilik usaha diberi tahu lewat chat")
        shoot(page, tmp_path, "aid-approved")
        page.get_by_role("button", name="Tandai sudah diserahkan").click()
        expect(page.locator("#status")).to_have_text("Diserahkan")

        page.goto(f"{base_url}/admin")
        page.locator("a.tile", has_text="Pratinjau pengingat").click()
        expect(page.get_by_role("heading", name="Pratinjau pengingat")).to_be_visible()
        expect(page.locator("#reminder-preview")).to_contain_text("Tidak ada yang dikirim hari itu.")
        page.get_by_role("button", name="Tampilkan").click()
        expect(page.locator("#reminder-preview")).to_be_visible()
        shoot(page, tmp_path, "reminders")
        assert not errors, errors
        assert not seen.external, seen.external
