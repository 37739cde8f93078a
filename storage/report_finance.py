"""Report queries about access to finance: eligibility verdicts and reasons, appointments, recorded loans."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, String, bindparam, func, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.report_facts import CheckCount, LoanCount
from storage.models import Loan
from storage.report_scope import Scope, in_area, is_postgres

# Per dialect: a check's per-scheme results, a result's status, its reason codes and one code's value.
_JSON = {
    "postgresql": (
        "jsonb_each(c.result) je",
        "je.value->>'status'",
        "jsonb_array_elements_text(je.value->'reasons') r",
        "r",
    ),
    "sqlite": (
        "json_each(c.result) je",
        "json_extract(je.value, '$.status')",
        "json_each(je.value, '$.reasons') r",
        "r.value",
    ),
}
_EVENTS = {
    "postgresql": ("jsonb_array_elements(b.history) h", "h.value->>'event'", "h.value->>'at'"),
    "sqlite": ("json_each(b.history) h", "json_extract(h.value, '$.event')", "json_extract(h.value, '$.at')"),
}
_OWNERS = "count(DISTINCT coalesce(c.contact_id, -c.id))"


def _area(scope: Scope, contact: str) -> tuple[str, str]:
    """The join and condition that keep rows of the chosen kecamatan, as SQL text."""
    if scope.kecamatan is None:
        return "", ""
    return f" JOIN business bz ON bz.contact_id = {contact}", " AND bz.kecamatan = :kecamatan"


_TYPES = {"start": Date, "end": Date, "since": DateTime, "until": DateTime, "kecamatan": String}


async def _run(session: AsyncSession, sql: str, scope: Scope, **columns: Any) -> Any:
    """Runs a text query with the scope's values bound (typed like the ORM's) for the names it uses."""
    values = {
        "start": scope.start,
        "end": scope.end,
        "since": scope.since,
        "until": scope.until,
        "kecamatan": scope.kecamatan,
    }
    used = {name: value for name, value in values.items() if f":{name}" in sql}
    query = text(sql).bindparams(*(bindparam(name, type_=_TYPES[name]) for name in used))
    if columns:
        query = query.columns(**columns)
    return await session.exec(query, params=used)  # type: ignore[call-overload]


async def checks(session: AsyncSession, scope: Scope) -> tuple[list[CheckCount], list[CheckCount]]:
    """Checks of the period per scheme and status (status "all" for every status), and "not eligible" reasons."""
    each, status, reasons, reason = _JSON["postgresql" if is_postgres(session) else "sqlite"]
    join, where = _area(scope, "c.contact_id")
    tables = f"eligibilitycheck c{join} CROSS JOIN {each}"
    when = f"c.checked_on BETWEEN :start AND :end{where}"
    by_status = (
        f"SELECT je.key, {status}, count(*), {_OWNERS} FROM {tables} WHERE {when} GROUP BY je.key, {status}"
    )
    by_scheme = f"SELECT je.key, 'all', count(*), {_OWNERS} FROM {tables} WHERE {when} GROUP BY je.key"
    by_reason = (
        f"SELECT {reason}, 'not_eligible', count(*), {_OWNERS} FROM {tables} CROSS JOIN {reasons}"
        f" WHERE {when} AND {status} = 'not_eligible' GROUP BY {reason}"
    )
    found = []
    for sql in (f"{by_status} UNION ALL {by_scheme}", by_reason):
        rows = await _run(session, sql, scope)
        found.append([CheckCount(str(s), str(st), int(n), int(o)) for s, st, n, o in rows])
    return found[0], found[1]


async def bookings(session: AsyncSession, scope: Scope) -> tuple[dict[str, int], list[Decimal]]:
    """Appointments requested in the period by status (plus "confirmed": ever confirmed), and answer delays in hours."""
    join, where = _area(scope, "b.owner_contact_id")
    period = f"b.created_at >= :since AND b.created_at < :until{where}"
    statuses = f"SELECT b.status, count(*) FROM booking b{join} WHERE {period} GROUP BY b.status"
    rows = await _run(session, statuses, scope)
    counts = {str(status): int(n) for status, n in rows}
    counts["requested"] = sum(counts.values())
    each, event, at = _EVENTS["postgresql" if is_postgres(session) else "sqlite"]
    answers = (
        f"SELECT b.created_at, min({at}), max(CASE WHEN {event} = 'confirmed' THEN 1 ELSE 0 END)"
        f" FROM booking b{join} CROSS JOIN {each} WHERE {period} AND {event} IN ('confirmed', 'declined')"
        " GROUP BY b.id, b.created_at"
    )
    delays, confirmed = [], 0
    for created, answered, was_confirmed in await _run(session, answers, scope, created_at=DateTime):
        seconds = (datetime.fromisoformat(answered) - _aware(created, answered)).total_seconds()
        delays.append(Decimal(int(seconds)) / 3600)
        confirmed += int(was_confirmed)
    counts["confirmed"] = confirmed
    return counts, delays


def _aware(moment: datetime, like: str) -> datetime:
    """A stored moment as UTC-aware (SQLite gives naive UTC) so it can be subtracted from an ISO time."""
    if moment.tzinfo is None and datetime.fromisoformat(like).tzinfo is not None:
        return moment.replace(tzinfo=UTC)
    return moment


async def loans(session: AsyncSession, scope: Scope) -> list[LoanCount]:
    """Loans disbursed in the period (not mere proposals) per scheme and bank: count, principal, owners."""
    query = (
        select(
            Loan.scheme,
            Loan.bank,
            func.count(),
            func.sum(Loan.principal),
            func.count(col(Loan.contact_id).distinct()),
        )
        .where(Loan.disbursed_on >= scope.start, Loan.disbursed_on <= scope.end, Loan.status != "proposed")
        .group_by(Loan.scheme, Loan.bank)
    )
    rows = await session.exec(in_area(query, Loan.contact_id, scope))
    return [
        LoanCount(scheme, bank, int(n), int(total or 0), int(owners))
        for scheme, bank, n, total, owners in rows
    ]
