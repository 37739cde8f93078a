"""Random conversations over every flow: every message gets a reply, nothing breaks, the state stays valid."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlmodel import select

from bot.clock import FixedClock
from bot.flows.registry import FLOWS
from storage.db import make_engine, session_maker
from storage.models import Conversation
from tests.transcript import Chat

USERS = ("+6281200000001", "+6281200000002", "tg-3")
ANSWERS = st.one_of(
    st.sampled_from([str(n) for n in range(1, 10)]),
    st.sampled_from(
        [
            "ya",
            "tidak",
            "setuju",
            "5jt",
            "10 juta",
            "500rb",
            "12",
            "24 bulan",
            "1 tahun",
            "25/12/2026",
            "besok",
            "0812-3456-7890",
            "1603015505900001",
            "Warung Bu Sri",
            "3",
            "nib",
            "1234567890123",
            "simpan",
        ]
    ),
    st.sampled_from(["menu", "kembali", "batal", "bantuan", "mulai", "berhenti", "/start", "hapus data"]),
    st.sampled_from(
        ["", " ", "🙏🙏", "x" * 4000, "'; DROP TABLE contact; --", "<script>alert(1)</script>", "-5", "0"]
    ),
    st.text(max_size=40),
)


class Conversations(RuleBasedStateMachine):
    """A few users chatting at random; the invariants are checked after every message."""

    template: Path

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.folder = Path(tempfile.mkdtemp())
        shutil.copy(self.template, self.folder / "fuzz.db")
        self.db = make_engine(f"sqlite+aiosqlite:///{self.folder / 'fuzz.db'}")
        self.clock = FixedClock(datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
        self.chats = {
            user: Chat(
                session_maker(self.db),
                self.clock,
                user=user,
                channel="whatsapp" if user[0] == "+" else "telegram",
            )
            for user in USERS
        }
        self.last_replies: list = []

    @initialize()
    def greet(self) -> None:
        for chat in self.chats.values():
            assert self.loop.run_until_complete(chat.send("halo"))

    @rule(user=st.sampled_from(USERS), text=ANSWERS)
    def send_text(self, user: str, text: str) -> None:
        self.last_replies = self.loop.run_until_complete(self.chats[user].send(text))
        assert self.last_replies, f"no reply to {text[:40]!r}"
        assert all(reply.text.strip() for reply in self.last_replies)

    @rule(user=st.sampled_from(USERS), pick=st.integers(min_value=0, max_value=12))
    def press_offered_button(self, user: str, pick: int) -> None:
        options = [option for reply in self.last_replies for option in reply.options]
        choice = options[pick % len(options)].id if options else "go:menu"
        assert self.loop.run_until_complete(self.chats[user].send("", choice=choice))

    @rule(hours=st.sampled_from([1, 23, 25]))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(hours=hours)

    @invariant()
    def state_is_valid(self) -> None:
        async def rows() -> list[Conversation]:
            async with session_maker(self.db)() as session:
                return list((await session.exec(select(Conversation))).all())

        for row in self.loop.run_until_complete(rows()):
            assert row.flow in FLOWS, row.flow
            assert row.step in FLOWS[row.flow].steps, (row.flow, row.step)
            assert isinstance(row.data, dict) and row.misses >= 0

    def teardown(self) -> None:
        self.loop.run_until_complete(self.db.dispose())
        self.loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def test_random_conversations_never_break(sqlite_template: Path, caplog: pytest.LogCaptureFixture) -> None:
    machine = type("Machine", (Conversations,), {"template": sqlite_template})
    with caplog.at_level(logging.ERROR, logger="bot"):
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=25,
                stateful_step_count=30,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not errors, f"internal errors while fuzzing: {[r.getMessage() for r in errors][:3]}"
