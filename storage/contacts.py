"""Contacts: one person on one channel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Contact


async def get_contact(
    *, session: AsyncSession, channel: str, external_id: str, for_update: bool = False
) -> Contact | None:
    """Finds the contact of a channel user, if known; `for_update` locks the row until the transaction ends."""
    query = select(Contact).where(Contact.channel == channel, Contact.external_id == external_id)
    if for_update:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def get_or_create_contact(
    *,
    session: AsyncSession,
    channel: str,
    external_id: str,
    now: datetime,
    display_name: str | None = None,
    for_update: bool = False,
) -> Contact:
    """Returns the contact of a channel user, creating it on first contact (safe under races)."""
    contact = await get_contact(
        session=session, channel=channel, external_id=external_id, for_update=for_update
    )
    if contact is not None:
        return contact
    contact = Contact(channel=channel, external_id=external_id, display_name=display_name, created_at=now)
    try:
        async with session.begin_nested():
            session.add(contact)
    except IntegrityError:
        contact = await get_contact(
            session=session, channel=channel, external_id=external_id, for_update=for_update
        )
        assert contact is not None
    return contact


async def contact_by_id(*, session: AsyncSession, contact_id: int) -> Contact | None:
    """Loads a contact by id."""
    return await session.get(Contact, contact_id)


async def contacts_with_role(*, session: AsyncSession, role: str) -> list[Contact]:
    """Lists the contacts holding a role (owner, consultant, admin)."""
    return list((await session.exec(select(Contact).where(Contact.role == role).order_by(Contact.id))).all())
