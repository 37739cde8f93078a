"""Signed WhatsApp forms with values we cannot store as given: answered, cleaned or ignored, never an error."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from bot.handlers.whatsapp import WEBHOOK_PATH
from storage.models import Contact, ProcessedInbound
from tests.whatsapp.conftest import USER, WhatsApp, inbound_form, message_sid


async def test_nul_characters_are_dropped_from_the_name_and_text(wa: WhatsApp, caplog) -> None:
    """PostgreSQL refuses NUL in text: the profile name and the message are stored without it."""
    replies = await wa.send("ha\x00lo", ProfileName="Si\x00ti")
    assert replies and "Selamat datang" in replies[0]["Body"]
    async with wa.services.sessions() as session:
        contact = (await session.exec(select(Contact))).one()
    assert contact.display_name == "Siti"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize(
    "sid", ["SM" + "a" * 100, "", "SM123", "sm" + "0" * 32, "SM" + "0" * 31 + "\x00"], ids=str.__len__
)
async def test_a_message_sid_twilio_never_sends_is_ignored(wa: WhatsApp, caplog, sid: str) -> None:
    """A MessageSid that is not two letters and 32 hex digits is answered with empty TwiML and not handled."""
    caplog.set_level(logging.INFO)
    form = inbound_form("halo", sid=message_sid()) | {"MessageSid": sid, "SmsMessageSid": sid}
    response = await wa.post(WEBHOOK_PATH, form)
    await wa.channel.idle()
    assert response.status_code == 200 and response.text.endswith("<Response />")
    assert wa.fake.messages == []
    async with wa.services.sessions() as session:
        assert (await session.exec(select(ProcessedInbound))).all() == []
    assert any("MessageSid we can read" in r.getMessage() for r in caplog.records)
    assert USER not in caplog.text


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (
            b'--x\r\nContent-Disposition: form-data; name="Body"; filename="a.txt"\r\n\r\nhalo\r\n--x--\r\n',
            "x",
        ),
        (b"--x\r\n", "x"),
        (b"\xff\xfe=%%%&&==", None),
    ],
    ids=["file-field", "broken-multipart", "not-a-form"],
)
async def test_a_body_twilio_never_posts_is_refused_not_an_error(
    wa: WhatsApp, content: bytes, content_type: str | None
) -> None:
    """A file upload or a broken body, with some signature header, is refused (403) rather than failing (500)."""
    kind = (
        f"multipart/form-data; boundary={content_type}"
        if content_type
        else "application/x-www-form-urlencoded"
    )
    headers = {"X-Twilio-Signature": "c2lnbmF0dXJl", "Content-Type": kind}
    response = await wa.client.post(WEBHOOK_PATH, content=content, headers=headers)
    assert response.status_code in (400, 403)
    assert wa.fake.messages == []
