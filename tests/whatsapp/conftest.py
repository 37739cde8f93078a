"""The WhatsApp harness: the real app and twilio library, signed webhooks, and the Twilio stand-in on loopback."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from unittest import mock

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from twilio.request_validator import RequestValidator

import bot.app
from bot.app import create_app
from bot.channels import Channel, configured_channels
from bot.clock import FixedClock
from bot.delivery import Dispatcher
from bot.handlers.whatsapp import STATUS_PATH, WEBHOOK_PATH, WhatsAppChannel
from bot.messages import Option
from bot.services import Services
from bot.settings import Settings
from storage import outbox
from storage.contacts import get_or_create_contact
from storage.db import transaction
from storage.models import Outbox
from tests.fake_twilio import FakeTwilio

PUBLIC = "https://umkm.example.id"
ACCOUNT = "AC" + "0123456789abcdef" * 2
TOKEN = "test-auth-token-for-signing"
FROM = "whatsapp:+14155238886"
USER = "+6281234567890"
TEMPLATES = {
    "consultant_notification": "HX" + "1" * 32,
    "booking_confirmation": "HX" + "2" * 32,
    "repayment_reminder": "HX" + "3" * 32,
    "survey": "HX" + "4" * 32,
}
_sids = itertools.count(1)
VARIABLES = {"1": "Siti", "2": "Senin, 23 November 2026", "3": "Rp1.721.329"}


def message_sid() -> str:
    """A fresh Twilio-shaped inbound MessageSid."""
    return f"SM{next(_sids):032x}"


def sign(url: str, form: dict[str, str], token: str = TOKEN) -> str:
    """The X-Twilio-Signature Twilio would send for this URL and form (its own RequestValidator logic)."""
    return RequestValidator(token).compute_signature(url, form)


def inbound_form(text: str = "", *, user: str = USER, sid: str | None = None, **extra: str) -> dict[str, str]:
    """The form Twilio posts for an incoming WhatsApp message."""
    sid = sid or message_sid()
    form = {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": "Siti",
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": user.removeprefix("+"),
        "SmsStatus": "received",
        "Body": text,
        "To": FROM,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": ACCOUNT,
        "From": f"whatsapp:{user}",
        "ApiVersion": "2010-04-01",
    }
    return form | extra


def make_settings(db_url: str, twilio_url: str, **overrides: Any) -> Settings:
    """Settings with the WhatsApp channel on, talking to the stand-in."""
    values: dict[str, Any] = {
        "database_url": db_url,
        "public_base_url": PUBLIC,
        "twilio_account_sid": ACCOUNT,
        "twilio_auth_token": SecretStr(TOKEN),
        "twilio_whatsapp_from": FROM,
        "twilio_api_base_url": twilio_url,
        "twilio_rate_per_second": 1000,
        **{f"twilio_template_{kind}": sid for kind, sid in TEMPLATES.items()},
    }
    return Settings(_env_file=None, **(values | overrides))


@dataclass
class WhatsApp:
    """One running app with the WhatsApp channel, and the stand-in that records what it sends."""

    app: FastAPI
    client: httpx.AsyncClient
    channel: WhatsAppChannel
    fake: FakeTwilio

    @property
    def services(self) -> Services:
        """The app's services (database, clock, governors)."""
        return self.app.state.services

    async def post(
        self, path: str, form: dict[str, str], *, signature: str | None = None, signed_url: str | None = None
    ) -> httpx.Response:
        """Posts a form as Twilio would, signed for `signed_url` (the public URL) unless a signature is given."""
        headers = {}
        if signature is None:
            signature = sign(signed_url or f"{PUBLIC}{path}", form)
        if signature:
            headers["X-Twilio-Signature"] = signature
        return await self.client.post(path, data=form, headers=headers)

    async def send(self, text: str = "", *, user: str = USER, **extra: str) -> list[dict[str, str]]:
        """Sends one message as `user`, waits for the bot to finish, returns the messages it sent them."""
        before = len(self.fake.messages)
        response = await self.post(WEBHOOK_PATH, inbound_form(text, user=user, **extra))
        assert response.status_code == 200, response.text
        assert response.text.endswith("<Response />") and "xml" in response.headers["content-type"]
        await self.channel.idle()
        return [m for m in self.fake.messages[before:] if m["To"] == f"whatsapp:{user}"]

    async def say(self, text: str = "", **kw: str) -> str:
        """Sends one message and returns the bodies of the replies as one text."""
        return "\n\n".join(message.get("Body", "") for message in await self.send(text, **kw))

    async def walk(self, script: list[tuple[str, list[str]]]) -> None:
        """Plays (message, expected fragments) rows, asserting each answer contains every fragment."""
        for text, fragments in script:
            answer = await self.say(text)
            for fragment in fragments:
                assert fragment.casefold() in answer.casefold(), f"{text!r} -> {answer!r} lacks {fragment!r}"

    async def status(self, sid: str, status: str, error_code: str | None = None) -> httpx.Response:
        """Posts a signed status callback for a message we sent."""
        form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT, "To": f"whatsapp:{USER}"}
        form |= {"From": FROM, "ApiVersion": "2010-04-01", "ChannelToAddress": USER}
        if error_code:
            form["ErrorCode"] = error_code
        return await self.post(STATUS_PATH, form)


async def add_contact(wa: WhatsApp, *, hours_ago: float | None, number: str = USER) -> int:
    """A WhatsApp contact whose last message came `hours_ago` hours ago (None: never wrote)."""
    now = wa.services.clock.now()
    async with transaction(wa.services.sessions) as session:
        contact = await get_or_create_contact(
            session=session, channel="whatsapp", external_id=number, now=now
        )
        contact.last_inbound_at = None if hours_ago is None else now - timedelta(hours=hours_ago)
        session.add(contact)
        await session.flush()
        assert contact.id is not None
        return contact.id


async def enqueue(
    wa: WhatsApp,
    contact_id: int | None,
    kind: str = "repayment_reminder",
    *,
    key: str = "k1",
    body: str = "Angsuran Rp1.721.329 jatuh tempo Senin.",
    recipient: str = USER,
    options: tuple[Option, ...] = (),
) -> int:
    """One outbox row to a WhatsApp number."""
    async with transaction(wa.services.sessions) as session:
        row = await outbox.enqueue(
            session=session,
            channel="whatsapp",
            recipient=recipient,
            kind=kind,
            body=body,
            send_key=key,
            now=wa.services.clock.now(),
            contact_id=contact_id,
            variables=VARIABLES,
            options=options,
        )
        assert row is not None and row.id is not None
        return row.id


async def dispatch(wa: WhatsApp) -> int:
    """One dispatcher round over the WhatsApp outbox with the channel's real sender."""
    services = wa.services
    senders = {"whatsapp": wa.channel.sender()}
    dispatcher = Dispatcher(services.sessions, senders, services.governors, services.clock, "test-worker")
    return await dispatcher.run_once()


async def row_of(wa: WhatsApp, outbox_id: int) -> Outbox:
    """An outbox row as stored."""
    async with wa.services.sessions() as session:
        row = await session.get(Outbox, outbox_id)
        assert row is not None
        return row


@asynccontextmanager
async def running(settings: Settings, clock: FixedClock, fake: FakeTwilio) -> AsyncIterator[WhatsApp]:
    """Runs the app (lifespan included, no scheduler) with an HTTP client on it."""
    built: list[Channel] = []

    def keep(settings: Settings) -> list[Channel]:
        """The real configured channels, remembered so the test can wait for the WhatsApp one."""
        built.extend(configured_channels(settings))
        return built

    with mock.patch.object(bot.app, "configured_channels", keep):
        app = create_app(settings, clock=clock, worker=False)
    [channel] = [channel for channel in built if isinstance(channel, WhatsAppChannel)]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield WhatsApp(app, client, channel, fake)


@pytest.fixture(scope="session")
def twilio_server() -> Iterator[tuple[FakeTwilio, str]]:
    """The Twilio stand-in, on a loopback port for the whole session (it stops itself after 30 minutes)."""
    fake = FakeTwilio()
    with fake.serve(seconds=1800) as url:
        yield fake, url


@pytest.fixture
def fake_twilio(twilio_server: tuple[FakeTwilio, str]) -> FakeTwilio:
    """The stand-in, emptied for this test."""
    twilio_server[0].reset()
    return twilio_server[0]


@pytest.fixture
def twilio_url(twilio_server: tuple[FakeTwilio, str]) -> str:
    """The stand-in's base URL (TWILIO_API_BASE_URL)."""
    return twilio_server[1]


@pytest.fixture
async def wa(
    db_url: str, clock: FixedClock, fake_twilio: FakeTwilio, twilio_url: str
) -> AsyncIterator[WhatsApp]:
    """The app with the WhatsApp channel on the test database."""
    async with running(make_settings(db_url, twilio_url), clock, fake_twilio) as harness:
        yield harness
