"""The engine's promises: global words, misses, back, restart, timeout, duplicates, errors, one at a time."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.flows.base import Answer, Ctx, Finish, Flow, Goto, choices
from bot.flows.registry import FLOWS
from bot.messages import Reply
from core.parsing import parse_rupiah
from storage.models import Contact, Conversation
from tests.transcript import Chat

TOY = Flow("toy", first="amount", menu_label=lambda ctx: "Mainan", menu_order=1)


@TOY.ask("amount")
def ask_amount(ctx: Ctx) -> list[Reply]:
    return [Reply("Berapa jumlahnya?")]


@TOY.answer("amount")
def answer_amount(ctx: Ctx, answer: Answer) -> Goto:
    ctx.data["amount"] = parse_rupiah(answer.text)
    return ctx.then("confirm")


@TOY.ask("confirm", choice_only=True)
def ask_confirm(ctx: Ctx) -> list[Reply]:
    return [Reply(f"Jumlah {ctx.data['amount']}. Benar?", choices(("yes", "Ya"), ("no", "Tidak")))]


@TOY.answer("confirm")
def answer_confirm(ctx: Ctx, answer: Answer) -> Finish | Goto:
    if answer.option == "no":
        return Goto("amount")
    return Finish(say=(Reply(f"Tersimpan {ctx.data['amount']}"),))


@TOY.ask("boom")
def ask_boom(ctx: Ctx) -> list[Reply]:
    return [Reply("Ketik apa saja")]


@TOY.answer("boom")
def answer_boom(ctx: Ctx, answer: Answer) -> Goto:
    raise RuntimeError("bug in a step")


@TOY.ask("count")
def ask_count(ctx: Ctx) -> list[Reply]:
    return [Reply(f"hitungan {ctx.data.get('n', 0)}")]


@TOY.answer("count")
async def answer_count(ctx: Ctx, answer: Answer) -> Goto:
    n = ctx.data.get("n", 0)
    await asyncio.sleep(0)  # yield to the other message mid-step
    ctx.data["n"] = n + 1
    return Goto("count")


@pytest.fixture
def chat(sessions, clock) -> Chat:
    return Chat(sessions=sessions, clock=clock, flows={**FLOWS, TOY.id: TOY})


async def _state(chat: Chat) -> Conversation:
    async with chat.sessions() as session:
        return (await session.exec(select(Conversation))).one()


async def test_first_message_gets_welcome_and_menu(chat: Chat) -> None:
    text = await chat.say("halo")
    assert "Selamat datang di Rumah UMKM" in text
    assert "Menu utama" in text and "1. Mainan" in text


async def test_unknown_text_at_menu_gets_the_menu_again(chat: Chat) -> None:
    await chat.say("halo")
    text = await chat.say("apa kabar?")
    assert "Silakan balas dengan angka 1 sampai" in text and "Menu utama" in text


@pytest.mark.parametrize(
    "pick", ["1", "mainan", "MAINAN!", "main"], ids=["number", "label", "loud", "prefix"]
)
async def test_options_by_number_label_or_word(chat: Chat, pick: str) -> None:
    await chat.say("halo")
    assert "Berapa jumlahnya?" in await chat.say(pick)


async def test_options_by_button_id(chat: Chat) -> None:
    await chat.say("halo")
    assert "Berapa jumlahnya?" in await chat.say(choice="go:toy")


async def test_bad_input_explains_and_asks_again_then_hints_after_three(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", ["Berapa jumlahnya?"])])
    first = await chat.say("banyak sekali")
    assert "misalnya" in first and "Berapa jumlahnya?" in first and "Bingung?" not in first
    await chat.say("???")
    third = await chat.say("x")
    assert "Bingung? Kirim *menu*" in third and "Berapa jumlahnya?" in third
    assert "Jumlah 5000000. Benar?" in await chat.say("5 juta")


async def test_back_returns_to_the_previous_step_keeping_data(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", []), ("5jt", ["Jumlah 5000000. Benar?"])])
    assert "Berapa jumlahnya?" in await chat.say("kembali")
    assert "Jumlah 7000000" in await chat.say("7jt")
    assert "Tersimpan 7000000" in await chat.say("ya")


async def test_cancel_and_menu_leave_the_flow(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", []), ("5jt", [])])
    assert "Dibatalkan" in await chat.say("batal")
    assert (await _state(chat)).flow == "menu"
    await chat.walk([("1", ["Berapa jumlahnya?"]), ("/menu", ["Menu utama"])])


async def test_help_keeps_the_step(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", []), ("5jt", [])])
    text = await chat.say("bantuan")
    assert "TIDAK PERNAH meminta kode OTP" in text and "Jumlah 5000000. Benar?" in text


async def test_restart_resumes_at_the_same_step(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", []), ("5jt", [])])
    # every chat.send builds a new Engine: nothing is kept in memory between messages
    assert "Tersimpan 5000000" in await chat.say("ya")


async def test_duplicate_message_is_handled_once(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", [])])
    assert await chat.send("5jt", message_id="dup-1")
    assert await chat.send("9jt", message_id="dup-1") == []
    assert (await _state(chat)).data["amount"] == 5_000_000


async def test_a_day_of_silence_starts_again_from_the_menu(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", []), ("5jt", [])])
    chat.clock.advance(hours=25)
    text = await chat.say("ya")
    assert "lebih dari sehari" in text and "Menu utama" in text
    assert (await _state(chat)).flow == "menu"


async def test_a_day_of_silence_still_honours_a_menu_choice(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", []), ("5jt", [])])
    chat.clock.advance(days=2)
    text = await chat.say("mainan")
    assert "lebih dari sehari" in text and "Berapa jumlahnya?" in text


async def test_internal_error_apologises_logs_and_shows_menu(chat: Chat, caplog) -> None:
    await chat.say("halo")
    async with chat.sessions.begin() as session:
        state = (await session.exec(select(Conversation))).one()
        state.flow, state.step = "toy", "boom"
        session.add(state)
    with caplog.at_level(logging.ERROR):
        text = await chat.say("apa saja")
    assert "ada gangguan" in text and "Menu utama" in text
    assert any(record.exc_info for record in caplog.records)
    assert chat.user not in caplog.text


async def test_stop_and_start_broadcasts_keep_the_step(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", [])])
    text = await chat.say("berhenti")
    assert "tidak akan menerima pengumuman" in text and "Berapa jumlahnya?" in text
    async with chat.sessions() as session:
        assert (await session.exec(select(Contact))).one().broadcasts_opt_out
    assert "aktif kembali" in await chat.say("mulai")
    async with chat.sessions() as session:
        assert not (await session.exec(select(Contact))).one().broadcasts_opt_out


async def test_unsupported_content_asks_to_type(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", [])])
    text = await chat.say("", unsupported="sticker")
    assert "hanya bisa membaca teks" in text and "Berapa jumlahnya?" in text


async def test_stale_button_is_refused_kindly(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", [])])
    text = await chat.say(choice="yes")
    assert "sudah tidak berlaku" in text and "Berapa jumlahnya?" in text


async def test_two_messages_at_once_run_one_after_the_other(chat: Chat) -> None:
    await chat.say("halo")
    async with chat.sessions.begin() as session:
        state = (await session.exec(select(Conversation))).one()
        state.flow, state.step, state.data = "toy", "count", {}
        session.add(state)
    await asyncio.gather(*(chat.send("tambah") for _ in range(5)))
    assert (await _state(chat)).data["n"] == 5


async def test_a_go_button_opens_a_step_about_a_record_from_anywhere(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", ["Berapa jumlahnya?"])])
    text = await chat.say(choice="go:toy:count:42")
    assert "hitungan 0" in text
    state = await _state(chat)
    assert (state.flow, state.step, state.data["ref"]) == ("toy", "count", "42")


async def test_a_go_button_for_an_unknown_step_is_stale(chat: Chat) -> None:
    await chat.walk([("halo", []), ("1", [])])
    assert "sudah tidak berlaku" in await chat.say(choice="go:toy:nope:1")


async def test_writing_again_makes_an_unreachable_contact_reachable(chat: Chat) -> None:
    await chat.say("halo")
    async with chat.sessions.begin() as session:
        contact = (await session.exec(select(Contact))).one()
        contact.unreachable_reason = "Forbidden: bot was blocked by the user"
        session.add(contact)
    await chat.say("menu")
    async with chat.sessions() as session:
        assert (await session.exec(select(Contact))).one().unreachable_reason is None


async def test_the_last_message_time_moves_on_at_most_once_a_minute(chat: Chat) -> None:
    async def last_seen():  # noqa: ANN202
        async with chat.sessions() as session:
            return (await session.exec(select(Contact))).one().last_inbound_at

    await chat.say("halo")
    first = await last_seen()
    chat.clock.advance(seconds=20)
    await chat.say("menu")
    assert await last_seen() == first  # a conversation's messages cost no extra write
    chat.clock.advance(seconds=50)
    await chat.say("menu")
    assert await last_seen() == first + timedelta(seconds=70)
