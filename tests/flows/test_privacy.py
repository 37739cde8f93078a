"""Privacy & data: what is stored, announcements on/off, and erasure on request (UU PDP)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from bot.flows import privacy
from bot.flows.base import Answer, Ctx, Flow, Goto
from bot.flows.registry import FLOWS
from bot.messages import Reply
from storage.businesses import get_business, save_business
from storage.contacts import get_contact
from storage.models import Business, Contact, EligibilityCheck
from tests.transcript import Chat

NIK = "1603014501900003"
PHONE = "+6281234567890"

TOY = Flow("toy", first="name", menu_label=lambda ctx: "Mainan", menu_order=1)


@TOY.ask("name")
def ask_name(ctx: Ctx) -> list[Reply]:
    """Asks for a name (a stand-in for any flow the user is in the middle of)."""
    return [Reply("Siapa nama usaha Anda?")]


@TOY.answer("name")
def answer_name(ctx: Ctx, answer: Answer) -> Goto:
    """Keeps asking."""
    return Goto("name")


@pytest.fixture
def chat(sessions, clock) -> Chat:
    """A user of the registered flows plus a toy flow to be in the middle of."""
    return Chat(sessions=sessions, clock=clock, flows={**FLOWS, privacy.FLOW.id: privacy.FLOW, TOY.id: TOY})


async def _contact(chat: Chat) -> Contact:
    """The chat user's current contact row."""
    async with chat.sessions() as session:
        contact = await get_contact(session=session, channel=chat.channel, external_id=chat.user)
        assert contact is not None
        return contact


async def _register(chat: Chat) -> int:
    """Gives the chat user consent, a phone, a business with a NIK and two saved checks; returns the contact id."""
    await chat.say("halo")
    now = chat.clock.now()
    async with chat.sessions.begin() as session:
        contact = await get_contact(session=session, channel=chat.channel, external_id=chat.user)
        assert contact is not None
        contact.display_name, contact.phone, contact.consent_at = "Sri Wahyuni", PHONE, now
        session.add(contact)
        fields = {
            "owner_name": "Sri Wahyuni",
            "phone": PHONE,
            "nik": NIK,
            "name": "Warung Bu Sri",
            "sector": "trade",
            "kecamatan": "Muara Enim",
            "desa": "Pasar I",
            "started_on": date(2020, 3, 1),
            "monthly_turnover": 15_000_000,
            "capital": 20_000_000,
            "size_class": "micro",
        }
        await save_business(session=session, contact_id=contact.id, fields=fields, now=now)
        for scheme in ("kur_mikro", None):
            session.add(
                EligibilityCheck(
                    contact_id=contact.id,
                    checked_on=date(2026, 11, 20),
                    rules_version="kur-2026",
                    inputs={"nik": NIK, "turnover": 15_000_000},
                    result={"kur_mikro": "eligible"},
                    best_scheme=scheme,
                    created_at=now,
                )
            )
        return contact.id


async def test_overview_says_what_is_stored_without_nik_or_phone(chat: Chat) -> None:
    """The overview names the business, consent date and announcements, never the NIK or phone."""
    await _register(chat)
    text = await chat.say("privasi")
    assert "Data Anda di Rumah UMKM" in text
    assert "Warung Bu Sri* sudah terdaftar" in text
    assert "diberikan pada 21 November 2026" in text
    assert "Pengumuman program: aktif" in text
    assert "Hentikan pengumuman" in text and "Hapus data saya" in text and "Menu" in text
    assert NIK not in text and NIK[:6] not in text and PHONE not in text and "81234567890" not in text


async def test_overview_of_a_newcomer(chat: Chat) -> None:
    """A newcomer sees the menu entry and an overview with nothing registered."""
    text = await chat.say("halo")
    assert "Privasi & data" in text
    text = await chat.say("privasi")
    assert "Usaha: belum terdaftar" in text and "Persetujuan penyimpanan data: belum diberikan" in text


async def test_announcements_off_and_on_from_the_overview(chat: Chat) -> None:
    """The overview switches announcements off and on again and shows the new state."""
    await chat.walk([("halo", []), ("privasi", ["Pengumuman program: aktif", "Hentikan pengumuman"])])
    text = await chat.say("hentikan pengumuman")
    assert "tidak akan menerima pengumuman" in text
    assert "Pengumuman program: nonaktif" in text and "Aktifkan pengumuman" in text
    assert (await _contact(chat)).broadcasts_opt_out
    text = await chat.say("aktifkan pengumuman")
    assert "aktif kembali" in text and "Pengumuman program: aktif" in text
    assert not (await _contact(chat)).broadcasts_opt_out
    assert "Menu utama" in await chat.say("menu")


async def test_erase_from_the_menu_removes_personal_data(chat: Chat) -> None:
    """Confirmed erasure deletes the business and personal fields and anonymises saved checks."""
    contact_id = await _register(chat)
    await chat.say("privasi")
    text = await chat.say("hapus data saya")
    assert "Hapus data Anda?" in text and "NIK" in text and "hitungan anonim" in text
    assert "Ya, hapus" in text and "Batal" in text
    text = await chat.say("ya, hapus")
    assert "data Anda sudah dihapus" in text
    async with chat.sessions() as session:
        assert (await session.exec(select(Business))).all() == []
        contact = await session.get(Contact, contact_id)
        assert contact.phone is None and contact.display_name is None and contact.consent_at is None
        assert contact.erased_at is not None and contact.external_id != chat.user
        checks = (await session.exec(select(EligibilityCheck))).all()
        assert len(checks) == 2
        assert all(check.contact_id is None and check.inputs == {} for check in checks)


async def test_after_erasure_the_same_user_starts_as_new(chat: Chat) -> None:
    """After erasure the same channel user is welcomed as a new user."""
    contact_id = await _register(chat)
    await chat.walk([("hapus data", ["Hapus data Anda?"]), ("1", ["sudah dihapus"])])
    text = await chat.say("halo")
    assert "Selamat datang di Rumah UMKM" in text and "Menu utama" in text
    new = await _contact(chat)
    assert new.id != contact_id and new.consent_at is None
    assert "Usaha: belum terdaftar" in await chat.say("privasi")


async def test_cancel_keeps_everything(chat: Chat) -> None:
    """Cancelling (button or the word batal) erases nothing."""
    contact_id = await _register(chat)
    await chat.say("hapus data")
    text = await chat.say(choice="cancel")
    assert "Tidak ada yang dihapus" in text and "Menu utama" in text
    await chat.say("hapus data")
    assert "Dibatalkan" in await chat.say("batal")
    async with chat.sessions() as session:
        business = await get_business(session=session, contact_id=contact_id)
        assert business is not None and business.nik == NIK
        contact = await session.get(Contact, contact_id)
        assert contact.phone == PHONE and contact.erased_at is None and contact.external_id == chat.user
        checks = (await session.exec(select(EligibilityCheck))).all()
        assert all(check.contact_id == contact_id and check.inputs["nik"] == NIK for check in checks)


async def test_erase_only_takes_an_offered_answer(chat: Chat) -> None:
    """Anything but an offered option at the confirmation erases nothing."""
    await _register(chat)
    await chat.say("hapus data")
    text = await chat.say("hmm, apa maksudnya?")
    assert "angka 1 sampai 2" in text and "Hapus data Anda?" in text
    assert (await _contact(chat)).erased_at is None


async def test_erase_from_the_middle_of_another_flow(chat: Chat) -> None:
    """The global words hapus data work in the middle of another flow."""
    contact_id = await _register(chat)
    await chat.walk([("mainan", ["Siapa nama usaha"]), ("Warung", ["Siapa nama usaha"])])
    text = await chat.say("Hapus data")
    assert "Hapus data Anda?" in text and "Siapa nama usaha" not in text
    assert "sudah dihapus" in await chat.say(choice="confirm")
    async with chat.sessions() as session:
        assert (await session.get(Contact, contact_id)).erased_at is not None
        assert (await session.exec(select(Business))).all() == []


async def test_consent_date_is_the_local_date(chat: Chat) -> None:
    """The consent date is shown in the kabupaten's local time zone."""
    await chat.say("halo")
    async with chat.sessions.begin() as session:
        contact = await get_contact(session=session, channel=chat.channel, external_id=chat.user)
        contact.consent_at = datetime(2026, 11, 19, 18, 30, tzinfo=UTC)  # 20 November, 01.30 WIB
        session.add(contact)
    assert "diberikan pada 20 November 2026" in await chat.say("privasi")
