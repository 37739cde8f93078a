"""Real Telegram update JSON, shaped as the Bot API sends it: messages, commands, button presses, contacts, media."""

from __future__ import annotations

import itertools
from typing import Any

from tests.fake_telegram import BOT_USER

CHAT = 555000111
FIRST_NAME = "Siti"
DATE = 1795230000
_update_ids = itertools.count(700_000_001)
_message_ids = itertools.count(1)


def user(chat_id: int = CHAT, first_name: str = FIRST_NAME) -> dict[str, Any]:
    """A Telegram user (in a private chat the chat id is the user id)."""
    return {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": "id"}


def private_chat(chat_id: int = CHAT, first_name: str = FIRST_NAME) -> dict[str, Any]:
    """A private chat with a user."""
    return {"id": chat_id, "first_name": first_name, "type": "private"}


def update(update_id: int | None = None, **content: Any) -> dict[str, Any]:
    """An update envelope with a fresh update_id unless given."""
    return {"update_id": next(_update_ids) if update_id is None else update_id, **content}


def message(chat_id: int = CHAT, *, chat: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """A message update from a user in a private chat (or the given chat)."""
    body = {
        "message_id": next(_message_ids),
        "from": user(chat_id),
        "chat": chat or private_chat(chat_id),
        "date": DATE,
        **fields,
    }
    return update(message=body)


def text(value: str, chat_id: int = CHAT, **fields: Any) -> dict[str, Any]:
    """A text message; a leading /command gets its bot_command entity as Telegram adds it."""
    if value.startswith("/"):
        length = len(value.split()[0])
        fields.setdefault("entities", [{"type": "bot_command", "offset": 0, "length": length}])
    return message(chat_id, text=value, **fields)


def command(name: str, payload: str = "", chat_id: int = CHAT) -> dict[str, Any]:
    """A /command, optionally with a deep-link payload (/start kkmb-AB12)."""
    return text(f"/{name} {payload}".strip(), chat_id)


def press(data: str, chat_id: int = CHAT, *, update_id: int | None = None) -> dict[str, Any]:
    """A press on an inline button of an earlier bot message."""
    bot_message = {
        "message_id": next(_message_ids),
        "from": BOT_USER,
        "chat": private_chat(chat_id),
        "date": DATE,
        "text": "Menu utama",
    }
    query = {
        "id": f"cbq-{next(_message_ids)}",
        "from": user(chat_id),
        "message": bot_message,
        "chat_instance": "-42",
        "data": data,
    }
    return update(update_id, callback_query=query)


def contact(phone: str, chat_id: int = CHAT, *, own: bool = True) -> dict[str, Any]:
    """A shared contact: the sender's own (via the share button) or someone else's card."""
    card = {"phone_number": phone, "first_name": FIRST_NAME, "user_id": chat_id if own else chat_id + 1}
    return message(chat_id, contact=card)


def sticker(chat_id: int = CHAT) -> dict[str, Any]:
    """A sticker."""
    body = {
        "file_id": "CAACAgIAAxkBAAE",
        "file_unique_id": "AgADsticker",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
    return message(chat_id, sticker=body)


def photo(chat_id: int = CHAT, caption: str | None = None) -> dict[str, Any]:
    """A photo (sizes as Telegram sends them), optionally with a caption."""
    sizes = [
        {
            "file_id": f"AgACAgUAAxk{n}",
            "file_unique_id": f"AQAD{n}",
            "width": w,
            "height": w,
            "file_size": w * 40,
        }
        for n, w in enumerate((90, 320, 800))
    ]
    return message(chat_id, photo=sizes, **({"caption": caption} if caption else {}))


def voice(chat_id: int = CHAT) -> dict[str, Any]:
    """A voice note."""
    note = {"file_id": "AwACAgUAAxk", "file_unique_id": "AgADvoice", "duration": 3, "mime_type": "audio/ogg"}
    return message(chat_id, voice=note)


def document(chat_id: int = CHAT) -> dict[str, Any]:
    """A PDF document."""
    doc = {
        "file_id": "BQACAgUAAxk",
        "file_unique_id": "AgADdoc",
        "file_name": "ktp.pdf",
        "mime_type": "application/pdf",
    }
    return message(chat_id, document=doc)


def location(chat_id: int = CHAT) -> dict[str, Any]:
    """A shared location."""
    return message(chat_id, location={"latitude": -3.655, "longitude": 103.77})


def group_text(value: str, group_id: int = -100200300, sender: int = CHAT) -> dict[str, Any]:
    """A message in a group chat (a /command gets its entity)."""
    group = {"id": group_id, "title": "UMKM Muara Enim", "type": "supergroup"}
    return text(value, sender, chat=group)
