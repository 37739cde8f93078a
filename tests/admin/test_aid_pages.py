"""Aid applications from the chat to the admin pages and back: list, filters, approve, decline, deliver, erasure."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import col, select

from bot.settings import Settings
from core.kabupaten import load_profile
from storage.aid import aid_figures
from storage.contacts import get_contact
from storage.db import transaction
from storage.erasure import erase_contact
from storage.models import AuditLog, Outbox
from tests.admin.conftest import add_account, csrf, sign_in
from tests.aid.world import applications, registered

PROFILE = load_profile("oku_timur")


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Dev settings for OKU Timur (it lists aid) on the test database."""
    return Settings(_env_file=None, database_url=db_url, umkm_env="dev", umkm_kabupaten="oku_timur")


async def _apply(sessions, clock, user: str, channel: str, aid: str, reason: str, **changes) -> None:  # noqa: ANN001, ANN003
    """An owner applies for one aid through the chat."""
    chat = await registered(sessions, clock, PROFILE, user, channel=channel, **changes)
    await chat.say("menu")
    await chat.say("Ajukan bantuan atau pelatihan")
    await chat.say(aid)
    await chat.say("Ya, ajukan")
    text = await chat.say(reason)
    if "Tanpa foto" in text:
        text = await chat.say("Tanpa foto")
    assert "sudah terkirim" in await chat.say("Kirim pengajuan")


async def _notices(sessions) -> list[Outbox]:  # noqa: ANN001
    async with sessions() as session:
        query = select(Outbox).where(Outbox.kind == "aid_decision").order_by(col(Outbox.id))
        return list((await session.exec(query)).all())


async def _decide(
    client: httpx.AsyncClient, application_id: int, decision: str, note: str = ""
) -> httpx.Response:
    token = await csrf(client, f"/admin/aid/{application_id}")
    data = {"csrf": token, "decision": decision, "note": note}
    return await client.post(f"/admin/aid/{application_id}", data=data)


async def test_an_application_is_approved_declined_delivered_and_the_owner_told(
    admin_client: httpx.AsyncClient, sessions, clock
) -> None:
    await _apply(
        sessions, clock, "tg-11", "telegram", "Mesin sealer kemasan", "Untuk mengemas keripik agar awet."
    )
    await _apply(
        sessions,
        clock,
        "+6281299900022",
        "whatsapp",
        "Pelatihan kemasan produk",
        "Kemasan saya masih polos, mau belajar.",
        kecamatan="Martapura",
    )
    sealer, training = await applications(sessions)

    listing = (await admin_client.get("/admin/aid")).text
    assert "Pengajuan bantuan" in listing and "Keripik tg-11" in listing and "Martapura" in listing
    filtered = (await admin_client.get("/admin/aid", params={"kecamatan": "Martapura"})).text
    assert "Keripik +6281299900022" in filtered and "Keripik tg-11" not in filtered
    by_aid = (await admin_client.get("/admin/aid", params={"aid": "sealer", "status": "applied"})).text
    assert "Keripik tg-11" in by_aid and "Keripik +6281299900022" not in by_aid

    response = await _decide(admin_client, sealer.id, "approved", "Silakan ambil di kantor Dinas.")
    assert (
        response.status_code == 303
        and response.headers["location"] == f"/admin/aid/{sealer.id}?done=approved"
    )
    assert "Pemilik usaha diberi tahu" in (await admin_client.get(response.headers["location"])).text
    refused = await _decide(admin_client, training.id, "declined")
    assert refused.status_code == 400 and "Tulis alasan penolakan" in refused.text
    assert (
        await _decide(admin_client, training.id, "declined", "Kuota pelatihan 2026 sudah penuh.")
    ).status_code == 303
    again = await _decide(admin_client, training.id, "approved")
    assert again.status_code == 409 and "sudah ditolak" in again.text
    assert (await _decide(admin_client, sealer.id, "delivered")).status_code == 303

    sealer, training = await applications(sessions)
    assert (sealer.status, sealer.decided_by, sealer.delivered_at is not None) == (
        "delivered",
        "rina@dinas.test",
        True,
    )
    assert (training.status, training.decision_note) == ("declined", "Kuota pelatihan 2026 sudah penuh.")
    approved, declined, delivered = await _notices(sessions)
    assert (approved.channel, approved.recipient) == ("telegram", "tg-11")
    assert "*Pengajuan Mesin sealer kemasan Anda disetujui.*" in approved.body
    assert "Catatan dari Dinas: Silakan ambil di kantor Dinas." in approved.body
    assert (declined.channel, declined.recipient) == ("whatsapp", "+6281299900022")
    assert declined.variables == {
        "1": "Pengajuan Pelatihan kemasan produk Anda belum disetujui.",
        "2": "Pelatihan kemasan produk",
        "3": "Kuota pelatihan 2026 sudah penuh.",
    }
    assert "bantuan sudah diserahkan" in delivered.body
    async with sessions() as session:
        actions = [
            row.action for row in (await session.exec(select(AuditLog).order_by(col(AuditLog.id)))).all()
        ]
        start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
        figures = await aid_figures(session, start, end)
        martapura = await aid_figures(session, start, end, kecamatan="Martapura")
    assert actions[-3:] == ["aid.approved", "aid.declined", "aid.delivered"]
    assert figures == {
        "sealer": {"applied": 1, "approved": 1, "declined": 0, "delivered": 1},
        "packaging_training": {"applied": 1, "approved": 0, "declined": 1, "delivered": 0},
    }
    assert list(martapura) == ["packaging_training"]

    # The owner answers the pushed notice in plain text and reads the status, with the Dinas's reason.
    chat = await registered(sessions, clock, PROFILE, "+6281299900022", channel="whatsapp")
    mine = await chat.say("pengajuan bantuan saya")
    assert (
        "Pelatihan kemasan produk (21 November 2026): belum disetujui. Kuota pelatihan 2026 sudah penuh."
        in mine
    )


async def test_a_viewer_reads_but_cannot_decide(client: httpx.AsyncClient, sessions, clock) -> None:
    await _apply(
        sessions, clock, "tg-12", "telegram", "Mesin sealer kemasan", "Untuk mengemas keripik agar awet."
    )
    [row] = await applications(sessions)
    password = await add_account(sessions, clock, "budi@dinas.test", role="viewer")
    await sign_in(client, "budi@dinas.test", password)
    page = (await client.get(f"/admin/aid/{row.id}")).text
    assert "Untuk mengemas keripik agar awet." in page and "Setujui" not in page
    assert "Usaha Mikro · Industri pengolahan / makanan rumahan" in page
    response = await client.post(
        f"/admin/aid/{row.id}", data={"csrf": await csrf(client), "decision": "approved"}
    )
    assert response.status_code == 403
    assert (await applications(sessions))[0].status == "applied"


async def test_a_form_without_its_token_changes_nothing(
    admin_client: httpx.AsyncClient, sessions, clock
) -> None:
    await _apply(
        sessions, clock, "tg-13", "telegram", "Mesin sealer kemasan", "Untuk mengemas keripik agar awet."
    )
    [row] = await applications(sessions)
    response = await admin_client.post(f"/admin/aid/{row.id}", data={"csrf": "wrong", "decision": "approved"})
    assert response.status_code == 403 and (await applications(sessions))[0].status == "applied"


async def test_an_erased_owners_applications_keep_only_the_figures(
    admin_client: httpx.AsyncClient, sessions, clock
) -> None:
    await _apply(
        sessions,
        clock,
        "tg-14",
        "telegram",
        "Mesin sealer kemasan",
        "Warung Bu Sri Makmur perlu sealer.",
    )
    [row] = await applications(sessions)
    assert (
        await _decide(admin_client, row.id, "declined", "Usaha Bu Sri belum punya tempat.")
    ).status_code == 303
    async with transaction(sessions) as session:
        contact = await get_contact(session=session, channel="telegram", external_id="tg-14")
        await erase_contact(session=session, contact=contact, now=clock.now())
    [kept] = await applications(sessions)
    assert (kept.contact_id, kept.reason, kept.photo, kept.decision_note) == (None, "", None, None)
    assert (kept.aid_id, kept.period, kept.kecamatan, kept.status) == (
        "sealer",
        "2026",
        "Belitang",
        "declined",
    )
    assert kept.applied_at is not None and kept.decided_at is not None
    page = (await admin_client.get(f"/admin/aid/{row.id}")).text
    assert "sudah menghapus datanya" in page and "Bu Sri" not in page
