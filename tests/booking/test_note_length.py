"""A booking note may be up to 1,000 characters (a 330-character note was refused at 300)."""

from __future__ import annotations

from tests.booking.conftest import World
from tests.booking.test_owner_flow import TO_SITI


async def test_a_330_character_note_is_taken_and_a_longer_one_than_1000_is_not(world: World) -> None:
    owner = await world.owner("budi")
    note = ("Saya jualan keripik pisang dan ingin menambah etalase serta mesin pengemas. " * 5)[:330]
    await owner.walk([*TO_SITI, ("1", ["Lewati"]), ("x" * 1001, ["maksimal 1000 huruf"])])
    await owner.walk([(note, ["Periksa permintaan janji temu Anda", note[:40]]), ("ok", ["sudah dikirim"])])
    [booking] = await world.bookings()
    assert booking.note == " ".join(note.split())
