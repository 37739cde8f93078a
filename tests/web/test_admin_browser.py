"""The admin workspace in a real headless Chromium: sign in, compose with live preview, send, progress, cancel.

Each page is photographed on a phone-sized and a laptop-sized viewport (in the test's tmp folder).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bot.admin.accounts import create
from bot.clock import SystemClock
from storage.contacts import get_or_create_contact
from storage.db import make_engine, session_maker, transaction
from storage.help_requests import add_request
from tests.web.browser import VIEWPORTS, app_over_sqlite, chromium, shoot

pytestmark = pytest.mark.browser


async def _prepare(url: str) -> str:
    """An admin account, five Telegram owners and one request to talk to a person; returns the password."""
    db = make_engine(url)
    try:
        async with transaction(session_maker(db)) as session:
            now = SystemClock().now()
            _admin, password = await create(
                session=session, email="rina@dinas.test", name="Rina", role="admin", now=now, by="test"
            )
            for n in range(5):
                contact = await get_or_create_contact(
                    session=session, channel="telegram", external_id=str(n + 1), now=now
                )
                contact.display_name = f"Pemilik {n + 1}"
                session.add(contact)
            await add_request(session=session, contact=contact, text="Bisa ditelepon soal KUR?", now=now)
        return password
    finally:
        await db.dispose()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The app with its worker under uvicorn over a fresh SQLite file; yields (base URL, password)."""
    with app_over_sqlite(tmp_path, _prepare) as served:
        yield served


def test_admin_in_headless_chromium(server: tuple[str, str], tmp_path: Path) -> None:
    """Sign in, compose with the live preview, send now, watch progress, cancel, see the notice: all in Chromium."""
    base_url, password = server
    with chromium(base_url, viewport=VIEWPORTS["phone"], device_scale_factor=2) as seen:
        page, errors = seen.page, seen.errors
        page.goto(f"{base_url}/admin")
        expect(page).to_have_url(f"{base_url}/admin/login")
        shoot(page, tmp_path, "login")
        page.get_by_label("Email").fill("rina@dinas.test")
        page.get_by_label("Kata sandi").fill("salah")
        page.get_by_role("button", name="Masuk").click()
        expect(page.locator(".error")).to_contain_text("Email atau kata sandi salah")
        assert errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
        errors.clear()  # the refused sign-in answers 400, which Chromium logs
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("heading", name="Selamat datang, Rina")).to_be_visible()

        page.goto(f"{base_url}/admin/broadcasts/new")
        page.get_by_label("Judul (hanya untuk daftar admin)").fill("Pelatihan kemasan")
        page.get_by_label("Pesan").fill("Pelatihan *kemasan* gratis, Senin 09.00 WIB di Aula Dinas.")
        page.get_by_label("Pilihan 1").fill("Ya, saya ikut")
        page.get_by_label("Pilihan 2").fill("Tidak")
        preview = page.locator("#preview")
        expect(preview.locator(".phone.telegram b")).to_have_text("kemasan")
        expect(preview.locator(".phone.whatsapp").first).to_contain_text("1. Ya, saya ikut")
        expect(preview.locator("#reach")).to_have_text("5")
        shoot(page, tmp_path, "compose")
        page.get_by_role("button", name="Simpan draf").click()
        expect(page.get_by_role("heading", name=re.compile("Pelatihan kemasan"))).to_be_visible()
        expect(page.locator("#reach")).to_have_text("5")
        shoot(page, tmp_path, "draft")

        page.get_by_role("button", name="Kirim", exact=True).click()
        expect(page.locator("#n-queued")).to_have_text("5")  # the worker fanned out; the panel refreshed
        expect(page.locator("#status")).to_have_text("Sedang dikirim")  # and the page followed the status
        shoot(page, tmp_path, "progress")
        page.get_by_role("button", name="Batalkan siaran").click()
        expect(page.locator("#status")).to_have_text("Dibatalkan")
        expect(page.locator("#n-cancelled")).to_have_text("5")
        shoot(page, tmp_path, "cancelled")

        page.get_by_role("link", name="Beranda").click()  # "Beri tahu saya" was ticked by default
        notice = page.locator("#notices").get_by_role("link", name='Siaran "Pelatihan kemasan" dibatalkan.')
        expect(notice).to_be_visible()
        expect(page.locator("#notice-count .pill")).to_have_text("1")
        shoot(page, tmp_path, "notices")
        notice.click()
        expect(page.locator("#status")).to_have_text("Dibatalkan")
        expect(page.locator("#notice-count .pill")).to_have_text("0")  # opened, so read

        page.get_by_role("link", name="Beranda").click()
        page.get_by_role("link", name="Permintaan bicara dengan petugas").click()
        expect(page.locator(".request")).to_contain_text("Bisa ditelepon soal KUR?")
        page.get_by_label("Balasan di chat (boleh kosong)").fill("Besok pagi kami telepon.")
        shoot(page, tmp_path, "requests")
        page.get_by_role("button", name="Kirim dan tandai selesai").click()
        expect(page.locator(".notice")).to_contain_text("Balasan tertulis dikirim lewat chat")
        expect(page.get_by_text("Tidak ada permintaan yang menunggu.")).to_be_visible()
        assert not errors, errors
        assert not seen.external, seen.external
