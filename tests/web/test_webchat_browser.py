"""The web chat in a real headless Chromium: welcome and menu on load, a button, a typed message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web.browser import VIEWPORTS, app_over_sqlite, chromium

pytestmark = pytest.mark.browser


async def _no_account(_url: str) -> str:
    """The web chat needs no admin account."""
    return ""


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    """The app under uvicorn on 127.0.0.1 (a free port) over a fresh migrated SQLite file, with the web chat."""
    with app_over_sqlite(tmp_path, _no_account, webchat_enabled=True) as (url, _password):
        yield url


def test_chat_in_headless_chromium(base_url: str, tmp_path: Path) -> None:
    """In Chromium: welcome and menu on load, a button, a typed message, bubbles and bold."""
    with chromium(base_url, viewport=VIEWPORTS["phone"], device_scale_factor=2) as seen:
        page, errors = seen.page, seen.errors
        page.goto(f"{base_url}/chat")

        expect(page).to_have_title("Rumah UMKM")
        bot = page.locator(".msg.bot")
        expect(bot.first).to_contain_text("Selamat datang di Rumah UMKM")
        expect(bot.nth(1)).to_contain_text("Menu utama")
        expect(page.locator(".option", has_text="Privasi & data")).to_be_visible()
        help_button = page.locator(".option", has_text="Bantuan").first
        expect(help_button).to_be_visible()
        session = page.evaluate("localStorage.getItem('rumah-umkm-session')")
        assert session and 8 <= len(session) <= 64
        page.screenshot(path=str(tmp_path / "webchat-welcome.png"))

        help_button.click()
        expect(page.locator(".msg.user").last).to_have_text("Bantuan")
        expect(bot.filter(has_text="TIDAK PERNAH meminta kode OTP")).to_have_count(1)
        expect(help_button).to_be_disabled()  # answered: the first menu's buttons are off
        expect(page.locator(".option:enabled", has_text="Bantuan")).to_have_count(1)  # the menu again
        assert bot.filter(has_text="TIDAK PERNAH").locator("b").count() >= 1  # *menu* became bold

        page.get_by_placeholder("Ketik pesan…").fill("<b>privasi</b>")
        page.get_by_role("button", name="Kirim").click()
        expect(page.locator(".msg.user").last).to_have_text("<b>privasi</b>")  # shown as text, not HTML
        page.get_by_placeholder("Ketik pesan…").fill("privasi")
        page.get_by_role("button", name="Kirim").click()
        expect(bot.last).to_contain_text("Data Anda di Rumah UMKM")
        expect(bot.last.locator("b")).to_have_text("Data Anda di Rumah UMKM")
        expect(page.locator(".option:enabled", has_text="Hapus data saya")).to_be_visible()
        assert page.locator(".msg.user b").count() == 0

        page.screenshot(path=str(tmp_path / "webchat.png"))

        for typed in ("menu", "Simulasi angsuran", "20 juta", "2 tahun", "KUR Mikro"):
            page.get_by_placeholder("Ketik pesan…").fill(typed)
            page.get_by_role("button", name="Kirim").click()
            expect(page.locator(".msg.user").last).to_have_text(typed)
        expect(bot.filter(has_text="Angsuran per bulan: Rp886.412")).to_have_count(1)
        page.locator(".option:enabled", has_text="Lihat jadwal angsuran").click()
        table = page.locator(".msg.bot pre").last
        expect(table).to_contain_text("19.213.588")  # the schedule as a monospace table, no backticks
        expect(bot.last).not_to_contain_text("```")
        page.screenshot(path=str(tmp_path / "webchat-schedule.png"))
        assert not errors, errors
