"""The shared vocabulary in real flows: informal yes/no words answer option lists and yes/no questions."""

from __future__ import annotations

import pytest

from tests.booking.conftest import make_world
from tests.booking.test_owner_flow import TO_SITI
from tests.flows.test_eligibility_flow import REQUEST, _register
from tests.transcript import Chat


@pytest.mark.parametrize("yes", ["ok", "y", "ya", "iya kirim", "Oke deh"])
@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_ok_ya_and_iya_kirim_send_the_booking_request(sessions, clock, yes: str, channel: str) -> None:
    world = await make_world(sessions, clock)
    owner = await world.owner("budi", channel=channel)
    await owner.walk(
        [
            *TO_SITI,
            ("1", ["Lewati"]),
            ("nanti aja", ["Periksa permintaan janji temu Anda"]),  # "later" skips the note
            (yes, ["Permintaan Anda sudah dikirim ke Siti Rahmawati"]),
        ]
    )


@pytest.mark.parametrize("no", ["ga", "gak", "ngga", "enggak", "bukan", "gak ada", "blm", "belom"])
async def test_informal_no_words_answer_the_eligibility_questions(sessions, clock, no: str) -> None:
    chat = Chat(sessions, clock, channel="whatsapp")
    await chat.say("halo")
    await _register(chat)
    await chat.walk(
        [
            ("Cek kelayakan", ["Berapa pinjaman"]),
            *REQUEST[:2],
            ("Modal kerja", ["mana yang benar untuk Anda"]),
            (no, ["Pilihan terbaik"]),
        ]
    )


@pytest.mark.parametrize(
    ("answer", "expected"), [("gak", "tidak ada data yang disimpan"), ("iya", "nama lengkap")]
)
async def test_informal_words_answer_the_consent_question(
    sessions, clock, answer: str, expected: str
) -> None:
    chat = Chat(sessions, clock, channel="whatsapp")
    await chat.walk(
        [("halo", ["Menu utama"]), ("daftar usaha", ["Apakah Anda setuju?"]), (answer, [expected])]
    )
