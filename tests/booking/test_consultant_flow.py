"""The consultant's side as transcripts: linking by code, accept, decline with a reason, agenda, done and no-show,
and recording an owner's loan after a done meeting."""

from __future__ import annotations

from sqlmodel import select

from bot.flows.base import go
from core.booking import CONFIRMED, DECLINED, DONE, NO_SHOW
from storage import loans
from storage.bookings import book_slot
from storage.consultants import set_link_code
from storage.models import Booking, Consultant, Contact, Loan
from tests.booking.conftest import World
from tests.booking.test_owner_flow import MONDAY_9, MONDAY_10, _book_monday_9
from tests.transcript import Chat

CODE = "KKMB-7Q2M9X"


async def _give_code(world: World, consultant_id: int, code: str = CODE) -> None:
    """Stores a link code as `umkm consultant link-code` does."""
    async with world.sessions.begin() as session:
        await set_link_code(session=session, consultant_id=consultant_id, code=code)


async def _consultant(world: World, consultant_id: int) -> Consultant:
    """Reloads a consultant."""
    async with world.sessions() as session:
        consultant = await session.get(Consultant, consultant_id)
        assert consultant is not None
        return consultant


async def _contact(world: World, channel: str, user: str) -> Contact:
    """Reloads a contact."""
    async with world.sessions() as session:
        query = select(Contact).where(Contact.channel == channel, Contact.external_id == user)
        return (await session.exec(query)).one()


async def test_deep_link_as_first_message_links_the_consultant_and_clears_the_code(world: World) -> None:
    await _give_code(world, world.siti)
    siti = world.chat("tg-siti", "telegram")
    text = await siti.say(f"/start {CODE}")
    assert "Selamat datang, Siti Rahmawati!" in text and "BRI Unit Muara Enim" in text
    consultant = await _consultant(world, world.siti)
    contact = await _contact(world, "telegram", "tg-siti")
    assert (
        consultant.contact_id == contact.id and consultant.link_code is None and contact.role == "consultant"
    )
    assert "Agenda Siti Rahmawati: belum ada janji temu" in await siti.say("1")
    menu = await siti.say("menu")
    assert "1. Agenda konsultasi" in menu and "Janji temu konsultan KKMB" not in menu


async def test_code_typed_mid_flow_in_any_form_links(world: World) -> None:
    await _give_code(world, world.andi)
    andi = world.chat("+6281111111111", "whatsapp")
    await andi.walk([("halo", []), ("Simulasi angsuran", [])])
    assert "Selamat datang, Andi Pratama!" in await andi.say("kkmb 7q2m9x")
    assert (await _contact(world, "whatsapp", "+6281111111111")).role == "consultant"


async def test_wrong_and_used_codes_get_a_kind_message(world: World) -> None:
    await _give_code(world, world.siti)
    stranger = world.chat("tg-x", "telegram")
    assert "kode itu tidak berlaku atau sudah dipakai" in await stranger.say("KKMB-AAAAAA")
    siti = world.chat("tg-siti", "telegram")
    await siti.say(CODE)
    assert "kode itu tidak berlaku atau sudah dipakai" in await stranger.say(CODE)
    assert (await _contact(world, "telegram", "tg-x")).role == "owner"
    assert "Chat ini sudah terhubung dengan Siti Rahmawati" in await siti.say(f"KKMB {CODE[-6:]}")


async def test_relinking_on_another_channel_moves_the_link(world: World) -> None:
    await _give_code(world, world.siti)
    await world.chat("tg-siti", "telegram").say(CODE)
    await _give_code(world, world.siti, "KKMB-BBBBBB")
    await world.chat("+6282222222222", "whatsapp").say("KKMB-BBBBBB")
    consultant = await _consultant(world, world.siti)
    assert consultant.contact_id == (await _contact(world, "whatsapp", "+6282222222222")).id
    assert (await _contact(world, "telegram", "tg-siti")).role == "owner"


async def test_accept_by_button_confirms_and_tells_the_owner(world: World) -> None:
    owner = await world.owner("budi", channel="whatsapp")
    siti = await world.link(world.siti, "tg-siti")
    await _book_monday_9(owner)
    [booking] = await world.bookings()
    text = await siti.say(choice=go("consultant", "accept", booking.id))
    assert (
        f"Diterima: Warung budi, {MONDAY_9}" in text and "Kontak pemilik: Siti Aminah, +6281234567890" in text
    )
    assert "Janji temu ini sudah terkonfirmasi" in await siti.say(
        choice=go("consultant", "accept", booking.id)
    )
    [booking] = await world.bookings()
    assert booking.status == CONFIRMED
    [row] = await world.outbox(recipient="budi")
    assert (row.kind, row.channel, row.contact_id is not None) == ("booking_confirmation", "whatsapp", True)
    assert row.send_key == f"booking:{booking.id}:2:confirmed:owner"
    assert row.variables == {"1": "Janji temu dikonfirmasi", "2": MONDAY_9, "3": "Siti Rahmawati"}
    assert "Siti Rahmawati (BRI Unit Muara Enim) akan bertemu Anda pada" in row.body
    assert "Alamat: " in row.body and "Bawa KTP" in row.body
    assert row.options == [{"id": go("booking", "manage", booking.id), "label": "Lihat janji temu saya"}]
    world.clock.advance(hours=36)  # the owner presses the button the next evening, after a day of silence
    assert "Status: terkonfirmasi" in await owner.say(choice=row.options[0]["id"])


async def test_decline_with_a_reason_tells_the_owner_and_offers_other_times(world: World) -> None:
    owner = await world.owner("budi")
    siti = await world.link(world.siti, "tg-siti")
    await _book_monday_9(owner)
    [booking] = await world.bookings()
    await siti.walk(
        [
            ("halo", []),
            (
                "agenda",
                ["Agenda Siti Rahmawati", "Mendatang:", "Warung budi, Pengajuan KUR: menunggu jawaban Anda"],
            ),
        ]
    )
    text = await siti.say(choice=go("consultant", "decline", booking.id))
    assert (
        "Kenapa Anda tidak bisa menerima janji temu Warung budi" in text and "1. Jadwal saya bentrok" in text
    )
    text = await siti.say("ada rapat di bank hari itu")
    assert "Ditolak. Pemilik usaha sudah kami beri tahu" in text and "belum ada janji temu" in text
    [booking] = await world.bookings()
    assert (booking.status, booking.reason) == (DECLINED, "ada rapat di bank hari itu")
    [row] = await world.outbox(kind="booking_confirmation")
    assert row.send_key == f"booking:{booking.id}:2:declined:owner"
    assert "Siti Rahmawati tidak bisa bertemu Anda pada" in row.body
    assert "Alasan: ada rapat di bank hari itu" in row.body
    assert f"• {MONDAY_10}, di Sekretariat Rumah UMKM" in row.body and f"• {MONDAY_9}" not in row.body
    assert [option["id"] for option in row.options] == [go("booking", "rebook", booking.id), go("booking")]
    text = await owner.say(choice=row.options[0]["id"])
    assert "Waktu kosong Siti Rahmawati" in text and f"1. {MONDAY_10}" in text
    await owner.walk(
        [("1", ["Ingin menyampaikan"]), ("Lewati", ["Topik: Pengajuan KUR"]), ("1", ["sudah dikirim"])]
    )
    assert [b.status for b in await world.bookings()] == [DECLINED, "requested"]


async def test_unlinked_consultant_leaves_the_request_waiting_and_tells_the_admins(world: World) -> None:
    owner = await world.owner("budi")
    admin = await world.admin()
    await _book_monday_9(owner)
    [booking] = await world.bookings()
    [row] = await world.outbox()
    assert (row.kind, row.recipient) == ("consultant_notification", "admin")
    assert row.send_key == f"booking:{booking.id}:1:requested:consultant:admin:{row.contact_id}"
    assert "Untuk konsultan Siti Rahmawati, yang belum menghubungkan chat" in row.body
    assert booking.status == "requested"
    assert "Diterima: Warung budi" in await admin.say(choice=row.options[0]["id"])


async def test_agenda_lists_today_and_upcoming_and_records_done_and_no_show(world: World) -> None:
    ani, budi = await world.owner("ani"), await world.owner("budi")
    siti = await world.link(world.siti, "tg-siti")
    await _book_monday_9(budi)
    await ani.walk(
        [
            ("halo", []),
            ("Janji temu konsultan KKMB", []),
            ("1", []),
            ("Siti", [f"1. {MONDAY_10}"]),
            ("1", []),
            ("Lewati", [MONDAY_10]),
            ("1", ["sudah dikirim"]),
        ]
    )
    for booking in await world.bookings():
        await siti.say(choice=go("consultant", "accept", booking.id))
    world.clock.advance(days=4, hours=-1)  # Monday 23 November, 09.00 WIB
    text = await siti.say("/agenda")
    assert "Hari ini:" in text and "• 09.00 Warung budi, Pengajuan KUR: terkonfirmasi" in text
    assert "• 10.00 Warung ani" in text
    budi_booking, ani_booking = await world.bookings()
    await siti.walk(
        [
            ("1", ["Usaha: Warung budi", "Kontak pemilik", "1. Selesai, catat hasil", "2. Tidak hadir"]),
            ("Selesai, catat hasil", ["Bagaimana hasil konsultasi dengan Warung budi", "1. Dirujuk ke bank"]),
            ("Dirujuk ke bank", ["Tercatat: Warung budi, Dirujuk ke bank. Terima kasih!", "Status: selesai"]),
            ("Kembali ke agenda", ["Warung ani"]),
        ]
    )
    text = await siti.say(choice=go("consultant", "no_show", ani_booking.id))
    assert "Hasilnya bisa dicatat setelah pertemuan dimulai" in text
    world.clock.advance(hours=1)
    assert "Tercatat: Warung ani tidak hadir pada" in await siti.say(
        choice=go("consultant", "no_show", ani_booking.id)
    )
    assert "Sudah tercatat" in await siti.say(choice=go("consultant", "no_show", ani_booking.id))
    budi_booking, ani_booking = await world.bookings()
    assert (budi_booking.status, budi_booking.outcome) == (DONE, "dirujuk_bank")
    assert ani_booking.status == NO_SHOW
    assert "belum ada janji temu" in await siti.say("agenda")


async def test_a_consultant_cannot_answer_another_consultants_booking(world: World) -> None:
    owner = await world.owner("budi")
    await world.link(world.siti, "tg-siti")
    andi = await world.link(world.andi, "tg-andi")
    await _book_monday_9(owner)
    [booking] = await world.bookings()
    assert "Janji temu itu tidak ada di agenda Anda" in await andi.say(
        choice=go("consultant", "accept", booking.id)
    )
    async with world.sessions() as session:
        assert (await session.get(Booking, booking.id)).status == "requested"


async def test_menu_hides_booking_for_consultants_and_agenda_for_owners(world: World) -> None:
    owner: Chat = await world.owner("budi")
    assert "Agenda konsultasi" not in await owner.say("halo")
    assert "Silakan balas dengan angka" in await owner.say("agenda")  # for an owner it is just an answer


async def test_agenda_opens_from_any_step_and_shows_the_first_nine(world: World) -> None:
    siti = await world.link(world.siti, "tg-siti")
    slots = await world.slots(world.siti)
    async with world.sessions.begin() as session:
        for n in range(10):
            owner = Contact(channel="console", external_id=f"o{n}", created_at=world.clock.now())
            session.add(owner)
            await session.flush()
            await book_slot(
                session=session,
                owner_contact_id=owner.id,
                business_id=None,
                slot=slots[n],
                topic="kur",
                note=None,
                now=world.clock.now(),
            )
    assert "Berapa" in await siti.say("Simulasi angsuran")  # in the middle of another flow
    text = await siti.say("/agenda")
    assert "Agenda Siti Rahmawati" in text and "Yang tampil 9 janji temu pertama" in text
    assert "9. Rabu, 25 November 2026 11.00 WIB, (data usaha tidak tersedia)" in text


async def _done_meeting(world: World) -> tuple[Chat, Chat, Booking]:
    """Budi (on WhatsApp) met Siti on Monday 09.00 and Siti recorded the meeting as done."""
    owner = await world.owner("budi", channel="whatsapp")
    siti = await world.link(world.siti, "tg-siti")
    await _book_monday_9(owner)
    [booking] = await world.bookings()
    await siti.say(choice=go("consultant", "accept", booking.id))
    world.clock.advance(days=4, hours=-1)  # Monday 23 November, 09.00 WIB
    await siti.say(choice=go("consultant", "done", booking.id))
    assert "1. Catat pinjaman pemilik" in await siti.say("Dirujuk ke bank")
    return owner, siti, booking


async def _loans(world: World) -> list[Loan]:
    """Every loan, in order."""
    async with world.sessions() as session:
        return list((await session.exec(select(Loan).order_by(Loan.id))).all())


async def test_consultant_records_a_loan_that_the_owner_confirms(world: World) -> None:
    owner, siti, booking = await _done_meeting(world)
    await siti.walk(
        [
            ("Catat pinjaman pemilik", ["Mencatat pinjaman Warung budi", "Pinjamannya dari bank apa?"]),
            ("BRI", ["Jenis kreditnya apa?", "KUR Mikro"]),
            ("KUR Mikro", ["Berapa jumlah pinjaman di akad?"]),
            ("banyak", ["jumlahnya belum bisa saya baca", "Berapa jumlah pinjaman di akad?"]),
            ("25 juta", ["Berapa bunganya setahun?"]),
            ("6%", ["Berapa lama jangka waktunya?"]),
            ("12 bulan", ["Tanggal berapa akadnya"]),
            ("hari ini", ["ketik 23"]),
            (
                "23",
                [
                    "Periksa pinjaman pemilik sebelum dikirim:",
                    "• Jumlah: Rp25.000.000 selama 12 bulan",
                    "1. Kirim ke pemilik untuk dikonfirmasi",
                ],
            ),
            (
                "Kirim ke pemilik untuk dikonfirmasi",
                ["Terkirim ke Warung budi: pinjaman BRI sebesar Rp25.000.000", "Agenda Siti Rahmawati"],
            ),
        ]
    )
    [loan] = await _loans(world)
    siti_contact = await _contact(world, "telegram", "tg-siti")
    assert (loan.status, loan.contact_id, loan.proposed_by) == (
        loans.PROPOSED,
        booking.owner_contact_id,
        siti_contact.id,
    )
    [row] = await world.outbox(send_key=f"loan-proposal:{loan.id}")
    assert (row.kind, row.recipient, row.contact_id) == (
        "booking_confirmation",
        "budi",
        booking.owner_contact_id,
    )
    assert row.variables == {"1": "Pinjaman menunggu konfirmasi", "2": MONDAY_9, "3": "Siti Rahmawati"}
    assert (
        "mencatat pinjaman Anda setelah pertemuan pada" in row.body and "Rp25.000.000 selama 12" in row.body
    )
    assert row.options == [
        {"id": go("loans", "confirm_proposed", loan.id), "label": "Periksa dan konfirmasi pinjaman"}
    ]
    world.clock.advance(hours=5)
    assert "Apakah sudah benar?" in await owner.say(choice=row.options[0]["id"])
    assert "Tersimpan. Saya akan mengingatkan Anda" in await owner.say("Ya, sudah benar")
    [loan] = await _loans(world)
    assert loan.status == loans.ACTIVE
    async with world.sessions() as session:
        instalments = await loans.instalments_of(session=session, loan_id=loan.id)
    assert len(instalments) == 12 and all(item.paid_on is None for item in instalments)


async def test_only_a_done_meeting_of_this_consultant_can_get_a_loan(world: World) -> None:
    owner, siti, booking = await _done_meeting(world)
    andi = await world.link(world.andi, "tg-andi")
    text = await andi.say(choice=go("consultant", "detail", booking.id))
    assert "Janji temu itu tidak ada di agenda Anda" in text and "Catat pinjaman" not in text
    text = await siti.say(choice=go("consultant", "detail", booking.id))
    assert "1. Catat pinjaman pemilik" in text
    await siti.walk([("1", ["Pinjamannya dari bank apa?"])])
    async with world.sessions.begin() as session:  # the meeting is reassigned meanwhile
        stored = await session.get(Booking, booking.id)
        stored.consultant_id = world.andi
        session.add(stored)
    for answer in ("BRI", "KUR Mikro", "25 juta", "6%", "12", "hari ini", "1"):
        await siti.say(answer)
    assert "Pinjaman tidak terkirim" in await siti.say("Kirim ke pemilik untuk dikonfirmasi")
    assert await _loans(world) == []
    assert (
        await world.outbox(kind="booking_confirmation", recipient="budi") != []
    )  # only the booking's notices
    assert all(not row.send_key.startswith("loan-proposal") for row in await world.outbox())
