"""Aid in a profile: the [[aid]] fields and their problems, the period, the rules and the reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.aid import Applicant, open_aid, parse_period, reason_problem, refusal
from core.kabupaten import ProfileError, load_profile, parse_profile
from tests.core.test_kabupaten import VALID

AID = """
[[aid]]
id = "sealer"
kind = "equipment"
name = "Mesin sealer"
summary = "Alat sealer kemasan."
period = "2026-03-01/2026-06-30"
size_classes = ["mikro"]
sectors = ["industri_pengolahan"]
asks_photo = true
source = "contoh"
"""


def test_an_aid_entry_loads_with_its_rules() -> None:
    [aid] = parse_profile(VALID + AID, "contoh.toml").aid
    assert (aid.id, aid.kind, aid.registered_business, aid.asks_photo) == ("sealer", "equipment", True, True)
    assert (aid.period.first, aid.period.last, aid.period.key) == (
        date(2026, 3, 1),
        date(2026, 6, 30),
        "2026-03-01/2026-06-30",
    )
    assert open_aid((aid,), date(2026, 6, 30)) == (aid,) and open_aid((aid,), date(2026, 7, 1)) == ()


def test_every_aid_problem_is_named_with_its_path() -> None:
    broken = (
        AID.replace('name = "Mesin sealer"\n', "")
        .replace('"equipment"', '"hibah"')
        .replace('"2026-03-01/2026-06-30"', '"Maret 2026"')
        .replace('["mikro"]', '["mikro", "raksasa"]')
        .replace('["industri_pengolahan"]', '["kuliner"]')
        .replace("asks_photo = true", 'asks_photo = "ya"\nfoto = true')
    )
    with pytest.raises(ProfileError) as caught:
        parse_profile(VALID + broken, "x.toml")
    problems = caught.value.problems
    for expected in (
        "key 'aid[0].name': missing; expected text",
        "key 'aid[0].kind': expected one of ['equipment', 'training', 'licensing']",
        "key 'aid[0].period': expected a year such as \"2026\" or a date range",
        "key 'aid[0].size_classes': unknown ['raksasa']",
        "key 'aid[0].sectors': unknown ['kuliner']",
        "key 'aid[0].asks_photo': expected",
        "key 'aid[0].foto': unknown key",
    ):
        assert any(expected in problem for problem in problems), (expected, problems)


def test_two_aid_entries_need_their_own_ids() -> None:
    with pytest.raises(ProfileError, match="key 'aid': each aid needs its own id"):
        parse_profile(VALID + AID + AID, "x.toml")


@given(st.integers(1900, 2999))
def test_a_year_is_its_whole_calendar_year(year: int) -> None:
    period = parse_period(str(year))
    assert (period.first, period.last, period.key) == (date(year, 1, 1), date(year, 12, 31), str(year))


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(0, 800))
def test_a_range_reads_back_its_bounds(first: date, days: int) -> None:
    last = first + timedelta(days=days)
    period = parse_period(f"{first.isoformat()}/{last.isoformat()}")
    assert (period.first, period.last) == (first, last)
    with pytest.raises(ValueError):
        parse_period(f"{(last + timedelta(days=1)).isoformat()}/{first.isoformat()}")


def test_the_rules_say_why_an_owner_may_not_apply() -> None:
    sewing = next(aid for aid in load_profile("oku_timur").aid if aid.id == "sewing_machine")
    assert "hanya untuk usaha yang sudah terdaftar" in refusal(sewing, Applicant(registered=False))
    assert "Usaha Mikro, Usaha Kecil" in refusal(sewing, Applicant(True, "menengah", "jasa"))
    assert "bidang usaha lain" in refusal(sewing, Applicant(True, "mikro", "perdagangan"))
    assert refusal(sewing, Applicant(True, "kecil", "jasa")) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [("perlu", "lebih panjang"), ("x" * 501, "Itu 501 huruf"), ("  Untuk   mengemas keripik.  ", None)],
)
def test_a_reason_is_neither_too_short_nor_too_long(text: str, problem: str | None) -> None:
    found = reason_problem(text)
    assert (found is None) if problem is None else (problem in found)
