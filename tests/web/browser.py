"""Shared pieces of the browser tests: the app under uvicorn on a free port, a watched Chromium page, screenshots."""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bot.app import create_app
from bot.settings import Settings
from storage.migrate import upgrade

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 20_000
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The app with its worker under uvicorn on a free loopback port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning", lifespan="on"))
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


@contextmanager
def app_over_sqlite(
    tmp_path: Path, prepare: Callable[[str], Awaitable[str]], **settings: Any
) -> Iterator[tuple[str, str]]:
    """A fresh migrated SQLite file filled by `prepare` (which returns a password), served; yields (URL, password)."""
    path = tmp_path / "app.db"
    upgrade(f"sqlite:///{path}")
    url = f"sqlite+aiosqlite:///{path}"
    password = asyncio.run(prepare(url))
    with serving(
        Settings(_env_file=None, database_url=url, **{"webchat_enabled": False, **settings})
    ) as base:
        yield base, password


@dataclass
class Watched:
    """A Chromium page, the script errors on it and every URL it requested."""

    page: Any
    base_url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def external(self) -> list[str]:
        """The requests that left the app (a CDN, a font service...)."""
        return [url for url in self.requests if not url.startswith(self.base_url)]


@contextmanager
def chromium(base_url: str, **page_options: Any) -> Iterator[Watched]:
    """A headless Chromium page (skips when Chromium is missing) that records errors and outside requests."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed ({CHROMIUM}); apt-get install -y chromium")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            watched = Watched(browser.new_page(**page_options), base_url)
            watched.page.on("pageerror", lambda error: watched.errors.append(str(error)))
            watched.page.on(
                "console", lambda msg: watched.errors.append(msg.text) if msg.type == "error" else None
            )
            watched.page.on("request", lambda request: watched.requests.append(request.url))
            yield watched
        finally:
            browser.close()


def shoot(page, tmp_path: Path, name: str) -> None:  # noqa: ANN001
    """Photographs the current page on both viewports (full page), then goes back to the phone size."""
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(tmp_path / f"admin-{name}-{size}.png"), full_page=True)
    page.set_viewport_size(VIEWPORTS["phone"])
