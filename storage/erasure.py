"""Erasure on request (UU PDP): applies storage/personal_data.py's registry to one contact, in one transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, and_, delete, select, update
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.erasure_rules import QUOTE_MIN, Person, Rows, cut_quotes, values_for
from storage.models import Booking, Business, Contact, Outbox, SendBudget
from storage.outbox import PENDING, SENDING
from storage.personal_data import REGISTRY, SENT_TO_PERSON

# The contact goes last: the other tables find the person's rows through its chat id, which erasure replaces.
ORDER = sorted(REGISTRY, key=lambda name: name == "contact")


async def erase_contact(*, session: AsyncSession, contact: Contact, now: datetime) -> None:
    """Removes or anonymises every row of the registry that belongs to the contact, or quotes it."""
    assert contact.id is not None
    await session.flush()  # the statements below bypass the session: write its changes first
    person = Person(
        contact_id=contact.id,
        channel=contact.channel,
        external_id=contact.external_id,
        now=now,
        quotes=await _quotes(session, contact),
    )
    for name in ORDER:
        table = SQLModel.metadata.tables[name]
        for rows in REGISTRY[name].rows:
            if rows.delete:
                await session.exec(delete(table).where(rows.where(person)))
            elif rows.quoting:
                await _cut(session, table, rows, person)
            else:
                await session.exec(update(table).where(rows.where(person)).values(values_for(rows, person)))
    await session.refresh(contact)  # the caller's contact object shows the erasure


async def erase_late_messages(*, session: AsyncSession, now: datetime) -> int:
    """Erases what reached erased contacts after their erasure (its own confirmation): the messages once they are
    out, and the chat's pacing row; returns for how many chats."""
    out = Outbox.status.not_in([PENDING, SENDING])
    erased = select(Contact.id).where(Contact.erased_at.is_not(None))
    late = select(Outbox.contact_id, Outbox.channel, Outbox.recipient).where(
        out, Outbox.contact_id.in_(erased)
    )
    chats = (await session.exec(late.distinct())).all()
    for contact_id, channel, recipient in chats:
        person = Person(contact_id=contact_id, channel=channel, external_id=recipient, now=now)
        sent = and_(Outbox.contact_id == contact_id, out)
        await session.exec(update(Outbox).where(sent).values(values_for(SENT_TO_PERSON, person)))
        for rows in REGISTRY["send_budget"].rows:
            await session.exec(delete(SendBudget).where(rows.where(person)))
    return len(chats)


async def _quotes(session: AsyncSession, contact: Contact) -> tuple[str, ...]:
    """The person's names, numbers and notes as other people's rows may quote them, longest first."""
    connection = await session.connection()
    business = (
        await connection.execute(
            select(
                Business.owner_name, Business.name, Business.phone, Business.nik, Business.licence_number
            ).where(Business.contact_id == contact.id)
        )
    ).all()
    notes = (
        await connection.execute(
            select(Booking.note, Booking.outcome, Booking.reason).where(
                Booking.owner_contact_id == contact.id
            )
        )
    ).all()
    values = {
        contact.display_name,
        contact.phone,
        contact.external_id if contact.channel == "whatsapp" else None,
    }
    values |= {value for row in [*business, *notes] for value in row}
    found = {value.strip() for value in values if value and len(value.strip()) >= QUOTE_MIN}
    return tuple(sorted(found, key=len, reverse=True))


async def _cut(session: AsyncSession, table: Table, rows: Rows, person: Person) -> None:
    """Cuts the person's quotes out of other people's rows, one row at a time (JSON keeps its shape)."""
    if not person.quotes:
        return
    connection = await session.connection()
    keys = list(table.primary_key.columns)
    columns = list(rows.erase)
    found = await connection.execute(
        select(*keys, *(table.c[name] for name in columns)).where(rows.where(person))
    )
    for row in found.all():
        key, values = row[: len(keys)], row[len(keys) :]
        changed = {
            name: cut_quotes(value, person.quotes) for name, value in zip(columns, values, strict=True)
        }
        match = [column == value for column, value in zip(keys, key, strict=True)]
        await session.exec(update(table).where(*match).values(changed))
