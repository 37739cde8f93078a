"""Erasure (UU PDP): every column of the schema is classified, and an erased owner leaves no trace in any row."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

import pytest
from sqlalchemy import update
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.base import go
from bot.flows.common import mask_nik
from storage import send_budget
from storage.contacts import get_contact
from storage.db import transaction
from storage.erasure import erase_contact
from storage.models import (
    Booking,
    Consultant,
    Contact,
    Conversation,
    EligibilityCheck,
    Loan,
    Outbox,
    Reminder,
)
from storage.outbox import enqueue
from storage.personal_data import REGISTRY
from tests.booking.conftest import World, make_world
from tests.booking.test_owner_flow import _book_monday_9
from tests.loans.conftest import Owner
from tests.stored import all_rows, text_values

NAME = "Sri Wahyuni Lestari"
BUSINESS = "Warung Bu Sri Makmur"
PHONE = "+6281377712345"
NIK = "1603014501900003"
NIB = "9120001234567"
NOTE = "tolong telepon ke 0813-7771-2345 sore, soal etalase Bu Sri"


def _traces() -> list[str]:
    """What must not survive an erasure, in any column of any row, or in any log record."""
    return [NAME, "Sri Wahyuni", BUSINESS, PHONE, NIK, mask_nik(NIK), NIB, NOTE, "sore, soal etalase"]


def _phone_digits(text: str) -> bool:
    """Tells whether the phone number's digits appear in a text, however they are spaced or prefixed."""
    return "81377712345" in re.sub(r"[\s.()+-]", "", text)


def _found(text: str) -> list[str]:
    """The traces a text holds."""
    folded = text.casefold()
    hits = [trace for trace in _traces() if trace.casefold() in folded]
    return hits + (["phone digits"] if _phone_digits(text) else [])


def _columns(table: str) -> set[str]:
    """The columns a table's model declares."""
    return {column.name for column in SQLModel.metadata.tables[table].columns}


def test_every_column_of_the_schema_is_classified() -> None:
    """A new table or column fails here until storage/personal_data.py says whether it holds personal data."""
    assert set(REGISTRY) == set(SQLModel.metadata.tables)
    for name, table in REGISTRY.items():
        personal, other = set(table.personal), set(table.not_personal)
        assert not personal & other, f"{name}: classified twice: {personal & other}"
        assert personal | other == _columns(name), f"{name}: unclassified or unknown columns"


def test_every_personal_column_is_erased_and_only_those() -> None:
    """Each set of rows erases only personal columns; each personal column is erased somewhere (or its row deleted)."""
    for name, table in REGISTRY.items():
        erased: set[str] = set()
        for rows in table.rows:
            assert set(rows.erase) <= set(table.personal), (
                f"{name}: {rows.describe} erases a non-personal column"
            )
            assert set(rows.settle) <= set(table.not_personal), (
                f"{name}: {rows.describe} settles a personal column"
            )
            erased |= set(table.personal) if rows.delete else set(rows.erase)
        assert erased == set(table.personal), (
            f"{name}: personal columns never erased: {set(table.personal) - erased}"
        )


async def _queue(
    session: AsyncSession,
    to: tuple[str, str, int | None],
    kind: str,
    body: str,
    now: datetime,
    variables=None,
) -> None:
    """Queues one message to (channel, chat, contact id), as the reply path or a job would."""
    channel, recipient, contact_id = to
    key = f"{kind}:{recipient}:{len(body)}"
    await enqueue(
        session=session,
        channel=channel,
        recipient=recipient,
        kind=kind,
        body=body,
        send_key=key,
        now=now,
        contact_id=contact_id,
        variables=variables,
    )


async def _seed(world: World) -> tuple[int, int]:
    """An owner on WhatsApp with a business, a check, a booking with a note, a loan and messages; returns ids."""
    siti = await world.link(world.siti, "tg-siti")
    owner = await world.owner(
        PHONE, channel="whatsapp", owner_name=NAME, phone=PHONE, nik=NIK, name=BUSINESS, licence_number=NIB
    )
    await owner.send("halo", display_name=NAME)
    now = world.clock.now()
    async with transaction(world.sessions) as session:
        contact = await get_contact(session=session, channel="whatsapp", external_id=PHONE)
        assert contact is not None
        contact.phone, contact_id = PHONE, contact.id
        session.add(contact)
        session.add(
            EligibilityCheck(
                contact_id=contact_id,
                checked_on=date(2026, 11, 20),
                rules_version="kur-2026",
                inputs={"nik": NIK, "owner_name": NAME, "turnover": 30_000_000},
                result={"kur_mikro": {"rank": 1, "name": "KUR Mikro", "status": "eligible"}},
                best_scheme="kur_mikro",
                created_at=now,
            )
        )
        # A reply that could not be sent at once, queued before the contact was known (recipient only).
        await _queue(
            session, ("whatsapp", PHONE, None), "reply", f"Halo {NAME}, usaha {BUSINESS} terdaftar.", now
        )
    await _book_monday_9(owner, NOTE)
    [booking] = await world.bookings()
    accepted = await siti.say(choice=go("consultant", "accept", booking.id))
    assert f"Kontak pemilik: {NAME}, {PHONE}" in accepted
    await siti.say("agenda")  # the consultant's conversation now offers the booking by business name
    loan_id = await Owner(world.sessions, world.clock, user=PHONE, channel="whatsapp").add_loan()
    async with transaction(world.sessions) as session:
        # Push channels keep every reply as an outbox row (bot/replying.py): the consultant's answer quotes the owner.
        consultant = await get_contact(session=session, channel="telegram", external_id="tg-siti")
        assert consultant is not None
        await _queue(session, ("telegram", "tg-siti", consultant.id), "reply", accepted, now)
        reminder = f"Pengingat cicilan untuk {NAME}"
        await _queue(
            session,
            ("whatsapp", PHONE, contact_id),
            "repayment_reminder",
            reminder,
            now,
            {"1": "Rp1.721.000"},
        )
        # The channel paced a send to the owner's chat.
        await send_budget.book(
            session=session,
            channel="whatsapp",
            chats=[PHONE],
            at=0.0,
            interval=0.1,
            chat_gap=1.0,
            horizon=5.0,
        )
        # The dispatcher has sent the consultant's notification, the queued reply and the reminder.
        sent = Outbox.kind.in_(["consultant_notification", "reply", "repayment_reminder"])  # all replies sent
        await session.exec(
            update(Outbox).where(sent).values(status="sent", sent_at=now, provider_message_id="SM" + "1" * 32)
        )
    # Mid-flow: the owner is telling the bot a new business name when the erasure comes.
    async with transaction(world.sessions) as session:
        conversation = await session.get(Conversation, contact_id)
        assert conversation is not None
        conversation.flow, conversation.step = "registration", "nik"
        conversation.data = {"owner_name": NAME, "name": BUSINESS, "phone": PHONE}
        conversation.history = ["owner_name", "name"]
        session.add(conversation)
    return contact_id, loan_id


@pytest.fixture
async def people(sessions, clock) -> World:
    """The booking test world (consultants with slots) on the test database."""
    return await make_world(sessions, clock)


@pytest.mark.parametrize("how", ["chat", "direct"])
async def test_erasure_leaves_no_trace_in_any_row_or_log(
    people: World, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    """After hapus data (or an erasure run directly), no text or JSON value anywhere holds the owner's data."""
    world = people
    caplog.set_level(logging.INFO)  # the most `umkm serve` logs; our own modules are read at every level
    for ours in ("bot", "storage", "core"):
        caplog.set_level(logging.DEBUG, logger=ours)
    contact_id, loan_id = await _seed(world)
    before = await all_rows(world.sessions)
    seeded = {(table, column) for table, column, text in text_values(before) if _found(text)}
    assert {
        ("business", "nik"),
        ("booking", "note"),
        ("outbox", "variables"),
        ("conversation", "data"),
    } <= seeded
    assert ("conversation", "data") in {(t, c) for t, c, text in text_values(before) if BUSINESS in text}

    if how == "chat":
        owner = world.chat(PHONE, channel="whatsapp")
        assert "Hapus data Anda?" in await owner.say("hapus data")
        assert "sudah dihapus" in await owner.say(choice="confirm")
    else:
        async with transaction(world.sessions) as session:
            contact = await session.get(Contact, contact_id)
            assert contact is not None
            await erase_contact(session=session, contact=contact, now=world.clock.now())

    after = await all_rows(world.sessions)
    leaks = [(table, column, _found(text)) for table, column, text in text_values(after) if _found(text)]
    assert leaks == []
    logged = [
        record.getMessage() + " " + " ".join(str(value) for value in vars(record).values())
        for record in caplog.records
    ]
    assert [line for line in logged if _found(line)] == []

    # Anonymous counts stay: the contact, the booking's status and time, the loan and its schedule, the check.
    [contact] = [row for row in after["contact"] if row["id"] == contact_id]
    assert contact["external_id"] == f"erased-{contact_id}" and contact["erased_at"] is not None
    assert after["business"] == []
    [booking] = after["booking"]
    assert booking["owner_contact_id"] == contact_id and booking["slot_id"] == before["booking"][0]["slot_id"]
    assert booking["status"] == ("cancelled" if how == "chat" else "confirmed")
    assert (booking["note"], booking["business_id"]) == (None, None)
    [loan] = after["loan"]
    assert (loan["id"], loan["principal"]) == (loan_id, 20_000_000)
    assert len(after["instalment"]) == 12 and len(after["reminder"]) == len(before["reminder"])
    [check] = after["eligibilitycheck"]
    assert (check["contact_id"], check["inputs"], check["best_scheme"]) == (None, {}, "kur_mikro")
    statuses = {row["kind"]: row["status"] for row in before["outbox"]}
    erased = {row["id"]: row for row in after["outbox"]}
    for row in before["outbox"]:
        kept = erased[row["id"]]
        assert kept["kind"] == row["kind"]
        if (
            row["recipient"] == "tg-siti" and row["kind"] == "reply"
        ):  # staff's own message: the quotes cut out
            assert "Kontak pemilik: -, -" in kept["body"] and "Diterima: -, Senin" in kept["body"]
        else:
            assert kept["body"] == ""
        assert kept["status"] == ("cancelled" if row["status"] == "pending" else row["status"])
    assert statuses["consultant_notification"] == "sent" and statuses["booking_confirmation"] == "pending"
    conversation = next(row for row in after["conversation"] if row["contact_id"] == contact_id)
    assert (conversation["data"], conversation["history"]) == ({}, [])


async def test_consultant_hears_of_the_cancellation_without_the_owners_name(people: World) -> None:
    """Erasing cancels the owner's bookings; the consultant is told the time is free, not who cancelled."""
    world = people
    await _seed(world)
    owner = world.chat(PHONE, channel="whatsapp")
    await owner.say("hapus data")
    await owner.say(choice="confirm")
    async with world.sessions() as session:
        query = select(Outbox).where(Outbox.status == "pending", Outbox.recipient == "tg-siti")
        [notice] = (await session.exec(query)).all()
        assert notice.kind == "consultant_notification" and "Senin, 23 November 2026 09.00 WIB" in notice.body
        [booking] = (await session.exec(select(Booking))).all()
        assert booking.status == "cancelled"
        assert (await session.exec(select(Loan))).all() != []
        assert (await session.exec(select(Reminder))).all() != []


async def test_other_owners_rows_are_never_rewritten(people: World) -> None:
    """Only staff rows are searched for quotes: another owner whose answers contain the same words keeps them."""
    world = people
    await _seed(world)
    other = await world.owner("+6281399900011", channel="whatsapp", name=f"{BUSINESS} Dua")
    await other.send("halo")
    async with transaction(world.sessions) as session:
        contact = await get_contact(session=session, channel="whatsapp", external_id="+6281399900011")
        assert contact is not None
        conversation = await session.get(Conversation, contact.id)
        assert conversation is not None
        conversation.data = {"note": f"seperti {NAME}"}
        session.add(conversation)
    owner = world.chat(PHONE, channel="whatsapp")
    await owner.say("hapus data")
    await owner.say(choice="confirm")
    async with world.sessions() as session:
        conversation = await session.get(Conversation, contact.id)
        assert conversation is not None and conversation.data == {"note": f"seperti {NAME}"}


async def test_a_consultant_erasing_their_chat_is_unlinked_and_keeps_the_work_name(people: World) -> None:
    """A consultant's erasure unlinks the chat; the consultant record the admins keep stays."""
    world = people
    siti = await world.link(world.siti, "tg-siti")
    await siti.say("hapus data")
    assert "sudah dihapus" in await siti.say(choice="confirm")
    async with world.sessions() as session:
        consultant = await session.get(Consultant, world.siti)
        assert (
            consultant is not None and consultant.contact_id is None and consultant.name == "Siti Rahmawati"
        )
        contact = (await session.exec(select(Contact).where(Contact.role == "consultant"))).one()
        assert contact.external_id == f"erased-{contact.id}" and contact.erased_at is not None
