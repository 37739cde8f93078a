"""/admin/reminders: what the scan will send on a chosen day, per kind with a masked sample, for admins and viewers."""

from __future__ import annotations

import httpx

from tests.admin.conftest import add_account, sign_in
from tests.loans.conftest import Owner, local, outbox_rows

PHONE = "+6281234567890"


async def test_the_page_counts_a_days_reminders_and_writes_nothing(
    client: httpx.AsyncClient, sessions, clock
) -> None:
    for owner in (
        Owner(sessions, clock, user=PHONE, channel="whatsapp"),
        Owner(sessions, clock, user="tg-77123"),
    ):
        await owner.add_loan()
    clock.moment = local("Asia/Jakarta", 2026, 12, 15, 9, 0)
    password = await add_account(sessions, clock, "budi@dinas.test", role="viewer")
    await sign_in(client, "budi@dinas.test", password)

    today = (await client.get("/admin/reminders")).text
    assert 'value="2026-12-15"' in today and "Tidak ada yang dikirim hari itu." in today
    page = (await client.get("/admin/reminders", params={"day": "2026-12-18"})).text
    assert "Pengingat angsuran pada Jumat, 18 Desember 2026" in page
    assert "3 hari sebelum jatuh tempo" in page and "<td>2</td>" in page
    assert "contoh ke +6281******890 (whatsapp): Pengingat: angsuran ke-1" in page
    assert PHONE not in page and "tg-77123" not in page
    assert "Total: 2 pesan." in page
    assert await outbox_rows(sessions) == []


async def test_a_past_or_unreadable_day_is_explained(admin_client: httpx.AsyncClient, clock) -> None:
    past = await admin_client.get("/admin/reminders", params={"day": "2026-11-01"})
    assert past.status_code == 400 and "sudah lewat" in past.text
    wrong = await admin_client.get("/admin/reminders", params={"day": "besok"})
    assert wrong.status_code == 400 and "Pilih tanggal lewat kolom tanggal." in wrong.text
