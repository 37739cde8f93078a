"""Pushed messages are conversation turns: a plain-text answer to a reminder or a booking notice lands there, from
any flow and after a day's silence, and the interrupted flow is offered back."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.clock import FixedClock
from bot.reminders import scan
from storage.models import PushedContext
from tests.booking.conftest import make_world
from tests.booking.test_owner_flow import _book_monday_9
from tests.loans.conftest import Owner, instalments, local
from tests.transcript import Chat

WIB = "Asia/Jakarta"
H3 = (2026, 12, 18, 8, 0)  # the first instalment (due 21 December) is reminded three days before


async def _owner_with_loan(sessions, clock: FixedClock, user: str = "siti") -> tuple[Chat, int]:
    """An owner on the console with a loan due on the 21st, and the id of its first instalment."""
    clock.moment = local(WIB, 2026, 11, 21, 10, 0)
    owner = Owner(sessions, clock, user=user, channel="console")
    loan_id = await owner.add_loan()
    return Chat(sessions, clock, user=user, channel="console"), loan_id


async def _reminded(sessions, clock: FixedClock) -> None:
    """The reminder scan runs at the H-3 time and queues the reminder."""
    clock.moment = local(WIB, *H3)
    assert (await scan(sessions, clock.now())).sent == 1


async def _paid_on(sessions, loan_id: int) -> date | None:
    """When the first instalment was recorded as paid."""
    return (await instalments(sessions, loan_id))[0].paid_on


async def test_sudah_bayar_the_morning_after_a_reminder_records_the_payment(
    sessions, clock: FixedClock
) -> None:
    chat, loan_id = await _owner_with_loan(sessions, clock)
    await chat.walk([("halo", ["Menu utama"]), ("Simulasi angsuran", ["Berapa pinjaman"])])
    await _reminded(sessions, clock)
    clock.moment = local(WIB, 2026, 12, 19, 7, 30)  # a month of silence, then the morning after the reminder
    text = await chat.say("sudah bayar")
    assert "Tercatat: angsuran ke-1" in text and "19 Desember 2026" in text
    assert "lebih dari sehari" not in text
    assert await _paid_on(sessions, loan_id) == date(2026, 12, 19)


async def test_a_number_mid_flow_answers_the_reminder_and_the_flow_is_offered_back(
    sessions, clock: FixedClock
) -> None:
    chat, loan_id = await _owner_with_loan(sessions, clock)
    clock.moment = local(WIB, 2026, 12, 18, 7, 50)
    await chat.walk([("halo", ["Menu utama"]), ("Simulasi angsuran", ["Berapa pinjaman"])])
    await _reminded(sessions, clock)
    text = await chat.say("1")  # "1. Sudah bayar" on the reminder, not an amount of Rp1
    assert "Kapan Anda membayar angsuran ke-1" in text and "Kirim *lanjut*" in text
    assert "Simulasi angsuran" in text
    assert "Tercatat: angsuran ke-1" in await chat.say("hari ini")
    assert await _paid_on(sessions, loan_id) == date(2026, 12, 18)
    assert "1. Lanjutkan: Simulasi angsuran" in await chat.say("menu")
    assert "Berapa pinjaman" in await chat.say("lanjut")
    assert "Berapa lama pinjamannya" in await chat.say("20 juta")


async def test_once_the_owner_carried_on_numbers_go_to_the_flow_but_words_still_reach_the_reminder(
    sessions, clock: FixedClock
) -> None:
    chat, loan_id = await _owner_with_loan(sessions, clock)
    await chat.walk([("halo", ["Menu utama"])])
    clock.moment = local(WIB, 2026, 12, 18, 7, 55)
    await chat.walk([("Info program", ["Pilih topik"])])
    await _reminded(sessions, clock)
    clock.advance(minutes=2)
    await chat.walk([("Sekretariat Rumah UMKM", ["Sekretariat Rumah UMKM"])])  # an answer to the info flow
    text = await chat.say("1")  # the info flow's question was the last one: its first topic
    assert "Kapan Anda membayar" not in text and "KUR" in text
    assert await _paid_on(sessions, loan_id) is None
    text = await chat.say("udah bayar")  # a near miss of "Sudah bayar"
    assert "Tercatat: angsuran ke-1" in text
    assert "Mau lihat topik lain" in await chat.say("lanjut")


async def test_the_context_closes_when_answered_and_lapses_after_three_days(
    sessions, clock: FixedClock
) -> None:
    chat, loan_id = await _owner_with_loan(sessions, clock)
    await chat.walk([("halo", ["Menu utama"])])
    await _reminded(sessions, clock)
    assert "Baik, saya ingatkan lagi" in await chat.say("ingatkan besok")
    async with sessions() as session:
        assert (await session.exec(select(PushedContext))).all() == []  # answered: closed
    other, other_loan = await _owner_with_loan(sessions, clock, user="budi")
    await other.walk([("halo", ["Menu utama"])])
    await _reminded(sessions, clock)
    clock.advance(days=3, minutes=1)
    assert "Tercatat" not in await other.say("sudah bayar")
    assert await _paid_on(sessions, other_loan) is None


async def test_a_consultant_typing_2_declines_the_booking_instead_of_opening_a_flow(
    sessions, clock: FixedClock
) -> None:
    world = await make_world(sessions, clock)
    owner = await world.owner("budi")
    siti = await world.link(world.siti, "tg-siti", channel="console")
    await siti.walk([("menu", ["Menu utama"])])
    clock.advance(minutes=5)
    await _book_monday_9(owner)
    text = await siti.say("2")  # "2. Tolak" on the booking request
    assert "Kenapa Anda tidak bisa menerima janji temu Warung budi" in text
    assert "Ditolak" in await siti.say("ada rapat di bank")
    [booking] = await world.bookings()
    assert booking.status == "declined"
