"""Webhook signatures: Twilio's own signing logic against the public URL; the channel refuses to run half-set."""

from __future__ import annotations

import logging

import pytest

from bot.app import create_app
from bot.channels import configured_channels
from bot.handlers.whatsapp import STATUS_PATH, WEBHOOK_PATH, WhatsAppChannel
from bot.privacy import mask
from bot.settings import Settings
from tests.whatsapp.conftest import PUBLIC, TOKEN, USER, WhatsApp, inbound_form, make_settings, sign

# (label, path suffix, how to sign, expected status, expected log fragment)
CASES = [
    ("valid", "", "public", 200, None),
    ("valid-with-query", "?tenant=muara-enim", "public", 200, None),
    ("missing", "", "none", 403, "no X-Twilio-Signature header"),
    ("wrong-token", "", "other-token", 403, "does not match"),
    ("garbage", "", "garbage", 403, "does not match"),
    ("internal-url-behind-proxy", "", "internal", 403, "does not match"),
    ("another-host", "", "other-host", 403, "does not match"),
    ("http-instead-of-https", "", "http", 403, "does not match"),
    ("tampered-body", "", "tampered", 403, "does not match"),
]


def _signature(how: str, url: str, form: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The header value for one way of signing, and the form actually posted."""
    path = url.removeprefix(PUBLIC)
    return {
        "public": (sign(url, form), form),
        "none": ("", form),
        "other-token": (sign(url, form, token="another-accounts-token"), form),
        "garbage": ("bm90IGEgc2lnbmF0dXJl", form),
        "internal": (sign(f"http://test{path}", form), form),
        "other-host": (sign(f"https://evil.example.com{path}", form), form),
        "http": (sign(url.replace("https://", "http://"), form), form),
        "tampered": (sign(url, form), form | {"Body": "hapus data"}),
    }[how]


@pytest.mark.parametrize("route", [WEBHOOK_PATH, STATUS_PATH], ids=["inbound", "status"])
@pytest.mark.parametrize(("label", "query", "how", "expected", "logged"), CASES, ids=[c[0] for c in CASES])
async def test_signatures(
    wa: WhatsApp, caplog: pytest.LogCaptureFixture, route, label, query, how, expected, logged
) -> None:
    form = (
        inbound_form("halo")
        if route == WEBHOOK_PATH
        else {"MessageSid": "SM" + "f" * 32, "MessageStatus": "delivered", "To": "whatsapp:+6281234567890"}
    )
    signature, posted = _signature(how, f"{PUBLIC}{route}{query}", form)
    with caplog.at_level(logging.WARNING, logger="bot.handlers.whatsapp"):
        response = await wa.post(f"{route}{query}", posted, signature=signature)
    await wa.channel.idle()
    assert response.status_code == (expected if route == WEBHOOK_PATH or expected == 403 else 204), label
    warnings = [record.getMessage() for record in caplog.records]
    if logged:
        assert any(logged in message for message in warnings), warnings
    else:
        assert warnings == []
    if route == WEBHOOK_PATH:
        assert len(wa.fake.messages) == (2 if expected == 200 else 0)  # welcome + menu, or nothing


async def test_missing_and_wrong_signatures_are_told_apart_in_the_logs(
    wa: WhatsApp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.handlers.whatsapp"):
        await wa.post(WEBHOOK_PATH, inbound_form("halo"), signature="")
        await wa.post(WEBHOOK_PATH, inbound_form("halo"), signature="AAAA")
    first, second = (record.getMessage() for record in caplog.records)
    assert "no X-Twilio-Signature" in first and "does not match" not in first
    assert "does not match" in second and "PUBLIC_BASE_URL" in second


async def test_without_public_base_url_the_channel_refuses_to_start(
    db_url: str, twilio_url: str, clock
) -> None:
    settings = make_settings(db_url, twilio_url, public_base_url=None)
    app = create_app(settings, clock=clock, worker=False)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL") as refused:
        async with app.router.lifespan_context(app):
            pass
    assert TOKEN not in str(refused.value)


async def test_half_configured_twilio_names_what_is_missing(db_url: str, twilio_url: str, clock) -> None:
    settings = make_settings(db_url, twilio_url, twilio_whatsapp_from=None, twilio_account_sid=None)
    app = create_app(settings, clock=clock, worker=False)
    with pytest.raises(RuntimeError, match="TWILIO_ACCOUNT_SID, TWILIO_WHATSAPP_FROM"):
        async with app.router.lifespan_context(app):
            pass


def test_the_channel_is_on_only_when_twilio_is_configured(twilio_url: str) -> None:
    assert configured_channels(Settings(_env_file=None)) == []
    [channel] = configured_channels(make_settings("sqlite://", twilio_url))
    assert isinstance(channel, WhatsAppChannel) and channel.name == "whatsapp"
    assert {route.path for route in channel.router.routes} == {WEBHOOK_PATH, STATUS_PATH}


def test_status_callback_url_follows_the_public_url(twilio_url: str) -> None:
    settings = make_settings("sqlite://", twilio_url, public_base_url="https://bot.example.id/umkm/")
    assert settings.twilio_status_callback == "https://bot.example.id/umkm/webhooks/whatsapp/status"


def test_content_sids_are_checked(twilio_url: str) -> None:
    with pytest.raises(ValueError, match="TWILIO_TEMPLATE_BROADCAST"):
        make_settings("sqlite://", twilio_url, twilio_template_broadcast="MG123")
    with pytest.raises(ValueError, match="1-3"):
        make_settings("sqlite://", twilio_url, twilio_content_quick_reply={4: "HX1"})


async def test_logs_hold_no_token_no_body_and_no_full_number(
    wa: WhatsApp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await wa.send("halo")
        wa.fake.fail_next(500)
        await wa.send("Rahasia Siti 5jt")
        await wa.status(wa.fake.messages[-1]["sid"], "undelivered", "21610")
    ours = [record for record in caplog.records if record.name.split(".")[0] in {"bot", "storage", "twilio"}]
    logged = "\n".join(record.getMessage() for record in ours)
    assert mask(USER) in logged and "retry in 30 s" in logged
    for secret in (TOKEN, "Rahasia Siti", "Selamat datang", USER):
        assert secret not in logged
