"""Intents and amounts from owners' own sentences: a corpus of real-looking messages in tests/data/."""

from __future__ import annotations

import csv
from pathlib import Path

from core.intents import read_intent

CORPUS = Path(__file__).resolve().parents[1] / "data" / "owner_messages.tsv"
INTENT_TARGET = 0.90


def _corpus() -> list[dict[str, str]]:
    """The labelled messages (comment lines start with #)."""
    with CORPUS.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def test_the_corpus_is_read_well_enough_and_never_with_a_wrong_amount() -> None:
    rows = _corpus()
    assert len(rows) >= 200
    right, wrong_amounts, misses, months_right = 0, [], [], 0
    for row in rows:
        found = read_intent(row["text"])
        name = found.name if found else "none"
        right += name == row["intent"]
        if name != row["intent"]:
            misses.append(f"{row['text']!r}: {name}, expected {row['intent']}")
        amount = found.amount if found else None
        if amount != (int(row["amount"]) if row["amount"] else None) and name != "none":
            wrong_amounts.append(f"{row['text']!r}: {amount}, expected {row['amount'] or None}")
        months = found.months if found else None
        months_right += months == (int(row["months"]) if row["months"] else None)
    accuracy = right / len(rows)
    print(f"\nintents: {right}/{len(rows)} = {accuracy:.1%}; terms: {months_right}/{len(rows)}")
    print("missed:", *misses, sep="\n  ")
    assert accuracy >= INTENT_TARGET, misses
    assert wrong_amounts == []


def test_the_issue_sentences() -> None:
    found = read_intent("cicilan 10 juta 2 tahun berapa")
    assert found is not None and (found.name, found.amount, found.months) == ("simulation", 10_000_000, 24)
    assert read_intent("mau daftar usaha").name == "register"  # type: ignore[union-attr]
    assert read_intent("mau ketemu konsultan").name == "booking"  # type: ignore[union-attr]
    assert read_intent("saya mau ngomong sama orang").name == "human"  # type: ignore[union-attr]
    assert read_intent("halo") is None
