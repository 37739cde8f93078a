"""A handful of owners, loans, payments, appointments and survey answers whose report figures are worked out by hand.

Period: the year 2026, today 21 November 2026 (the test clock). Kecamatan: Muara Enim (o1..o6), Lawang Kidul (o7, o8).
- o1..o3 registered March 2026, o4, o5 April 2026 (Muara Enim, trade, micro, Telegram); o6 December 2025 (Muara
  Enim, services, WhatsApp); o7, o8 June 2026 (Lawang Kidul, services, small, WhatsApp). o1..o6 wrote in 2026.
- o1..o5 each took Gerbang Serasan from BRI: Rp10.000.000, 12 months, 3% (bank rate 12%: subsidy 9%), annuity,
  disbursed 15 January 2026, due on the 15th. At 12%: 11 x Rp888.488 then Rp888.485; at 3%: 12 x Rp846.937. So
  each instalment's subsidy is Rp41.551 (the last Rp41.548): 11 due in 2026 = Rp457.061 per loan, Rp2.285.305 for
  five; still committed after 2026: 5 x Rp41.548 = Rp207.740. Premium 1.5% of Rp10.000.000 = Rp150.000 each.
- o7 took KUR Mikro from BRI: Rp20.000.000, 12 months, 6% (+5.5% subsidy), disbursed 10 September 2026.
- Payments: every instalment due up to today was paid on its due date except o1's 3rd (due 15 April, paid 17 April:
  H+1), o2's 5th (due 15 June, paid 20 June after an H+1 reminder: H+1 and H+3) and o3's 10th (due 15 November,
  unpaid: H+1, H+3, overdue). Due in 2026 up to today: 5 x 10 + 2 (o7) = 52.
- Eligibility checks in 2026 by o1..o6: KUR Mikro and Gerbang Serasan eligible for o1..o5, both not eligible for
  o6 (business too young; Gerbang Serasan also outside the regency).
- Appointments by o1..o5 requested 4 May 2026 03.00 UTC, answered (confirmed) after 2, 4, 6, 8 and 10 hours:
  median and mean 6 hours; 3 done, 1 no-show, 1 still confirmed.
- Surveys answered in October 2026: turnover o1 10->15 jt (+50%), o2 4->6 jt (+50%), o3 5->4 jt (-20%), o4 2->4 jt
  (+100%), o5 8->10 jt (+25%), o6 skipped the question: median +50%, mean +41%. New line: yes o1, o4, o6; no o2,
  o3; o5 skipped: 3 of 5 = 60%. Workers (o5 skipped): 7 at registration, 10 now: +3 (+42,86%).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import update
from sqlmodel import select

from core.simulator import simulate
from storage.consultants import add_consultant, add_slots
from storage.db import transaction
from storage.loans import add_loan
from storage.models import (
    Booking,
    Business,
    Contact,
    EligibilityCheck,
    FollowUpSurvey,
    Instalment,
    Reminder,
    Slot,
)

ME, LK = "Muara Enim", "Lawang Kidul"
OWNERS = [
    # (key, channel, kecamatan, sector, size, registered, wrote)
    ("o1", "telegram", ME, "perdagangan", "mikro", datetime(2026, 3, 10, 2, tzinfo=UTC), True),
    ("o2", "telegram", ME, "perdagangan", "mikro", datetime(2026, 3, 11, 2, tzinfo=UTC), True),
    ("o3", "telegram", ME, "perdagangan", "mikro", datetime(2026, 3, 12, 2, tzinfo=UTC), True),
    ("o4", "telegram", ME, "perdagangan", "mikro", datetime(2026, 4, 5, 2, tzinfo=UTC), True),
    ("o5", "telegram", ME, "perdagangan", "mikro", datetime(2026, 4, 6, 2, tzinfo=UTC), True),
    ("o6", "whatsapp", ME, "jasa", "mikro", datetime(2025, 12, 20, 2, tzinfo=UTC), True),
    ("o7", "whatsapp", LK, "jasa", "kecil", datetime(2026, 6, 1, 2, tzinfo=UTC), False),
    ("o8", "whatsapp", LK, "jasa", "kecil", datetime(2026, 6, 2, 2, tzinfo=UTC), False),
]
SURVEYS = {
    # key: (baseline turnover, turnover, baseline workers, workers, new line, helped)
    "o1": (10_000_000, 15_000_000, 2, 3, True, "modal_usaha"),
    "o2": (4_000_000, 6_000_000, 1, 1, False, "modal_usaha"),
    "o3": (5_000_000, 4_000_000, 3, 2, False, "modal_usaha"),
    "o4": (2_000_000, 4_000_000, 0, 2, True, "modal_usaha"),
    "o5": (8_000_000, 10_000_000, 1, None, None, "alat_usaha"),
    "o6": (3_000_000, None, 1, 2, True, None),
}
NOW = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)


async def load(sessions) -> dict[str, int]:  # noqa: ANN001
    """Writes the fixture; returns each owner's contact id."""
    ids: dict[str, int] = {}
    async with transaction(sessions) as session:
        for key, channel, kecamatan, sector, size, registered, wrote in OWNERS:
            contact = Contact(
                channel=channel,
                external_id=key,
                display_name=key,
                created_at=registered,
                last_inbound_at=datetime(2026, 10, 1, tzinfo=UTC) if wrote else None,
            )
            session.add(contact)
            await session.flush()
            ids[key] = contact.id
            session.add(
                Business(
                    contact_id=contact.id,
                    owner_name=f"Pemilik {key}",
                    phone=f"62812000000{key[1]}",
                    name=f"Usaha {key}",
                    sector=sector,
                    kecamatan=kecamatan,
                    desa="Desa",
                    started_on=date(2020, 1, 1),
                    monthly_turnover=5_000_000,
                    capital=10_000_000,
                    size_class=size,
                    created_at=registered,
                    updated_at=registered,
                )
            )
        await _loans(session, ids)
        await _checks(session, ids)
        await _bookings(session, ids)
        await _surveys(session, ids)
    return ids


async def _loans(session, ids: dict[str, int]) -> None:  # noqa: ANN001
    """Five Gerbang Serasan loans and one KUR loan, their payments and reminders."""
    loans = {}
    for key in ("o1", "o2", "o3", "o4", "o5"):
        loans[key] = await _loan(
            session, ids[key], "gerbang_serasan", 10_000_000, "0.03", "0.09", date(2026, 1, 15)
        )
    await _loan(session, ids["o7"], "kur_mikro", 20_000_000, "0.06", "0.055", date(2026, 9, 10))
    today = NOW.date()
    await session.exec(
        update(Instalment)
        .where(Instalment.due_on <= today)
        .values(paid_on=Instalment.due_on, paid_amount=Instalment.amount)
    )
    late = {("o1", 3): date(2026, 4, 17), ("o2", 5): date(2026, 6, 20), ("o3", 10): None}
    for (key, number), paid in late.items():
        await session.exec(
            update(Instalment)
            .where(Instalment.loan_id == loans[key], Instalment.number == number)
            .values(paid_on=paid, paid_amount=None if paid is None else Instalment.amount)
        )
    for key in ("o1", "o2", "o3", "o4", "o5"):
        first = (
            await session.exec(
                select(Instalment).where(Instalment.loan_id == loans[key], Instalment.number == 1)
            )
        ).one()
        _reminder(session, loans[key], first.id, "due", datetime(2026, 2, 15, 1, tzinfo=UTC))
    fifth = (
        await session.exec(
            select(Instalment).where(Instalment.loan_id == loans["o2"], Instalment.number == 5)
        )
    ).one()
    _reminder(session, loans["o2"], fifth.id, "after_1", datetime(2026, 6, 16, 2, tzinfo=UTC))


async def _loan(
    session, contact_id: int, scheme: str, principal: int, rate: str, subsidy: str, on: date
) -> int:  # noqa: ANN001
    """One loan with its schedule."""
    sim = simulate(
        principal, 12, borrower_rate=Decimal(rate), subsidy_rate=Decimal(subsidy), start=on, due_day=on.day
    )
    loan = await add_loan(
        session=session,
        contact_id=contact_id,
        bank="BRI",
        scheme=scheme,
        principal=principal,
        borrower_rate=Decimal(rate),
        subsidy_rate=Decimal(subsidy),
        months=12,
        method="annuity",
        disbursed_on=on,
        due_day=on.day,
        time_zone="Asia/Jakarta",
        schedule=sim.schedule,
        now=datetime.combine(on, datetime.min.time(), tzinfo=UTC),
    )
    return loan.id


def _reminder(session, loan_id: int, instalment_id: int, kind: str, at: datetime) -> None:  # noqa: ANN001
    """A reminder that was sent."""
    session.add(
        Reminder(
            loan_id=loan_id,
            instalment_id=instalment_id,
            kind=kind,
            planned_at=at,
            due_at=at,
            status="sent",
            done_at=at,
            created_at=at,
        )
    )


async def _checks(session, ids: dict[str, int]) -> None:  # noqa: ANN001
    """Six eligibility checks in 2026."""
    for key in ("o1", "o2", "o3", "o4", "o5", "o6"):
        if key == "o6":
            result = {
                "kur_mikro": {"status": "not_eligible", "reasons": ["BUSINESS_TOO_YOUNG"]},
                "gerbang_serasan": {
                    "status": "not_eligible",
                    "reasons": ["BUSINESS_TOO_YOUNG", "OUTSIDE_REGION"],
                },
            }
        else:
            result = {s: {"status": "eligible", "reasons": []} for s in ("kur_mikro", "gerbang_serasan")}
        session.add(
            EligibilityCheck(
                contact_id=ids[key],
                checked_on=date(2026, 2, 1),
                rules_version="kur_2026",
                result=result,
                best_scheme=None,
                created_at=datetime(2026, 2, 1, tzinfo=UTC),
            )
        )


async def _bookings(session, ids: dict[str, int]) -> None:  # noqa: ANN001
    """Five appointments answered after 2, 4, 6, 8 and 10 hours."""
    consultant = await add_consultant(
        session=session, name="Siti", bank="BRI", kecamatan=[ME], topics=["kur"], now=NOW
    )
    created = datetime(2026, 5, 4, 3, tzinfo=UTC)
    times = [
        (created + timedelta(days=2, hours=h), created + timedelta(days=2, hours=h + 1)) for h in range(5)
    ]
    await add_slots(session=session, consultant_id=consultant.id, times=times, place="secretariat")
    slots = (await session.exec(select(Slot).order_by(Slot.starts_at))).all()
    statuses = ["done", "done", "done", "no_show", "confirmed"]
    for hours, key, slot, status in zip(
        (2, 4, 6, 8, 10), ("o1", "o2", "o3", "o4", "o5"), slots, statuses, strict=True
    ):
        answered = created + timedelta(hours=hours)
        history = [
            {"at": created.isoformat(), "event": "requested", "by": "owner"},
            {"at": answered.isoformat(), "event": "confirmed", "by": "consultant"},
        ]
        if status != "confirmed":
            history.append(
                {"at": (answered + timedelta(days=3)).isoformat(), "event": status, "by": "consultant"}
            )
        session.add(
            Booking(
                slot_id=slot.id,
                consultant_id=consultant.id,
                owner_contact_id=ids[key],
                topic="kur",
                status=status,
                history=history,
                created_at=created,
                updated_at=answered,
            )
        )


async def _surveys(session, ids: dict[str, int]) -> None:  # noqa: ANN001
    """Six answered surveys, one skipped and one still open."""
    asked = datetime(2026, 10, 5, 3, tzinfo=UTC)
    for key, (base, turnover, base_workers, workers, new_line, helped) in SURVEYS.items():
        session.add(
            FollowUpSurvey(
                contact_id=ids[key],
                due_on=date(2026, 10, 5),
                kecamatan=ME,
                sector="perdagangan",
                baseline_turnover=base,
                baseline_employees=base_workers,
                status="answered",
                asked_at=asked,
                answer_by=asked + timedelta(days=14),
                turnover=turnover,
                employees=workers,
                new_line=new_line,
                helped=helped,
                answered_at=asked + timedelta(days=1),
            )
        )
    for key, status in (("o7", "skipped"), ("o8", "asked")):
        session.add(
            FollowUpSurvey(
                contact_id=ids[key],
                due_on=date(2026, 10, 5),
                kecamatan=LK,
                sector="jasa",
                baseline_turnover=1_000_000,
                status=status,
                asked_at=asked,
                answer_by=asked + timedelta(days=14),
            )
        )
