"""Picking several numbered statements in one reply: '2 4', '1, 3 dan 5', or 'tidak ada'."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.choosing import read_picks


def test_numbers_with_any_separator_and_no_words() -> None:
    assert read_picks("2 4", 5) == {2, 4}
    assert read_picks("1, 3 dan 5", 5) == {1, 3, 5}
    assert read_picks("3", 5) == {3}
    for none in ("tidak ada", "gak ada", "gak", "ngga", "tdk ada"):
        assert read_picks(none, 5) == frozenset()


def test_anything_else_is_asked_again() -> None:
    for text in ("6", "0", "2 7", "mungkin", "", "20 juta", "ya"):
        assert read_picks(text, 5) is None, text


@given(
    st.sets(st.integers(min_value=1, max_value=5), min_size=1),
    st.lists(st.sampled_from([" ", ", ", ",", " dan ", "; ", " & "]), min_size=5, max_size=5),
)
def test_any_written_set_is_read_back_exactly(picked: set[int], separators: list[str]) -> None:
    ordered = sorted(picked)
    text = "".join(f"{number}{separators[at]}" for at, number in enumerate(ordered)).strip(" ,;&")
    assert read_picks(text, 5) == picked


@given(st.text(max_size=12))
def test_a_reading_is_never_out_of_range(text: str) -> None:
    found = read_picks(text, 5)
    assert found is None or all(1 <= number <= 5 for number in found)
