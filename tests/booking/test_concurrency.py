"""Fifty owners confirm the same slot at the same moment: the database gives it to exactly one, the rest are told kindly."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.booking.conftest import World
from tests.booking.test_owner_flow import MONDAY_9, TO_SITI

OWNERS = 50


async def test_fifty_owners_one_slot_one_booking(world: World, caplog: pytest.LogCaptureFixture) -> None:
    chats = [await world.owner(f"owner-{n:02}") for n in range(OWNERS)]

    async def to_confirm(chat) -> None:
        """Brings one owner to the summary of Monday 09.00."""
        await chat.walk([*TO_SITI, ("1", []), ("Lewati", [f"Waktu: {MONDAY_9}"])])

    await asyncio.gather(*(to_confirm(chat) for chat in chats))
    with caplog.at_level(logging.ERROR, logger="bot"):
        answers = await asyncio.gather(*(chat.say("Ya, kirim permintaan") for chat in chats))

    booked = [text for text in answers if "Permintaan Anda sudah dikirim ke Siti Rahmawati" in text]
    refused = [text for text in answers if "Maaf, waktu itu sudah tidak tersedia" in text]
    assert (len(booked), len(refused)) == (1, OWNERS - 1)
    assert all("1. Senin, 23 November 2026 10.00 WIB" in text for text in refused)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    bookings = await world.bookings()
    assert len(bookings) == 1 and bookings[0].slot_id == (await world.slots(world.siti))[0].id
