"""Sentences reach a menu item: at the first message, at the menu, and words that work from any step."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from bot.cli import main
from storage.models import Conversation, HelpRequest
from tests.transcript import Chat

CHANNELS = pytest.mark.parametrize("channel", ["console", "whatsapp"])


@CHANNELS
async def test_cicilan_10_juta_2_tahun_berapa_answers_with_the_instalment_in_one_reply(
    sessions, clock, channel: str
) -> None:
    chat = Chat(sessions, clock, channel=channel)
    text = await chat.say("cicilan 10 juta 2 tahun berapa")
    assert "Selamat datang di Rumah UMKM" in text
    assert "Angsuran per bulan" in text and "Rp10.000.000" in text and "24 bulan" in text


@CHANNELS
async def test_sentences_at_the_menu_open_their_flow(sessions, clock, channel: str) -> None:
    chat = Chat(sessions, clock, channel=channel)
    await chat.walk(
        [
            ("halo", ["Menu utama"]),
            ("mau daftar usaha", ["Apakah Anda setuju?"]),
            ("menu", ["Menu utama"]),
            ("mau ketemu konsultan", ["daftarkan usaha Anda dulu"]),
            ("menu", ["Menu utama"]),
            ("simulsi angsuran 50jt", ["Berapa lama pinjamannya?"]),
            ("menu", ["Menu utama"]),
            ("info kur dong", ["KUR"]),
        ]
    )


async def test_a_bare_amount_of_a_paragraph_first_message_carries_what_it_knows(sessions, clock) -> None:
    chat = Chat(sessions, clock)
    text = await chat.say(
        "Pak, saya jualan pempek, omzet 9 juta sebulan. Kalau pinjam 50 juta cicilannya berapa?"
    )
    assert "Selamat datang" in text and "Berapa lama pinjamannya?" in text
    async with sessions() as session:
        [conversation] = (await session.exec(select(Conversation))).all()
    assert (conversation.flow, conversation.step, conversation.data["amount"]) == (
        "simulation",
        "months",
        50_000_000,
    )


async def test_simulasi_typed_at_an_option_step_opens_the_simulation(sessions, clock) -> None:
    chat = Chat(sessions, clock)
    await chat.walk([("halo", []), ("Info program", ["Pilih topik"]), ("simulasi", ["Berapa pinjaman"])])


@CHANNELS
async def test_talking_to_a_person_records_a_request_the_secretariat_lists(
    sessions, clock, db_url, monkeypatch, capsys, channel: str
) -> None:
    chat = Chat(sessions, clock, channel=channel, user="+6281234567890")
    await chat.say("halo")
    text = await chat.say("saya mau ngomong sama orang")
    assert "sudah kami teruskan ke petugas" in text and "Buka Senin–Jumat, pukul 08.00–15.00 WIB" in text
    assert "Menu" in text
    async with sessions() as session:
        [request] = (await session.exec(select(HelpRequest))).all()
    assert (request.text, request.channel) == ("saya mau ngomong sama orang", channel)
    assert "Menu utama" in await chat.say("menu")
    assert "Apa yang ingin Anda tanyakan" in await chat.say("petugas")
    assert "sudah kami teruskan" in await chat.say("kapan dana subsidi cair?")
    monkeypatch.setenv("DATABASE_URL", db_url)
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["requests"]) == 0  # the CLI runs its own event loop
    listed = capsys.readouterr().out
    assert "saya mau ngomong sama orang" in listed and "kapan dana subsidi cair?" in listed
    assert "81234567890" not in listed  # the number is masked
