"""Synthetic programme history for `umkm seed-demo`, so the report has something to show on a new install.

Every business is named "[DEMO] ..." (the report counts and flags them), every contact is marked unreachable and
opted out, and every loan has its reminders paused, so the bot never writes to these made-up people. The same
random seed always gives the same history (relative to today); a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.classification import SizeClass
from core.eligibility import SECTORS
from core.explain import regional_for
from core.kabupaten import Profile
from core.simulator import simulate
from storage.loans import add_loan
from storage.models import (
    Booking,
    Business,
    Consultant,
    Contact,
    EligibilityCheck,
    FollowUpSurvey,
    Instalment,
    Reminder,
    Slot,
)
from storage.report_reach import DEMO_PREFIX

SEED = 20260101
BUSINESSES = 300
MONTHS = 18
UNREACHABLE = "demo data (umkm seed-demo): not a real person"
FIRST_NAMES = (
    "Siti",
    "Ahmad",
    "Dewi",
    "Budi",
    "Rina",
    "Agus",
    "Yuni",
    "Hendra",
    "Wati",
    "Joko",
    "Sri",
    "Eko",
)
TRADES = ("Warung", "Toko", "Kedai", "Bengkel", "Kios", "Usaha", "Dapur", "Kebun")
HELPED = ("modal_usaha", "alat_usaha", "stok_barang", "tidak_membantu")


async def seed_history(*, session: AsyncSession, now: datetime, profile: Profile) -> int:
    """Adds the demo businesses and their history once; returns how many businesses were added (0 if there)."""
    taken = select(func.count()).select_from(Business).where(col(Business.name).startswith(DEMO_PREFIX))
    if (await session.exec(taken)).one():
        return 0
    rnd = random.Random(SEED)
    today = now.astimezone(ZoneInfo(profile.time_zone)).date()
    start = now - timedelta(days=MONTHS * 30)
    regional = regional_for(profile)
    consultant = (await session.exec(select(Consultant).order_by(Consultant.id))).first()
    for n in range(BUSINESSES):
        registered = start + timedelta(days=MONTHS * 30 * (n + rnd.random()) / BUSINESSES)
        contact, business = await _business(session, rnd, n, registered, now, profile)
        _check(session, rnd, contact, registered)
        if consultant is not None and n % 5 == 0:
            await _booking(session, rnd, contact, consultant, registered + timedelta(days=2))
        if n % 3 == 0 and registered.date() < today - timedelta(days=45):
            scheme = regional.id if regional is not None and n % 2 == 0 else "kur_mikro"
            loan_id = await _loan(session, rnd, contact, scheme, registered + timedelta(days=30), today, now)
            _survey(session, rnd, contact, business, loan_id, registered + timedelta(days=30), today)
    return BUSINESSES


async def _business(
    session: AsyncSession, rnd: random.Random, n: int, registered: datetime, now: datetime, profile: Profile
) -> tuple[Contact, Business]:
    """One demo owner (unreachable, opted out) and their business."""
    owner = f"{DEMO_PREFIX} {rnd.choice(FIRST_NAMES)} {n + 1}"
    contact = Contact(
        channel="whatsapp" if n % 3 else "telegram",
        external_id=f"demo-{n + 1}",
        display_name=owner,
        broadcasts_opt_out=True,
        unreachable_reason=UNREACHABLE,
        consent_at=registered,
        last_inbound_at=min(now, registered + timedelta(days=rnd.randrange(0, 300))),
        created_at=registered,
    )
    session.add(contact)
    await session.flush()
    turnover = rnd.randrange(2, 80) * 500_000
    business = Business(
        contact_id=contact.id,
        owner_name=owner,
        name=f"{DEMO_PREFIX} {rnd.choice(TRADES)} {n + 1}",
        sector=rnd.choice(SECTORS),
        kecamatan=rnd.choice(profile.kecamatan[:8]),
        desa="Desa Contoh",
        started_on=(registered - timedelta(days=rnd.randrange(200, 3000))).date(),
        monthly_turnover=turnover,
        capital=turnover * rnd.randrange(1, 5),
        employees=rnd.randrange(0, 6),
        size_class=SizeClass.KECIL if turnover > 25_000_000 else SizeClass.MIKRO,
        created_at=registered,
        updated_at=registered,
    )
    session.add(business)
    return contact, business


def _check(session: AsyncSession, rnd: random.Random, contact: Contact, at: datetime) -> None:
    """One eligibility check a day after registering."""
    status = rnd.choices(("eligible", "needs_documents", "not_eligible"), (6, 3, 2))[0]
    reasons = {
        "eligible": [],
        "needs_documents": ["LICENCE_REQUIRED"],
        "not_eligible": ["BUSINESS_TOO_YOUNG"],
    }
    result = {s: {"status": status, "reasons": reasons[status]} for s in ("kur_mikro", "gerbang_serasan")}
    session.add(
        EligibilityCheck(
            contact_id=contact.id,
            checked_on=(at + timedelta(days=1)).date(),
            rules_version="kur_2026",
            inputs={"demo": True},
            result=result,
            best_scheme="kur_mikro" if status != "not_eligible" else None,
            created_at=at + timedelta(days=1),
        )
    )


async def _booking(
    session: AsyncSession, rnd: random.Random, contact: Contact, consultant: Consultant, at: datetime
) -> None:
    """A past appointment on its own past slot, answered within two days."""
    slot = Slot(
        consultant_id=consultant.id, starts_at=at + timedelta(days=3), ends_at=at + timedelta(days=3, hours=1)
    )
    session.add(slot)
    await session.flush()
    answered = at + timedelta(hours=rnd.randrange(1, 48))
    status = rnd.choices(("done", "no_show", "declined", "expired"), (6, 1, 1, 1))[0]
    history = [{"at": at.isoformat(), "event": "requested", "by": "owner"}]
    if status != "expired":
        first = "declined" if status == "declined" else "confirmed"
        history.append({"at": answered.isoformat(), "event": first, "by": "consultant"})
    session.add(
        Booking(
            slot_id=slot.id,
            consultant_id=consultant.id,
            owner_contact_id=contact.id,
            topic="kur",
            status=status,
            history=history,
            created_at=at,
            updated_at=answered,
        )
    )


async def _loan(
    session: AsyncSession,
    rnd: random.Random,
    contact: Contact,
    scheme: str,
    disbursed: datetime,
    today: date,
    now: datetime,
) -> int:
    """A loan with its schedule: paid on time mostly, some late (with a reminder), a few still unpaid."""
    regional = scheme != "kur_mikro"
    principal = rnd.randrange(2, 50) * 1_000_000 if regional else rnd.randrange(11, 80) * 1_000_000
    rate, subsidy = (Decimal("0.03"), Decimal("0.09")) if regional else (Decimal("0.06"), Decimal("0.10"))
    months = rnd.choice((12, 24, 36))
    day = disbursed.date()
    schedule = simulate(
        principal, months, borrower_rate=rate, subsidy_rate=subsidy, start=day, due_day=day.day
    ).schedule
    loan = await add_loan(
        session=session,
        contact_id=contact.id,
        bank=rnd.choice(("BRI", "Bank Sumsel Babel")),
        scheme=scheme,
        principal=principal,
        borrower_rate=rate,
        subsidy_rate=subsidy,
        months=months,
        method="annuity",
        disbursed_on=day,
        due_day=day.day,
        time_zone="Asia/Jakarta",
        schedule=schedule,
        now=now,
    )
    loan.reminders_paused = True
    for instalment in await _instalments(session, loan.id):
        if instalment.due_on > today:
            break
        fate = rnd.random()
        if fate < 0.03 and instalment.due_on > today - timedelta(days=40):
            continue  # still unpaid
        late = rnd.randint(1, 6) if fate < 0.15 else 0
        instalment.paid_on = min(today, instalment.due_on + timedelta(days=late))
        instalment.paid_amount = instalment.amount
        sent = datetime.combine(instalment.due_on, datetime.min.time(), tzinfo=now.tzinfo) + timedelta(
            hours=1
        )
        kinds = ["due", "after_1"] if late and rnd.random() < 0.7 else ["due"]
        for shift, kind in enumerate(kinds):
            at = sent + timedelta(days=shift)
            session.add(
                Reminder(
                    loan_id=loan.id,
                    instalment_id=instalment.id,
                    kind=kind,
                    planned_at=at,
                    due_at=at,
                    status="sent",
                    done_at=at,
                    created_at=at,
                )
            )
    return loan.id


async def _instalments(session: AsyncSession, loan_id: int) -> list[Instalment]:
    """A loan's instalments in order."""
    query = select(Instalment).where(Instalment.loan_id == loan_id).order_by(Instalment.number)
    return list((await session.exec(query)).all())


def _survey(
    session: AsyncSession,
    rnd: random.Random,
    contact: Contact,
    business: Business,
    loan_id: int,
    disbursed: datetime,
    today: date,
) -> None:
    """The six-monthly follow-up survey, answered (sometimes partly) when six months have passed."""
    due = (disbursed + timedelta(days=183)).date()
    if due > today:
        return
    asked = datetime.combine(due, datetime.min.time(), tzinfo=disbursed.tzinfo) + timedelta(hours=2)
    growth = Decimal(str(round(rnd.gauss(0.45, 0.4), 2)))
    session.add(
        FollowUpSurvey(
            contact_id=contact.id,
            loan_id=loan_id,
            due_on=due,
            kecamatan=business.kecamatan,
            sector=business.sector,
            baseline_turnover=business.monthly_turnover,
            baseline_employees=business.employees,
            status="answered",
            asked_at=asked,
            answer_by=asked + timedelta(days=14),
            turnover=int(business.monthly_turnover * max(Decimal("0.3"), 1 + growth)) // 1000 * 1000,
            employees=business.employees + rnd.choice((0, 0, 1, 1, 2)) if rnd.random() > 0.1 else None,
            new_line=rnd.random() < 0.33,
            helped=rnd.choice(HELPED),
            answered_at=asked + timedelta(days=rnd.randrange(0, 10)),
        )
    )
