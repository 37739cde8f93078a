"""Tests for core.explain: the texts shared by the chat flows and the CLI, as tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from core import explain, programme_info
from core.eligibility import Applicant, CreditRequest, Status, evaluate
from core.kabupaten import load_profile
from core.programmes import regional_programme, rule_set_on
from core.simulator import PremiumPayer

DAY = date(2026, 11, 21)
DAY_2023 = date(2025, 6, 1)
GS = regional_programme("gerbang_serasan")
SCHEMES = {s.id: s for s in explain.offered_schemes(DAY, GS)}
JUTA = 1_000_000

OWNER = Applicant(
    age=35,
    married=True,
    months_in_business=24,
    annual_turnover=360 * JUTA,
    has_business_licence=True,
    has_npwp=True,
    is_civil_servant=False,
    other_productive_credit=False,
    credit_history_ok=True,
    previous_kur_count=0,
    sector="perdagangan",
    regency_code="1603",
    in_mentoring_programme=True,
)


def test_offered_schemes_are_kur_in_force_then_the_regional_scheme() -> None:
    assert list(SCHEMES) == ["kur_super_mikro", "kur_mikro", "kur_kecil", "gerbang_serasan"]
    assert [s.id for s in explain.offered_schemes(DAY)] == ["kur_super_mikro", "kur_mikro", "kur_kecil"]
    assert [s.id for s in explain.offered_schemes(DAY_2023)] == [
        "kur_super_mikro",
        "kur_mikro",
        "kur_kecil",
    ]


@pytest.mark.parametrize(
    ("scheme", "access", "on", "label"),
    [
        pytest.param("kur_super_mikro", 1, DAY, "KUR Super Mikro (3%)", id="super-mikro"),
        pytest.param("kur_mikro", 1, DAY, "KUR Mikro (6%)", id="mikro"),
        pytest.param("gerbang_serasan", 1, DAY, "Kredit Gerbang Serasan (3%, contoh)", id="regional-example"),
        pytest.param("kur_mikro", 3, DAY_2023, "KUR Mikro (8%)", id="2023-third-access"),
    ],
)
def test_scheme_label(scheme: str, access: int, on: date, label: str) -> None:
    found = {s.id: s for s in explain.offered_schemes(on, GS)}[scheme]
    assert explain.scheme_label(found, access=access, regional=GS) == label


@pytest.mark.parametrize(
    ("scheme", "band"),
    [
        ("kur_super_mikro", "sampai Rp10.000.000"),
        ("kur_mikro", "di atas Rp10.000.000 sampai Rp100.000.000"),
        ("kur_kecil", "di atas Rp100.000.000 sampai Rp500.000.000"),
        ("gerbang_serasan", "Rp1.000.000 sampai Rp50.000.000"),
    ],
)
def test_band(scheme: str, band: str) -> None:
    assert explain.band(SCHEMES[scheme]) == band


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        pytest.param(5 * JUTA, None, id="fits"),
        pytest.param(500 * JUTA, None, id="largest"),
        pytest.param(
            600 * JUTA,
            "Pinjaman paling besar yang bisa dihitung Rp500.000.000 (KUR Kecil). Ketik jumlah yang lebih kecil.",
            id="too-large",
        ),
    ],
)
def test_amount_problem(amount: int, problem: str | None) -> None:
    assert explain.amount_problem(SCHEMES.values(), amount) == problem


def test_amount_problem_names_the_smallest_loan() -> None:
    only_regional = [SCHEMES["gerbang_serasan"]]
    assert explain.amount_problem(only_regional, 500_000) == (
        "Pinjaman paling kecil yang bisa dihitung Rp1.000.000 (Kredit Gerbang Serasan). "
        "Ketik jumlah yang lebih besar."
    )


@pytest.mark.parametrize(
    ("months", "problem"),
    [
        (60, None),
        (72, "Lama pinjaman paling panjang 60 bulan (KUR Super Mikro). Ketik waktu yang lebih pendek."),
    ],
)
def test_months_problem(months: int, problem: str | None) -> None:
    assert explain.months_problem(SCHEMES.values(), months) == problem


@pytest.mark.parametrize(
    ("scheme", "amount", "months", "purpose", "problem"),
    [
        pytest.param("kur_mikro", 20 * JUTA, 12, None, None, id="fits"),
        pytest.param(
            "kur_mikro",
            10 * JUTA,
            12,
            None,
            "KUR Mikro untuk pinjaman di atas Rp10.000.000 sampai Rp100.000.000; Anda minta Rp10.000.000.",
            id="band-is-exclusive",
        ),
        pytest.param("kur_mikro", 20 * JUTA, 48, None, None, id="investment-tenor-when-purpose-unknown"),
        pytest.param(
            "kur_mikro",
            20 * JUTA,
            48,
            "modal_kerja",
            "KUR Mikro untuk modal kerja paling lama 36 bulan; Anda minta 48 bulan.",
            id="working-capital-tenor",
        ),
        pytest.param(
            "gerbang_serasan",
            20 * JUTA,
            48,
            None,
            "Kredit Gerbang Serasan paling lama 36 bulan (modal kerja paling lama 36 bulan, investasi 36 bulan); "
            "Anda minta 48 bulan.",
            id="tenor-any-purpose",
        ),
    ],
)
def test_fit_problem(scheme: str, amount: int, months: int, purpose: str | None, problem: str | None) -> None:
    assert explain.fit_problem(SCHEMES[scheme], amount, months, purpose) == problem


@pytest.mark.parametrize(
    ("amount", "months", "text"),
    [
        (10 * JUTA, 12, "Yang cocok: KUR Super Mikro (3%), Kredit Gerbang Serasan (3%, contoh)."),
        (60 * JUTA, 48, "Yang cocok: KUR Mikro (6%)."),
    ],
)
def test_suggestion(amount: int, months: int, text: str) -> None:
    assert explain.suggestion(SCHEMES.values(), amount, months, regional=GS) == text


def test_suggestion_when_nothing_fits() -> None:
    assert explain.suggestion([SCHEMES["gerbang_serasan"]], 60 * JUTA, 12) == (
        "Tidak ada skema untuk Rp60.000.000 selama 12 bulan. Ubah jumlah atau lama pinjaman."
    )


@pytest.mark.parametrize(
    ("scheme", "payer"),
    [("kur_mikro", PremiumPayer.GOVERNMENT), ("gerbang_serasan", PremiumPayer.PEMDA)],
)
def test_premium_payer_from_the_rule_file(scheme: str, payer: PremiumPayer) -> None:
    assert explain.premium_payer(SCHEMES[scheme]) is payer


def test_simulation_summary_kur_mikro_ten_juta() -> None:
    """Rp10 juta over 12 months at 6 % annuity is the BSI table's Rp860.664 (reference/domain.md 1.3)."""
    scheme = SCHEMES["kur_mikro"]
    sim = explain.simulate_scheme(scheme, 10 * JUTA, 12)
    assert explain.simulation_summary(sim, scheme) == (
        "KUR Mikro: pinjaman Rp10.000.000 selama 12 bulan, bunga 6% setahun (angsuran tetap tiap bulan).\n"
        "• Angsuran per bulan: Rp860.664\n"
        "• Tanpa subsidi (bunga 16% setahun): Rp907.309\n"
        "• Hemat per bulan: Rp46.645\n"
        "• Total bunga: Rp327.973\n"
        "• Subsidi bunga yang dibayar pemerintah: Rp546.619\n"
        "• Premi asuransi kredit: dibayar pemerintah\n"
        "• Total yang Anda bayar: Rp10.327.973"
    )
    assert explain.moneylender_comparison(sim, scheme) == (
        "Bandingkan: pinjam ke rentenir dengan bunga 20% sebulan, angsurannya Rp2.833.333 per bulan, "
        "totalnya Rp34.000.000. Itu Rp23.672.027 lebih mahal daripada KUR Mikro. Jauhi rentenir dan pinjol ilegal."
    )


@pytest.mark.parametrize(
    ("scheme", "method", "fragments"),
    [
        pytest.param(
            "gerbang_serasan",
            "annuity",
            [
                "Subsidi bunga yang dibayar pemda: Rp489.731",
                "Premi asuransi kredit Rp150.000: dibayar pemda",
                "Catatan: angka Kredit Gerbang Serasan masih contoh",
            ],
            id="regional-pemda-pays-premium",
        ),
        pytest.param(
            "kur_mikro",
            "declining",
            ["(angsuran menurun)", "Angsuran pertama: Rp1.766.667"],
            id="declining",
        ),
    ],
)
def test_simulation_summary_variants(scheme: str, method: str, fragments: list[str]) -> None:
    amount = 10 * JUTA if scheme == "gerbang_serasan" else 20 * JUTA
    sim = explain.simulate_scheme(SCHEMES[scheme], amount, 12, method=method)
    text = explain.simulation_summary(sim, SCHEMES[scheme], regional=GS)
    for fragment in fragments:
        assert fragment in text


@pytest.mark.parametrize(
    ("status", "word"),
    [
        (Status.ELIGIBLE, "Memenuhi syarat"),
        (Status.NEEDS_DOCUMENTS, "Perlu melengkapi dokumen"),
        (Status.NOT_ELIGIBLE, "Belum memenuhi syarat"),
    ],
)
def test_verdict(status: Status, word: str) -> None:
    assert explain.verdict(status) == word


def test_assessment_summary_lists_every_scheme_with_reasons() -> None:
    request = CreditRequest(amount=60 * JUTA, months=24, purpose="modal_kerja")
    assessment = evaluate(replace(OWNER, has_npwp=False), request, on=DAY, regional=GS)
    texts = explain.assessment_summary(assessment, request, regional=GS)
    assert all(len(text) <= explain.MESSAGE_LIMIT for text in texts)
    joined = "\n\n".join(texts)
    assert joined.startswith(
        "Hasil cek kelayakan untuk Rp60.000.000 selama 24 bulan (modal kerja), aturan KUR 2026, 21 November 2026:\n\n"
        "KUR Mikro (6%): Perlu melengkapi dokumen\n"
        "• Pinjaman di atas Rp50.000.000 perlu NPWP."
    )
    assert (
        "Kredit Gerbang Serasan (3%, contoh): Belum memenuhi syarat\n• Plafon Kredit Gerbang Serasan"
        in joined
    )
    assert "KUR Kecil (6%): Belum memenuhi syarat" in joined


@pytest.mark.parametrize(
    ("blocks", "limit", "messages"),
    [
        (["a", "b", "c"], 10, ["a\n\nb\n\nc"]),
        (["aaaa", "bbbb", "cccc"], 10, ["aaaa\n\nbbbb", "cccc"]),
        (["a" * 20, "b"], 10, ["a" * 20, "b"]),
        ([], 10, []),
    ],
)
def test_pack(blocks: list[str], limit: int, messages: list[str]) -> None:
    assert explain.pack(blocks, limit) == messages


def test_documents_checklist_of_the_best_option() -> None:
    request = CreditRequest(amount=60 * JUTA, months=24, purpose="modal_kerja")
    best = evaluate(OWNER, request, on=DAY, regional=GS).best
    assert explain.documents_checklist(best, regional=GS) == (
        "Pilihan terbaik: KUR Mikro (6%). Siapkan dokumen ini:\n"
        "• e-KTP\n• Kartu Keluarga (KK)\n• NIB atau Surat Keterangan Usaha (SKU)\n"
        "• Surat nikah (jika sudah menikah)\n• NPWP"
    )
    assert explain.documents_line(best).startswith("Dokumen: e-KTP, Kartu Keluarga (KK), ")


def test_documents_checklist_without_an_open_option() -> None:
    assert explain.documents_checklist(None).startswith("Belum ada skema yang terbuka")


@pytest.mark.parametrize(
    ("sector", "pirt"),
    [("industri_pengolahan", True), ("perdagangan", False), (None, False)],
)
def test_licence_guidance(sector: str | None, pirt: bool) -> None:
    text = programme_info.licence_guidance(sector)
    assert "NIB: daftar online di oss.go.id dengan NIK Anda." in text
    assert "SKU (Surat Keterangan Usaha): minta di kantor desa atau kelurahan." in text
    assert ("PIRT" in text) is pirt


def test_scheme_info_is_built_from_the_rule_file() -> None:
    text = programme_info.scheme_info(SCHEMES["kur_mikro"])
    assert text.splitlines()[:4] == [
        "KUR Mikro",
        "• Plafon: di atas Rp10.000.000 sampai Rp100.000.000",
        "• Bunga: 6% setahun",
        "• Lama pinjaman: modal kerja paling lama 36 bulan, investasi 60 bulan",
    ]
    assert "• Subsidi bunga dari pemerintah: 10% setahun" in text
    assert f"• Agunan: {SCHEMES['kur_mikro'].collateral}" in text
    assert "• NPWP: wajib untuk pinjaman di atas Rp50.000.000" in text


def test_scheme_info_shows_a_rate_ladder_as_a_range() -> None:
    mikro_2023 = {s.id: s for s in rule_set_on(DAY_2023).schemes}["kur_mikro"]
    text = programme_info.scheme_info(mikro_2023)
    assert "• Bunga: 6%–9% setahun" in text and "• Subsidi bunga dari pemerintah: 7%–10% setahun" in text


def test_regional_info_marks_example_figures() -> None:
    text = programme_info.regional_info(GS)
    assert text.startswith("Gerbang Serasan adalah program kredit Kabupaten Muara Enim untuk warganya.")
    assert "Kredit Gerbang Serasan (angka contoh)" in text
    assert "• Subsidi bunga dari pemda: 9% setahun (bunga bank 12%)" in text
    assert "• Premi asuransi kredit: 1,5% dari pinjaman, dibayar pemda" in text
    assert "• Bank mitra: BRI, Bank Sumsel Babel" in text
    assert "masih CONTOH" in text


def test_programmes_overview() -> None:
    assert programme_info.programmes_overview(DAY, GS) == (
        "Kredit yang berlaku hari ini (aturan KUR 2026, sejak 5 Januari 2026):\n"
        "• KUR Super Mikro: sampai Rp10.000.000, bunga 3% setahun\n"
        "• KUR Mikro: di atas Rp10.000.000 sampai Rp100.000.000, bunga 6% setahun\n"
        "• KUR Kecil: di atas Rp100.000.000 sampai Rp500.000.000, bunga 6% setahun\n"
        "• Kredit Gerbang Serasan (angka contoh): Rp1.000.000 sampai Rp50.000.000, bunga 3% setahun"
    )


@pytest.mark.parametrize(
    ("weekdays", "text"),
    [
        ((1, 2, 3, 4, 5), "Senin–Jumat"),
        ((1, 2, 3), "Senin–Rabu"),
        ((1, 3), "Senin, Rabu"),
        ((6, 7), "Sabtu, Minggu"),
        ((5, 1, 3), "Senin, Rabu, Jumat"),
    ],
)
def test_office_days(weekdays: tuple[int, ...], text: str) -> None:
    assert programme_info.office_days(weekdays) == text


def test_secretariat_info_marks_an_example_address() -> None:
    profile = load_profile()
    assert programme_info.secretariat_info(profile) == (
        "Sekretariat Rumah UMKM:\n"
        f"{profile.secretariat_name}\n"
        f"{profile.secretariat_address} (alamat contoh)\n"
        "Buka Senin–Jumat, pukul 08.00–15.00 WIB."
    )
    real = replace(profile, address_is_example=False)
    assert "(alamat contoh)" not in programme_info.secretariat_info(real)
