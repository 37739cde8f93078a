"""Test-only kabupaten profiles in WITA and WIT, beside the shipped Muara Enim in WIB, by zone abbreviation."""

from __future__ import annotations

from pathlib import Path

from core.kabupaten import Profile, load_profile, parse_profile

HERE = Path(__file__).parent


def profile_from_tests(name: str) -> Profile:
    """Loads tests/profiles/<name>.toml the way UMKM_PROFILE's file is loaded."""
    return parse_profile((HERE / f"{name}.toml").read_text(encoding="utf-8"), f"tests/profiles/{name}.toml")


ZONED = {"WIB": load_profile(), "WITA": profile_from_tests("wita"), "WIT": profile_from_tests("wit")}
