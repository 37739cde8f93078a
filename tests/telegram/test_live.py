"""Against the real Bot API (marker `live`, never in CI): the token works and the command menu can be set."""

from __future__ import annotations

import os

import pytest

from bot.handlers.telegram import make_bot, open_bot
from bot.handlers.telegram_render import commands
from bot.settings import Settings

pytestmark = pytest.mark.live


async def test_the_real_bot_api_accepts_the_token_and_the_command_menu() -> None:
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        pytest.skip("set TELEGRAM_BOT_TOKEN to talk to Telegram")
    bot = make_bot(Settings(_env_file=None, telegram_bot_token=token))
    await open_bot(bot)
    try:
        assert bot.username
        assert await bot.set_my_commands(commands())
    finally:
        await bot.shutdown()
