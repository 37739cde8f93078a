"""KKMB consultants and their bookable slots."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Consultant, Contact, Slot


async def add_consultant(
    *,
    session: AsyncSession,
    name: str,
    bank: str,
    kecamatan: list[str],
    topics: list[str],
    now: datetime,
    link_code: str | None = None,
) -> Consultant:
    """Adds an active consultant."""
    consultant = Consultant(
        name=name, bank=bank, kecamatan=kecamatan, topics=topics, link_code=link_code, created_at=now
    )
    session.add(consultant)
    await session.flush()
    return consultant


async def list_consultants(*, session: AsyncSession, active_only: bool = False) -> list[Consultant]:
    """Lists consultants by id."""
    query = select(Consultant).order_by(Consultant.id)
    if active_only:
        query = query.where(Consultant.active)
    return list((await session.exec(query)).all())


async def deactivate_consultant(*, session: AsyncSession, consultant_id: int) -> Consultant | None:
    """Marks a consultant inactive; returns None when there is no such consultant."""
    consultant = await session.get(Consultant, consultant_id)
    if consultant is not None:
        consultant.active = False
        session.add(consultant)
    return consultant


async def add_slots(
    *, session: AsyncSession, consultant_id: int, times: list[tuple[datetime, datetime]], place: str
) -> int:
    """Adds slots that do not exist yet; returns how many were added."""
    existing = set(
        (await session.exec(select(Slot.starts_at).where(Slot.consultant_id == consultant_id))).all()
    )
    added = 0
    for starts_at, ends_at in times:
        if starts_at in existing:
            continue
        session.add(Slot(consultant_id=consultant_id, starts_at=starts_at, ends_at=ends_at, place=place))
        added += 1
    await session.flush()
    return added


async def get_consultant(*, session: AsyncSession, consultant_id: int) -> Consultant | None:
    """Loads a consultant by id."""
    return await session.get(Consultant, consultant_id)


async def consultant_of_contact(*, session: AsyncSession, contact_id: int) -> Consultant | None:
    """The consultant a chat contact is linked to, if any."""
    return (await session.exec(select(Consultant).where(Consultant.contact_id == contact_id))).first()


async def consultants_for(
    *, session: AsyncSession, kecamatan: str, topic: str
) -> tuple[list[Consultant], list[Consultant]]:
    """Active consultants for a topic: those covering the kecamatan, and all the others (nearby)."""
    offering = [
        consultant
        for consultant in await list_consultants(session=session, active_only=True)
        if not consultant.topics or topic in consultant.topics
    ]
    covering = [consultant for consultant in offering if kecamatan in consultant.kecamatan]
    return covering, [consultant for consultant in offering if consultant not in covering]


async def set_link_code(*, session: AsyncSession, consultant_id: int, code: str) -> Consultant | None:
    """Gives a consultant a new one-time link code (replacing any unused one); None when there is no such consultant."""
    consultant = await session.get(Consultant, consultant_id)
    if consultant is not None:
        consultant.link_code = code
        session.add(consultant)
        await session.flush()
    return consultant


async def link_contact(*, session: AsyncSession, code: str, contact: Contact) -> Consultant | None:
    """Links a chat contact to the consultant holding `code` and clears the code; None for an unknown code."""
    # The contact becomes a "consultant". A consultant it was linked to before is let go, and so is the chat the
    # consultant had before (another channel), which goes back to "owner": one chat per consultant and back.
    query = select(Consultant).where(Consultant.link_code == code).with_for_update()
    consultant = (await session.exec(query)).first()
    if consultant is None:
        return None
    await session.exec(
        update(Consultant)
        .where(col(Consultant.contact_id) == contact.id, col(Consultant.id) != consultant.id)
        .values(contact_id=None)
    )
    if consultant.contact_id not in (None, contact.id):
        await session.exec(
            update(Contact).where(col(Contact.id) == consultant.contact_id).values(role="owner")
        )
    consultant.contact_id, consultant.link_code = contact.id, None
    contact.role = "consultant"
    session.add_all([consultant, contact])
    await session.flush()
    return consultant


async def update_consultant(
    *,
    session: AsyncSession,
    consultant: Consultant,
    name: str,
    bank: str,
    kecamatan: list[str],
    topics: list[str],
    active: bool,
) -> Consultant:
    """Changes a consultant's details and whether owners are offered them."""
    consultant.name, consultant.bank, consultant.active = name, bank, active
    consultant.kecamatan, consultant.topics = kecamatan, topics
    session.add(consultant)
    await session.flush()
    return consultant


async def future_slot_counts(*, session: AsyncSession, now: datetime) -> dict[int, int]:
    """How many slots each consultant has that have not started yet."""
    query = select(Slot.consultant_id, func.count()).where(Slot.starts_at > now).group_by(Slot.consultant_id)
    return dict((await session.exec(query)).all())
