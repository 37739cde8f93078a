"""Asking back instead of guessing: a bare small number at an amount, year-less dates, the day of the month."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Conversation
from tests.transcript import Chat


async def _data(sessions) -> dict:
    """The one conversation's collected data."""
    async with sessions() as session:
        [conversation] = (await session.exec(select(Conversation))).all()
        return conversation.data


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_a_bare_5_at_the_amount_is_asked_back_and_a_yes_takes_5_juta(sessions, clock, channel) -> None:
    chat = Chat(sessions, clock, channel=channel)
    await chat.walk(
        [
            ("halo", []),
            ("Simulasi angsuran", ["Berapa pinjaman"]),
            ("5", ["Maksudnya Rp5.000.000? Balas *ya*"]),
            ("iya", ["Berapa lama pinjamannya?"]),
        ]
    )
    assert (await _data(sessions))["amount"] == 5_000_000


async def test_asked_back_the_owner_may_type_the_amount_instead(sessions, clock) -> None:
    chat = Chat(sessions, clock)
    await chat.walk(
        [
            ("halo", []),
            ("Simulasi angsuran", []),
            ("20", ["Maksudnya Rp20.000.000?"]),
            ("15 juta", ["Berapa lama"]),
        ]
    )
    assert (await _data(sessions))["amount"] == 15_000_000


async def test_akad_without_a_year_is_behind_and_1_at_the_due_day_is_the_first(sessions, clock) -> None:
    chat = Chat(sessions, clock)  # today is 21 November 2026
    await chat.walk(
        [
            ("halo", []),
            ("Pinjaman saya", []),
            ("Catat pinjaman", []),
            ("BRI", []),
            ("KUR Mikro", []),
            ("25 juta", []),
            ("6%", []),
            ("2 tahun", ["Tanggal berapa akadnya"]),
            ("5 oktober", ["ketik 5"]),
            ("1", ["• Akad: 5 Oktober 2026; jatuh tempo tiap tanggal 1", "1 November 2026"]),
        ]
    )
