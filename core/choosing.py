"""Which offered option a typed answer means, beyond an exact label: its yes/no/later/done meaning, or a typo.

Typo tolerance uses rapidfuzz's Levenshtein distance with a rule that never picks a wrong option over asking
again: the closest label must be within a small distance for its length and strictly closer than every other.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from core.vocabulary import Meaning, fold, meaning, yes_or_no

# A meaning the options lack may stand for its neighbour: "iya" to "Sudah bayar?" is done, "udah" to "Punya?" yes.
_NEIGHBOUR = {Meaning.YES: Meaning.DONE, Meaning.DONE: Meaning.YES}


def allowed_typos(typed: str) -> int:
    """Edits tolerated in an answer of this length: none under 4 letters, then 1, 2 and 3."""
    size = len(typed)
    return 0 if size < 4 else 1 if size < 8 else 2 if size < 15 else 3


def option_meaning(label: str, option_id: str = "") -> Meaning | None:
    """An option's own meaning: from its id ('yes', 'no') or its label's leading word."""
    if option_id in ("yes", "no"):
        return Meaning(option_id)
    words = fold(label).split()
    return meaning(words[0]) if words else None


def by_meaning(text: str, options: Sequence[tuple[str, str]]) -> int | None:
    """The one option whose meaning is the answer's ('ok' picks 'Ya, kirim'); None when none or several."""
    wanted = meaning(text)
    if wanted is None:
        return None
    kinds = [option_meaning(label, option_id) for option_id, label in options]
    for kind in (wanted, _NEIGHBOUR.get(wanted)):
        hits = [index for index, found in enumerate(kinds) if kind is not None and found == kind]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None
    return _cancel(options) if wanted is Meaning.NO else None


def _cancel(options: Sequence[tuple[str, str]]) -> int | None:
    """A no to a question without a no option is its one cancel option ('gak' to 'Ya, hapus' / 'Batal')."""
    hits = [
        index
        for index, (option_id, label) in enumerate(options)
        if option_id.rsplit(":", 1)[-1] == "cancel" or fold(label).split()[:1] == ["batal"]
    ]
    return hits[0] if len(hits) == 1 else None


def by_typo(text: str, labels: Sequence[str]) -> int | None:
    """The label the answer is a near miss of ('udah bayar' for 'Sudah bayar'), only when it is unambiguous."""
    typed = fold(text)
    if len(typed) < 4:
        return None
    distances = []
    for label in labels:
        folded = fold(label)
        # the label's leading words as many as typed: 'simulsi' is near 'simulasi' of 'Simulasi angsuran'
        head = " ".join(folded.split()[: len(typed.split())])
        distances.append(min(Levenshtein.distance(typed, folded), Levenshtein.distance(typed, head)))
    best = min(distances, default=None)
    if best is None or distances.count(best) > 1:
        return None
    return distances.index(best) if best <= allowed_typos(typed) else None


def read_picks(text: str, count: int) -> frozenset[int] | None:
    """The numbered statements a reply picks ('2 4', '1, 3 dan 5'), each from 1 to `count`; none for a no
    ('tidak ada', 'gak'); None when the reply is neither, so the question is asked again."""
    if yes_or_no(text) is False:
        return frozenset()
    parts = [part for part in fold(text).split() if part not in ("dan", "n", "sama")]
    if not parts or not all(part.isdigit() and 1 <= int(part) <= count for part in parts):
        return None
    return frozenset(int(part) for part in parts)
