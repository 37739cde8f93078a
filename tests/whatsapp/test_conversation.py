"""Conversations over POST /webhooks/whatsapp: what the stand-in received from the real twilio library, and the rows."""

from __future__ import annotations

import json

import pytest
from sqlmodel import func, select

from bot.handlers.whatsapp import WEBHOOK_PATH
from storage.models import Business, Contact, Conversation, Outbox, ProcessedInbound
from tests.whatsapp.conftest import (
    FROM,
    PUBLIC,
    USER,
    WhatsApp,
    inbound_form,
    make_settings,
    message_sid,
    running,
)

NIK = "1603015503900001"
REGISTRATION = [
    ("halo", ["Selamat datang di Rumah UMKM", "Menu utama", "1. Daftar usaha", "(Balas 1-"]),
    ("1", ["UU 27/2022", "Apakah Anda setuju?", "1. Setuju"]),
    ("setuju", ["nama lengkap pemilik"]),
    ("Siti Aminah", ["Nomor WhatsApp Anda +62812****890 kami catat", "NIK"]),
    (NIK, ["Apa nama usaha Anda?"]),
    ("Keripik Bu Siti", ["Apa bidang usaha Anda?", "5. Industri pengolahan / makanan rumahan"]),
    ("5", ["Di kecamatan mana"]),
    ("muara enim", ["Desa atau kelurahannya?"]),
    ("Pasar II", ["Sejak bulan dan tahun berapa"]),
    ("Maret 2022", ["Berapa omzet"]),
    ("50 juta", ["Izin usaha apa"]),
    ("NIB", ["nomor NIB"]),
    ("1234567890123", ["Mohon periksa data Anda", "Nomor HP: +62812****890", "1. Simpan"]),
    ("simpan", ["Usaha Anda sudah terdaftar"]),
]
SIMULATION = [
    ("halo", ["Menu utama"]),
    ("Simulasi angsuran", ["Berapa pinjaman yang ingin Anda hitung?"]),
    ("20 juta", ["Berapa lama pinjamannya?"]),
    ("12 bulan", ["Pilih skema kredit", "Rp20.000.000 selama 12 bulan"]),
    (
        "KUR Mikro",
        ["Angsuran per bulan: Rp1.721.329", "Bandingkan: pinjam ke rentenir", "1. Lihat jadwal angsuran"],
    ),
]


async def _count(wa: WhatsApp, model) -> int:
    """Rows of a table."""
    async with wa.services.sessions() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def test_a_full_registration_over_whatsapp(wa: WhatsApp) -> None:
    await wa.walk(REGISTRATION)
    sent = wa.fake.messages
    assert {(m["From"], m["To"]) for m in sent} == {(FROM, f"whatsapp:{USER}")}
    assert {m["StatusCallback"] for m in sent} == {f"{PUBLIC}/webhooks/whatsapp/status"}
    assert all("ContentSid" not in m and 0 < len(m["Body"]) <= 1600 for m in sent)
    async with wa.services.sessions() as session:
        contact = (await session.exec(select(Contact))).one()
        business = (await session.exec(select(Business))).one()
    assert (contact.channel, contact.external_id, contact.display_name) == ("whatsapp", USER, "Siti")
    assert contact.phone == USER and contact.last_inbound_at == wa.services.clock.now()
    assert (business.owner_name, business.phone, business.nik, business.name) == (
        "Siti Aminah",
        USER,
        NIK,
        "Keripik Bu Siti",
    )
    assert await _count(wa, ProcessedInbound) == len(REGISTRATION)


async def test_a_simulation_over_whatsapp(wa: WhatsApp) -> None:
    await wa.walk(SIMULATION)
    async with wa.services.sessions() as session:
        state = (await session.exec(select(Conversation))).one()
    assert (state.flow, state.step) == ("simulation", "result")


async def test_buttons_and_lists_go_as_content_templates_and_come_back_as_choices(
    db_url: str, clock, fake_twilio, twilio_url: str
) -> None:
    quick = "HX" + "a" * 32
    pickers = {count: f"HX{count:032x}" for count in range(4, 11)}
    settings = make_settings(
        db_url, twilio_url, twilio_content_quick_reply={2: quick}, twilio_content_list_picker=pickers
    )
    async with running(settings, clock, fake_twilio) as wa:
        welcome, menu = await wa.send("halo")
        assert "Body" in welcome and "ContentSid" not in welcome
        rows = json.loads(menu["ContentVariables"])
        count = (len(rows) - 1) // 3
        assert menu["ContentSid"] == pickers[count] and "Body" not in menu
        assert rows["1"] == "Menu utama. Apa yang ingin Anda lakukan?"
        assert (rows["2"], rows["4"]) == ("Daftar usaha", "Daftar usaha")
        assert (rows[str(3 * count - 1)], rows[str(3 * count)]) == ("Bantuan", "global:help")

        [consent] = await wa.send(ListId=rows["3"], ListTitle=rows["2"], Body=rows["2"])
        assert consent["ContentSid"] == quick
        buttons = json.loads(consent["ContentVariables"])
        assert "Apakah Anda setuju?" in buttons["1"] and (buttons["2"], buttons["4"]) == (
            "Setuju",
            "Tidak setuju",
        )

        [question] = await wa.send(ButtonPayload=buttons["3"], ButtonText="Setuju", Body="Setuju")
        assert "nama lengkap pemilik" in question["Body"]

        # an old button from an earlier message is not taken as the answer to this question
        [stale, again] = await wa.send(
            ButtonPayload=buttons["5"], ButtonText="Tidak setuju", Body="Tidak setuju"
        )
        assert "Tombol itu sudah tidak berlaku" in stale["Body"] and "nama lengkap pemilik" in again["Body"]


async def test_numbered_options_are_answered_by_number(wa: WhatsApp) -> None:
    menu = await wa.say("halo")
    [number] = [line.split(".")[0] for line in menu.splitlines() if line.endswith(". Simulasi angsuran")]
    assert "Berapa pinjaman yang ingin Anda hitung?" in await wa.say(number)


@pytest.mark.parametrize(
    "extra",
    [
        {"NumMedia": "1", "MediaContentType0": "image/jpeg", "MediaUrl0": "https://api.twilio.com/media/ME1"},
        {"NumMedia": "1", "MediaContentType0": "audio/ogg", "MediaUrl0": "https://api.twilio.com/media/ME2"},
        {"Latitude": "-3.6544", "Longitude": "103.7706", "Address": "Muara Enim", "MessageType": "location"},
    ],
    ids=["photo", "voice", "location"],
)
async def test_media_voice_and_location_get_a_polite_please_type(wa: WhatsApp, extra: dict[str, str]) -> None:
    await wa.send("halo")
    answer = await wa.say("", **extra)
    assert "hanya bisa membaca teks" in answer and "Menu utama" in answer


async def test_a_duplicate_message_sid_is_answered_once(wa: WhatsApp) -> None:
    sid = message_sid()
    form = inbound_form("halo", sid=sid)
    assert (await wa.post(WEBHOOK_PATH, form)).status_code == 200
    assert (await wa.post(WEBHOOK_PATH, form)).status_code == 200  # Twilio retried before we finished
    await wa.channel.idle()
    assert len(await wa.send("halo", sid=sid)) == 0  # and again, later
    assert len(wa.fake.messages) == 2  # one welcome and one menu
    assert await _count(wa, ProcessedInbound) == 1


async def test_what_is_not_a_whatsapp_message_is_acknowledged_and_ignored(wa: WhatsApp) -> None:
    for form in (
        inbound_form("halo") | {"From": "+6281234567890"},  # SMS
        inbound_form("halo") | {"From": "whatsapp:bukan-nomor"},
        {key: value for key, value in inbound_form("halo").items() if "Sid" not in key},
    ):
        response = await wa.post(WEBHOOK_PATH, form)
        assert response.status_code == 200 and response.text.endswith("<Response />")
    await wa.channel.idle()
    assert wa.fake.messages == [] and await _count(wa, Contact) == 0


async def test_two_people_talk_at_once(wa: WhatsApp) -> None:
    other = "+6285711112222"
    await wa.post(WEBHOOK_PATH, inbound_form("halo"))
    await wa.post(WEBHOOK_PATH, inbound_form("halo", user=other, ProfileName="Budi"))
    await wa.channel.idle()
    assert sorted(m["To"] for m in wa.fake.messages) == sorted([f"whatsapp:{USER}", f"whatsapp:{other}"] * 2)


async def test_a_reply_to_someone_who_opted_out_marks_them_and_leaves_nothing_to_retry(wa: WhatsApp) -> None:
    wa.fake.fail_next(21610)
    assert await wa.send("halo") == []
    async with wa.services.sessions() as session:
        contact = (await session.exec(select(Contact))).one()
        statuses = (await session.exec(select(Outbox.status))).all()
    assert "opted out" in contact.unreachable_reason
    assert statuses and set(statuses) == {"failed"}
