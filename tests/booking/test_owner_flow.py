"""Janji temu konsultan KKMB, owner side, as transcripts: book, slot taken, no slots, outside the area, cancel, move."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.flows.base import go
from core.booking import CANCELLED, REQUESTED
from storage.bookings import book_slot
from storage.contacts import get_contact
from storage.models import Booking, Contact, EligibilityCheck
from tests.booking.conftest import World
from tests.transcript import Chat

MONDAY_9 = "Senin, 23 November 2026 09.00 WIB"
MONDAY_10 = "Senin, 23 November 2026 10.00 WIB"
TUESDAY_9 = "Selasa, 24 November 2026 09.00 WIB"
TO_SITI = [
    ("halo", ["Menu utama", "Janji temu konsultan KKMB"]),
    ("Janji temu konsultan KKMB", ["Mau konsultasi tentang apa", "1. Pengajuan KUR", "5. Lainnya"]),
    ("Pengajuan KUR", ["Pilih konsultan untuk Kecamatan Muara Enim", "Siti Rahmawati (BRI Unit Muara Enim)"]),
    (
        "Siti",
        ["Waktu kosong Siti Rahmawati", f"1. {MONDAY_9}, di Sekretariat Rumah UMKM", "6. Waktu berikutnya"],
    ),
]


async def _book_monday_9(chat: Chat, note: str = "butuh modal etalase") -> None:
    """Walks an owner through booking Siti on Monday 09.00."""
    await chat.walk(
        [
            *TO_SITI,
            ("1", ["Ingin menyampaikan kebutuhan Anda", "Lewati"]),
            (
                note,
                [
                    "Periksa permintaan janji temu Anda",
                    "Konsultan: Siti Rahmawati (BRI Unit Muara Enim)",
                    f"Waktu: {MONDAY_9}, di Sekretariat Rumah UMKM",
                    "Topik: Pengajuan KUR",
                    f"Catatan Anda: {note}",
                ],
            ),
            (
                "Ya, kirim permintaan",
                ["Permintaan Anda sudah dikirim ke Siti Rahmawati", "TIDAK PERNAH", "Menu utama"],
            ),
        ]
    )


async def test_unregistered_owner_is_sent_to_register_first(world: World) -> None:
    chat = world.chat("baru")
    await chat.say("halo")
    text = await chat.say("Janji temu konsultan KKMB")
    assert "daftarkan usaha Anda dulu" in text and "1. Daftar usaha dulu" in text
    assert "UU 27/2022" in await chat.say("1")


async def test_booking_sends_the_consultant_a_summary_with_buttons(world: World) -> None:
    chat = await world.owner("budi", channel="whatsapp")
    siti = await world.link(world.siti, "tg-siti")
    async with world.sessions.begin() as session:
        contact = await get_contact(session=session, channel="whatsapp", external_id="budi")
        check = EligibilityCheck(
            contact_id=contact.id,
            checked_on=date(2026, 11, 20),
            rules_version="kur-2026",
            inputs={},
            result={"kur_mikro": {"rank": 1, "name": "KUR Mikro", "status": "eligible"}},
            best_scheme="kur_mikro",
            created_at=world.clock.now(),
        )
        session.add(check)
    await _book_monday_9(chat)

    [booking] = await world.bookings()
    assert (booking.status, booking.topic, booking.note) == (REQUESTED, "kur", "butuh modal etalase")
    assert [event["event"] for event in booking.history] == ["requested"]
    [row] = await world.outbox()
    assert (row.kind, row.channel, row.recipient) == ("consultant_notification", "telegram", "tg-siti")
    assert row.send_key == f"booking:{booking.id}:1:requested:consultant"
    assert row.variables == {"1": "Permintaan janji temu baru", "2": MONDAY_9, "3": "Warung budi"}
    for fragment in (
        "*Permintaan janji temu baru*",
        f"{MONDAY_9}, di Sekretariat Rumah UMKM",
        "Usaha: Warung budi (Usaha Mikro)",
        "Omzet: Rp30.000.000 per bulan",
        "Topik: Pengajuan KUR",
        "Catatan pemilik: butuh modal etalase",
        "Cek kelayakan terakhir: KUR Mikro: Memenuhi syarat (20 November 2026)",
        "NIK: 1603**********01",
    ):
        assert fragment in row.body
    assert "1603011505910001" not in row.body
    assert row.options == [
        {"id": go("consultant", "accept", booking.id), "label": "Terima"},
        {"id": go("consultant", "decline", booking.id), "label": "Tolak"},
    ]
    assert "+6281234567890" not in row.body  # the phone only shows once the consultant accepts
    assert siti.user == "tg-siti"


async def test_slot_taken_meanwhile_is_refused_kindly_with_the_next_free_times(world: World) -> None:
    first, second = await world.owner("ani"), await world.owner("budi")
    await first.walk([*TO_SITI, ("1", []), ("Lewati", ["Periksa permintaan janji temu Anda"])])
    await second.walk([*TO_SITI, ("1", []), ("Lewati", ["Periksa permintaan janji temu Anda"])])
    assert "Permintaan Anda sudah dikirim" in await first.say("1")
    text = await second.say("1")
    assert "Maaf, waktu itu sudah tidak tersedia" in text
    assert f"1. {MONDAY_10}" in text and MONDAY_9 not in text
    await second.walk([("1", ["Ingin menyampaikan"]), ("Lewati", [MONDAY_10]), ("1", ["sudah dikirim"])])
    assert [b.slot_id for b in await world.bookings()] == [
        (await world.slots(world.siti))[0].id,
        (await world.slots(world.siti))[1].id,
    ]


async def test_consultant_without_free_slots_offers_another(world: World) -> None:
    chat = await world.owner("budi")
    await chat.walk(
        [
            ("halo", []),
            ("Janji temu konsultan KKMB", []),
            ("1", ["2. Dewi Lestari"]),
            ("Dewi", ["Dewi Lestari belum punya waktu kosong", "1. Pilih konsultan lain"]),
            ("1", ["Pilih konsultan untuk Kecamatan Muara Enim"]),
        ]
    )


async def test_owner_outside_every_area_sees_the_others_nearby(world: World) -> None:
    chat = await world.owner("budi", kecamatan="Gelumbang")
    await chat.walk(
        [
            ("halo", []),
            ("Janji temu konsultan KKMB", []),
            (
                "Pembukuan usaha",
                [
                    "Belum ada konsultan untuk Kecamatan Gelumbang",
                    "1. Siti Rahmawati",
                    "2. Andi Pratama (Bank Sumsel Babel)",
                    "3. Dewi Lestari",
                ],
            ),
            ("Andi", ["Waktu kosong Andi Pratama"]),
        ]
    )
    outside = await world.owner("luar", kecamatan="lainnya")
    await outside.walk(
        [("halo", []), ("Janji temu konsultan KKMB", []), ("1", ["Usaha Anda di luar Kabupaten Muara Enim"])]
    )


async def test_paging_shows_later_times_and_back_to_the_first(world: World) -> None:
    chat = await world.owner("budi")
    await chat.walk(
        [
            *TO_SITI,
            ("Waktu berikutnya", ["Selasa, 24 November 2026 11.00 WIB", "Kembali ke waktu paling awal"]),
            ("Kembali ke waktu paling awal", [MONDAY_9]),
        ]
    )


async def test_second_booking_with_the_same_consultant_goes_to_my_bookings(world: World) -> None:
    chat = await world.owner("budi")
    await _book_monday_9(chat)
    await chat.walk(
        [
            ("Janji temu konsultan KKMB", ["Anda punya 1 janji temu mendatang", "6. Janji temu saya"]),
            ("1", []),
            ("Siti", ["Anda sudah punya janji temu dengan konsultan ini", f"1. {MONDAY_9}, Siti Rahmawati"]),
        ]
    )


async def test_already_booked_found_at_confirm_by_the_database(world: World) -> None:
    chat = await world.owner("budi")
    await chat.walk([*TO_SITI, ("2", []), ("Lewati", [MONDAY_10])])
    slot = (await world.slots(world.siti))[0]
    async with world.sessions.begin() as session:  # the same owner books Siti in another window meanwhile
        owner = (await session.exec(select(Contact).where(Contact.external_id == "budi"))).one()
        await book_slot(
            session=session,
            owner_contact_id=owner.id,
            business_id=None,
            slot=slot,
            topic="kur",
            note=None,
            now=world.clock.now(),
        )
    assert "Anda sudah punya janji temu dengan konsultan ini" in await chat.say("1")
    assert len(await world.bookings()) == 1


async def test_cancel_frees_the_slot_and_tells_the_consultant(world: World) -> None:
    chat = await world.owner("budi")
    await world.link(world.siti, "tg-siti")
    await _book_monday_9(chat)
    await chat.walk(
        [
            ("Janji temu konsultan KKMB", ["Anda punya 1 janji temu mendatang"]),
            (
                "Janji temu saya",
                ["*Janji temu saya*", f"1. {MONDAY_9}, Siti Rahmawati: menunggu jawaban konsultan"],
            ),
            (
                "1",
                [
                    "Konsultan: Siti Rahmawati",
                    "Status: menunggu jawaban konsultan",
                    "Ganti jadwal",
                    "Batalkan janji temu",
                ],
            ),
            ("Batalkan janji temu", [f"Batalkan janji temu dengan Siti Rahmawati pada {MONDAY_9}?"]),
            ("Ya, batalkan", ["sudah dibatalkan dan Siti Rahmawati sudah kami beri tahu", "Menu utama"]),
        ]
    )
    [booking] = await world.bookings()
    assert booking.status == CANCELLED
    rows = await world.outbox(recipient="tg-siti")
    assert [row.send_key for row in rows] == [
        f"booking:{booking.id}:1:requested:consultant",
        f"booking:{booking.id}:2:cancelled:consultant",
    ]
    assert "Warung budi membatalkan janji temu pada" in rows[1].body
    assert rows[1].variables["1"] == "Janji temu dibatalkan"
    other = await world.owner("ani")
    await other.walk([*TO_SITI])  # Monday 09.00 is free again
    assert "Anda belum punya janji temu" in await chat.say(choice=go("booking", "mine"))


async def test_reschedule_keeps_the_booking_frees_the_old_slot_and_tells_the_consultant(world: World) -> None:
    chat = await world.owner("budi")
    await world.link(world.siti, "tg-siti")
    await _book_monday_9(chat)
    [before] = await world.bookings()
    await chat.walk(
        [
            ("halo", []),
            ("Janji temu konsultan KKMB", []),
            ("Janji temu saya", []),
            ("1", []),
            (
                "Ganti jadwal",
                [f"Pilih waktu baru dengan Siti Rahmawati. Janji temu Anda sekarang: {MONDAY_9}", MONDAY_10],
            ),
            ("Waktu berikutnya", ["Rabu, 25 November 2026 09.00 WIB"]),
            ("Kembali ke waktu paling awal", [MONDAY_10]),
            ("1", [f"dari: {MONDAY_9}", f"ke: {MONDAY_10}, di Sekretariat Rumah UMKM"]),
            (
                "Ya, pindahkan",
                [f"dipindah ke {MONDAY_10}", "Kami kabari di sini begitu waktu baru dikonfirmasi"],
            ),
        ]
    )
    [after] = await world.bookings()
    slots = await world.slots(world.siti)
    assert after.id == before.id and after.slot_id == slots[1].id
    assert after.history[-1] | {"at": None} == {
        "at": None,
        "event": "rescheduled",
        "by": "owner",
        "from_slot": slots[0].id,
        "to_slot": slots[1].id,
    }
    moved = (await world.outbox(recipient="tg-siti"))[-1]
    assert moved.send_key == f"booking:{after.id}:2:rescheduled:consultant"
    assert f"dari: {MONDAY_9}" in moved.body and "Apakah Anda menerima janji temu ini?" in moved.body
    assert [option["label"] for option in moved.options] == ["Terima", "Tolak"]
    other = await world.owner("ani")
    await other.walk([*TO_SITI])  # the old slot is free for others


async def test_reschedule_to_a_slot_taken_meanwhile(world: World) -> None:
    chat, other = await world.owner("budi"), await world.owner("ani")
    await _book_monday_9(chat)
    await chat.walk(
        [
            ("Janji temu konsultan KKMB", []),
            ("Janji temu saya", []),
            ("1", []),
            ("Ganti jadwal", []),
            ("1", [MONDAY_10]),
        ]
    )
    await other.walk(
        [
            *TO_SITI[:3],
            ("Siti", [f"1. {MONDAY_10}"]),
            ("1", []),
            ("Lewati", [MONDAY_10]),
            ("1", ["sudah dikirim"]),
        ]
    )
    text = await chat.say("Ya, pindahkan")
    assert "Maaf, waktu itu sudah tidak tersedia" in text and "Senin, 23 November 2026 11.00 WIB" in text
    mine = [
        b for b in await world.bookings() if b.history[0]["slot_id"] == (await world.slots(world.siti))[0].id
    ]
    assert mine[0].slot_id == (await world.slots(world.siti))[0].id


async def test_an_old_manage_button_after_cancelling_says_it_can_no_longer_change(world: World) -> None:
    chat = await world.owner("budi")
    await _book_monday_9(chat)
    [booking] = await world.bookings()
    async with world.sessions.begin() as session:
        row = await session.get(Booking, booking.id)
        row.status = CANCELLED
        session.add(row)
    text = await chat.say(choice=go("booking", "manage", booking.id))
    assert "Janji temu itu sudah tidak bisa diubah" in text and "Kembali ke Janji temu saya" in text


async def test_erasing_data_cancels_upcoming_bookings_and_tells_the_consultant(world: World) -> None:
    chat = await world.owner("erin")
    await world.link(world.siti, "tg-siti")
    await _book_monday_9(chat)
    [booking] = await world.bookings()
    assert booking.status == "requested"
    await chat.walk([("hapus data", ["Ya, hapus"]), ("Ya, hapus", ["sudah dihapus"])])
    [booking] = await world.bookings()
    assert booking.status == "cancelled"
    notices = await world.outbox(recipient="tg-siti")
    assert "Booking cancelled" not in notices[-1].body and "kosong lagi" in notices[-1].body
