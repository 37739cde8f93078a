"""The terminal chat: one user message per line in, every reply printed out."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.clock import Clock
from bot.engine import Engine
from bot.messages import Inbound
from bot.render import numbered
from core.i18n import _

CHANNEL = "console"


async def chat(
    *, engine: Engine, clock: Clock, user: str, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> None:
    """Talks with the bot on the terminal; scripted when stdin is not a TTY."""
    interactive = stdin.isatty()
    if interactive:
        print(_("Rumah UMKM chat. Type a message (e.g. menu); Ctrl-D to quit."), file=stdout)
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            break
        inbound = Inbound(channel=CHANNEL, sender_id=user, received_at=clock.now(), text=line.rstrip("\n"))
        for reply in await engine.handle(inbound):
            print(numbered(reply), file=stdout)
            print(file=stdout)
        stdout.flush()
