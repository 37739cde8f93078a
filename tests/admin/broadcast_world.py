"""The broadcast test world: one app with Telegram (fake Bot API) and WhatsApp (Twilio stand-in), owners, helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlmodel import col, select

import bot.app
from bot.app import create_app
from bot.broadcast_fanout import broadcast_job
from bot.channels import configured_channels
from bot.clock import FixedClock
from bot.delivery import Dispatcher
from bot.handlers.telegram import TelegramChannel
from bot.services import Services
from bot.settings import Settings
from storage.businesses import save_business
from storage.contacts import get_or_create_contact
from storage.db import transaction
from storage.models import Outbox
from tests.admin.conftest import add_account, csrf, sign_in
from tests.fake_telegram import BASE_URL, TOKEN, FakeTelegram
from tests.fake_twilio import FakeTwilio

TEMPLATE = "HX" + "b" * 32
ACCOUNT = "AC" + "0123456789abcdef" * 2
BUSINESS = {
    "owner_name": "Siti Aminah",
    "name": "Warung",
    "sector": "perdagangan",
    "kecamatan": "Muara Enim",
    "desa": "Pasar II",
    "started_on": date(2023, 3, 1),
    "monthly_turnover": 30_000_000,
    "capital": 50_000_000,
    "size_class": "mikro",
}
MESSAGE = {
    "title": "Pelatihan pengemasan",
    "body": "Pelatihan *pengemasan* gratis, Senin 7 Desember 09.00 WIB.",
    "option1": "Ya, saya ikut",
    "option2": "Tidak",
    "link": "https://dinkop.example.go.id/daftar",
}


@dataclass
class World:
    """The running app, a signed-in admin client, the two stand-ins, and helpers to act as worker and owners."""

    client: httpx.AsyncClient
    services: Services
    telegram: TelegramChannel
    senders: dict[str, Any]
    fake: FakeTelegram
    twilio: FakeTwilio
    clock: FixedClock

    async def owner(
        self, channel: str, external_id: str, *, hours_ago: float | None = 1, **attributes: Any
    ) -> int:
        """An owner contact (registered unless business=None) who last wrote `hours_ago` hours ago."""
        business = attributes.pop("business", {})
        now = self.clock.now()
        async with transaction(self.services.sessions) as session:
            contact = await get_or_create_contact(
                session=session, channel=channel, external_id=external_id, now=now
            )
            contact.last_inbound_at = None if hours_ago is None else now - timedelta(hours=hours_ago)
            for name, value in attributes.items():
                setattr(contact, name, value)
            session.add(contact)
            await session.flush()
            if business is not None:
                await save_business(
                    session=session, contact_id=contact.id, fields=BUSINESS | business, now=now
                )
            return contact.id

    async def compose(self, **changes: Any) -> httpx.Response:
        """Posts the compose form (with a fresh CSRF token)."""
        data = {"csrf": await csrf(self.client, "/admin/broadcasts"), **MESSAGE, **changes}
        return await self.client.post("/admin/broadcasts", data=data)

    async def act(self, broadcast_id: int, action: str, **form: str) -> httpx.Response:
        """Presses a broadcast page's button (send, pause, resume, cancel)."""
        data = {"csrf": await csrf(self.client, f"/admin/broadcasts/{broadcast_id}"), **form}
        return await self.client.post(f"/admin/broadcasts/{broadcast_id}/{action}", data=data)

    async def work(self) -> None:
        """One round of the worker's broadcast job."""
        await broadcast_job(self.services)()

    async def deliver(self, batch: int = 50) -> int:
        """One dispatcher round with the real senders; returns how many rows it claimed."""
        dispatcher = Dispatcher(
            self.services.sessions,
            self.senders,
            self.services.governors,
            self.services.clock,
            "test-worker",
            batch=batch,
        )
        return await dispatcher.run_once()

    async def outbox(self) -> list[Outbox]:
        """Every outbox row, in order."""
        async with self.services.sessions() as session:
            return list((await session.exec(select(Outbox).order_by(col(Outbox.id)))).all())


@asynccontextmanager
async def running(
    db_url: str, clock: FixedClock, twilio: FakeTwilio, twilio_url: str, **overrides: Any
) -> AsyncIterator[World]:
    """The app with both channels, its lifespan running (no scheduler), and an admin signed in."""
    settings = Settings(
        _env_file=None,
        database_url=db_url,
        public_base_url="https://umkm.example.id",
        telegram_bot_token=TOKEN,
        telegram_webhook_secret="test-webhook-secret_0123",
        telegram_api_base_url=BASE_URL,
        twilio_account_sid=ACCOUNT,
        twilio_auth_token=SecretStr("test-auth-token-for-signing"),
        twilio_whatsapp_from="whatsapp:+14155238886",
        twilio_api_base_url=twilio_url,
        twilio_rate_per_second=1000,
        **({"twilio_template_broadcast": TEMPLATE} | overrides),
    )
    fake = FakeTelegram()
    telegram = TelegramChannel(settings, transport=fake.transport())
    whatsapp = [channel for channel in configured_channels(settings) if channel.name == "whatsapp"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot.app, "configured_channels", lambda _settings: [telegram, *whatsapp])
        app = create_app(settings, clock=clock, worker=False)
    async with app.router.lifespan_context(app):
        services: Services = app.state.services
        senders = {"telegram": telegram.sender(), "whatsapp": whatsapp[0].sender()}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://umkm.example.id") as client:
            password = await add_account(services.sessions, clock, "rina@dinas.test")
            assert (await sign_in(client, "rina@dinas.test", password)).status_code == 303
            yield World(client, services, telegram, senders, fake, twilio, clock)
            await telegram.idle()
