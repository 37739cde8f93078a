"""Option matching beyond exact labels: by meaning, and by typo without ever choosing a wrong option."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from babel.messages.pofile import read_po
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.matching import match_option
from bot.messages import Inbound, Option
from core.choosing import by_meaning, by_typo
from core.vocabulary import fold

CONFIRM = [("book", "Ya, kirim permintaan"), ("slot", "Ubah waktu"), ("global:cancel", "Batal")]
REMINDER = [("go:loans:paid:1", "Sudah bayar"), ("go:loans:snooze:1", "Ingatkan besok")]
YES_NO = [("yes", "Ya"), ("no", "Tidak")]
NOTE = [("skip", "Lewati")]


def test_yes_words_pick_the_yes_option_and_no_words_the_no_option() -> None:
    for text in ("ok", "y", "ya", "iya kirim", "oke deh", "siap"):
        assert by_meaning(text, CONFIRM) == 0, text
    for text in ("ga", "gak", "ngga", "enggak", "bukan", "gak ada", "blm", "belom"):
        assert by_meaning(text, YES_NO) == 1, text
    assert by_meaning("udah", YES_NO) == 0  # done stands for yes when no option says done
    assert by_meaning("iya", REMINDER) == 0  # and yes for done: "Sudah bayar?" "iya"
    assert by_meaning("nanti aja", NOTE) == 0
    assert by_meaning("belum", REMINDER) is None  # nothing means no: ask again
    assert by_meaning("ok", REMINDER) == 0 and by_meaning("mungkin", YES_NO) is None


def test_a_no_to_a_question_without_a_no_option_is_its_cancel_option() -> None:
    erase = [("confirm", "Ya, hapus"), ("cancel", "Batal menghapus")]
    for text in ("gak", "tidak", "ngga"):
        assert by_meaning(text, erase) == 1, text
        assert by_meaning(text, CONFIRM) == 2, text  # "Kirim permintaan?" "gak": cancel, nothing is sent
    assert by_meaning("gak", REMINDER) is None  # no cancel option: ask again
    assert by_meaning("gak", [*CONFIRM, ("cancel", "Batal semua")]) is None  # two cancels: ask again


def test_near_misses_pick_their_label_and_ambiguous_ones_none() -> None:
    assert by_typo("udah bayar", [label for _id, label in REMINDER]) == 0
    assert by_typo("ingatkn besok", [label for _id, label in REMINDER]) == 1
    assert by_typo("simulsi", ["Simulasi angsuran", "Cek kelayakan kredit"]) == 0
    assert by_typo("Bank BXI", ["Bank BRI", "Bank BNI"]) is None  # as close to both: ask again
    assert by_typo("halo", ["Simulasi angsuran", "Cek kelayakan kredit"]) is None


def _labels() -> list[str]:
    """Short Indonesian strings of the real catalogs, the kind option labels are."""
    folder = Path(__file__).resolve().parents[2] / "core" / "locale" / "id" / "LC_MESSAGES"
    found: set[str] = set()
    for path in folder.glob("*.po"):
        with path.open("rb") as handle:
            for message in read_po(handle):
                text = message.string if isinstance(message.string, str) else ""
                if 2 <= len(text) <= 32 and "{" not in text and "\n" not in text and fold(text):
                    found.add(text)
    return sorted(found)


LABELS = _labels()


def _edit(label: str, data: st.DataObject) -> str:
    """One typo: a letter dropped, doubled, replaced or two letters swapped."""
    at = data.draw(st.integers(0, len(label) - 1))
    kind = data.draw(st.sampled_from(["drop", "double", "replace", "swap"]))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    if kind == "drop":
        return label[:at] + label[at + 1 :]
    if kind == "double":
        return label[:at] + label[at] + label[at:]
    if kind == "replace":
        return label[:at] + letter + label[at + 1 :]
    return label[:at] + label[at + 1 : at + 2] + label[at] + label[at + 2 :]


@given(st.data())
def test_a_near_miss_never_chooses_a_wrong_option(data: st.DataObject) -> None:
    labels = data.draw(st.lists(st.sampled_from(LABELS), min_size=2, max_size=6, unique_by=fold))
    meant = data.draw(st.integers(0, len(labels) - 1))
    typed = _edit(labels[meant], data)
    others = [fold(label) for index, label in enumerate(labels) if index != meant]
    folded = fold(typed)
    # A typo that spells another label, or a word of it, is that label: not a near miss any more.
    assume(folded and all(folded != other and f" {folded} " not in f" {other} " for other in others))
    assume(not any(other.startswith(folded) for other in others))
    offered = [Option(f"o{index}", label) for index, label in enumerate(labels)]
    inbound = Inbound(
        channel="console", sender_id="u", received_at=datetime(2026, 11, 21, tzinfo=UTC), text=typed
    )
    assert match_option(offered, inbound) in (f"o{meant}", None)
