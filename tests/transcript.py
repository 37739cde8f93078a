"""A chat harness for transcript tests: send messages as one user, read the replies as text."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import FixedClock
from bot.engine import Engine
from bot.flows.base import Flow
from bot.flows.registry import FLOWS
from bot.messages import Inbound, Reply
from bot.render import numbered
from core.formatting import zone_abbreviation
from core.kabupaten import Profile, load_profile

_ids = count(1)


def in_zone(text: str, profile: Profile) -> str:
    """Expected text written in WIB, read in a profile's zone: the same script runs in WITA and WIT."""
    return text.replace(" WIB", f" {zone_abbreviation(profile.time_zone)}")


@dataclass
class Chat:
    """One user talking to a fresh engine (a new engine per message would work the same: state is in the DB)."""

    sessions: async_sessionmaker[AsyncSession]
    clock: FixedClock
    user: str = "user-1"
    channel: str = "console"
    flows: dict[str, Flow] = field(default_factory=lambda: FLOWS)
    profile: Profile = field(default_factory=load_profile)

    def engine(self) -> Engine:
        """A new engine on the same database, as after a process restart."""
        return Engine(sessions=self.sessions, clock=self.clock, profile=self.profile, flows=self.flows)

    def local(self, text: str) -> str:
        """Expected text written in WIB, read in this chat's zone."""
        return in_zone(text, self.profile)

    async def send(self, text: str = "", *, choice: str | None = None, **extra) -> list[Reply]:
        """Sends one message and returns the replies."""
        inbound = Inbound(
            channel=self.channel,
            sender_id=self.user,
            received_at=self.clock.now(),
            text=text,
            choice_id=choice,
            message_id=extra.pop("message_id", f"m{next(_ids)}"),
            **extra,
        )
        return await self.engine().handle(inbound)

    async def say(self, text: str = "", **kw) -> str:
        """Sends one message and returns all replies as one text, options numbered."""
        return "\n\n".join(numbered(reply) for reply in await self.send(text, **kw))

    async def walk(self, script: list[tuple[str, list[str]]]) -> None:
        """Plays (message, expected fragments) rows, asserting each reply contains every fragment."""
        for message, fragments in script:
            text = await self.say(message)
            for fragment in map(self.local, fragments):
                assert fragment.casefold() in text.casefold(), f"{message!r} -> {text!r} lacks {fragment!r}"
