"""The shape of the Telegram updates we handle, checked on the raw body before python-telegram-bot reads it.

PTB's types trust the Bot API: a message without `chat` raises deep inside `de_json`, a numeric `text` is kept as
a number and only fails in the engine. Telegram resends any update not answered 2xx, so the webhook answers 200 for
every body from Telegram and uses only the updates that pass this check (the fields the channel reads, with their
JSON types). Extra fields are ignored; pydantic's JSON parser refuses deep nesting and bytes that are not UTF-8.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

HANDLED = ("message", "callback_query")  # also the allowed_updates we register


class _Shape(BaseModel):
    """A part of an update: strict JSON types, unknown fields ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)


class _Chat(_Shape):
    id: StrictInt
    type: StrictStr


class _User(_Shape):
    id: StrictInt
    first_name: StrictStr


class _Entity(_Shape):
    type: StrictStr
    offset: StrictInt
    length: StrictInt


class _Contact(_Shape):
    phone_number: StrictStr
    first_name: StrictStr
    user_id: StrictInt | None = None


class _Message(_Shape):
    message_id: StrictInt
    date: StrictInt
    chat: _Chat
    sender: _User | None = Field(default=None, alias="from")
    text: StrictStr | None = None
    entities: list[_Entity] = []
    contact: _Contact | None = None


class _CallbackQuery(_Shape):
    id: StrictStr
    sender: _User = Field(alias="from")
    data: StrictStr | None = None
    message: _Message | None = None


class _Update(_Shape):
    update_id: StrictInt
    message: _Message | None = None
    callback_query: _CallbackQuery | None = None


def read_update(body: bytes) -> tuple[dict[str, Any] | None, str]:
    """The update as a dict when it is one we handle, else None; and what it is, for one log line (no content)."""
    try:
        update = _Update.model_validate_json(body)
    except ValidationError as error:
        first = error.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        return None, f"unreadable ({where}: {first['msg']})"
    if not any(getattr(update, kind) is not None for kind in HANDLED):
        data = json.loads(body)
        kinds = sorted(key for key in data if key != "update_id" and key.isidentifier() and len(key) <= 32)[
            :5
        ]
        return None, f"update {update.update_id} of a kind we do not handle ({', '.join(kinds) or 'empty'})"
    return _storable(json.loads(body)), f"update {update.update_id}"


def _storable(value: Any) -> Any:
    """The update with NUL characters dropped from every string (PostgreSQL refuses them in text and JSON)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    return value
