"""The web chat in a real headless Chromium: welcome and menu on load, a button, a typed message."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from bot.app import create_app
from bot.settings import Settings
from storage.migrate import upgrade

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    """The app under uvicorn on 127.0.0.1 (a free port) over a fresh migrated SQLite file."""
    path = tmp_path / "browser.db"
    upgrade(f"sqlite:///{path}")
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{path}", webchat_enabled=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_chat_in_headless_chromium(base_url: str, tmp_path: Path) -> None:
    """In Chromium: welcome and menu on load, a button, a typed message, bubbles and bold."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed ({CHROMIUM}); apt-get install -y chromium")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
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
        finally:
            browser.close()
