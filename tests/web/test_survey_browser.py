"""Kirim survei in a real headless Chromium: the link on the broadcasts page, the live audience, send, progress."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bot.clock import SystemClock
from storage.businesses import save_business
from storage.contacts import get_or_create_contact
from storage.db import make_engine, session_maker, transaction
from tests.loans.conftest import Owner
from tests.survey.conftest import BUSINESS
from tests.web.browser import VIEWPORTS, chromium, shoot
from tests.web.test_admin_browser import server

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the app under uvicorn, from the admin browser test


async def _borrowers(url: str) -> None:
    """Two of the five Telegram owners register a business and record a loan."""
    db = make_engine(url)
    sessions = session_maker(db)
    clock = SystemClock()
    try:
        for user in ("1", "2"):
            async with transaction(sessions) as session:
                contact = await get_or_create_contact(
                    session=session, channel="telegram", external_id=user, now=clock.now()
                )
                await save_business(session=session, contact_id=contact.id, fields=BUSINESS, now=clock.now())
            await Owner(sessions, clock, user=user, channel="telegram").add_loan(
                disbursed_on=date(2026, 5, 21)
            )  # type: ignore[arg-type]
    finally:
        await db.dispose()


def test_kirim_survei_in_headless_chromium(server: tuple[str, str], tmp_path: Path) -> None:
    """From the broadcasts page: Kirim survei, the audience narrowed to borrowers, save, send, fanned out."""
    base_url, password = server
    asyncio.run(_borrowers(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"))
    with chromium(base_url, viewport=VIEWPORTS["phone"], device_scale_factor=2) as seen:
        page, errors = seen.page, seen.errors
        page.goto(f"{base_url}/admin/login")
        page.get_by_label("Email").fill("rina@dinas.test")
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
        page.goto(f"{base_url}/admin/broadcasts")
        page.get_by_role("link", name="Kirim survei").click()
        expect(page.get_by_role("heading", name="Kirim survei lanjutan")).to_be_visible()
        preview = page.locator("#preview")
        expect(preview.locator(".phone.whatsapp")).to_contain_text("Survei singkat dari Rumah UMKM")
        expect(preview.locator("#reach")).to_have_text("2")  # the five owners narrowed to those with a loan
        shoot(page, tmp_path, "survey")
        page.get_by_role("button", name="Simpan draf survei").click()
        expect(page.get_by_role("heading", name=re.compile("Survei lanjutan"))).to_be_visible()
        page.get_by_role("button", name="Kirim", exact=True).click()
        expect(page.locator("#n-queued")).to_have_text("2")  # the worker fanned the survey out
        shoot(page, tmp_path, "survey-progress")
        assert not errors, errors
