"""Info program as transcripts: the schemes in force from the rule files, the regional programme, the secretariat."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.kabupaten import load_profile
from storage.models import Conversation
from tests.transcript import Chat

START = [("halo", ["Menu utama"])]
OVERVIEW = [
    "Kredit yang berlaku hari ini (aturan KUR 2026, sejak 5 Januari 2026):",
    "• KUR Mikro: di atas Rp10.000.000 sampai Rp100.000.000, bunga 6% setahun",
    "• Kredit Gerbang Serasan (angka contoh): Rp1.000.000 sampai Rp50.000.000, bunga 3% setahun",
    "1. KUR Super Mikro\n2. KUR Mikro\n3. KUR Kecil\n4. Kredit Gerbang Serasan\n5. Sekretariat Rumah UMKM\n6. Menu",
]


@pytest.fixture
def chat(sessions, clock) -> Chat:
    return Chat(sessions=sessions, clock=clock)


TOPICS = {
    "kur-mikro": (
        "KUR Mikro",
        [
            "KUR Mikro\n• Plafon: di atas Rp10.000.000 sampai Rp100.000.000\n• Bunga: 6% setahun",
            "• Subsidi bunga dari pemerintah: 10% setahun",
            "• NPWP: wajib untuk pinjaman di atas Rp50.000.000",
            "• Dokumen: e-KTP, Kartu Keluarga (KK)",
        ],
    ),
    "kur-kecil": (
        "3",
        ["• Plafon: di atas Rp100.000.000 sampai Rp500.000.000", "Kartu BPJS Ketenagakerjaan"],
    ),
    "gerbang-serasan": (
        "Gerbang Serasan",
        [
            "Gerbang Serasan adalah program kredit Kabupaten Muara Enim untuk warganya.",
            "Kredit Gerbang Serasan (angka contoh)",
            "• Subsidi bunga dari pemda: 9% setahun (bunga bank 12%)",
            "• Bank mitra: BRI, Bank Sumsel Babel",
            "masih CONTOH",
        ],
    ),
    "secretariat": (
        "Sekretariat",
        [
            "Sekretariat Rumah UMKM:",
            f"{load_profile().secretariat_address} (alamat contoh)",
            "Buka Senin–Jumat, pukul 08.00–15.00 WIB.",
        ],
    ),
}


@pytest.mark.parametrize(("pick", "fragments"), TOPICS.values(), ids=TOPICS.keys())
async def test_topic_details(chat: Chat, pick: str, fragments: list[str]) -> None:
    await chat.walk([*START, ("Info program", OVERVIEW), (pick, [*fragments, "Mau lihat topik lain?"])])


async def test_overview_is_shown_once_and_every_reply_fits_a_phone(chat: Chat) -> None:
    await chat.walk(START)
    assert "Kredit yang berlaku hari ini" in await chat.say("Info program")
    for pick in ("1", "2", "3", "4", "5"):
        replies = await chat.send(pick)
        assert all(len(reply.text) < 1000 for reply in replies)
        assert not any("Kredit yang berlaku hari ini" in reply.text for reply in replies)


async def test_bad_input_asks_again_and_menu_leaves(chat: Chat) -> None:
    await chat.walk(
        [
            *START,
            ("Info program", []),
            ("bunga berapa?", ["Silakan balas dengan angka 1 sampai 6", "Mau lihat topik lain?"]),
            ("Menu", ["Menu utama"]),
        ]
    )
    async with chat.sessions() as session:
        assert (await session.exec(select(Conversation))).one().flow == "menu"


async def test_restart_in_the_middle_resumes(chat: Chat) -> None:
    await chat.walk([*START, ("Info program", [])])
    restarted = Chat(sessions=chat.sessions, clock=chat.clock, user=chat.user)
    await restarted.walk([("KUR Mikro", ["Rp100.000.000"]), ("Sekretariat", ["(alamat contoh)"])])
