"""No user-facing string uses a banned term of docs/glossary.md, and plain-text channels never say 'tekan tombol'."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.flows.common import pick_one
from bot.messages import Option, Reply
from bot.render import numbered
from tests.transcript import Chat

ROOT = Path(__file__).resolve().parents[1]
BANNED = ("anuitas", "slik", "karakter", "pp 7/2021", "booking")
PLAIN_BANNED = ("tekan tombol", "tekan tombolnya")  # never on WhatsApp text or the terminal: no buttons there

STAFF_ONLY = {"admin.po", "admin_pages.po"}  # the admin workspace speaks to Dinas staff, not to owners


def _translations() -> list[str]:
    """Every Indonesian string owners and consultants read in the chat (all catalogs but the staff's)."""
    found = []
    for path in sorted((ROOT / "core" / "locale" / "id" / "LC_MESSAGES").glob("*.po")):
        if path.name in STAFF_ONLY:
            continue
        with path.open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                found += [text for text in strings if text]
    return found


def test_no_user_facing_string_uses_a_banned_term() -> None:
    offending = [
        (term, text)
        for text in _translations()
        for term in BANNED
        if re.search(rf"\b{re.escape(term)}\b", text.casefold())
    ]
    assert offending == []


def test_every_banned_term_is_in_the_glossary() -> None:
    glossary = (ROOT / "docs" / "glossary.md").read_text().casefold()
    for term in (*BANNED, *PLAIN_BANNED):
        assert term in glossary, term


async def _rendered(chat: Chat) -> str:
    """Everything a chat shows while an owner misses options, sends a photo and a yes/no is asked twice."""
    texts = [
        await chat.say("halo"),
        await chat.say("99"),
        await chat.say("", unsupported="image"),
        await chat.say("Daftar usaha"),
        await chat.say("mungkin"),
        await chat.say("batal"),
        await chat.say("menu"),
        await chat.say("Janji temu konsultan KKMB"),
        await chat.say("7"),
    ]
    return "\n".join(texts)


@pytest.mark.parametrize("channel", ["whatsapp", "console"])
async def test_plain_whatsapp_and_the_terminal_never_say_press_the_button(
    sessions, clock, channel: str
) -> None:
    text = (await _rendered(Chat(sessions, clock, user="ani", channel=channel))).casefold()
    assert "silakan balas dengan angka 1 sampai" in text and "saya hanya bisa membaca teks" in text
    assert [term for term in PLAIN_BANNED if term in text] == []


async def test_telegram_shows_buttons_so_it_may_say_so(sessions, clock) -> None:
    text = (await _rendered(Chat(sessions, clock, user="tg-ani", channel="telegram"))).casefold()
    assert "atau tekan tombolnya" in text


def test_a_numbered_reply_has_no_button_words() -> None:
    reply = Reply(pick_one(3, "whatsapp"), (Option("a", "A"), Option("b", "B"), Option("c", "C")))
    assert "tombol" not in numbered(reply).casefold()
