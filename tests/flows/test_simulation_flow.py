"""Simulasi angsuran as transcripts: figures after subsidy, band and tenor checks, paging, bad input, restart."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Conversation, Instalment, Loan
from tests.transcript import Chat

SCHEME_QUESTION = "Pilih skema kredit. Untuk"
START = [("halo", ["Menu utama"]), ("Simulasi angsuran", ["Berapa pinjaman yang ingin Anda hitung?"])]


@pytest.fixture
def chat(sessions, clock) -> Chat:
    return Chat(sessions=sessions, clock=clock)


async def _state(chat: Chat) -> Conversation:
    async with chat.sessions() as session:
        return (await session.exec(select(Conversation))).one()


SCRIPTS = {
    "kur-mikro-20-juta": [
        ("20 juta", ["Berapa lama pinjamannya?"]),
        ("12 bulan", [SCHEME_QUESTION, "Rp20.000.000 selama 12 bulan", "Yang cocok: KUR Mikro (6%)"]),
        (
            "KUR Mikro",
            [
                "KUR Mikro: pinjaman Rp20.000.000 selama 12 bulan, bunga 6% setahun (angsuran tetap tiap bulan).",
                "• Angsuran per bulan: Rp1.721.329",
                "• Tanpa subsidi (bunga 16% setahun): Rp1.814.617",
                "• Hemat per bulan: Rp93.288",
                "• Total bunga: Rp655.941",
                "• Subsidi bunga yang dibayar pemerintah: Rp1.093.238",
                "• Premi asuransi kredit: dibayar pemerintah",
                "Bandingkan: pinjam ke rentenir dengan bunga 20% sebulan, angsurannya Rp5.666.667 per bulan, "
                "totalnya Rp68.000.000. Itu Rp47.344.059 lebih mahal daripada KUR Mikro.",
                "1. Lihat jadwal angsuran\n2. Simpan sebagai pinjaman saya (pengingat angsuran)\n3. Hitung ulang\n4. Menu",
            ],
        ),
    ],
    "super-mikro-10-juta": [
        ("10jt", []),
        ("setahun", ["Yang cocok: KUR Super Mikro (3%), Kredit Gerbang Serasan (3%, contoh)."]),
        (
            "1",
            ["KUR Super Mikro: pinjaman Rp10.000.000", "Angsuran per bulan: Rp846.937", "dibayar pemerintah"],
        ),
    ],
    "gerbang-serasan-pemda-pays": [
        ("10 juta", []),
        ("12", []),
        (
            "Kredit Gerbang Serasan",
            [
                "Angsuran per bulan: Rp846.937",
                "Subsidi bunga yang dibayar pemda: Rp489.731",
                "Premi asuransi kredit Rp150.000: dibayar pemda",
                "masih contoh",
            ],
        ),
    ],
}


@pytest.mark.parametrize("script", SCRIPTS.values(), ids=SCRIPTS.keys())
async def test_simulation_shows_figures_subsidy_and_rentenir(chat: Chat, script) -> None:
    await chat.walk([*START, *script])
    state = await _state(chat)
    assert (state.flow, state.step) == ("simulation", "result")


async def test_every_reply_fits_a_phone(chat: Chat) -> None:
    await chat.walk(START)
    for message in ("20 juta", "24", "KUR Mikro", "1", "Berikutnya"):
        for reply in await chat.send(message):
            assert len(reply.text) < 1000


async def test_amount_outside_the_scheme_band_is_explained_and_asked_again(chat: Chat) -> None:
    await chat.walk(
        [
            *START,
            ("10 juta", []),
            ("12", []),
            (
                "KUR Mikro",
                [
                    "KUR Mikro untuk pinjaman di atas Rp10.000.000 sampai Rp100.000.000; Anda minta Rp10.000.000.",
                    "Yang cocok: KUR Super Mikro (3%)",
                    SCHEME_QUESTION,
                ],
            ),
            ("KUR Super Mikro", ["Angsuran per bulan: Rp846.937"]),
        ]
    )


async def test_period_beyond_the_scheme_tenor_names_the_limit(chat: Chat) -> None:
    await chat.walk(
        [
            *START,
            ("20 juta", []),
            ("4 tahun", ["Yang cocok: KUR Mikro (6%)."]),
            (
                "Kredit Gerbang Serasan",
                ["Kredit Gerbang Serasan paling lama 36 bulan", "Anda minta 48 bulan"],
            ),
            ("KUR Mikro", ["KUR Mikro: pinjaman Rp20.000.000 selama 48 bulan"]),
        ]
    )


@pytest.mark.parametrize(
    ("step", "message", "reply"),
    [
        pytest.param(
            "amount",
            "1 miliar",
            "Pinjaman paling besar yang bisa dihitung Rp500.000.000",
            id="amount-too-big",
        ),
        pytest.param("months", "10 tahun", "Lama pinjaman paling panjang 60 bulan", id="months-too-long"),
    ],
)
async def test_limits_of_every_scheme_are_checked_at_once(
    chat: Chat, step: str, message: str, reply: str
) -> None:
    script = [*START] if step == "amount" else [*START, ("20 juta", [])]
    await chat.walk([*script, (message, [reply])])


async def test_bad_input_at_each_step_keeps_the_data(chat: Chat) -> None:
    await chat.walk(
        [
            *START,
            ("banyak sekali", ["Maaf", "Berapa pinjaman yang ingin Anda hitung?"]),
            ("20 juta", ["Berapa lama pinjamannya?"]),
            ("lama", ["Maaf", "Berapa lama pinjamannya?"]),
            ("12", [SCHEME_QUESTION]),
            ("9", ["Silakan balas dengan angka 1 sampai 6", "Rp20.000.000 selama 12 bulan"]),
            ("2", ["Angsuran per bulan: Rp1.721.329"]),
            ("entahlah", ["Silakan balas dengan angka 1 sampai 4", "Apa langkah berikutnya?"]),
        ]
    )
    again = await chat.say("xyz")
    assert "Angsuran per bulan" not in again and "Apa langkah berikutnya?" in again
    assert "Bingung?" in await chat.say("???")


async def test_schedule_pages_forward_and_back(chat: Chat) -> None:
    await chat.walk([*START, ("20 juta", []), ("24", []), ("KUR Mikro", [])])
    first = await chat.say("Lihat jadwal angsuran")
    assert "Jadwal angsuran KUR Mikro, halaman 1 dari 2 (tanggal jika akad 21 November 2026):" in first
    assert "No Tgl      Angsuran       Sisa" in first and " 1 21/12/26 " in first and "12 21/11/27 " in first
    assert "1. Berikutnya\n2. Selesai" in first and "Sebelumnya" not in first
    assert all(len(line) <= 34 for line in first.split("```")[1].strip().splitlines())
    second = await chat.say("Berikutnya")
    assert "halaman 2 dari 2" in second and "24 21/11/28 " in second and "13 21/12/27 " in second
    assert "1. Sebelumnya\n2. Selesai" in second and "Berikutnya" not in second
    assert "halaman 1 dari 2" in await chat.say("Sebelumnya")
    done = await chat.say("Selesai")
    assert "Apa langkah berikutnya?" in done and "Angsuran per bulan" not in done


async def test_change_amount_and_calculate_again_start_over(chat: Chat) -> None:
    await chat.walk(
        [
            *START,
            ("10 juta", []),
            ("12", []),
            ("Ubah jumlah", ["Berapa pinjaman yang ingin Anda hitung?"]),
            ("30 juta", ["Berapa lama pinjamannya?"]),
            ("12", ["Rp30.000.000 selama 12 bulan"]),
            ("KUR Mikro", ["KUR Mikro: pinjaman Rp30.000.000"]),
            ("Hitung ulang", ["Berapa pinjaman yang ingin Anda hitung?"]),
        ]
    )
    assert (await _state(chat)).data.get("amount") is None


async def test_menu_option_goes_back_to_the_menu(chat: Chat) -> None:
    await chat.walk([*START, ("20 juta", []), ("12", []), ("KUR Mikro", []), ("4", ["Menu utama"])])
    assert (await _state(chat)).flow == "menu"


async def test_restart_in_the_middle_resumes(chat: Chat) -> None:
    await chat.walk([*START, ("20 juta", []), ("12", [SCHEME_QUESTION])])
    restarted = Chat(sessions=chat.sessions, clock=chat.clock, user=chat.user)
    await restarted.walk(
        [("KUR Mikro", ["KUR Mikro: pinjaman Rp20.000.000 selama 12 bulan"]), ("1", ["halaman 1 dari 1"])]
    )
    again = Chat(sessions=chat.sessions, clock=chat.clock, user=chat.user)
    assert "Apa langkah berikutnya?" in await again.say("Selesai")


async def test_a_simulation_is_saved_as_my_loan_with_its_schedule(chat: Chat) -> None:
    await chat.walk(
        [
            *START,
            ("20 juta", []),
            ("12", []),
            ("KUR Mikro", ["Angsuran per bulan: Rp1.721.329", "Simpan sebagai pinjaman saya"]),
            ("Simpan sebagai pinjaman saya", ["dari bank apa?"]),
            ("BRI", ["Tanggal berapa akadnya"]),
            ("hari ini", []),
            ("21", ["Rp20.000.000 selama 12 bulan"]),
            ("1", ["Tersimpan!", "jatuh tempo 21 Desember 2026"]),
        ]
    )
    async with chat.sessions() as session:
        loan = (await session.exec(select(Loan))).one()
        instalments = (await session.exec(select(Instalment).where(Instalment.loan_id == loan.id))).all()
    assert (loan.principal, loan.months, loan.scheme, loan.bank) == (20_000_000, 12, "kur_mikro", "BRI")
    assert len(instalments) == 12 and sum(i.principal for i in instalments) == 20_000_000
