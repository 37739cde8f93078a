"""Rough spots, on the console and plain WhatsApp: the ask-back for a bare '5' stands alone, 'nanti aja' at the
consent is understood (nothing stored, can come back), and 'hapus data' as a first message asks to confirm erasure."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Business, Contact
from tests.transcript import Chat


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_the_ask_back_is_not_followed_by_the_amount_question(sessions, clock, channel: str) -> None:
    chat = Chat(sessions, clock, channel=channel)
    await chat.walk([("halo", []), ("Simulasi angsuran", ["Berapa pinjaman"])])
    text = await chat.say("5")
    assert text == "Maksudnya Rp5.000.000? Balas *ya*, atau ketik jumlah lengkapnya, misalnya 5 juta."
    assert "Berapa lama" in await chat.say("ya")


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_later_at_the_consent_stores_nothing_and_the_owner_can_come_back(
    sessions, clock, channel
) -> None:
    chat = Chat(sessions, clock, channel=channel)
    await chat.walk(
        [
            ("halo", []),
            ("Daftar usaha", ["Apakah Anda setuju?"]),
            ("nanti aja", ["Baik, nanti saja. Belum ada data yang disimpan", "Kirim *daftar*", "Menu utama"]),
        ]
    )
    async with sessions() as session:
        [contact] = (await session.exec(select(Contact))).all()
        assert contact.consent_at is None and (await session.exec(select(Business))).all() == []
    await chat.walk([("daftar", ["Apakah Anda setuju?"]), ("setuju", ["nama lengkap"])])


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_hapus_data_as_the_very_first_message_asks_to_confirm_the_erasure(
    sessions, clock, channel
) -> None:
    chat = Chat(sessions, clock, user="baru", channel=channel)
    text = await chat.say("hapus data")
    assert "Selamat datang di Rumah UMKM" in text and "Ya, hapus" in text
    assert "Data Anda di Rumah UMKM" not in text  # not the privacy overview
