"""Requests to talk to a person in the workspace: listed oldest first, answered in the owner's chat, audited."""

from __future__ import annotations

from sqlmodel import col, select

from storage.contacts import contact_by_id
from storage.db import transaction
from storage.help_requests import add_request
from storage.models import AuditLog, HelpRequest
from tests.admin.broadcast_world import World
from tests.admin.conftest import add_account, csrf, sign_in


async def _asks(world: World, channel: str, user: str, text: str, **owner: object) -> int:
    """An owner who asked to talk to a person; returns the request id."""
    contact_id = await world.owner(channel, user, **owner)
    async with transaction(world.services.sessions) as session:
        contact = await contact_by_id(session=session, contact_id=contact_id)
        return (await add_request(session=session, contact=contact, text=text, now=world.clock.now())).id


async def _requests(world: World) -> list[HelpRequest]:
    async with world.services.sessions() as session:
        return list((await session.exec(select(HelpRequest).order_by(col(HelpRequest.id)))).all())


async def test_an_admin_answers_a_request_in_the_owners_chat(world: World) -> None:
    first = await _asks(world, "telegram", "5001", "Saya mau tanya soal KUR untuk warung, bisa ditelepon?")
    await _asks(world, "whatsapp", "+6281355550002", "Tolong hubungi saya", hours_ago=30)
    page = (await world.client.get("/admin/requests")).text
    assert page.index("Saya mau tanya soal KUR") < page.index("Tolong hubungi saya")  # oldest first
    assert "pesan terakhir pemilik lebih dari 24 jam lalu" in page  # the WhatsApp owner is outside the window
    token = await csrf(world.client, "/admin/requests")
    reply = "Besok jam 9 petugas kami menelepon Ibu."
    answered = await world.client.post(f"/admin/requests/{first}", data={"csrf": token, "reply": reply})
    assert answered.status_code == 303
    again = await world.client.post(f"/admin/requests/{first}", data={"csrf": token, "reply": reply})
    assert again.status_code == 404  # a second click sends nothing twice
    page = (await world.client.get("/admin/requests")).text
    assert "Saya mau tanya soal KUR" not in page and "Tolong hubungi saya" in page
    assert [row.send_key for row in await world.outbox() if row.kind == "help_answer"] == [f"help:{first}"]
    assert await world.deliver() == 1
    assert any(reply in text and "Jawaban dari" in text for text in world.fake.texts())
    [done, waiting] = await _requests(world)
    assert done.answered_at is not None and waiting.answered_at is None
    async with world.services.sessions() as session:
        actions = [row.action for row in (await session.exec(select(AuditLog))).all()]
    assert actions[-1] == "help_request.answered"


async def test_done_without_a_reply_sends_nothing_and_viewers_only_read(world: World) -> None:
    waiting = await _asks(world, "telegram", "5003", "Mau ketemu petugas")
    token = await csrf(world.client, "/admin/requests")
    assert (await world.client.post(f"/admin/requests/{waiting}", data={"csrf": "forged"})).status_code == 403
    assert (await world.client.post(f"/admin/requests/{waiting}", data={"csrf": token})).status_code == 303
    assert [row for row in await world.outbox() if row.kind == "help_answer"] == []  # called instead
    later = await _asks(world, "telegram", "5004", "Halo petugas")
    password = await add_account(world.services.sessions, world.clock, "vera@dinas.test", role="viewer")
    world.client.cookies.clear()
    await sign_in(world.client, "vera@dinas.test", password)
    page = (await world.client.get("/admin/requests")).text
    assert "Halo petugas" in page and "Kirim dan tandai selesai" not in page
    token = await csrf(world.client, "/admin/requests")
    assert (await world.client.post(f"/admin/requests/{later}", data={"csrf": token})).status_code == 403
