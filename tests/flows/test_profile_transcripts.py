"""Each shipped kabupaten as a transcript: its programmes and secretariat in Info program, and eligibility that
offers a regional credit scheme only where the kabupaten has one (Muara Enim's Gerbang Serasan)."""

from __future__ import annotations

import pytest

from core.kabupaten import load_profile
from tests.transcript import Chat

# Per profile: what its Info program overview must list, and what one programme topic must say.
INFO = {
    "muara_enim": (["• Kredit Gerbang Serasan (angka contoh)", "4. Kredit Gerbang Serasan"], None),
    "pesawaran": (
        ["Program Dinas lainnya di Kabupaten Pesawaran:\n• KUR lewat TPAKD Pesawaran", "4. KUR lewat TPAKD"],
        ("KUR lewat TPAKD Pesawaran", "bersama BUMDes di desa"),
    ),
    "oku_timur": (
        ["• Pendaftaran usaha gratis\n• Bantuan peralatan usaha", "5. Bantuan peralatan usaha"],
        ("Bantuan peralatan usaha", "Mesin jahit, sealer dan alat lain dari APBD dan CSR"),
    ),
    "lebak": (
        ["• Percepatan perizinan\n• Kemitraan minimarket dan supermarket", "4. Percepatan perizinan"],
        ("Percepatan perizinan", "NIB (sampai PT Perseorangan) dan PIRT"),
    ),
}


@pytest.mark.parametrize("name", INFO)
async def test_info_shows_the_kabupatens_programmes_and_secretariat(sessions, clock, name: str) -> None:
    profile = load_profile(name)
    chat = Chat(sessions=sessions, clock=clock, profile=profile)
    listed, topic = INFO[name]
    overview = await chat.say("halo") and await chat.say("Info program")
    assert "• KUR Mikro: di atas Rp10.000.000 sampai Rp100.000.000" in overview
    assert all(fragment in overview for fragment in listed), overview
    assert ("Gerbang Serasan" in overview) is (name == "muara_enim")
    assert ("Program Dinas lainnya" in overview) is (name != "muara_enim")
    secretariat = await chat.say("Sekretariat Rumah UMKM")
    assert f"{profile.secretariat_name}\n{profile.secretariat_address} (alamat contoh)" in secretariat
    assert "Buka Senin–Jumat, pukul 08.00–15.00 WIB." in secretariat
    if topic:
        pick, says = topic
        assert says in await chat.say(pick)


def _eligibility(name: str) -> list[tuple[str, list[str]]]:
    """An unregistered owner checks Rp60 juta over 2 years; residence is asked only where it matters."""
    residence = [("Ya", ["Berapa umur Anda?"])] if name == "muara_enim" else []
    sector_reply = ["Apakah Anda warga Kabupaten Muara Enim"] if residence else ["Berapa umur Anda?"]
    return [
        ("halo", []),
        ("Cek kelayakan", ["Usaha Anda belum terdaftar"]),
        ("60 juta", []),
        ("2 tahun", []),
        ("Modal kerja", []),
        ("Maret 2024", []),
        ("30 juta", []),
        ("SKU", []),
        ("Tidak", ["Apa jenis usaha Anda?"]),
        ("Jasa", sector_reply),
        *residence,
        ("35", ["mana yang benar untuk Anda", "konsultan KKMB"]),
        ("Tidak", ["Pilihan terbaik: *KUR Mikro (6%)*"]),  # the short verdict; every scheme's on request
        ("Hasil semua skema", ["KUR Mikro (6%): Perlu melengkapi dokumen"]),
    ]


@pytest.mark.parametrize("name", INFO)
async def test_eligibility_offers_a_regional_scheme_only_where_one_exists(sessions, clock, name: str) -> None:
    chat = Chat(sessions=sessions, clock=clock, profile=load_profile(name))
    said = []
    for message, fragments in _eligibility(name):
        said.append(await chat.say(message))
        assert all(fragment in said[-1] for fragment in fragments), (message, said[-1])
    verdict = said[-1]
    assert ("Kredit Gerbang Serasan (3%, contoh): Belum memenuhi syarat" in verdict) is (name == "muara_enim")
    assert ("warga" in "\n".join(said)) is (name == "muara_enim")


async def test_a_kur_only_kabupaten_simulates_and_records_loans_without_a_regional_scheme(
    sessions, clock
) -> None:
    chat = Chat(sessions=sessions, clock=clock, profile=load_profile("oku_timur"))
    await chat.walk(
        [
            ("halo", ["Menu utama"]),
            ("Simulasi angsuran", []),
            ("10jt", []),
            ("setahun", ["Yang cocok: KUR Super Mikro (3%)."]),
            ("KUR Super Mikro", ["Angsuran per bulan: Rp846.937"]),
        ]
    )
    assert "Gerbang Serasan" not in await chat.say("menu")
    banks = await chat.say("Pinjaman saya") and await chat.say("Catat pinjaman")
    assert "Pinjamannya dari bank apa?" in banks and "Bank Sumsel Babel" not in banks
