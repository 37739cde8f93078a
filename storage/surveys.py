"""Follow-up surveys: who is due (keyset batches), the baseline copied in, the owner's open survey, answers, expiry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, exists, func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core import survey as rules
from core.broadcasts import CHANNELS
from storage.db import insert_many
from storage.loans import ACTIVE, CLOSED, PAID_OFF
from storage.models import Business, Contact, FollowUpSurvey, Loan

RECORDED = (ACTIVE, PAID_OFF, CLOSED)  # a proposed loan the owner has not confirmed is no loan yet


@dataclass(frozen=True, slots=True)
class Candidate:
    """An owner with recorded loans, reachable by a pushed message, with what deciding and asking needs."""

    contact_id: int
    channel: str
    recipient: str
    first_loan_on: date
    running: bool
    ended_on: date | None
    loan_id: int
    last_asked_on: date | None
    kecamatan: str
    sector: str
    turnover: int
    employees: int


def _reachable(window_opened_after: datetime | None) -> list[Any]:
    """Contacts a survey may go to: not erased, not opted out, reachable, on a push channel (and, without a
    WhatsApp template, inside WhatsApp's 24-hour window)."""
    where = [
        col(Contact.erased_at).is_(None),
        ~col(Contact.broadcasts_opt_out),
        col(Contact.unreachable_reason).is_(None),
        col(Contact.channel).in_(CHANNELS),  # where a message can be pushed
    ]
    if window_opened_after is not None:
        open_window = col(Contact.last_inbound_at) >= window_opened_after
        where.append(or_(Contact.channel != "whatsapp", open_window))
    return where


async def candidates(
    *,
    session: AsyncSession,
    after: int,
    limit: int,
    first_loan_by: date,
    asked_since: datetime,
    window_opened_after: datetime | None,
) -> tuple[list[Candidate], int | None]:
    """The reachable registered owners among the next `limit` borrowers after contact id `after` (keyset: never
    the whole list) whose first loan is on or before `first_loan_by` and who were not asked since `asked_since`,
    and the contact id to continue after (None when these were the last)."""
    asked_lately = exists().where(
        FollowUpSurvey.contact_id == Loan.contact_id, col(FollowUpSurvey.asked_at) >= asked_since
    )
    groups = (
        await session.exec(
            select(
                Loan.contact_id,
                func.min(Loan.disbursed_on),
                func.max(case((Loan.status == ACTIVE, 1), else_=0)),
                func.max(Loan.closed_on),
                func.max(Loan.id),
            )
            .where(col(Loan.status).in_(RECORDED), Loan.contact_id > after, ~asked_lately)
            .group_by(col(Loan.contact_id))
            .having(func.min(Loan.disbursed_on) <= first_loan_by)
            .order_by(col(Loan.contact_id))
            .limit(limit)
        )
    ).all()
    if not groups:
        return [], None
    ids = [row[0] for row in groups]
    asked = (
        select(FollowUpSurvey.contact_id, func.max(FollowUpSurvey.due_on).label("last_on"))
        .where(col(FollowUpSurvey.contact_id).in_(ids))
        .group_by(col(FollowUpSurvey.contact_id))
        .subquery()
    )
    query = (
        select(
            Contact.id,
            Contact.channel,
            Contact.external_id,
            asked.c.last_on,
            Business.kecamatan,
            Business.sector,
            Business.monthly_turnover,
            Business.employees,
        )
        .join(Business, col(Business.contact_id) == Contact.id)
        .outerjoin(asked, asked.c.contact_id == Contact.id)
        .where(col(Contact.id).in_(ids), *_reachable(window_opened_after))
    )
    details = {row[0]: row for row in (await session.exec(query)).all()}
    found = [
        Candidate(
            contact_id,
            details[contact_id][1],
            details[contact_id][2],
            first_on,
            bool(running),
            None if running else ended_on,
            loan_id,
            *details[contact_id][3:],
        )
        for contact_id, first_on, running, ended_on, loan_id in groups
        if contact_id in details
    ]
    return found, ids[-1] if len(groups) == limit else None


async def baselines(*, session: AsyncSession, contact_ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """Each contact's (kecamatan, sector, monthly turnover, employees, latest recorded loan id) at registration."""
    if not contact_ids:
        return {}
    latest = (
        select(func.max(Loan.id))
        .where(Loan.contact_id == Business.contact_id, col(Loan.status).in_(RECORDED))
        .scalar_subquery()
    )
    query = select(
        Business.contact_id,
        Business.kecamatan,
        Business.sector,
        Business.monthly_turnover,
        Business.employees,
        latest,
    ).where(col(Business.contact_id).in_(list(contact_ids)))
    return {row[0]: tuple(row[1:]) for row in (await session.exec(query)).all()}


async def add_surveys(*, session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Inserts asked surveys, skipping any whose (contact, due date) exists; returns how many are new."""
    return await insert_many(session, FollowUpSurvey.__table__, rows, unique=["contact_id", "due_on"])


async def latest_survey(*, session: AsyncSession, contact_id: int) -> FollowUpSurvey | None:
    """The contact's most recently asked survey, locked for the answer being written."""
    query = (
        select(FollowUpSurvey)
        .where(FollowUpSurvey.contact_id == contact_id)
        .order_by(col(FollowUpSurvey.asked_at).desc(), col(FollowUpSurvey.id).desc())
        .limit(1)
        .with_for_update()
    )
    return (await session.exec(query)).first()


async def close_lapsed(*, session: AsyncSession, now: datetime, limit: int) -> int:
    """Closes up to `limit` surveys still asked after their 14 days, or whose owner opted out or was erased:
    answered when something was answered, else expired or opted_out; returns how many were closed."""
    lapsed = (
        select(
            FollowUpSurvey.id,
            FollowUpSurvey.answered_at,
            FollowUpSurvey.contact_id,
            Contact.broadcasts_opt_out,
        )
        .outerjoin(Contact, Contact.id == FollowUpSurvey.contact_id)
        .where(
            FollowUpSurvey.status == rules.ASKED,
            or_(
                col(FollowUpSurvey.answer_by) <= now,
                col(Contact.broadcasts_opt_out),
                col(FollowUpSurvey.contact_id).is_(None),
            ),
        )
        .order_by(col(FollowUpSurvey.id))
        .limit(limit)
        .with_for_update(of=FollowUpSurvey, skip_locked=True)
    )
    found = (await session.exec(lapsed)).all()
    moves = [
        {
            "id": survey_id,
            "status": rules.closing_status(
                int(answered_at is not None),
                rules.OPTED_OUT if opted_out or contact_id is None else rules.EXPIRED,
            ),
        }
        for survey_id, answered_at, contact_id, opted_out in found
    ]
    if moves:
        await session.exec(update(FollowUpSurvey), params=moves)
    return len(moves)


async def with_open_survey(*, session: AsyncSession, contact_ids: Sequence[int], now: datetime) -> set[int]:
    """Those of the contacts who have a survey still open for answers."""
    if not contact_ids:
        return set()
    query = select(FollowUpSurvey.contact_id).where(
        col(FollowUpSurvey.contact_id).in_(list(contact_ids)),
        FollowUpSurvey.status == rules.ASKED,
        col(FollowUpSurvey.answer_by) > now,
    )
    return {contact_id for contact_id in (await session.exec(query)).all() if contact_id is not None}
