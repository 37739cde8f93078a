"""The shared yes/no/later/done vocabulary reads informal and misspelt Indonesian the same everywhere."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.vocabulary import WORDS, Meaning, meaning, yes_or_no

YES, NO, LATER, DONE = Meaning.YES, Meaning.NO, Meaning.LATER, Meaning.DONE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ok", YES), ("y", YES), ("ya", YES), ("Iya, kirim!", YES), ("iya kirim", YES), ("oke deh", YES),
        ("Setuju", YES), ("boleh", YES), ("punya", YES),
        ("ga", NO), ("gak", NO), ("ngga", NO), ("enggak", NO), ("bukan", NO), ("gak ada", NO), ("blm", NO),
        ("belom", NO), ("Tidak.", NO), ("ga jadi kirim", NO), ("belum punya", NO),
        ("nanti aja", LATER), ("nanti", LATER), ("skip", LATER), ("lain kali", LATER),
        ("udah", DONE), ("sudah", DONE), ("sdh", DONE), ("udah bayar", DONE), ("sdh byr", DONE),
        ("ya tapi ubah tanggal", None), ("ya ga", None), ("mungkin", None), ("", None), ("20 juta", None),
        ("ya saya mau daftar usaha", None),
    ],
)  # fmt: skip
def test_short_answers_mean_what_owners_mean(text: str, expected: Meaning | None) -> None:
    assert meaning(text) == expected


def test_a_yes_no_question_takes_done_as_yes() -> None:
    assert (yes_or_no("udah"), yes_or_no("gak"), yes_or_no("nanti"), yes_or_no("iya")) == (
        True,
        False,
        None,
        True,
    )


@given(
    st.sampled_from([(kind, word) for kind, words in WORDS.items() for word in sorted(words)]),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["", ".", "!", "!!", " ya"[:0]]),
    st.booleans(),
)
def test_every_word_keeps_its_meaning_whatever_its_case_spacing_or_punctuation(
    entry: tuple[Meaning, str], pad: str, mark: str, upper: bool
) -> None:
    kind, word = entry
    text = f"{pad}{word.upper() if upper else word.capitalize()}{mark}{pad}"
    assert meaning(text) == kind


def test_no_word_has_two_meanings() -> None:
    seen: dict[str, Meaning] = {}
    for kind, words in WORDS.items():
        for word in words:
            assert seen.setdefault(word, kind) == kind, word
