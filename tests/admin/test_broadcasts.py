"""The broadcast life cycle through the real app, Telegram and Twilio stand-ins, and the worker's job."""

from __future__ import annotations

import re

from sqlmodel import select

from storage.models import AuditLog, Broadcast
from tests.admin.broadcast_world import MESSAGE, TEMPLATE, World
from tests.telegram.factories import press


async def _people(world: World) -> dict[str, int]:
    """Owners in every situation an audience meets, and a consultant (never an audience member)."""
    return {
        "telegram": await world.owner("telegram", "1001"),
        "whatsapp_open": await world.owner(
            "whatsapp", "+6281200000001", hours_ago=2, business={"kecamatan": "Lawang Kidul"}
        ),
        "whatsapp_closed": await world.owner("whatsapp", "+6281200000002", hours_ago=72),
        "unregistered": await world.owner("telegram", "1002", business=None),
        "opted_out": await world.owner("telegram", "1003", broadcasts_opt_out=True),
        "unreachable": await world.owner(
            "telegram", "1004", unreachable_reason="telegram Forbidden: blocked"
        ),
        "erased": await world.owner("telegram", "erased-9", erased_at=world.clock.now()),
        "web": await world.owner("web", "session-1"),
        "consultant": await world.owner("telegram", "1005", role="consultant"),
    }


def _number(html: str, element: str) -> int:
    """A figure of the progress panel by its id."""
    return int(re.search(rf'id="{element}">([\d.]+)<', html).group(1).replace(".", ""))


async def test_life_cycle_on_both_channels(world: World) -> None:
    """Compose, see who gets it, send now, fan out, deliver, get answers counted, export, finish."""
    people = await _people(world)
    live = await world.client.post("/admin/broadcasts/preview", data={**MESSAGE, "channel": ["whatsapp"]})
    assert (
        '<b id="reach">2</b>' in live.text
        and "<b>pengemasan</b>" in live.text
        and "1. Ya, saya ikut" in live.text
    )
    too_long = await world.client.post("/admin/broadcasts/preview", data={"body": "x" * 1030})
    assert "1030/1024" in too_long.text and "paling banyak 1024" in too_long.text
    draft = await world.compose()
    assert draft.status_code == 303
    page = await world.client.get(draft.headers["location"])
    assert '<b id="reach">4</b>' in page.text and "4 dikecualikan" in page.text
    for reason in ("berhenti", "tidak dapat dihubungi", "menghapus data", "web chat"):
        assert reason in page.text, reason
    assert "Si** Am****" in page.text  # the masked sample

    sent = await world.act(1, "send", when="now")
    assert sent.status_code == 303
    again = await world.act(1, "send", when="now")
    assert again.status_code == 409 and "sudah dikirim atau dijadwalkan" in again.text

    await world.work()
    rows = await world.outbox()
    assert sorted(row.send_key for row in rows) == sorted(
        f"broadcast:1:{people[who]}"
        for who in ("telegram", "whatsapp_open", "whatsapp_closed", "unregistered")
    )
    assert {row.priority for row in rows} == {0} and {row.kind for row in rows} == {"broadcast"}
    assert rows[0].options == [
        {"id": "go:siaran:1:1", "label": "Ya, saya ikut"},
        {"id": "go:siaran:2:1", "label": "Tidak"},
    ]

    assert await world.deliver() == 4
    await world.telegram.idle()
    [first, second] = world.fake.sent()
    assert "<b>pengemasan</b>" in first["text"] and "https://dinkop.example.go.id/daftar" in first["text"]
    buttons = [button["callback_data"] for row in first["reply_markup"]["inline_keyboard"] for button in row]
    assert buttons == ["go:siaran:1:1", "go:siaran:2:1"]
    by_number = {message["To"]: message for message in world.twilio.messages}
    assert "1. Ya, saya ikut" in by_number["whatsapp:+6281200000001"]["Body"]
    closed = by_number["whatsapp:+6281200000002"]
    assert closed["ContentSid"] == TEMPLATE and "Pelatihan *pengemasan* gratis" in closed["ContentVariables"]

    thanks = await world.client.post(
        "/webhooks/telegram",
        json=press("go:siaran:1:1", chat_id=1001),
        headers={"X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret_0123"},
    )
    assert thanks.status_code == 200
    await world.telegram.idle()
    assert "Terima kasih" in world.fake.texts(1001)[-1] and "Ya, saya ikut" in world.fake.texts(1001)[-1]
    await world.telegram.idle()
    second_press = press("go:siaran:2:1", chat_id=int("1002"))
    await world.client.post(
        "/webhooks/telegram",
        json=second_press,
        headers={"X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret_0123"},
    )
    await world.telegram.idle()

    progress = (await world.client.get("/admin/broadcasts/1/progress")).text
    assert _number(progress, "n-sent") == 4 and _number(progress, "n-excluded") == 4
    assert _number(progress, "n-queued") == 0
    counts = re.findall(r'<td>([^<]+)</td><td class="answer-count">(\d+)</td>', progress)
    assert counts == [("Ya, saya ikut", "1"), ("Tidak", "1")]
    csv_text = (await world.client.get("/admin/broadcasts/1/answers.csv")).text
    assert csv_text.splitlines()[0].startswith("ID kontak,Kanal,Nama pemilik")
    assert (
        f"{people['telegram']},telegram,Siti Aminah,Warung,Muara Enim" in csv_text
        and "Ya, saya ikut" in csv_text
    )

    assert (await world.client.get("/admin/api/broadcasts/1")).json()["sent"] == 4
    await world.work()
    async with world.services.sessions() as session:
        broadcast = await session.get(Broadcast, 1)
        actions = (await session.exec(select(AuditLog.action).order_by(AuditLog.id))).all()
    assert broadcast.status == "done" and (broadcast.queued, broadcast.excluded) == (4, 4)
    assert actions[-3:] == ["broadcast.create", "broadcast.send", "broadcast.export"]
