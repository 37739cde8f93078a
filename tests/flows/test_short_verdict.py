"""An eligibility verdict fits in two messages: best scheme with rate and instalment, reasons once, and a warning
when the instalment is too heavy for the turnover (the repayment-capacity rule in core/rules)."""

from __future__ import annotations

import pytest

from bot.render import numbered
from core.affordability import capacity, rule
from tests.flows.test_eligibility_flow import ASKS, _register
from tests.transcript import Chat


async def _verdict(chat: Chat, amount: str, months: str, *, true: str = "tidak ada") -> list[str]:
    """Walks a registered owner's check (the statements answered with `true`) and returns the verdict's messages."""
    await chat.walk([("Cek kelayakan", []), (amount, []), (months, []), ("Modal kerja", [ASKS])])
    return [numbered(reply) for reply in await chat.send(true)]


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_a_heavy_loan_is_warned_with_what_fits(sessions, clock, channel: str) -> None:
    chat = Chat(sessions, clock, channel=channel)
    await chat.say("halo")
    await _register(chat, monthly_turnover=9_000_000)
    messages = await _verdict(chat, "100 juta", "12")
    assert len(messages) <= 2 and sum(len(m) for m in messages) <= 1000
    text = "\n".join(messages)
    assert "Pilihan terbaik: *KUR Mikro (6%)*, angsuran sekitar Rp8.606.643 per bulan" in text
    assert "Hati-hati" in text and "Pinjaman sekitar Rp" in text and "lebih pas" in text


async def test_a_yes_for_5_juta_lists_no_closed_scheme(sessions, clock) -> None:
    chat = Chat(sessions, clock)
    await chat.say("halo")
    await _register(chat)
    messages = await _verdict(chat, "5 juta", "12")
    text = "\n".join(messages)
    assert len(messages) <= 2 and len(text) <= 1000
    assert "Pilihan terbaik" in text and "Belum memenuhi syarat" not in text and "Hati-hati" not in text


async def test_not_eligible_says_the_common_reasons_once_in_two_messages(sessions, clock) -> None:
    chat = Chat(sessions, clock)
    await chat.say("halo")
    await _register(chat)
    messages = await _verdict(chat, "60 juta", "24", true="1")
    text = "\n".join(messages)
    assert len(messages) <= 2 and len(text) <= 1000
    assert text.count("ASN, TNI, dan Polri yang masih aktif") == 1
    papers = await chat.say("Dokumen yang disiapkan")
    assert "Apa langkah berikutnya?" in papers


def test_the_rule_and_its_source_are_data() -> None:
    assert rule().share_of_income > 0 and "RPC" in rule().source
    assert capacity(9_000_000, "perdagangan") < capacity(9_000_000, "jasa")
