"""The `umkm simulate` and `umkm check` commands: readable output through the catalog, friendly errors, exit 2."""

from __future__ import annotations

import pytest

from bot.cli import main

ON = ["--on", "2026-11-21"]
CHECK = [
    "check",
    "--amount",
    "50jt",
    "--months",
    "24",
    "--purpose",
    "modal_kerja",
    "--age",
    "35",
    "--married",
    "--months-in-business",
    "24",
    "--turnover",
    "600jt",
    "--licence",
    "nib",
    "--npwp",
    "--sector",
    "perdagangan",
    "--regency",
    "1603",
    *ON,
]


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    """Runs the command and returns the exit code, stdout and stderr."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


SIMULATIONS = {
    "kur-mikro": (
        ["simulate", "20jt", "12", "--scheme", "kur_mikro", *ON],
        [
            "KUR Mikro: pinjaman Rp20.000.000 selama 12 bulan, bunga 6% setahun (angsuran tetap tiap bulan).",
            "• Angsuran per bulan: Rp1.721.329",
            "• Subsidi bunga yang dibayar pemerintah: Rp1.093.238",
            "No  Angsuran     Pokok   Bunga Subsidi       Sisa\n"
            " 1 1.721.329 1.621.329 100.000 166.667 18.378.671\n",
            "12 1.721.322 1.712.758   8.564  14.273          0",
            "Bandingkan: pinjam ke rentenir dengan bunga 20% sebulan",
        ],
    ),
    "with-due-dates": (
        ["simulate", "20 juta", "1 tahun", "--scheme", "kur_mikro", "--start", "21/11/2026", *ON],
        [
            "No Tgl       Angsuran     Pokok   Bunga Subsidi       Sisa",
            " 1 21/12/26 1.721.329",
            "12 21/11/27 ",
        ],
    ),
    "scheme-that-fits-by-default": (
        ["simulate", "10jt", "12", *ON],
        ["KUR Super Mikro: pinjaman Rp10.000.000", "Angsuran per bulan: Rp846.937"],
    ),
    "2023-rules-third-access": (
        ["simulate", "20jt", "12", "--scheme", "kur_mikro", "--on", "2025-06-01", "--access", "3"],
        ["bunga 8% setahun", "Tanpa subsidi (bunga 16% setahun)"],
    ),
    "regional-flat": (
        ["simulate", "10jt", "12", "--scheme", "gerbang_serasan", "--method", "flat", *ON],
        ["(bunga flat)", "Premi asuransi kredit Rp150.000: dibayar pemda", "masih contoh"],
    ),
}


@pytest.mark.parametrize(("argv", "fragments"), SIMULATIONS.values(), ids=SIMULATIONS.keys())
def test_simulate_prints_summary_schedule_and_rentenir(capsys, argv: list[str], fragments: list[str]) -> None:
    code, out, err = run(capsys, argv)
    assert (code, err) == (0, "")
    for fragment in fragments:
        assert fragment in out


def test_check_prints_every_option_with_reasons_and_documents(capsys) -> None:
    code, out, err = run(capsys, CHECK)
    assert (code, err) == (0, "")
    assert out.startswith(
        "Hasil cek kelayakan untuk Rp50.000.000 selama 24 bulan (modal kerja), aturan KUR 2026, 21 November 2026:\n\n"
        "KUR Mikro (6%): Memenuhi syarat\n"
        "Dokumen: e-KTP, Kartu Keluarga (KK), NIB atau Surat Keterangan Usaha (SKU), Surat nikah (jika sudah menikah)\n"
    )
    assert (
        "Kredit Gerbang Serasan (3%, contoh): Perlu melengkapi dokumen\n"
        "• Kredit Gerbang Serasan perlu pendampingan konsultan KKMB." in out
    )
    assert "KUR Super Mikro (3%): Belum memenuhi syarat\n• Plafon KUR Super Mikro paling besar" in out
    assert "Belum punya izin usaha?" not in out


def test_check_without_a_licence_explains_how_to_get_one(capsys) -> None:
    argv = [*CHECK[: CHECK.index("--licence")], "--sector", "industri_pengolahan", *ON]
    code, out, _err = run(capsys, argv)
    assert code == 0
    assert "Anda perlu NIB (gratis di oss.go.id)" in out
    assert "NIB: daftar online di oss.go.id dengan NIK Anda." in out and "PIRT" in out


BAD = {
    "unreadable-amount": (["simulate", "sepuluh juta lebih", "12", *ON], "Maaf, jumlahnya"),
    "missing-period": (
        ["simulate", "20jt"],
        "Belum diisi: MONTHS. Contoh: umkm simulate 20jt 12 --scheme kur_mikro",
    ),
    "outside-band": (
        ["simulate", "10jt", "12", "--scheme", "kur_mikro", *ON],
        "KUR Mikro untuk pinjaman di atas Rp10.000.000 sampai Rp100.000.000; Anda minta Rp10.000.000. "
        "Yang cocok: KUR Super Mikro (3%), Kredit Gerbang Serasan (3%, contoh).",
    ),
    "too-large": (["simulate", "600jt", "12", *ON], "Tidak ada skema untuk Rp600.000.000 selama 12 bulan."),
    "unknown-scheme": (
        ["simulate", "20jt", "12", "--scheme", "kur_besar", *ON],
        "--scheme harus salah satu dari: kur_super_mikro, kur_mikro, kur_kecil, gerbang_serasan.",
    ),
    "bad-access": (
        ["simulate", "20jt", "12", "--access", "0", *ON],
        "--access harus bilangan bulat, paling kecil 1.",
    ),
    "bad-method": (
        ["simulate", "20jt", "12", "--method", "bunga-berbunga", *ON],
        "--method harus salah satu dari",
    ),
    "bad-date": (["simulate", "20jt", "12", "--on", "kapan-kapan"], "Maaf, tanggalnya"),
    "check-missing-turnover": (
        ["check", "--amount", "50jt", "--months", "24", "--months-in-business", "24"],
        "Belum diisi: --turnover.",
    ),
    "check-unknown-sector": ([*CHECK, "--sector", "warung"], "--sector harus salah satu dari: pertanian,"),
    "check-bad-regency": ([*CHECK, "--regency", "16"], "--regency harus kode kabupaten 4 angka"),
    "check-bad-age": ([*CHECK, "--age", "tiga puluh"], "--age harus bilangan bulat, paling kecil 17."),
    "check-bad-purpose": (
        [*CHECK, "--purpose", "konsumsi"],
        "--purpose harus salah satu dari: modal_kerja, investasi.",
    ),
}


@pytest.mark.parametrize(("argv", "message"), BAD.values(), ids=BAD.keys())
def test_bad_arguments_give_a_friendly_error_and_exit_2(capsys, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, argv)
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err
