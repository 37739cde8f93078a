"""Our own message types: channels translate to and from these; flows see nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Option:
    """A choice offered to the user: a stable id (button data) and a label."""

    id: str
    label: str


@dataclass(frozen=True)
class Reply:
    """One message from the bot, optionally with options to pick from."""

    text: str
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Inbound:
    """One message from a user, whatever the channel."""

    channel: str
    sender_id: str
    received_at: datetime
    text: str = ""
    choice_id: str | None = None
    message_id: str | None = None
    display_name: str | None = None
    phone: str | None = None
    unsupported: str | None = field(default=None)
    photo: str | None = None  # a photo's reference on its channel (Telegram file_id, Twilio media URL)
