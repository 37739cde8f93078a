"""The desa and kecamatan in one answer ('Pasar II, Muara Enim', either order), on the console and plain WhatsApp;
a kecamatan alone still asks for the desa."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Conversation
from tests.registration_questions import NIK, QUESTION
from tests.transcript import Chat

TO_KECAMATAN = [
    ("halo", []),
    ("Daftar usaha", [QUESTION["consent"]]),
    ("setuju", [QUESTION["owner_name"]]),
    ("Siti Aminah", [QUESTION["phone"]]),
    ("0812-3456-7890", [QUESTION["nik"]]),
    (NIK, [QUESTION["business_name"]]),
    ("Keripik Bu Siti", [QUESTION["sector"]]),
    ("5", [QUESTION["kecamatan"], "Atau desa dan kecamatannya sekaligus"]),
]


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
@pytest.mark.parametrize(
    "answer", ["Pasar II, Muara Enim", "muara enim, Pasar II", "Pasar II, kec. muara enim"]
)
async def test_desa_and_kecamatan_together_skip_the_desa_question(sessions, clock, channel, answer) -> None:
    chat = Chat(sessions, clock, user="siti", channel=channel)
    await chat.walk([*TO_KECAMATAN, (answer, [QUESTION["started_on"]])])
    async with sessions() as session:
        [conversation] = (await session.exec(select(Conversation))).all()
    assert (conversation.data["desa"], conversation.data["kecamatan"]) == ("Pasar II", "Muara Enim")


async def test_a_kecamatan_alone_still_asks_for_the_desa(sessions, clock) -> None:
    chat = Chat(sessions, clock, user="siti", channel="whatsapp")
    await chat.walk(
        [*TO_KECAMATAN, ("Muara Enim", [QUESTION["desa"]]), ("Pasar II", [QUESTION["started_on"]])]
    )


async def test_a_comma_without_a_kecamatan_is_read_as_before(sessions, clock) -> None:
    chat = Chat(sessions, clock, user="siti")
    await chat.walk(TO_KECAMATAN)
    text = await chat.say("Sukamaju, Jakarta")
    assert (
        QUESTION["kecamatan"] in text and QUESTION["desa"] not in text and QUESTION["started_on"] not in text
    )
