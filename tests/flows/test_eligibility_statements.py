"""The owner's yes/no facts in one question of numbered statements, and a sentence's amount and term carried into
the check: a registered owner's verdict in four messages, on the console and plain WhatsApp."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import EligibilityCheck
from tests.flows.test_eligibility_flow import ASKS, _register
from tests.transcript import Chat


async def _inputs(chat: Chat) -> dict:
    """The stored inputs of the one check."""
    async with chat.sessions() as session:
        return (await session.exec(select(EligibilityCheck))).one().inputs


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_picked_statements_are_stored_and_a_kur_before_asks_how_often(sessions, clock, channel) -> None:
    chat = Chat(sessions, clock, channel=channel)
    await chat.say("halo")
    await _register(chat)
    await chat.walk(
        [
            ("Cek kelayakan", ["Berapa pinjaman"]),
            ("20 juta", []),
            ("1 tahun", []),
            ("Modal kerja", [ASKS, "2. Saya sedang punya pinjaman usaha di bank", "5. Saya didampingi"]),
            ("mungkin", ["Silakan balas dengan nomor pernyataan yang benar", ASKS]),
            ("2 dan 4", ["Sudah berapa kali Anda mengambil KUR?", "1. 1 kali"]),
            ("2 kali", ["Pilihan terbaik"]),
        ]
    )
    inputs = await _inputs(chat)
    assert (inputs["other_productive_credit"], inputs["previous_kur_count"]) == (True, 2)
    assert (inputs["civil_servant"], inputs["credit_history_ok"], inputs["in_mentoring_programme"]) == (
        False,
        True,
        False,
    )


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_a_sentence_with_amount_and_term_leaves_only_purpose_and_statements(
    sessions, clock, channel
) -> None:
    chat = Chat(sessions, clock, channel=channel)
    await chat.say("halo")
    await _register(chat)
    await chat.walk(
        [
            (
                "mau cek kelayakan pinjaman 20 juta 1 tahun",
                ["Saya pakai data usaha Warung Bu Siti", "Untuk apa"],
            ),
            ("modal kerja", [ASKS]),
            ("gak ada", ["Hasil untuk Rp20.000.000 selama 12 bulan", "Pilihan terbaik"]),
        ]
    )
    inputs = await _inputs(chat)
    assert (inputs["amount"], inputs["months"], inputs["previous_kur_count"]) == (20_000_000, 12, 0)
