"""The report's figures against the hand-computed fixture (tests/report/fixture.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.admin.report_data import load_report
from core.kabupaten import load_profile
from core.report_period import Period, period_of
from storage import aid
from storage.db import transaction
from tests.report import fixture
from tests.report.helpers import row, table

PROFILE = load_profile("muara_enim")
OKU_TIMUR = load_profile("oku_timur")
YEAR = period_of("year", date(2026, 11, 21))


async def _report(sessions, period: Period = YEAR, kecamatan: str | None = None):  # noqa: ANN001, ANN202
    return await load_report(
        sessions=sessions, profile=PROFILE, period=period, kecamatan=kecamatan, today=date(2026, 11, 21)
    )


async def test_reach(sessions) -> None:  # noqa: ANN001
    await fixture.load(sessions)
    s = (await _report(sessions)).sections
    assert row(s, "reach_summary", "Usaha baru dalam periode") == (7,)
    assert row(s, "reach_summary", "Usaha terdaftar pada akhir periode") == (8,)
    assert row(s, "reach_summary", "Pengguna aktif dalam periode") == (6,)
    assert row(s, "reach_kecamatan", "Muara Enim") == (5, 6)
    assert row(s, "reach_kecamatan", "Lawang Kidul") == ("< 5", "< 5")
    assert row(s, "reach_channel", "Telegram") == (5, 5)
    assert row(s, "reach_channel", "WhatsApp") == ("< 5", "< 5")
    months = dict(table(s, "reach_months").rows)
    assert len(months) == 12 and months["Maret 2026"] == "< 5" and months["Mei 2026"] == 0


async def test_finance(sessions) -> None:  # noqa: ANN001
    await fixture.load(sessions)
    s = (await _report(sessions)).sections
    assert row(s, "checks", "KUR Mikro") == (6, 5, 0, "< 5")
    assert row(s, "reasons", "Usaha belum cukup lama") == ("< 5",)
    assert row(s, "bookings", "Diminta") == (5,)
    assert row(s, "bookings", "Dikonfirmasi konsultan") == (5,)
    assert row(s, "bookings", "Selesai") == ("< 5",)
    assert row(s, "booking_answer", "Median") == (Decimal("6.0"), 5)
    assert row(s, "loans", "Gerbang Serasan") == ("BRI", 5, 50_000_000)
    assert row(s, "loans", "KUR Mikro") == ("BRI", "< 5", "< 5")


async def test_money_to_the_rupiah(sessions) -> None:  # noqa: ANN001
    await fixture.load(sessions)
    s = (await _report(sessions)).sections
    regional = row(s, "subsidy", "Gerbang Serasan (dibayar Pemkab)")
    assert regional == (5, 2_285_305, 2_285_305, 207_740, 750_000, 750_000)
    assert row(s, "subsidy", "KUR (dibayar pemerintah pusat)")[0] == "< 5"


async def test_money_of_a_later_period(sessions) -> None:  # noqa: ANN001
    await fixture.load(sessions)
    january_2027 = period_of("month", date(2027, 1, 1))
    s = (await _report(sessions, january_2027)).sections
    # The 12th instalment (Rp41.548 each) falls in January 2027; no loan is new, so no premium in the period.
    assert row(s, "subsidy", "Gerbang Serasan (dibayar Pemkab)") == (5, 207_740, 2_493_045, 0, 0, 750_000)


async def test_repayment(sessions) -> None:  # noqa: ANN001
    await fixture.load(sessions)
    s = (await _report(sessions)).sections
    assert row(s, "instalments", "Angsuran jatuh tempo") == (52, Decimal(1))
    assert row(s, "instalments", "Dibayar tepat waktu") == (49, Decimal("0.9423"))
    assert row(s, "instalments", "Terlambat 1 hari atau lebih (H+1)") == ("< 5", "< 5")
    assert row(s, "instalments", "Dibayar terlambat setelah pengingat") == ("< 5", "< 5")
    assert row(s, "reminders", "Pada hari jatuh tempo") == (5,)
    assert row(s, "reminders", "Terlambat 1 hari (H+1)") == ("< 5",)


async def test_repayment_counts_before_suppression(sessions) -> None:  # noqa: ANN001
    from storage.report_repay import repayment
    from storage.report_scope import Scope

    await fixture.load(sessions)
    since, until = YEAR.bounds(ZoneInfo("Asia/Jakarta"))
    async with sessions() as session:
        found = await repayment(session, Scope(YEAR.start, YEAR.end, since, until, date(2026, 11, 21)))
    assert (found.due, found.on_time, found.late_1, found.late_3) == (52, 49, 3, 2)
    assert (found.overdue_unpaid, found.paid_late, found.paid_late_after_reminder, found.borrowers) == (
        1,
        2,
        1,
        6,
    )


async def test_impact(sessions) -> None:  # noqa: ANN001
    await fixture.load(sessions)
    s = (await _report(sessions)).sections
    assert row(s, "impact", "Median perubahan omzet bulanan") == (Decimal("0.5000"), 5)
    assert row(s, "impact", "Rata-rata perubahan omzet bulanan") == (Decimal("0.4100"), 5)
    assert row(s, "impact", "Bagian yang membuka usaha baru") == (Decimal("0.6000"), 5)
    assert row(s, "impact", "Perubahan jumlah pekerja") == (Decimal("0.4286"), 5)
    assert row(s, "impact_workers", "Perubahan") == (3, 5)


async def test_kecamatan_filter(sessions) -> None:  # noqa: ANN001
    await fixture.load(sessions)
    s = (await _report(sessions, kecamatan="Lawang Kidul")).sections
    assert row(s, "reach_summary", "Usaha baru dalam periode") == ("< 5",)
    assert table(s, "checks").rows == ()
    assert row(s, "subsidy", "Gerbang Serasan (dibayar Pemkab)") == (0, 0, 0, 0, 0, 0)
    assert row(s, "impact", "Median perubahan omzet bulanan") == (None, 0)


async def test_aid_applications_per_aid(sessions) -> None:  # noqa: ANN001
    ids = await fixture.load(sessions)
    assert "aid" not in [
        section.key for section in (await _report(sessions)).sections
    ]  # Muara Enim lists none
    async with transaction(sessions) as session:
        for n, owner in enumerate(ids.values()):  # 8 owners ask for a sewing machine, 2 for a sealer
            sewing = await aid.add_application(
                session=session,
                contact_id=owner,
                aid_id="sewing_machine",
                period="2026",
                kecamatan="Belitang",
                reason="Mesin jahit lama rusak",
                photo=None,
                now=datetime(2026, 3, 1 + n, tzinfo=UTC),
            )
            decided = datetime(2026, 4, 1, tzinfo=UTC)
            if n < 6:  # six approved, five of them delivered; two declined
                await aid.decide(
                    session=session, application=sewing, status="approved", by="a", now=decided, note=None
                )
                if n < 5:
                    await aid.decide(
                        session=session,
                        application=sewing,
                        status="delivered",
                        by="a",
                        now=decided,
                        note=None,
                    )
            else:
                await aid.decide(
                    session=session, application=sewing, status="declined", by="a", now=decided, note="x"
                )
            if n < 2:
                await aid.add_application(
                    session=session,
                    contact_id=owner,
                    aid_id="sealer",
                    period="2026",
                    kecamatan="Belitang",
                    reason="Untuk kemasan keripik",
                    photo=None,
                    now=datetime(2026, 3, 1, tzinfo=UTC),
                )
    report = await load_report(
        sessions=sessions, profile=OKU_TIMUR, period=YEAR, kecamatan=None, today=date(2026, 11, 21)
    )
    s = report.sections
    assert row(s, "aid", "Mesin jahit") == (8, 6, "< 5", 5)
    assert row(s, "aid", "Mesin sealer kemasan") == ("< 5", 0, 0, 0)
    assert row(s, "aid", "Pelatihan kemasan produk") == (0, 0, 0, 0)
