"""`umkm reminders preview`: the scan's own decisions for a day, counted per kind with a masked sample, unwritten."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.reminder_preview import preview_day, preview_text
from bot.reminders import scan
from tests.loans.conftest import Owner, local, outbox_rows, reminder_rows
from tests.profiles import ZONED

PHONE = "+6281234567890"


async def _two_loans(sessions, clock: FixedClock, zone: str) -> tuple[Owner, Owner]:
    """Two owners whose first instalments fall due on 21 December 2026 (H-3 on the 18th at 08.00 local)."""
    owners = (Owner(sessions, clock, user=PHONE, channel="whatsapp"), Owner(sessions, clock, user="tg-77123"))
    for owner in owners:
        await owner.add_loan(zone=zone)
    return owners


@pytest.mark.parametrize("zone", [profile.time_zone for profile in ZONED.values()], ids=list(ZONED))
async def test_the_preview_predicts_the_scan_and_writes_nothing(
    sessions, clock: FixedClock, zone: str
) -> None:
    await _two_loans(sessions, clock, zone)
    clock.moment = local(zone, 2026, 12, 18, 6, 0)
    before = [(row.id, row.status, row.due_at) for row in await reminder_rows(sessions)]
    found = await preview_day(sessions, day=date(2026, 12, 18), zone=ZoneInfo(zone), now=clock.now())
    assert {kind: len(messages) for kind, messages in found.by_kind.items()} == {"before_3": 2}
    assert [(row.id, row.status, row.due_at) for row in await reminder_rows(sessions)] == before
    assert await outbox_rows(sessions) == []

    clock.moment = local(zone, 2026, 12, 18, 8, 0)
    assert (await scan(sessions, clock.now())).sent == 2
    sent = {(row.send_key, row.recipient, row.body) for row in await outbox_rows(sessions)}
    assert sent == {(m.send_key, m.recipient, m.body) for m in found.by_kind["before_3"]}


async def test_a_later_day_follows_the_days_before_it(sessions, clock: FixedClock) -> None:
    zone = "Asia/Jakarta"
    await _two_loans(sessions, clock, zone)
    clock.moment = local(zone, 2026, 12, 15, 9, 0)
    on = {}
    for day in (18, 19, 21, 22):
        found = await preview_day(sessions, day=date(2026, 12, day), zone=ZoneInfo(zone), now=clock.now())
        on[day] = {kind: len(messages) for kind, messages in found.by_kind.items()}
    assert on == {18: {"before_3": 2}, 19: {}, 21: {"due": 2}, 22: {"after_1": 2}}
    assert await outbox_rows(sessions) == []


async def test_the_text_counts_per_kind_with_a_masked_sample(sessions, clock: FixedClock) -> None:
    zone = ZoneInfo("Asia/Makassar")
    await _two_loans(sessions, clock, zone.key)
    clock.moment = local(zone.key, 2026, 12, 21, 7, 30)
    text = preview_text(await preview_day(sessions, day=date(2026, 12, 21), zone=zone, now=clock.now()), zone)
    assert text.startswith(
        "Pengingat angsuran yang akan dikirim penjadwal pada Senin, 21 Desember 2026, mulai pukul 07.30 WITA:"
    )
    assert (
        "• pada hari jatuh tempo: 2\n  contoh ke +6281******890 (whatsapp): Hari ini jatuh tempo angsuran ke-1"
        in text
    )
    assert PHONE not in text and text.endswith("Total: 2 pesan.")


def test_the_command_previews_a_day_or_says_why_not(umkm) -> None:
    code, out, _ = umkm("reminders", "preview")
    assert code == 0 and "Pengingat angsuran yang akan dikirim penjadwal pada" in out
    assert out.rstrip().endswith("Tidak ada yang dikirim hari itu.")
    code, _, err = umkm("reminders", "preview", "--date", "2020-01-06")
    assert code == 2 and "--date: Senin, 6 Januari 2020 sudah lewat" in err
    code, _, err = umkm("reminders", "preview", "--date", "2099-01-05")
    assert code == 2 and "terlalu jauh; pilih hari paling lama 7 hari" in err
