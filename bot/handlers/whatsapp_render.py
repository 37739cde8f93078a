"""How a reply looks on WhatsApp: numbered text split at Twilio's limit, or an in-session Content template."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.messages import Option, Reply
from bot.render import numbered, split_text

BODY_LIMIT = 1600  # characters in one Twilio message body
RICH_BODY_LIMIT = 1024  # body of twilio/quick-reply and twilio/list-picker
BUTTON_TITLE_LIMIT = 20
LIST_ITEM_LIMIT = 24
LIST_DESCRIPTION_LIMIT = 72


def text_pieces(text: str, options: Sequence[Option]) -> list[str]:
    """The reply as numbered text, in as many messages as WhatsApp's body limit needs."""
    return split_text(numbered(Reply(text, tuple(options))), BODY_LIMIT)


def _shorten(label: str, limit: int) -> str:
    """Cuts a label to `limit` characters, marking the cut."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def quick_reply_variables(text: str, options: Sequence[Option]) -> dict[str, str]:
    """Variables of a quick-reply template: {{1}} body, then title {{2k}} and id {{2k+1}} of button k."""
    variables = {"1": text}
    for number, option in enumerate(options, start=1):
        variables[str(2 * number)] = option.label
        variables[str(2 * number + 1)] = option.id
    return variables


def list_picker_variables(text: str, options: Sequence[Option]) -> dict[str, str]:
    """Variables of a list-picker template: {{1}} body, then item {{3k-1}}, id {{3k}}, description {{3k+1}}."""
    variables = {"1": text}
    for number, option in enumerate(options, start=1):
        variables[str(3 * number - 1)] = _shorten(option.label, LIST_ITEM_LIMIT)
        variables[str(3 * number)] = option.id
        variables[str(3 * number + 1)] = option.label
    return variables


def session_content(
    text: str,
    options: Sequence[Option],
    *,
    quick_reply: Mapping[int, str],
    list_picker: Mapping[int, str],
) -> tuple[str, dict[str, str]] | None:
    """The Content SID and variables that show these options as buttons or a list, when one is configured."""
    count = len(options)
    if not count or not text or len(text) > RICH_BODY_LIMIT:
        return None
    longest = max(len(option.label) for option in options)
    if count in quick_reply and longest <= BUTTON_TITLE_LIMIT:
        return quick_reply[count], quick_reply_variables(text, options)
    if count in list_picker and longest <= LIST_DESCRIPTION_LIMIT:
        return list_picker[count], list_picker_variables(text, options)
    return None
