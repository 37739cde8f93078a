"""Eligibility checks: what was asked, what each scheme said, and the rules version used."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.eligibility import Assessment, Option
from storage.models import EligibilityCheck


def option_record(option: Option, rank: int) -> dict[str, Any]:
    """One scheme's result as JSON: status, reason codes, price, checklist and its place in the ranking."""
    return {
        "rank": rank,
        "name": option.name,
        "status": option.status.value,
        "reasons": [reason.code.value for reason in option.reasons],
        "borrower_rate": str(option.borrower_rate),
        "subsidy_rate": str(option.subsidy_rate),
        "access_number": option.access_number,
        "documents": list(option.documents),
    }


async def save_eligibility_check(
    *,
    session: AsyncSession,
    contact_id: int | None,
    inputs: dict[str, Any],
    assessment: Assessment,
    now: datetime,
) -> EligibilityCheck:
    """Stores one assessment with its inputs (never a NIK), per-scheme result and best scheme."""
    if "nik" in inputs:
        raise ValueError("an eligibility check must not store a NIK")
    best = assessment.best
    check = EligibilityCheck(
        contact_id=contact_id,
        checked_on=assessment.on,
        rules_version=assessment.rule_set_id,
        inputs=inputs,
        result={
            option.scheme: option_record(option, rank) for rank, option in enumerate(assessment.options, 1)
        },
        best_scheme=best.scheme if best else None,
        created_at=now,
    )
    session.add(check)
    await session.flush()
    return check


async def latest_check(*, session: AsyncSession, contact_id: int) -> EligibilityCheck | None:
    """Returns a contact's most recent eligibility check, if any."""
    query = (
        select(EligibilityCheck)
        .where(EligibilityCheck.contact_id == contact_id)
        .order_by(col(EligibilityCheck.created_at).desc(), col(EligibilityCheck.id).desc())
    )
    return (await session.exec(query)).first()
