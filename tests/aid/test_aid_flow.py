"""Aid applications in the chat, per profile: the menu entry, the rules, registering first, reason, photo, status."""

from __future__ import annotations

import pytest

from core.kabupaten import load_profile
from tests.aid.world import applications, registered
from tests.flows.test_registration import answer_from
from tests.transcript import Chat

MENU_ENTRY = "Ajukan bantuan atau pelatihan"
PHOTO_URL = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("muara_enim", []),
        ("oku_timur", ["Mesin jahit", "Mesin sealer kemasan", "Pelatihan kemasan produk"]),
        ("lebak", ["Pendampingan NIB", "Pendampingan PIRT", "Pendampingan sertifikat halal"]),
        ("pesawaran", ["Pelatihan siap ekspor"]),
    ],
)
async def test_the_menu_offers_aid_only_where_the_profile_lists_it(sessions, clock, name, listed) -> None:
    chat = Chat(sessions=sessions, clock=clock, profile=load_profile(name))
    menu = await chat.say("menu")
    assert (MENU_ENTRY in menu) is bool(listed)
    if listed:
        offered = await chat.say(MENU_ENTRY)
        assert "Bantuan yang bisa Anda ajukan (gratis):" in offered
        assert all(item in offered for item in listed)


async def test_an_unregistered_owner_registers_first_and_comes_back(sessions, clock) -> None:
    chat = Chat(sessions=sessions, clock=clock, profile=load_profile("oku_timur"))
    await chat.walk(
        [
            ("mau minta bantuan alat", ["Bantuan yang bisa Anda ajukan", "Mesin sealer kemasan"]),
            ("Mesin sealer kemasan", ["Yang boleh mengajukan:", "daftarkan usaha Anda dulu"]),
            ("Daftar usaha dulu", ["Apakah Anda setuju?"]),
        ]
    )
    await answer_from(chat, "consent", "summary", kecamatan="Martapura")
    text = await chat.say("simpan")
    assert "Usaha Anda sudah terdaftar" in text and "Bantuan yang bisa Anda ajukan" in text
    rules = await chat.say("Mesin sealer kemasan")
    assert "Mau mengajukan?" in rules


async def test_apply_on_plain_whatsapp_text_with_a_photo_and_a_duplicate_refused(sessions, clock) -> None:
    profile = load_profile("oku_timur")
    chat = await registered(sessions, clock, profile, "+6281299900011", channel="whatsapp")
    await chat.walk(
        [
            ("halo", ["Menu utama"]),
            ("daftar pelatihan", ["Bantuan yang bisa Anda ajukan"]),
            (
                "2",
                [
                    "*Mesin sealer kemasan*",
                    "satu pengajuan per pemilik usaha pada periode 2026",
                    "foto tempat usaha",
                ],
            ),
            ("ya", ["Dalam satu atau dua kalimat"]),
            ("butuh", ["Tolong tulis sedikit lebih panjang"]),
            ("x" * 501, ["Itu 501 huruf; tolong buat kurang dari 500"]),
            ("Keripik saya masih dibungkus pakai lilin, sering bocor.", ["kirim satu foto tempat usaha"]),
            ("ini fotonya nanti", ["Silakan kirim foto (bukan file)"]),
        ]
    )
    text = await chat.say(unsupported="media", photo=PHOTO_URL)
    assert "Foto sudah diterima" in text and "Foto tempat usaha: terlampir" in text
    assert "Alasan: Keripik saya masih dibungkus pakai lilin, sering bocor." in text
    assert "Pengajuan Mesin sealer kemasan Anda sudah terkirim" in await chat.say("1")
    [row] = await applications(sessions)
    assert (row.aid_id, row.period, row.kecamatan, row.status, row.photo) == (
        "sealer",
        "2026",
        "Belitang",
        "applied",
        PHOTO_URL,
    )
    await chat.say("menu")
    await chat.say(MENU_ENTRY)
    again = await chat.say("Mesin sealer kemasan")
    assert "Anda sudah mengajukan Mesin sealer kemasan pada 21 November 2026 (periode 2026)" in again
    assert "Status: diterima, sedang diperiksa." in again
    mine = await chat.say("Pengajuan bantuan saya")
    assert "• Mesin sealer kemasan (21 November 2026): diterima, sedang diperiksa" in mine
    assert len(await applications(sessions)) == 1


async def test_a_photo_outside_the_photo_step_is_still_unreadable(sessions, clock) -> None:
    chat = await registered(sessions, clock, load_profile("oku_timur"), "tg-1", channel="telegram")
    await chat.say("menu")
    text = await chat.say(unsupported="photo", photo="AgACAgIAAxkBAAI")
    assert "Maaf, saya hanya bisa membaca teks" in text


async def test_the_console_asks_no_photo_and_the_reason_can_be_changed(sessions, clock) -> None:
    chat = await registered(sessions, clock, load_profile("oku_timur"), "owner-2")
    await chat.walk(
        [
            ("menu", []),
            (MENU_ENTRY, []),
            ("Mesin sealer kemasan", ["Mau mengajukan?"]),
            ("Ya, ajukan", ["Dalam satu atau dua kalimat"]),
            ("Untuk mengemas keripik agar tahan lama.", ["Periksa dulu pengajuan Anda", "Ubah alasan"]),
            ("Ubah alasan", ["Dalam satu atau dua kalimat"]),
            ("Untuk mengemas keripik dan kerupuk agar awet.", ["Alasan: Untuk mengemas keripik dan kerupuk"]),
            ("Kirim pengajuan", ["sudah terkirim"]),
        ]
    )
    [row] = await applications(sessions)
    assert row.photo is None and row.reason == "Untuk mengemas keripik dan kerupuk agar awet."


async def test_rules_refuse_a_business_of_another_field(sessions, clock) -> None:
    chat = await registered(sessions, clock, load_profile("oku_timur"), "owner-3", sector="perdagangan")
    await chat.say("menu")
    await chat.say(MENU_ENTRY)
    text = await chat.say("Mesin jahit")
    assert "Bantuan ini untuk bidang usaha lain" in text and "Mau mengajukan?" not in text


async def test_lebak_licensing_help_needs_no_registration(sessions, clock) -> None:
    chat = Chat(sessions=sessions, clock=clock, profile=load_profile("lebak"))
    await chat.walk(
        [
            ("halo", []),
            (MENU_ENTRY, ["Pendampingan NIB"]),
            ("Pendampingan NIB", ["Mau mengajukan?"]),
            ("ya", ["Usaha Anda di kecamatan mana?"]),
            ("Jakarta", ["Kecamatan itu tidak saya kenal di Kabupaten Lebak"]),
            ("rangkasbitung", ["Dalam satu atau dua kalimat"]),
            ("Saya mau jualan di minimarket, perlu NIB.", ["Periksa dulu"]),
            ("kirim", ["sudah terkirim"]),
        ]
    )
    [row] = await applications(sessions)
    assert (row.aid_id, row.kecamatan) == ("nib_help", "Rangkasbitung")
