"""Tests for the kabupaten profiles: the shipped ones, the place lookup, and validation that reports every problem."""

from datetime import time

import pytest

from core.kabupaten import PROGRAMME_KINDS, ProfileError, kecamatan_for, load_profile, parse_profile
from core.programmes import regional_programme

SHIPPED = ("muara_enim", "pesawaran", "oku_timur", "lebak")
PROVINCE_CODES = {"Sumatera Selatan": "16", "Lampung": "18", "Banten": "36"}


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_profile_is_consistent(name: str) -> None:
    profile = load_profile(name)
    assert profile.id == name and profile.regency_code[:2] == PROVINCE_CODES[profile.province]
    assert profile.time_zone == "Asia/Jakarta" and profile.office_opens == time(8)
    assert len(set(profile.kecamatan)) == len(profile.kecamatan)
    assert {kecamatan for _town, kecamatan in profile.aliases} <= set(profile.kecamatan)
    assert all(p.kind in PROGRAMME_KINDS for p in profile.programmes)


def test_only_muara_enim_has_a_regional_credit_programme() -> None:
    regional = {name: load_profile(name).regional_programme for name in SHIPPED}
    assert regional == {"muara_enim": "gerbang_serasan", "pesawaran": None, "oku_timur": None, "lebak": None}
    assert regional_programme("gerbang_serasan").regency_code == load_profile("muara_enim").regency_code


@pytest.mark.parametrize(
    ("name", "count", "kinds"),
    [
        ("pesawaran", 11, {"tpakd"}),
        ("oku_timur", 20, {"licensing", "aid"}),
        ("lebak", 28, {"licensing", "partnership"}),
    ],
)
def test_each_kabupaten_keeps_its_emphasis(name: str, count: int, kinds: set[str]) -> None:
    profile = load_profile(name)
    assert len(profile.kecamatan) == count and {p.kind for p in profile.programmes} == kinds
    assert profile.kecamatan_is_example and profile.address_is_example


PLACES = [
    ("muara_enim", "tanjung enim", "Lawang Kidul"),
    ("muara_enim", "Tanjung-Enim", "Lawang Kidul"),
    ("muara_enim", "Kec. Lawang Kidul", "Lawang Kidul"),
    ("muara_enim", "ujanmas", "Ujan Mas"),
    ("oku_timur", "Desa Gumawang", "Belitang"),
    ("oku_timur", "belitang ii", "Belitang II"),
    ("lebak", "rangkas", "Rangkasbitung"),
    ("lebak", "Rangkas Bitung", "Rangkasbitung"),
    ("pesawaran", "gedung tataan", "Gedong Tataan"),
    ("muara_enim", "rangkas", None),
    ("lebak", "tanjung enim", None),
    ("lebak", "  !! ", None),
]


@pytest.mark.parametrize(("name", "place", "expected"), PLACES)
def test_a_typed_place_maps_to_its_kecamatan(name: str, place: str, expected: str | None) -> None:
    assert kecamatan_for(place, load_profile(name)) == expected


VALID = """
id = "contoh"
name = "Kabupaten Contoh"
regency_code = "7371"
province = "Sulawesi Selatan"
time_zone = "Asia/Makassar"

[secretariat]
name = "Rumah UMKM Contoh"
address = "Jl. Contoh No. 1"
address_is_example = true

[office_hours]
weekdays = [1, 2, 3, 4, 5]
opens = 08:00:00
closes = 15:00:00

[kecamatan]
names = ["Satu", "Dua"]
is_example = true

[kecamatan.aliases]
"Kota Lama" = "Satu"

[[programmes]]
id = "bantuan_alat"
kind = "aid"
name = "Bantuan alat"
summary = "Alat usaha dari APBD."
source = "contoh"
"""


def test_a_valid_file_from_outside_the_package_loads() -> None:
    profile = parse_profile(VALID, "contoh.toml")
    assert (profile.id, profile.time_zone, profile.regional_programme) == ("contoh", "Asia/Makassar", None)
    assert profile.aliases == (("Kota Lama", "Satu"),) and profile.programmes[0].kind == "aid"


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    broken = (
        VALID.replace('name = "Kabupaten Contoh"\n', "")
        .replace('"7371"', '"73"')
        .replace("Asia/Makassar", "Asia/Tokyo")
        .replace("[1, 2, 3, 4, 5]", "[0, 8]")
        .replace("closes = 15:00:00", "closes = 07:00:00\nclose = 1")
        .replace('"Kota Lama" = "Satu"', '"Kota Lama" = "Tiga"')
        .replace('kind = "aid"', 'kind = "hibah"')
    )
    with pytest.raises(ProfileError) as caught:
        parse_profile(broken, "x.toml")
    problems = caught.value.problems
    for expected in (
        "key 'name': missing; expected text",
        "key 'regency_code': expected 4 digits",
        "key 'time_zone': expected one of",
        "key 'office_hours.weekdays': expected a list of ISO weekday numbers",
        "key 'office_hours.closes': must be later than opens",
        "key 'office_hours.close': unknown key",
        "key 'kecamatan.aliases.Kota Lama': expected one of the names in kecamatan.names",
        "key 'programmes[0].kind': expected one of",
    ):
        assert any(expected in problem for problem in problems), (expected, problems)
    assert all(problem.startswith("x.toml: key '") for problem in problems)


def test_a_regional_programme_of_another_regency_is_refused() -> None:
    text = VALID.replace(
        'time_zone = "Asia/Makassar"', 'time_zone = "Asia/Makassar"\nregional_programme = "gerbang_serasan"'
    )
    with pytest.raises(
        ProfileError, match="key 'regional_programme': gerbang_serasan is for regency 1603, not 7371"
    ):
        parse_profile(text, "x.toml")


def test_missing_tables_name_each_field_they_need() -> None:
    text = VALID.split("[secretariat]")[0]
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "x.toml")
    joined = "\n".join(caught.value.problems)
    for path in (
        "secretariat",
        "secretariat.name",
        "office_hours.opens",
        "kecamatan.names",
        "kecamatan.is_example",
    ):
        assert f"key '{path}'" in joined
