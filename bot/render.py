"""Rendering replies as plain text for channels without buttons (terminal, WhatsApp fallback)."""

from __future__ import annotations

from bot.messages import Reply
from core.i18n import _


def numbered(reply: Reply) -> str:
    """The reply's text followed by its options as a numbered list the engine maps back."""
    if not reply.options:
        return reply.text
    lines = [reply.text, ""]
    lines += [f"{number}. {option.label}" for number, option in enumerate(reply.options, start=1)]
    if len(reply.options) > 1:
        lines.append(_("(Reply 1-{last})").format(last=len(reply.options)))
    return "\n".join(lines)


def split_text(text: str, limit: int) -> list[str]:
    """Splits a long text into pieces of at most `limit` characters, on line boundaries where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            head, line = line[:limit], line[limit:]
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces
