"""Pinjaman saya as transcripts: recording by hand and from a simulation, paying, correcting, pausing, closing,
deleting, reminder buttons, a consultant's proposal, and bad answers on the way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from bot.clock import FixedClock
from bot.flows.base import Answer, Ctx, Flow, go
from bot.flows.common import to_loan_from_simulation as from_simulation
from bot.flows.loans import read_rate
from bot.flows.registry import FLOWS
from bot.messages import Reply
from bot.reminders import scan
from bot.render import numbered
from core.parsing import ParseError
from storage import loans
from storage.contacts import get_or_create_contact
from storage.db import transaction
from storage.models import Contact, Instalment, Loan, Outbox, Reminder
from tests.loans.conftest import Owner, instalments, loan_row, local, outbox_rows, reminder_rows
from tests.profiles import ZONED
from tests.transcript import Chat

WIB = "Asia/Jakarta"
OPEN = [("halo", ["Menu utama"]), ("Pinjaman saya", [])]


@pytest.fixture
def chat(sessions, clock: FixedClock, owner: Owner) -> Chat:
    """The owner's chat (same user and channel as the `owner` fixture)."""
    return Chat(sessions=sessions, clock=clock, user=owner.user, channel=owner.channel)


async def _press(chat: Chat, choice: str) -> str:
    """Presses a button (e.g. on a reminder) and returns the replies as text."""
    return "\n\n".join(numbered(reply) for reply in await chat.send(choice=choice))


async def _pending(sessions) -> list[Reminder]:
    return [row for row in await reminder_rows(sessions) if row.status == "pending"]


async def _only_loan(sessions) -> Loan:
    async with sessions() as session:
        return (await session.exec(select(Loan))).one()


async def test_record_a_loan_by_hand_with_bad_answers_on_the_way(sessions, chat: Chat):
    await chat.walk(
        [
            *OPEN[:1],
            ("Pinjaman saya", ["Anda belum mencatat pinjaman", "1. Catat pinjaman"]),
            ("Catat pinjaman", ["Pinjamannya dari bank apa?", "5. Bank Sumsel Babel"]),
            ("🙏", ["Silakan ketik nama banknya"]),
            ("Bank Nagari", ["Jenis kreditnya apa?", "KUR Mikro", "Kredit lain (bukan KUR)"]),
            ("KUR Mikro", ["Berapa jumlah pinjaman di akad?"]),
            ("banyak", ["jumlahnya belum bisa saya baca"]),
            ("25 juta", ["Berapa bunganya setahun?", "1. 6%"]),
            ("enam", ["Ketik bunganya dalam persen"]),
            ("150%", ["terlalu tinggi"]),
            ("6 %", ["Berapa lama jangka waktunya?"]),
            ("0", ["minimal 1 bulan"]),
            ("2 tahun", ["Tanggal berapa akadnya"]),
            ("kapan-kapan", ["tanggalnya belum bisa saya baca"]),
            ("15/10/2027", ["lebih dari 3 bulan lagi"]),
            ("15/10/2026", ["jatuh tempo tiap tanggal berapa", "ketik 15"]),
            ("40", ["Ketik tanggal 1 sampai 31"]),
            (
                "tgl 31",
                [
                    "Periksa pinjaman Anda:",
                    "• Bank: Bank Nagari",
                    "• Kredit: KUR Mikro",
                    "• Jumlah: Rp25.000.000 selama 24 bulan",
                    "• Bunga: 6% setahun (angsuran tetap tiap bulan)",
                    "• Akad: 15 Oktober 2026; jatuh tempo tiap tanggal 31",
                    "• Angsuran pertama: Rp1.108.015 pada 30 November 2026",
                ],
            ),
            ("simpan dong", ["Balas 1-3"]),
            (
                "Simpan pinjaman",
                [
                    "Tersimpan! Saya akan mengingatkan 3 hari sebelum dan pada setiap hari jatuh tempo, pukul 08.00 WIB.",
                    "*Bank Nagari*, KUR Mikro: Rp25.000.000 selama 24 bulan, bunga 6% setahun.",
                    "Angsuran berikutnya: ke-1, Rp1.108.015, jatuh tempo 30 November 2026.",
                    "Sisa pokok: Rp25.000.000. Sisa 24 dari 24 angsuran.",
                    "Pengingat: aktif",
                ],
            ),
        ]
    )
    loan = await _only_loan(sessions)
    assert (loan.bank, loan.scheme, loan.principal, loan.months, loan.due_day) == (
        "Bank Nagari",
        "kur_mikro",
        25_000_000,
        24,
        31,
    )
    assert (loan.borrower_rate, loan.subsidy_rate, loan.time_zone) == (Decimal("0.06"), Decimal("0.1"), WIB)
    due = [row.due_on for row in await instalments(sessions, loan.id)]
    assert due[:4] == [date(2026, 11, 30), date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 28)]
    [pending] = await _pending(sessions)
    assert (pending.kind, pending.planned_at) == ("before_3", local(WIB, 2026, 11, 27, 8))


async def test_changing_the_akad_date_in_the_summary_asks_the_due_day_again(sessions, chat: Chat):
    await chat.walk(
        [
            *OPEN,
            ("Catat pinjaman", []),
            ("BRI", []),
            ("Kredit lain", ["Berapa jumlah pinjaman di akad?"]),
            ("10 juta", ["Berapa bunganya setahun?"]),
            ("1% per bulan", ["Berapa lama"]),
            ("12", ["Tanggal berapa akadnya"]),
            ("hari ini", ["ketik 21"]),
            ("21", ["• Bunga: 12% setahun", "Angsuran pertama: Rp888.488 pada 21 Desember 2026"]),
            ("Ubah data", ["Apa yang ingin diubah?"]),
            ("Tanggal akad", ["Tanggal berapa akadnya"]),
            ("5 november", ["ketik 5"]),  # no year: the akad that is behind, not next year's
            ("sama", ["• Akad: 5 November 2026; jatuh tempo tiap tanggal 5", "pada 5 Desember 2026"]),
            ("Ubah data", []),
            ("Cara hitung angsuran", ["Bagaimana bank menghitung angsurannya?"]),
            ("bunga flat", ["• Bunga: 12% setahun (bunga flat)"]),
            ("Simpan pinjaman", ["Tersimpan!"]),
        ]
    )
    loan = await _only_loan(sessions)
    assert (loan.scheme, loan.method, loan.borrower_rate, loan.subsidy_rate) == (
        "lainnya",
        "flat",
        Decimal("0.12"),
        Decimal("0"),
    )


def _toy(data_start) -> Flow:
    """A stand-in for the simulation flow: its one answer hands over to the loans flow."""
    toy = Flow("toy_simulation", first="result")

    @toy.ask("result")
    def ask(ctx: Ctx) -> list[Reply]:
        return [Reply("Hasil simulasi.")]

    @toy.answer("result")
    def answer(ctx: Ctx, answer: Answer):
        return data_start()

    return toy


async def test_record_a_loan_from_a_simulation_asks_only_bank_akad_and_due_day(sessions, clock, owner):
    start = _toy(
        lambda: from_simulation(
            amount=20_000_000,
            months=12,
            scheme="kur_mikro",
            borrower_rate=Decimal("0.06"),
            subsidy_rate=Decimal("0.10"),
        )
    )
    chat = Chat(sessions, clock, user=owner.user, channel=owner.channel, flows={**FLOWS, start.id: start})
    await chat.say("halo")
    await chat.send(choice="go:toy_simulation")
    await chat.walk(
        [
            (
                "Simpan sebagai pinjaman saya",
                ["Ayo simpan simulasi ini sebagai pinjaman Anda", "dari bank apa?"],
            ),
            ("BRI", ["Tanggal berapa akadnya"]),
            ("hari ini", ["ketik 21"]),
            (
                "ya",
                [
                    "• Kredit: KUR Mikro",
                    "• Jumlah: Rp20.000.000 selama 12 bulan",
                    "• Angsuran pertama: Rp1.721.329 pada 21 Desember 2026",
                ],
            ),
            ("1", ["Tersimpan!", "Angsuran berikutnya: ke-1, Rp1.721.329, jatuh tempo 21 Desember 2026."]),
        ]
    )
    loan = await _only_loan(sessions)
    assert (loan.principal, loan.subsidy_rate, loan.disbursed_on) == (
        20_000_000,
        Decimal("0.1"),
        date(2026, 11, 21),
    )


async def test_unusable_simulation_data_is_asked_again(sessions, clock, owner):
    from bot.flows.base import Start

    data = {"amount": "20000000", "months": "12", "scheme": "no_such_scheme", "borrower_rate": "enam"}
    start = _toy(lambda: Start("loans", step="from_simulation", data=data))
    chat = Chat(sessions, clock, user=owner.user, channel=owner.channel, flows={**FLOWS, start.id: start})
    await chat.say("halo")
    await chat.send(choice="go:toy_simulation")
    await chat.walk(
        [("ok", ["dari bank apa?"]), ("BRI", ["Jenis kreditnya apa?"]), ("KUR Mikro", ["bunganya"])]
    )


async def test_sudah_bayar_by_words_dates_and_buttons(sessions, chat: Chat, owner: Owner):
    loan_id = await owner.add_loan(disbursed_on=date(2026, 10, 21))  # instalment 1 is due today
    ids = [row.id for row in await instalments(sessions, loan_id)]
    await chat.walk(
        [
            *OPEN[:1],
            ("Pinjaman saya", ["Pinjaman Anda. Pilih yang mana?", "1. Pinjaman BRI Rp20.000.000"]),
            (
                "1",
                ["Angsuran berikutnya: ke-1, Rp1.721.329, jatuh tempo 21 November 2026.", "1. Sudah bayar"],
            ),
            ("sudah bayar besok", ["Tanggal itu belum lewat"]),
            ("sudah bayar 1/1/2020", ["Itu sebelum akad pada 21 Oktober 2026"]),
            ("apa ya", ["Silakan pilih salah satu, atau ketik misalnya *sudah bayar kemarin*."]),
            ("Sudah bayar kemarin.", ["Tercatat: angsuran ke-1 (Rp1.721.329) dibayar 20 November 2026."]),
            ("Sudah bayar", ["Kapan Anda membayar angsuran ke-2 pinjaman BRI (Rp1.721.329)?"]),
            ("minggu lalu", ["tanggalnya belum bisa saya baca"]),
            ("19/11/2026", ["Tercatat: angsuran ke-2 (Rp1.721.329) dibayar 19 November 2026."]),
            ("udah bayar tadi", ["Tercatat: angsuran ke-3", "dibayar 21 November 2026", "ke-4"]),
        ]
    )
    await chat.send(choice=go("loans", "paid", ids[3]))
    await chat.walk([("Kemarin", ["Tercatat: angsuran ke-4", "dibayar 20 November 2026"])])
    assert "Angsuran ke-4 sudah tercatat dibayar pada 20 November 2026." in await _press(
        chat, go("loans", "paid", ids[3])
    )
    paid = [(row.paid_on, row.paid_amount) for row in await instalments(sessions, loan_id)][:5]
    assert paid == [
        (date(2026, 11, 20), 1_721_329),
        (date(2026, 11, 19), 1_721_329),
        (date(2026, 11, 21), 1_721_329),
        (date(2026, 11, 20), 1_721_329),
        (None, None),
    ]
    [pending] = await _pending(sessions)
    assert pending.instalment_id == ids[4] and pending.kind == "before_3"


async def test_paying_the_last_instalment_pays_the_loan_off(sessions, chat: Chat, owner: Owner):
    loan_id = await owner.add_loan(disbursed_on=date(2026, 10, 21), months=1)
    await chat.walk(
        [
            *OPEN[:1],
            ("Pinjaman saya", []),
            ("1", ["ke-1"]),
            ("sudah bayar hari ini", ["pinjaman BRI Anda lunas. Selamat!", "Menu utama"]),
        ]
    )
    loan = await loan_row(sessions, loan_id)
    assert (loan.status, loan.closed_on) == ("paid_off", date(2026, 11, 21))
    assert await _pending(sessions) == []


async def test_correct_the_instalment_amount(sessions, chat: Chat, owner: Owner):
    loan_id = await owner.add_loan()
    await chat.walk(
        [
            *OPEN[:1],
            ("Pinjaman saya", []),
            ("1", []),
            ("Ubah jumlah angsuran", ["Angsuran ke-1 tercatat Rp1.721.329. Ketik jumlah yang ditagih bank"]),
            ("sejuta lebih", ["jumlahnya belum bisa saya baca"]),
            ("1 M", ["lebih dari dua kali jumlah pinjamannya"]),
            ("1.750.000", ["Apakah Rp1.750.000 hanya untuk angsuran ini?"]),
            ("Hanya angsuran ke-1", ["Tersimpan: 1 angsuran sekarang Rp1.750.000.", "ke-1, Rp1.750.000"]),
            ("Ubah jumlah angsuran", []),
            ("1.725.000", []),
            ("2", ["Tersimpan: 12 angsuran sekarang Rp1.725.000."]),
        ]
    )
    amounts = [row.amount for row in await instalments(sessions, loan_id)]
    assert amounts == [1_725_000] * 12


async def test_pause_and_resume_reminders(sessions, chat: Chat, owner: Owner, clock: FixedClock):
    await owner.add_loan()
    await chat.walk([*OPEN[:1], ("Pinjaman saya", []), ("1", [])])
    await chat.walk(
        [("Jeda pengingat", ["Pengingat dijeda.", "Pengingat: dijeda.", "Aktifkan lagi pengingat"])]
    )
    assert await _pending(sessions) == []
    clock.moment = local(WIB, 2026, 12, 21, 8, 0)
    assert (await scan(sessions, clock.now())).sent == 0
    await chat.walk(
        [
            ("menu", []),
            ("Pinjaman saya", []),
            ("1", []),
            ("Aktifkan lagi pengingat", ["Pengingat aktif lagi."]),
        ]
    )
    [pending] = await _pending(sessions)
    assert (pending.kind, pending.planned_at) == ("due", local(WIB, 2026, 12, 21, 8))
    assert (await scan(sessions, clock.now())).sent == 1


async def test_close_a_loan_paid_off_early(sessions, chat: Chat, owner: Owner, clock: FixedClock):
    loan_id = await owner.add_loan()
    await chat.walk(
        [
            *OPEN[:1],
            ("Pinjaman saya", []),
            ("1", []),
            ("Sudah lunas lebih awal", ["Tutup pinjaman ini karena sudah dilunasi lebih awal?"]),
            ("Tidak, jangan ditutup", ["Angsuran berikutnya"]),
            ("Sudah lunas lebih awal", []),
            ("Ya, tutup pinjaman", ["Pinjaman BRI Anda ditutup sebagai lunas.", "Menu utama"]),
            ("Pinjaman saya", ["Anda belum mencatat pinjaman"]),
        ]
    )
    loan = await loan_row(sessions, loan_id)
    assert (loan.status, loan.closed_on) == ("closed", date(2026, 11, 21))
    assert await _pending(sessions) == []
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    assert (await scan(sessions, clock.now())).sent == 0


async def test_delete_a_loan_removes_its_schedule_and_reminders(sessions, chat: Chat, owner: Owner):
    await owner.add_loan()
    await chat.walk(
        [
            *OPEN[:1],
            ("Pinjaman saya", []),
            ("1", []),
            ("Hapus pinjaman ini", ["Hapus pinjaman ini beserta jadwal dan pengingatnya?"]),
            ("Ya, hapus", ["Pinjaman sudah dihapus.", "Menu utama"]),
        ]
    )
    async with sessions() as session:
        for table in (Loan, Instalment, Reminder):
            assert (await session.exec(select(table))).all() == []


async def test_pay_withdraws_a_reminder_still_waiting_in_the_outbox(sessions, chat: Chat, owner, clock):
    loan_id = await owner.add_loan()
    clock.moment = local(WIB, 2026, 12, 21, 8, 0)
    await scan(sessions, clock.now())
    clock.advance(minutes=5)
    first = (await instalments(sessions, loan_id))[0]
    await chat.send(choice=go("loans", "paid", first.id))
    await chat.say("hari ini")
    [row] = await outbox_rows(sessions)
    assert row.status == "cancelled"


@pytest.mark.parametrize("profile", list(ZONED.values()), ids=list(ZONED))
async def test_ingatkan_besok_moves_the_next_reminder_to_tomorrow_morning(sessions, owner, clock, profile):
    """Pressed late at night in the kabupaten's own zone, the reminder comes at 08.00 there the next morning."""
    chat = Chat(sessions=sessions, clock=clock, user=owner.user, channel=owner.channel, profile=profile)
    zone = profile.time_zone
    loan_id = await owner.add_loan(zone=zone)
    first = (await instalments(sessions, loan_id))[0]
    clock.moment = local(zone, 2026, 12, 18, 22, 30)  # pressed late at night
    for _ in range(2):
        reply = await _press(chat, go("loans", "snooze", first.id))
    assert chat.local("Baik, saya ingatkan lagi pada 19 Desember 2026 pukul 08.00 WIB.") in reply
    [pending] = await _pending(sessions)
    assert (pending.kind, pending.due_at) == ("snooze", local(zone, 2026, 12, 19, 8))
    assert (
        len(await reminder_rows(sessions, loan_id)) == 2
    )  # the first pending one, cancelled, and the snooze
    clock.moment = local(zone, 2026, 12, 19, 8, 1)
    assert (await scan(sessions, clock.now())).sent == 1
    [row] = await outbox_rows(sessions)
    assert "2 hari lagi" in row.body


async def test_buttons_about_someone_elses_or_a_deleted_loan_are_refused(sessions, chat: Chat, clock):
    stranger = Owner(sessions, clock, user="someone-else")
    loan_id = await stranger.add_loan()
    theirs = (await instalments(sessions, loan_id))[0]
    await chat.say("halo")
    for choice in (
        go("loans", "paid", theirs.id),
        go("loans", "snooze", theirs.id),
        go("loans", "paid", "abc"),
    ):
        assert "Pinjaman itu sudah tidak tercatat." in await _press(chat, choice)
    assert "Pinjaman itu sudah tidak tercatat." in await _press(
        chat, go("loans", "confirm_proposed", loan_id)
    )
    assert [row.kind for row in await _pending(sessions)] == ["before_3"]


async def _propose(sessions, clock: FixedClock, owner: Owner) -> int:
    """A consultant records a loan for the owner (the consultant-side entry point comes later)."""
    from core.simulator import simulate

    owner_id = await owner.contact_id()
    sim = simulate(15_000_000, 6, borrower_rate=Decimal("0.06"), start=date(2026, 11, 21))
    async with transaction(sessions) as session:
        consultant = await get_or_create_contact(
            session=session, channel="telegram", external_id="kkmb-1", now=clock.now()
        )
        loan = await loans.propose_loan(
            session=session,
            owner_contact_id=owner_id,
            consultant_contact_id=consultant.id,
            bank="BRI",
            scheme="kur_mikro",
            principal=15_000_000,
            borrower_rate=Decimal("0.06"),
            subsidy_rate=Decimal("0.10"),
            months=6,
            method="annuity",
            disbursed_on=date(2026, 11, 21),
            due_day=21,
            time_zone=WIB,
            schedule=sim.schedule,
            now=clock.now(),
        )
        return loan.id


async def test_a_proposed_loan_becomes_active_only_after_the_owner_confirms(
    sessions, chat: Chat, owner, clock
):
    loan_id = await _propose(sessions, clock, owner)
    assert await _pending(sessions) == []
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    assert (await scan(sessions, clock.now())).sent == 0
    clock.moment = local(WIB, 2026, 12, 10, 9, 0)
    await chat.walk(
        [*OPEN[:1], ("Pinjaman saya", ["1. Pinjaman BRI Rp15.000.000 (menunggu konfirmasi Anda)"])]
    )
    await chat.send(choice=go("loans", "confirm_proposed", loan_id))
    await chat.walk(
        [
            (
                "",
                [
                    "Konsultan Anda mencatat pinjaman ini untuk Anda. Apakah sudah benar?",
                    "Rp15.000.000 selama 6",
                ],
            ),
            ("Ya, sudah benar", ["Tersimpan. Saya akan mengingatkan Anda sebelum setiap jatuh tempo."]),
        ]
    )
    assert (await loan_row(sessions, loan_id)).status == "active"
    clock.moment = local(WIB, 2026, 12, 18, 8, 0)
    assert (await scan(sessions, clock.now())).sent == 1


async def test_a_wrong_proposal_is_not_saved(sessions, chat: Chat, owner, clock):
    loan_id = await _propose(sessions, clock, owner)
    await chat.walk(
        [
            *OPEN[:1],
            ("Pinjaman saya", []),
            ("1", ["Apakah sudah benar?"]),
            ("Tidak, ada yang salah", ["pinjaman tidak disimpan", "Menu utama"]),
        ]
    )
    assert await loan_row(sessions, loan_id) is None


async def test_loans_are_offered_to_owners_only(sessions, clock, chat: Chat):
    assert "Pinjaman saya" in await chat.say("halo")
    async with transaction(sessions) as session:
        contact = (await session.exec(select(Contact))).one()
        contact.role = "consultant"
        session.add(contact)
    assert "Pinjaman saya" not in await chat.say("menu")


async def test_a_reminder_button_works_after_days_of_silence(sessions, chat: Chat, owner, clock):
    loan_id = await owner.add_loan()
    await chat.walk([*OPEN[:1], ("Pinjaman saya", []), ("1", ["Angsuran berikutnya"])])
    clock.advance(days=27)
    first = (await instalments(sessions, loan_id))[0]
    assert "Kapan Anda membayar angsuran ke-1" in await _press(chat, go("loans", "paid", first.id))


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("6%", "0.06"),
        ("6", "0.06"),
        ("6,5 %", "0.065"),
        ("6.5 persen", "0.065"),
        ("bunga 3% per tahun", "0.03"),
        ("0,5% per bulan", "0.06"),
        ("2% /bln", "0.24"),
        ("0", "0"),
    ],
)
def test_read_rate(text: str, rate: str) -> None:
    assert read_rate(text) == Decimal(rate)


@pytest.mark.parametrize("text", ["", "enam", "-5", "6% seminggu", "100%", "12% per bulan", "🙏"])
def test_read_rate_refuses(text: str) -> None:
    with pytest.raises(ParseError):
        read_rate(text)


async def test_outbox_is_untouched_by_the_flow_itself(sessions, chat: Chat, owner):
    await owner.add_loan()
    await chat.walk([*OPEN[:1], ("Pinjaman saya", []), ("1", [])])
    async with sessions() as session:
        assert (await session.exec(select(Outbox))).all() == []
