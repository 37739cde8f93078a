"""Remember the aim: a flow that sends the owner elsewhere to complete something comes back afterwards."""

from __future__ import annotations

import pytest

from storage.consultants import set_link_code
from tests.booking.conftest import make_world
from tests.flows.test_registration import answer_from
from tests.transcript import Chat


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_registering_from_the_booking_flow_comes_back_to_booking(sessions, clock, channel: str) -> None:
    await make_world(sessions, clock)
    chat = Chat(sessions, clock, channel=channel)
    await chat.walk(
        [
            ("halo", []),
            ("mau ketemu konsultan", ["daftarkan usaha Anda dulu"]),
            ("Daftar usaha dulu", ["Apakah Anda setuju?"]),
        ]
    )
    await answer_from(chat, "consent", "summary")
    text = await chat.say("simpan")
    assert "Usaha Anda sudah terdaftar" in text and "Mau konsultasi tentang apa" in text


async def test_cancelling_the_registration_gives_up_the_aim(sessions, clock) -> None:
    chat = Chat(sessions, clock)
    await chat.walk([("halo", []), ("Janji temu konsultan KKMB", []), ("Daftar usaha dulu", ["setuju"])])
    text = await chat.say("batal")
    assert "Menu utama" in text and "Mau konsultasi tentang apa" not in text


async def test_a_link_code_inside_a_sentence_links_the_consultant(sessions, clock) -> None:
    world = await make_world(sessions, clock)
    async with sessions.begin() as session:
        await set_link_code(session=session, consultant_id=world.siti, code="KKMB-AEEYR2")
    chat = Chat(sessions, clock, user="tg-siti", channel="telegram")
    assert "Selamat datang, Siti Rahmawati!" in await chat.say("ini kode saya KKMB-AEEYR2")
