"""How the engine reads a reply: the global words, and which of the offered options a message means."""

from __future__ import annotations

import re
import unicodedata

from bot.messages import Inbound, Option
from core.choosing import by_meaning, by_typo

GLOBAL_WORDS = {
    "menu": "menu",
    "batal": "cancel",
    "kembali": "back",
    "bantuan": "help",
    "help": "help",
    "mulai": "start",
    "start": "start",
    "berhenti": "stop",
    "stop": "stop",
    "hapus data": "erase",
    "lanjut": "resume",  # only while a flow interrupted by a pushed message waits
    "lanjutkan": "resume",
}


def normalise(text: str) -> str:
    """Folds case, accents, punctuation and spacing so 'Menu!' and ' menu ' compare equal."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = re.sub(r"^/(\w+)(@\w+)?", r"\1", text)
    return re.sub(r"[^\w]+", " ", text).strip()


def match_option(offered: list[Option], inbound: Inbound, *, numbers: bool = True) -> str | None:
    """Finds the offered option the user meant: by button id, by number, by label or a unique word of it, by its
    near miss of its label ('udah bayar'), or by its yes/no/later/done meaning ('ok' for 'Ya, kirim')."""
    ids = [option.id for option in offered]
    if inbound.choice_id in ids:
        return inbound.choice_id
    text = normalise(inbound.text)
    if not text:
        return None
    if numbers and text.isdigit() and 1 <= int(text) <= len(offered):
        return offered[int(text) - 1].id
    labels = [normalise(option.label) for option in offered]
    if text in labels:
        return offered[labels.index(text)].id
    if len(text) >= 3:
        hits = [i for i, label in enumerate(labels) if label.startswith(text) or f" {text}" in f" {label}"]
        if len(hits) == 1:
            return offered[hits[0]].id
    index = by_typo(text, [option.label for option in offered])
    if index is None:
        index = by_meaning(text, [(option.id, option.label) for option in offered])
    return None if index is None else offered[index].id
