"""The chat channels this deployment runs (Telegram, WhatsApp), each plugged into the app the same way."""

from __future__ import annotations

from typing import Protocol

from fastapi import APIRouter

from bot.delivery import Sender
from bot.handlers import telegram, whatsapp
from bot.services import Services
from bot.settings import Settings


class Channel(Protocol):
    """A channel adapter: its webhook routes, its outbox sender, and what it starts and stops with the app."""

    name: str
    router: APIRouter

    def sender(self) -> Sender:
        """The sender the dispatcher uses for this channel's outbox rows."""
        ...

    async def start(self, services: Services) -> None:
        """Opens clients (inside the running event loop)."""
        ...

    async def stop(self) -> None:
        """Closes clients."""
        ...


def configured_channels(settings: Settings) -> list[Channel]:
    """The channels whose credentials are set."""
    return [*telegram.configured(settings), *whatsapp.configured(settings)]
