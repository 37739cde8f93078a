"""Kirim survei: an admin sends the follow-up survey to a segment from the broadcast workspace."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from storage.models import AuditLog, Broadcast, FollowUpSurvey
from tests.admin.broadcast_world import World
from tests.admin.conftest import add_account, csrf, sign_in
from tests.loans.conftest import Owner
from tests.survey.conftest import wib
from tests.transcript import Chat


async def _borrower(world: World, user: str, **business: str) -> int:
    """A registered Telegram owner with a recorded loan."""
    contact_id = await world.owner("telegram", user, business=business)
    await Owner(world.services.sessions, world.clock, user=user, channel="telegram").add_loan(
        disbursed_on=date(2026, 9, 1)
    )
    return contact_id


async def _rows(world: World, model: type) -> list:
    async with world.services.sessions() as session:
        return list((await session.exec(select(model).order_by(col(model.id)))).all())


async def test_an_admin_sends_the_survey_to_a_segment(world: World) -> None:
    world.clock.moment = wib(2026, 11, 23, 10, 0)
    siti = await _borrower(world, "4001")
    budi = await _borrower(world, "4002", kecamatan="Lawang Kidul")
    await world.owner("telegram", "4003")  # registered, no loan: nothing to say about a loan
    await world.owner("telegram", "4004", business=None)
    assert 'href="/admin/surveys/new"' in (await world.client.get("/admin/broadcasts")).text
    form = await world.client.get("/admin/surveys/new")
    assert form.status_code == 200 and "Kirim survei lanjutan" in form.text
    token = await csrf(world.client, "/admin/surveys/new")
    preview = await world.client.post("/admin/surveys/preview", data={"csrf": token})
    assert '<b id="reach">2</b>' in preview.text and "Ya, isi survei" in preview.text
    narrowed = await world.client.post(
        "/admin/surveys/preview", data={"csrf": token, "kecamatan": "Muara Enim"}
    )
    assert '<b id="reach">1</b>' in narrowed.text
    saved = await world.client.post("/admin/surveys", data={"csrf": token, "form_key": "k1", "title": ""})
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/broadcasts/1"
    again = await world.client.post("/admin/surveys", data={"csrf": token, "form_key": "k1", "title": ""})
    assert again.headers["location"] == "/admin/broadcasts/1"  # a second click opens the same draft
    [broadcast] = await _rows(world, Broadcast)
    assert (broadcast.kind, broadcast.title, broadcast.status) == (
        "survey",
        "Survei lanjutan 23 November 2026",
        "draft",
    )
    assert broadcast.segment == {"registered": "yes", "has_loan": "yes"}
    assert (await world.act(1, "send", when="now")).status_code == 303
    await world.work()
    surveys = await _rows(world, FollowUpSurvey)
    assert [(row.contact_id, row.broadcast_id, row.due_on) for row in surveys] == [
        (siti, 1, date(2026, 11, 23)),
        (budi, 1, date(2026, 11, 23)),
    ]
    outbox = [row for row in await world.outbox() if row.kind == "survey"]
    assert [row.send_key for row in outbox] == [f"survey:{siti}:2026-11-23", f"survey:{budi}:2026-11-23"]
    assert await world.deliver() == 2
    assert any("Survei singkat dari Rumah UMKM" in text for text in world.fake.texts())
    chat = Chat(sessions=world.services.sessions, clock=world.clock, user="4001", channel="telegram")
    assert "Pertanyaan 1 dari 4" in await chat.say("ya")
    actions = [row.action for row in await _rows(world, AuditLog)]
    assert actions[-2:] == ["survey.create", "broadcast.send"]


async def test_a_viewer_cannot_send_a_survey_and_forms_need_their_token(world: World) -> None:
    await _borrower(world, "4001")
    refused = await world.client.post("/admin/surveys", data={"csrf": "forged", "form_key": "k2"})
    assert refused.status_code == 403 and await _rows(world, Broadcast) == []
    password = await add_account(world.services.sessions, world.clock, "vera@dinas.test", role="viewer")
    world.client.cookies.clear()
    await sign_in(world.client, "vera@dinas.test", password)
    assert 'href="/admin/surveys/new"' not in (await world.client.get("/admin/broadcasts")).text
    assert (await world.client.get("/admin/surveys/new")).status_code == 403
    token = await csrf(world.client, "/admin/broadcasts")
    assert (
        await world.client.post("/admin/surveys", data={"csrf": token, "form_key": "k3"})
    ).status_code == 403
    assert await _rows(world, Broadcast) == []


async def test_a_survey_draft_counts_whatsapp_owners_by_the_survey_template(world: World) -> None:
    world.clock.moment = wib(2026, 11, 23, 10, 0)
    await _borrower(world, "4101")
    quiet = (
        "+6281355550001"  # wrote two days ago: only a template reaches her, and none is approved for surveys
    )
    await world.owner("whatsapp", quiet, hours_ago=48)
    await Owner(world.services.sessions, world.clock, user=quiet, channel="whatsapp").add_loan(
        disbursed_on=date(2026, 9, 1)
    )
    token = await csrf(world.client, "/admin/surveys/new")
    await world.client.post("/admin/surveys", data={"csrf": token, "form_key": "k2", "title": ""})
    draft = await world.client.get(
        "/admin/broadcasts/1"
    )  # the broadcast template exists; the survey's does not
    assert '<b id="reach">1</b>' in draft.text
