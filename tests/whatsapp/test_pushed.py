"""Plain WhatsApp text answers a reminder: the numbered options of a pushed message are its own, not the menu's."""

from __future__ import annotations

from bot.clock import FixedClock
from bot.reminders import scan
from tests.loans.conftest import Owner, instalments, local
from tests.whatsapp.conftest import USER, WhatsApp, dispatch

WIB = "Asia/Jakarta"


async def test_typing_1_on_a_reminder_answers_sudah_bayar_not_the_menu(
    wa: WhatsApp, clock: FixedClock
) -> None:
    clock.moment = local(WIB, 2026, 11, 21, 10, 0)
    loan_id = await Owner(wa.services.sessions, clock, user=USER, channel="whatsapp").add_loan()
    clock.moment = local(WIB, 2026, 12, 17, 19, 0)
    assert "1. Daftar usaha" in await wa.say("halo")  # the menu is on her screen
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    assert (await scan(wa.services.sessions, clock.now())).sent == 1
    assert await dispatch(wa) == 1
    reminder = wa.fake.messages[-1]["Body"]
    assert (
        "Pengingat: angsuran ke-1" in reminder
        and "1. Sudah bayar" in reminder
        and "2. Ingatkan besok" in reminder
    )
    clock.moment = local(WIB, 2026, 12, 18, 8, 30)
    text = await wa.say("1")
    assert "Kapan Anda membayar angsuran ke-1" in text and "Persetujuan" not in text
    assert "Tercatat: angsuran ke-1" in await wa.say("kemarin")
    [first, *_rest] = await instalments(wa.services.sessions, loan_id)
    assert first.paid_on is not None and first.paid_on.isoformat() == "2026-12-17"


async def test_sudah_bayar_typed_a_day_later_records_the_payment_at_once(
    wa: WhatsApp, clock: FixedClock
) -> None:
    clock.moment = local(WIB, 2026, 11, 21, 10, 0)
    loan_id = await Owner(wa.services.sessions, clock, user=USER, channel="whatsapp").add_loan()
    clock.moment = local(WIB, 2026, 12, 17, 19, 0)
    await wa.walk([("halo", ["Menu utama"]), ("Simulasi angsuran", ["Berapa pinjaman"])])
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    await scan(wa.services.sessions, clock.now())
    await dispatch(wa)
    clock.moment = local(WIB, 2026, 12, 19, 9, 0)
    text = await wa.say("sudah bayar")
    assert "Tercatat: angsuran ke-1" in text and "lebih dari sehari" not in text
    [first, *_rest] = await instalments(wa.services.sessions, loan_id)
    assert first.paid_on is not None and first.paid_on.isoformat() == "2026-12-19"
