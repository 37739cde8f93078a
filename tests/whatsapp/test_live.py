"""One real message through Twilio (sandbox or production): run by hand with `-m live` and real credentials."""

from __future__ import annotations

import os

import pytest
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

pytestmark = pytest.mark.live

NEEDED = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM", "TWILIO_LIVE_TO")


@pytest.mark.skipif(not all(os.environ.get(name) for name in NEEDED), reason=f"set {', '.join(NEEDED)}")
async def test_a_real_message_is_accepted() -> None:
    http = AsyncTwilioHttpClient(timeout=15)
    try:
        client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"], http_client=http)
        message = await client.messages.create_async(
            from_=os.environ["TWILIO_WHATSAPP_FROM"],
            to=f"whatsapp:{os.environ['TWILIO_LIVE_TO']}",
            body="Tes Rumah UMKM: pesan ini dikirim oleh pengujian otomatis.",
        )
    finally:
        await http.close()
    assert message.sid.startswith(("SM", "MM")) and message.status in {"queued", "accepted", "sent"}
