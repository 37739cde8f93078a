"""Profiles an operator supplies: `umkm profile check FILE`, and UMKM_PROFILE checked when the bot starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings

PROFILES = Path(__file__).parent / "profiles"
BROKEN = 'id = "Uji"\nregency_code = "94"\nprovince = "Papua"\ntime_zone = "Asia/Tokyo"\n'


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "rusak.toml"
    path.write_text(BROKEN + (PROFILES / "wit.toml").read_text().split('time_zone = "Asia/Jayapura"')[1])
    return path


def test_check_summarises_a_valid_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "check", str(PROFILES / "wita.toml")]) == 0
    out = capsys.readouterr().out
    assert "Profil valid: Kabupaten Uji Tengah (uji_wita), kode wilayah 7371, Sulawesi Selatan." in out
    assert "Jam kantor: Senin–Jumat, 08.00–15.00 WITA (Asia/Makassar)." in out
    assert "Kredit: KUR\n" in out and "Program Dinas: Bantuan alat usaha (aid)" in out
    assert "Bantuan yang bisa diajukan lewat chat: -" in out


def test_check_lists_the_aid_to_apply_for(capsys: pytest.CaptureFixture[str]) -> None:
    shipped = Path(__file__).resolve().parents[1] / "core" / "profiles" / "oku_timur.toml"
    assert main(["profile", "check", str(shipped)]) == 0
    out = capsys.readouterr().out
    assert "Bantuan yang bisa diajukan lewat chat: Mesin jahit (equipment, 2026), Mesin sealer kemasan" in out


def test_check_lists_every_problem_with_its_path(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    assert main(["profile", "check", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"Profil {broken} punya 4 masalah" in err
    for path in ("id", "regency_code", "time_zone", "name"):
        assert f"- {broken}: key '{path}':" in err


def test_check_needs_no_valid_configuration(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, broken: Path
) -> None:
    monkeypatch.setenv("UMKM_PROFILE", str(broken))
    assert main(["profile", "check", str(PROFILES / "wit.toml")]) == 0
    assert "WIT (Asia/Jayapura)" in capsys.readouterr().out


def test_umkm_profile_names_a_file_outside_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UMKM_PROFILE", str(PROFILES / "wit.toml"))
    monkeypatch.setenv("UMKM_KABUPATEN", "lebak")
    settings = Settings(_env_file=None)
    assert (settings.profile.id, str(settings.zone)) == ("uji_wit", "Asia/Jayapura")


def test_a_shipped_profile_is_named_by_umkm_kabupaten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UMKM_KABUPATEN", "oku_timur")
    assert Settings(_env_file=None).profile.name == "Kabupaten OKU Timur"


def test_start_up_refuses_a_broken_profile(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, broken: Path
) -> None:
    monkeypatch.setenv("UMKM_PROFILE", str(broken))
    assert main(["simulate", "10jt", "12"]) == 2
    err = capsys.readouterr().err
    assert f"UMKM_PROFILE={broken}: the kabupaten profile has problems" in err
    assert f"{broken}: key 'time_zone': expected one of" in err


def test_start_up_refuses_an_unknown_kabupaten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UMKM_KABUPATEN", "atlantis")
    with pytest.raises(ValueError, match="core/profiles/atlantis.toml: file not found"):
        Settings(_env_file=None)
