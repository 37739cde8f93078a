"""What every report query shares: the period and area asked for, and the SQL dialect differences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Business, Instalment


@dataclass(frozen=True)
class Scope:
    """The report's period as days (`start`..`end`) and as UTC moments [since, until), `today`, and the kecamatan."""

    start: date
    end: date
    since: datetime
    until: datetime
    today: date
    kecamatan: str | None = None


def in_area(query: Any, contact_id: Any, scope: Scope) -> Any:
    """Keeps the rows whose owner's business lies in the scope's kecamatan (all rows when none is chosen)."""
    if scope.kecamatan is None:
        return query
    return query.join(Business, Business.contact_id == contact_id).where(
        Business.kecamatan == scope.kecamatan
    )


def is_postgres(session: AsyncSession) -> bool:
    """Tells whether the session talks to PostgreSQL (else SQLite)."""
    return session.bind.dialect.name == "postgresql"


def days_late(session: AsyncSession) -> ColumnElement[Any]:
    """Days between an instalment's due date and its payment, in SQL."""
    if is_postgres(session):
        return literal_column("(instalment.paid_on - instalment.due_on)")
    return func.julianday(Instalment.paid_on) - func.julianday(Instalment.due_on)
