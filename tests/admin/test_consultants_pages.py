"""Consultant pages through the real app: add, edit and deactivate, link code, slots, upcoming bookings."""

from __future__ import annotations

from datetime import date

import httpx
from sqlmodel import select

from core.booking import read_link_code
from storage.bookings import book_slot
from storage.businesses import save_business
from storage.contacts import get_or_create_contact
from storage.models import AuditLog, Consultant, Slot
from tests.admin.conftest import add_account, csrf, sign_in

FORM = {"name": "Siti Rahmawati", "bank": "BRI Unit Muara Enim", "kecamatan": ["Muara Enim", "Ujan Mas"]}


async def _consultants(sessions) -> list[Consultant]:  # noqa: ANN001
    async with sessions() as session:
        return list((await session.exec(select(Consultant).order_by(Consultant.id))).all())


async def _add(client: httpx.AsyncClient, **changes) -> httpx.Response:  # noqa: ANN003
    return await client.post("/admin/consultants", data={"csrf": await csrf(client), **FORM, **changes})


async def test_add_edit_deactivate(admin_client: httpx.AsyncClient, sessions) -> None:  # noqa: ANN001
    """An admin adds a consultant, edits the coverage, and unticks Aktif; each step is audited."""
    added = await _add(admin_client, topics=["kur", "perizinan"])
    assert added.status_code == 303 and added.headers["location"] == "/admin/consultants/1"
    listing = await admin_client.get("/admin/consultants")
    assert (
        "Siti Rahmawati" in listing.text
        and "Muara Enim, Ujan Mas" in listing.text
        and "Belum" in listing.text
    )
    [stored] = await _consultants(sessions)
    assert (stored.kecamatan, stored.topics, stored.active) == (
        ["Muara Enim", "Ujan Mas"],
        ["kur", "perizinan"],
        True,
    )
    data = {
        "csrf": await csrf(admin_client),
        **FORM,
        "bank": "Bank Sumsel Babel",
        "kecamatan": ["lawang kidul"],
    }
    assert (await admin_client.post("/admin/consultants/1", data=data)).status_code == 303
    [stored] = await _consultants(sessions)
    assert (stored.bank, stored.kecamatan, stored.active) == ("Bank Sumsel Babel", ["Lawang Kidul"], False)
    async with sessions() as session:
        actions = (await session.exec(select(AuditLog.action).order_by(AuditLog.id))).all()
    assert actions[-2:] == ["consultant.add", "consultant.deactivate"]


async def test_bad_input_is_explained_and_saves_nothing(admin_client: httpx.AsyncClient, sessions) -> None:  # noqa: ANN001
    """No kecamatan, or an unknown one, or no name: a clear message and no consultant."""
    missing = await _add(admin_client, kecamatan=[])
    assert missing.status_code == 400 and "Kecamatan" in missing.text
    unknown = await _add(admin_client, kecamatan=["Atlantis"])
    assert unknown.status_code == 400 and "Atlantis" in unknown.text
    nameless = await _add(admin_client, name=" ")
    assert nameless.status_code == 400 and "Isi nama dan bank mitra" in nameless.text
    assert await _consultants(sessions) == []


async def test_link_code_and_slots(admin_client: httpx.AsyncClient, sessions) -> None:  # noqa: ANN001
    """The link code is shown once and stored; slots are generated from office hours without duplicates."""
    await _add(admin_client)
    shown = await admin_client.post("/admin/consultants/1/link-code", data={"csrf": await csrf(admin_client)})
    [stored] = await _consultants(sessions)
    assert stored.link_code and stored.link_code in shown.text and read_link_code(stored.link_code)
    form = {
        "csrf": await csrf(admin_client),
        "first": "2026-11-23",
        "last": "2026-11-29",
        "weekdays": ["1", "3"],
        "opens": "09:00",
        "closes": "12:00",
        "minutes": "60",
        "place": "secretariat",
    }
    made = await admin_client.post("/admin/consultants/1/slots", data=form)
    assert made.status_code == 200 and "6 slot ditambahkan (0 sudah ada)" in made.text
    again = await admin_client.post("/admin/consultants/1/slots", data=form)
    assert "0 slot ditambahkan (6 sudah ada)" in again.text
    backwards = await admin_client.post("/admin/consultants/1/slots", data={**form, "last": "2026-11-01"})
    assert backwards.status_code == 400 and "tidak boleh sebelum" in backwards.text
    async with sessions() as session:
        assert len((await session.exec(select(Slot))).all()) == 6


async def test_upcoming_bookings_are_listed(admin_client: httpx.AsyncClient, sessions, clock) -> None:  # noqa: ANN001
    """A booking with the consultant shows on their page with the business and the local time."""
    await _add(admin_client)
    form = {
        "csrf": await csrf(admin_client),
        "first": "2026-11-23",
        "last": "2026-11-23",
        "weekdays": ["1"],
        "opens": "09:00",
        "closes": "10:00",
        "minutes": "60",
        "place": "secretariat",
    }
    await admin_client.post("/admin/consultants/1/slots", data=form)
    async with sessions.begin() as session:
        owner = await get_or_create_contact(
            session=session, channel="telegram", external_id="77", now=clock.now()
        )
        business = await save_business(
            session=session,
            contact_id=owner.id,
            now=clock.now(),
            fields={
                "owner_name": "Siti Aminah",
                "name": "Warung Berkah",
                "sector": "perdagangan",
                "kecamatan": "Muara Enim",
                "desa": "Pasar II",
                "started_on": date(2023, 3, 1),
                "monthly_turnover": 30_000_000,
                "capital": 50_000_000,
                "size_class": "mikro",
            },
        )
        slot = (await session.exec(select(Slot))).one()
        await book_slot(
            session=session,
            owner_contact_id=owner.id,
            business_id=business.id,
            slot=slot,
            topic="kur",
            note=None,
            now=clock.now(),
        )
    page = await admin_client.get("/admin/consultants/1")
    assert "Warung Berkah (Siti Aminah)" in page.text and "23 November 2026 09.00 WIB" in page.text
    assert "Menunggu jawaban" in page.text


async def test_viewer_reads_but_cannot_change(client: httpx.AsyncClient, sessions, clock) -> None:  # noqa: ANN001
    """A viewer sees the pages without forms; a change answers 403 and changes nothing."""
    password = await add_account(sessions, clock, "vera@dinas.test", role="viewer")
    await sign_in(client, "vera@dinas.test", password)
    page = await client.get("/admin/consultants")
    assert page.status_code == 200 and "pemantau" in page.text and "Tambah konsultan" not in page.text
    refused = await _add(client)
    assert refused.status_code == 403 and "hanya dapat melihat" in refused.text
    assert await _consultants(sessions) == []


async def test_unknown_ids_answer_404(admin_client: httpx.AsyncClient) -> None:
    """A consultant or broadcast that does not exist gets a short page, for reading and for changing."""
    token = await csrf(admin_client)
    for method, path in (
        ("GET", "/admin/consultants/99"),
        ("POST", "/admin/consultants/99/link-code"),
        ("GET", "/admin/broadcasts/99"),
        ("GET", "/admin/broadcasts/99/progress"),
        ("POST", "/admin/broadcasts/99/cancel"),
        ("POST", "/admin/broadcasts/99/explode"),
    ):
        response = await admin_client.request(
            method, path, data={"csrf": token} if method == "POST" else None
        )
        assert response.status_code in (404, 409) and "tidak ada" in response.text, path
