"""How a broadcast will look: as Telegram shows it and as WhatsApp shows it, with each channel's length check."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from bot.handlers import telegram_render, whatsapp_render
from bot.messages import Option
from core import broadcasts as rules

_BOLD = re.compile(r"\*(?=\S)([^*\n]+?)(?<=\S)\*")


@dataclass(frozen=True)
class ChannelPreview:
    """One channel's rendering: the message bubbles, the buttons, the length against the limit."""

    bubbles: list[Markup]
    buttons: list[str]
    length: int
    limit: int

    @property
    def over(self) -> bool:
        """The text does not fit one message on this channel."""
        return self.length > self.limit


@dataclass(frozen=True)
class Preview:
    """The message on Telegram, on WhatsApp inside the 24-hour window, and as the WhatsApp template outside it."""

    text: str
    telegram: ChannelPreview | None
    whatsapp: ChannelPreview | None
    template: ChannelPreview | None
    problems: list[str]


def _whatsapp_bold(text: str) -> Markup:
    """Escapes a WhatsApp text and shows its *bold* as WhatsApp does."""
    return Markup(_BOLD.sub(r"<b>\1</b>", str(escape(text))))


def _options(labels: list[str]) -> tuple[Option, ...]:
    """Placeholder option ids: the preview needs only the labels."""
    return tuple(Option(f"go:siaran:{n}:0", label) for n, label in enumerate(labels, 1))


def preview(*, title: str, body: str, options: list[str], link: str | None) -> Preview:
    """Renders the message with the channels' own code (Telegram HTML pieces, WhatsApp numbered text)."""
    options = [option.strip() for option in options if option.strip()]
    link = (link or "").strip() or None
    problems = rules.check_message(title=title or "-", body=body, options=options, link=link)
    text = rules.full_text(body, link)
    if not text:
        return Preview(text, None, None, None, problems)
    choices = _options(options[: rules.MAX_OPTIONS])
    pieces = telegram_render.pieces(text, choices)
    telegram = ChannelPreview(
        [Markup(piece.text) for piece in pieces],  # to_html escaped the text; only <b> and <pre> are ours
        [button.text for row in pieces[-1].markup.inline_keyboard for button in row]
        if pieces[-1].markup
        else [],
        len(text),
        telegram_render.MAX_TEXT,
    )
    whatsapp = ChannelPreview(
        [_whatsapp_bold(piece) for piece in whatsapp_render.text_pieces(text, choices)],
        [],
        len(text),
        whatsapp_render.BODY_LIMIT,
    )
    variable = " ".join(text.split())  # WhatsApp template parameters take no line breaks
    template = ChannelPreview([_whatsapp_bold(variable)], [], len(variable), rules.MAX_TEXT)
    return Preview(text, telegram, whatsapp, template, problems)
