"""`umkm seed-demo` fills the report with synthetic history, marked as demo, the same every time, once."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, func, select

from bot.admin.report_data import load_report
from bot.demo import seed_demo
from core.kabupaten import load_profile
from core.report_period import Period
from storage.models import Business, Contact, Loan
from tests.report.helpers import row

PROFILE = load_profile("muara_enim")


async def test_demo_history_fills_the_report_once(sessions, clock) -> None:  # noqa: ANN001
    first = await seed_demo(sessions=sessions, clock=clock, profile=PROFILE)
    assert "300 usaha bernama [DEMO]" in first
    assert await seed_demo(sessions=sessions, clock=clock, profile=PROFILE) == "Data demo sudah ada."
    async with sessions() as session:
        demo = (await session.exec(select(func.count()).select_from(Business))).one()
        loans = (await session.exec(select(func.count()).select_from(Loan))).one()
        reachable = select(func.count()).select_from(Contact).where(col(Contact.unreachable_reason).is_(None))
        unpaused = select(func.count()).select_from(Loan).where(col(Loan.reminders_paused).is_(False))
        assert (await session.exec(reachable)).one() == 1  # only the console admin of the demo
        assert (await session.exec(unpaused)).one() == 0
    assert demo == 300 and loans == 92  # the seeded random always draws the same history
    report = await load_report(
        sessions=sessions,
        profile=PROFILE,
        period=Period(date(2025, 5, 1), date(2026, 11, 21)),
        kecamatan=None,
        today=date(2026, 11, 21),
    )
    assert report.demo_businesses == 300
    assert row(report.sections, "reach_summary", "Usaha terdaftar pada akhir periode") == (300,)
    impact = row(report.sections, "impact", "Rata-rata perubahan omzet bulanan")
    assert impact[0] != "< 5" and impact[1] >= 5
