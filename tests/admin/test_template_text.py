"""Admin templates show no literal words: every visible text goes through `{{ _("...") }}` and the catalogs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.admin.web import TEMPLATES

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "bot" / "admin" / "templates"
ADMIN_CATALOGS = ("admin.po", "admin_pages.po")
NAMES = (
    "Rumah UMKM",
    "KKMB",
    "UMKM",
    "Telegram",
    "WhatsApp",
    "CSV",
    "Rp",
    "https",
)  # the same in every language
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
BUTTON_INPUTS = ("submit", "button", "reset")
HIDDEN_ELEMENTS = ("script", "style", "code")  # code shows commands and names, never prose
LETTER = re.compile(r"[^\W\d_]")


def _without_jinja(source: str) -> str:
    """The template's literal text, each Jinja expression, statement or comment replaced by '0'."""
    parts, in_jinja = [], False
    for _lineno, kind, value in TEMPLATES.env.lex(source):
        if kind == "data":
            parts.append(value)
            in_jinja = False
        elif not in_jinja:
            parts.append("0")
            in_jinja = True
    return "".join(parts)


class _Words(HTMLParser):
    """Collects letters a reader would see: text outside code/script/style, and visible attribute values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.hidden = 0

    def _check(self, text: str, where: str) -> None:
        for name in NAMES:
            text = text.replace(name, "")
        if LETTER.search(text):
            self.found.append(f"{where}: {text.strip()!r}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        values = dict(attrs)
        for name in VISIBLE_ATTRIBUTES:
            self._check(values.get(name) or "", f"<{tag} {name}>")
        if tag == "input" and values.get("type") in BUTTON_INPUTS:  # a <button>'s value is sent, not shown
            self._check(values.get("value") or "", f"<{tag} value>")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_ELEMENTS:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self._check(data, "text")


def literal_words(source: str) -> list[str]:
    """What a template shows that does not go through the catalogs."""
    parser = _Words()
    parser.feed(_without_jinja(source))
    parser.close()
    return parser.found


@pytest.mark.parametrize("name", sorted(path.name for path in FOLDER.glob("*.html")))
def test_template_has_no_literal_text(name: str) -> None:
    assert literal_words((FOLDER / name).read_text()) == []


def test_the_guard_finds_literal_text() -> None:
    assert literal_words('<p>{{ _("Home") }}</p><h1>Beranda</h1>') == ["text: 'Beranda'"]
    assert literal_words('<input placeholder="semua" aria-label="{{ _("x") }}">') == [
        "<input placeholder>: 'semua'"
    ]
    assert literal_words('<button title="Kirim">{{ _("Send") }}</button>') == ["<button title>: 'Kirim'"]
    assert literal_words('<input type="submit" value="Kirim">') == ["<input value>: 'Kirim'"]
    assert literal_words("{% block title %}Masuk{% endblock %}") == ["text: '0Masuk0'"]
    assert literal_words("<code>umkm admin add</code> {{ name }} · Rumah UMKM <script>var a;</script>") == []


@pytest.mark.parametrize("name", ADMIN_CATALOGS)
def test_admin_text_says_janji_temu_not_booking(name: str) -> None:
    """docs/glossary.md: the plain word is *janji temu*."""
    with (ROOT / "core" / "locale" / "id" / "LC_MESSAGES" / name).open("rb") as handle:
        texts = [message.string for message in read_po(handle) if message.id]
    assert [text for text in texts if "booking" in str(text).casefold()] == []
