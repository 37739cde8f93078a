"""Cek kelayakan as transcripts: registered and unregistered owners, verdicts, checklist, saved check, hand-over."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from storage.businesses import save_business
from storage.checks import latest_check
from storage.contacts import get_contact
from storage.models import Conversation, EligibilityCheck
from tests.transcript import Chat

NIK = "1603011505910001"  # Muara Enim (1603), born 15 May 1991: 35 on 21 November 2026
START = [("halo", ["Menu utama"]), ("Cek kelayakan", ["Mari cek kredit yang cocok untuk Anda."])]
REQUEST = [("60 juta", ["Berapa lama pinjamannya?"]), ("24", ["Untuk apa pinjamannya?"]), ("Modal kerja", [])]
ASKS = "mana yang benar untuk Anda"  # the statements: ASN, bank loan, macet, KUR before, mentored
# Questions a registered owner with a NIK must never see.
BUSINESS_QUESTIONS = (
    "Sudah berapa lama usaha Anda berjalan?",
    "omzet (penjualan) usaha Anda per bulan",
    "Apakah usaha Anda punya izin usaha?",
    "Apakah Anda punya NPWP?",
    "Apa jenis usaha Anda?",
    "Apakah Anda warga",
    "Berapa umur Anda?",
    "sudah menikah?",
)


@dataclass
class Recorded(Chat):
    """A chat that keeps everything the bot said, to check what was never asked."""

    said: list[str] = field(default_factory=list)

    async def say(self, text: str = "", **kw) -> str:
        """Sends one message, records and returns the replies as text."""
        replies = await super().say(text, **kw)
        self.said.append(replies)
        return replies

    async def transcript(self, script: list[tuple[str, list[str]]]) -> str:
        """Walks a script and returns everything said during it."""
        start = len(self.said)
        await self.walk(script)
        return "\n\n".join(self.said[start:])


@pytest.fixture
def chat(sessions, clock) -> Recorded:
    return Recorded(sessions=sessions, clock=clock)


async def _register(chat: Chat, **changes: Any) -> None:
    """Stores a business for the chat's user directly through storage."""
    fields: dict[str, Any] = {
        "owner_name": "Siti Aminah",
        "phone": "+6281234567890",
        "nik": NIK,
        "name": "Warung Bu Siti",
        "sector": "perdagangan",
        "kecamatan": "Muara Enim",
        "desa": "Pasar II",
        "started_on": date(2023, 3, 1),
        "monthly_turnover": 30_000_000,
        "capital": 50_000_000,
        "employees": 1,
        "licence_type": "nib",
        "licence_number": "1234567890123",
        "has_npwp": True,
        "size_class": "mikro",
        **changes,
    }
    async with chat.sessions.begin() as session:
        contact = await get_contact(session=session, channel=chat.channel, external_id=chat.user)
        assert contact is not None
        await save_business(session=session, contact_id=contact.id, fields=fields, now=chat.clock.now())


async def _checks(chat: Chat) -> list[EligibilityCheck]:
    async with chat.sessions() as session:
        return list((await session.exec(select(EligibilityCheck))).all())


async def _state(chat: Chat) -> Conversation:
    async with chat.sessions() as session:
        return (await session.exec(select(Conversation))).one()


REGISTERED = {
    "eligible-with-npwp": (
        {},
        [
            "KUR Mikro (6%): Memenuhi syarat",
            "KUR Super Mikro (3%): Belum memenuhi syarat",
            "Pilihan terbaik: KUR Mikro (6%). Siapkan dokumen ini:\n• e-KTP",
            "• NPWP",
        ],
    ),
    "npwp-needed-above-50-juta": (
        {"has_npwp": False},
        [
            "KUR Mikro (6%): Perlu melengkapi dokumen\n• Pinjaman di atas Rp50.000.000 perlu NPWP.",
            "Kredit Gerbang Serasan (3%, contoh): Belum memenuhi syarat",
            "Pilihan terbaik: KUR Mikro (6%).",
        ],
    ),
}


@pytest.mark.parametrize(("changes", "expected"), REGISTERED.values(), ids=REGISTERED.keys())
async def test_registered_owner_is_asked_only_what_is_missing(chat: Recorded, changes, expected) -> None:
    await chat.say("halo")
    await _register(chat, **changes)
    said = await chat.transcript(
        [
            (
                "Cek kelayakan",
                ["Saya pakai data usaha Warung Bu Siti", "Berapa pinjaman yang Anda butuhkan?"],
            ),
            *REQUEST[:2],
            ("Modal kerja", [ASKS, "1. Saya ASN, TNI, atau Polri aktif", "Balas *tidak ada*"]),
            ("Tidak", ["Hasil untuk Rp60.000.000 selama 24 bulan:", "Pilihan terbaik: *KUR Mikro (6%)*"]),
            ("Hasil semua skema", ["Hasil cek kelayakan untuk Rp60.000.000 selama 24 bulan (modal kerja)"]),
            ("Dokumen yang disiapkan", []),
        ],
    )
    for fragment in expected:  # every scheme's verdict and the papers, each on request
        assert fragment in said, fragment
    for question in BUSINESS_QUESTIONS:
        assert question.casefold() not in said.casefold(), question
    assert "Belum punya izin usaha?" not in said
    assert "Daftar usaha dulu" not in said


async def test_registered_owner_without_nik_is_asked_age_and_residence(chat: Recorded) -> None:
    await chat.say("halo")
    await _register(chat, nik=None)
    await chat.walk(
        [
            ("Cek kelayakan", ["Warung Bu Siti"]),
            *REQUEST[:2],
            ("Modal kerja", ["Apakah Anda warga Kabupaten Muara Enim (sesuai alamat KTP)?"]),
            ("Ya", ["Berapa umur Anda?"]),
            (
                "19 tahun",
                ["Apakah Anda sudah menikah? Syarat kredit: umur minimal 21 tahun, atau sudah menikah."],
            ),
            ("Ya", [ASKS]),
            ("Tidak", ["Pilihan terbaik: *KUR Mikro (6%)*"]),
        ]
    )


async def test_licence_guidance_when_the_business_has_none(chat: Recorded) -> None:
    await chat.say("halo")
    await _register(chat, licence_type="none", licence_number=None, sector="industri_pengolahan")
    script = [*START, *REQUEST[:2], ("Modal kerja", []), ("Tidak", [])]
    said = await chat.transcript([*script, ("Hasil semua skema", []), ("Dokumen yang disiapkan", [])])
    assert "KUR Mikro (6%): Perlu melengkapi dokumen" in said
    assert "Belum punya izin usaha? Bisa diurus gratis:" in said
    assert "NIB: daftar online di oss.go.id dengan NIK Anda." in said
    assert "SKU (Surat Keterangan Usaha): minta di kantor desa atau kelurahan." in said
    assert "PIRT lewat OSS" in said


UNREGISTERED = [
    *START,
    ("60 juta", ["Berapa lama pinjamannya?"]),
    ("2 tahun", ["Untuk apa pinjamannya?", "1. Modal kerja\n2. Investasi"]),
    ("Modal kerja", ["Sudah berapa lama usaha Anda berjalan?"]),
    ("Maret 2024", ["omzet (penjualan) usaha Anda per bulan"]),
    (
        "30 juta",
        [
            "Apakah usaha Anda punya izin usaha?",
            "1. NIB (dari OSS)\n2. SKU dari desa/kelurahan\n3. Belum punya",
        ],
    ),
    ("SKU", ["Apakah Anda punya NPWP?"]),
    ("Tidak", ["Apa jenis usaha Anda?"]),
    ("Jasa", ["Apakah Anda warga Kabupaten Muara Enim (sesuai alamat KTP)?"]),
]


async def test_unregistered_user_answers_the_business_questions_too(chat: Recorded) -> None:
    said = await chat.transcript(
        [
            ("halo", []),
            (
                "Cek kelayakan",
                ["Usaha Anda belum terdaftar", "Atau daftar usaha dulu", "1. Daftar usaha dulu"],
            ),
            *UNREGISTERED[2:],
            ("Ya", ["Berapa umur Anda?"]),
            ("35", [ASKS]),
            (
                "Tidak",
                ["Pilihan terbaik: *KUR Mikro (6%)*", "1. Simulasikan angsuran\n2. Dokumen yang disiapkan"],
            ),
            (
                "Hasil semua skema",
                [
                    "KUR Mikro (6%): Perlu melengkapi dokumen",
                    "Kredit Gerbang Serasan (3%, contoh): Belum memenuhi syarat",
                ],
            ),
        ],
    )
    assert "sudah menikah?" not in said  # 35 is old enough for every scheme
    assert "Belum punya izin usaha?" not in said  # SKU counts as a licence
    [check] = await _checks(chat)
    assert check.inputs["registered"] is False
    assert check.inputs["months_in_business"] == 32 and check.inputs["annual_turnover"] == 360_000_000
    assert check.inputs["married"] is None


async def test_living_elsewhere_closes_the_regional_programme(chat: Recorded) -> None:
    said = await chat.transcript(
        [
            *UNREGISTERED,
            ("Tidak", ["Berapa umur Anda?"]),
            ("40", [ASKS]),
            ("5", []),  # mentored by a KKMB consultant
            ("Hasil semua skema", []),
        ],
    )
    assert "Kredit Gerbang Serasan hanya untuk warga Kabupaten Muara Enim." in said
    [check] = await _checks(chat)
    assert check.inputs["regency_code"] is None and check.inputs["lives_elsewhere"] is True
    assert "OUTSIDE_REGION" in check.result["gerbang_serasan"]["reasons"]


async def test_npwp_is_not_asked_when_no_scheme_needs_it(chat: Recorded) -> None:
    said = await chat.transcript(
        [
            *START,
            ("20 juta", []),
            ("12", []),
            ("Investasi", ["Sudah berapa lama usaha Anda berjalan?"]),
            ("Baru mulai (belum 1 bulan)", ["omzet"]),
            ("Belum ada penjualan", ["izin usaha"]),
            ("Belum punya", ["Apa jenis usaha Anda?"]),
        ],
    )
    assert "NPWP" not in said


async def test_nothing_open_shows_every_verdict_and_hands_over_without_a_scheme(chat: Recorded) -> None:
    await chat.say("halo")
    await _register(chat)
    await chat.walk(
        [
            ("Cek kelayakan", []),
            *REQUEST,
            (
                "1",  # an active civil servant
                [
                    "Belum ada skema yang terbuka untuk permintaan ini, karena:",
                    "• ASN, TNI, dan Polri yang masih aktif tidak bisa mengambil kredit ini.",
                ],
            ),
            ("Hasil semua skema", ["KUR Mikro (6%): Belum memenuhi syarat"]),
            ("simulasi", ["Berapa pinjaman"]),
        ]
    )
    [check] = await _checks(chat)
    assert check.best_scheme is None


async def test_the_check_is_saved_without_the_nik(chat: Recorded) -> None:
    await chat.say("halo")
    await _register(chat, has_npwp=False)
    await chat.walk([("Cek kelayakan", []), *REQUEST, ("Tidak", ["Hasil untuk Rp60.000.000"])])
    [check] = await _checks(chat)
    assert (check.rules_version, check.checked_on, check.best_scheme) == (
        "kur_2026",
        date(2026, 11, 21),
        "kur_mikro",
    )
    assert NIK not in json.dumps(check.inputs) and "nik" not in check.inputs
    assert check.inputs["regency_code"] == "1603" and check.inputs["age"] == 35 and check.inputs["registered"]
    assert check.inputs["amount"] == 60_000_000 and check.inputs["has_npwp"] is False
    mikro = check.result["kur_mikro"]
    assert (mikro["rank"], mikro["status"], mikro["reasons"]) == (1, "needs_documents", ["NPWP_REQUIRED"])
    assert check.result["kur_super_mikro"]["status"] == "not_eligible"
    assert set(check.result) == {"kur_super_mikro", "kur_mikro", "kur_kecil", "gerbang_serasan"}
    async with chat.sessions() as session:
        assert (await latest_check(session=session, contact_id=check.contact_id)).id == check.id


async def test_hand_over_to_the_simulation_asks_nothing_again(chat: Recorded) -> None:
    await chat.say("halo")
    await _register(chat)
    await chat.walk([("Cek kelayakan", []), *REQUEST, ("Tidak", [])])
    replies = await chat.say("Simulasikan angsuran")
    assert "KUR Mikro: pinjaman Rp60.000.000 selama 24 bulan, bunga 6% setahun" in replies
    assert "Angsuran per bulan: Rp2.659.237" in replies and "rentenir" in replies
    for question in ("Berapa pinjaman", "Berapa lama pinjamannya?", "Pilih skema kredit"):
        assert question not in replies
    state = await _state(chat)
    assert (state.flow, state.step) == ("simulation", "result")


async def test_bad_input_at_each_step_keeps_the_data(chat: Recorded) -> None:
    await chat.walk(
        [
            *START,
            ("banyak", ["Maaf", "Berapa pinjaman yang Anda butuhkan?"]),
            ("1 miliar", ["Pinjaman paling besar yang bisa dihitung Rp500.000.000"]),
            ("60 juta", []),
            ("lama", ["Maaf", "Berapa lama pinjamannya?"]),
            ("24", []),
            ("9", ["Silakan balas dengan angka 1 sampai 2", "Untuk apa pinjamannya?"]),
            ("Modal kerja", []),
            ("sudah lama", ["Maaf, belum bisa saya baca", "Sudah berapa lama usaha Anda berjalan?"]),
            ("Desember 2026", ["Bulan itu belum tiba"]),
            ("2 tahun", []),
            ("laris", ["Maaf", "omzet"]),
            ("30 juta", []),
            ("NIB", []),
            ("Tidak", []),
            ("warung kopi", ["Silakan balas dengan angka 1 sampai 8", "Apa jenis usaha Anda?"]),
            ("Perdagangan", []),
            ("Ya", []),
            ("tua", ["Ketik umur Anda dalam tahun, misalnya 35.", "Berapa umur Anda?"]),
            ("35", []),
            ("Tidak", ["Hasil untuk Rp60.000.000 selama 24 bulan"]),
        ]
    )


async def test_register_first_leaves_for_registration(chat: Recorded) -> None:
    await chat.walk([*START, ("1", [])])
    assert (await _state(chat)).flow == "registration"


async def test_restart_in_the_middle_resumes(chat: Recorded) -> None:
    await chat.say("halo")
    await _register(chat)
    await chat.walk([("Cek kelayakan", []), *REQUEST[:2]])
    restarted = Chat(sessions=chat.sessions, clock=chat.clock, user=chat.user)
    await restarted.walk([("Modal kerja", [ASKS])])
    again = Chat(sessions=chat.sessions, clock=chat.clock, user=chat.user)
    await again.walk([("Tidak", ["Pilihan terbaik: *KUR Mikro (6%)*"])])


async def test_every_reply_fits_a_phone(chat: Recorded) -> None:
    await chat.say("halo")
    await _register(chat, has_npwp=False, licence_type="none", licence_number=None)
    for message, _fragments in [("Cek kelayakan", []), *REQUEST, ("Tidak", [])]:
        for reply in await chat.send(message):
            assert len(reply.text) < 1000
