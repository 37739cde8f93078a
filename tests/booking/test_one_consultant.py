"""When only one consultant can be chosen, the owner goes straight to their free times (one message less)."""

from __future__ import annotations

import pytest

from tests.booking.conftest import World


@pytest.mark.parametrize("channel", ["console", "whatsapp"])
async def test_the_only_consultant_is_chosen_for_the_owner(world: World, channel: str) -> None:
    owner = await world.owner("budi", channel=channel, kecamatan="Lawang Kidul")  # Andi alone covers it
    await owner.walk(
        [
            ("halo", ["Janji temu konsultan KKMB"]),
            ("Janji temu konsultan KKMB", ["Mau konsultasi tentang apa"]),
            (
                "Pengajuan KUR",
                ["Waktu kosong Andi Pratama (Bank Sumsel Babel)", "1. Senin, 23 November 2026 09.00"],
            ),
            ("1", ["Lewati"]),
        ]
    )
