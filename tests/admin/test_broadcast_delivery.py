"""The progress page's delivered, read and failed figures come from the providers: Twilio's signed status callbacks
for WhatsApp, and Telegram's answers (the Bot API reports no delivery or read receipts, so Telegram stops at sent)."""

from __future__ import annotations

import re

from twilio.request_validator import RequestValidator

from bot.handlers.whatsapp import STATUS_PATH
from tests.admin.broadcast_world import ACCOUNT, World

PUBLIC = "https://umkm.example.id"
TWILIO_TOKEN = "test-auth-token-for-signing"


def _figure(html: str, element: str) -> int:
    """A figure of the progress panel by its id."""
    return int(re.search(rf'id="{element}">([\d.]+)<', html).group(1).replace(".", ""))


async def _callback(world: World, sid: str, to: str, status: str, error_code: str | None = None) -> None:
    """A status callback signed as Twilio signs it."""
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT, "To": f"whatsapp:{to}"}
    form |= {"From": "whatsapp:+14155238886", "ApiVersion": "2010-04-01"}
    if error_code:
        form["ErrorCode"] = error_code
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(f"{PUBLIC}{STATUS_PATH}", form)
    response = await world.client.post(STATUS_PATH, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 204, response.text


async def test_delivered_read_and_failed_come_from_the_providers(world: World) -> None:
    await world.owner("telegram", "1001")
    await world.owner("telegram", "1002")
    numbers = ["+6281200000001", "+6281200000002", "+6281200000003"]
    for number in numbers:
        await world.owner("whatsapp", number, hours_ago=2)
    world.fake.block(1002)
    assert (await world.compose()).status_code == 303
    await world.act(1, "send", when="now")
    await world.work()
    await world.deliver()
    await world.telegram.idle()

    panel = (await world.client.get("/admin/broadcasts/1/progress")).text
    assert (_figure(panel, "n-sent"), _figure(panel, "n-failed")) == (4, 1)  # accepted by Twilio: sent
    sid = {message["To"].removeprefix("whatsapp:"): message["sid"] for message in world.twilio.messages}
    await _callback(world, sid[numbers[0]], numbers[0], "delivered")
    await _callback(world, sid[numbers[1]], numbers[1], "delivered")
    await _callback(world, sid[numbers[1]], numbers[1], "read")
    await _callback(world, sid[numbers[2]], numbers[2], "undelivered", "30008")
    await _callback(world, sid[numbers[1]], numbers[1], "delivered")  # late and out of order: ignored

    panel = (await world.client.get("/admin/broadcasts/1/progress")).text
    figures = {name: _figure(panel, f"n-{name}") for name in ("sent", "delivered", "read", "failed")}
    assert figures == {"sent": 1, "delivered": 1, "read": 1, "failed": 2}
    failures = re.findall(r"<li>1: <code>([^<]+)</code></li>", panel)  # "Gagal karena:", one each
    assert len(failures) == 2, panel
    assert any("blocked by the user" in reason for reason in failures), failures
    assert any("Twilio 30008" in reason for reason in failures), failures
