"""Where personal data lives (UU PDP): every column of every table, classified, and how erasure treats it.

A column is either `personal` (a person's name, phone, NIK, business data, free text they wrote or that was
written about them, a link to them) or `not_personal` (ids, statuses, dates, amounts, programme data). Each table
lists the sets of rows that belong to a person being erased and what erasing writes into them; the erasure in
storage/erasure.py applies exactly this list, and tests/storage/test_personal_data.py fails for any column of the
schema that is not classified here.

What stays after an erasure is anonymous: the contact row keeps only its channel, role and dates (its chat id is
replaced, so the person writing again starts as a new contact), bookings keep status, slot, topic and history,
loans keep amounts and schedules, eligibility checks keep their verdicts, outbox rows keep kind, status and
times. Those rows still point to the anonymised contact row, which lets the programme count distinct owners
without knowing who they were.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, and_, case, cast, exists, false, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from storage.models import (
    Booking,
    Business,
    Consultant,
    Contact,
    Conversation,
    EligibilityCheck,
    Outbox,
    SendBudget,
)
from storage.outbox import CANCELLED, PENDING

CUT_QUOTES = "<cut the person's data out of this value>"
QUOTE_MIN = 4  # shorter values (a two-letter name) would cut words out of other people's text


@dataclass(frozen=True, slots=True)
class Person:
    """The contact being erased, as it was before erasure (its chat id finds rows sent to it)."""

    contact_id: int
    channel: str
    external_id: str
    now: datetime
    quotes: tuple[str, ...] = ()  # the person's names, numbers and notes, to cut out of other people's rows


Value = Any | Callable[[Person], Any]  # a constant, or built from the person (a SQL expression or a value)


@dataclass(frozen=True, slots=True)
class Rows:
    """One set of a table's rows that belongs to the person, and what erasing writes into them."""

    describe: str
    where: Callable[[Person], ColumnElement[bool]]
    erase: Mapping[str, Value] = field(default_factory=dict)  # personal columns -> anonymous value
    settle: Mapping[str, Value] = field(default_factory=dict)  # bookkeeping columns (status) -> new value
    delete: bool = False

    @property
    def quoting(self) -> bool:
        """Other people's rows that quote the person: the quotes are cut out of the erase columns, row by row."""
        return CUT_QUOTES in self.erase.values()


@dataclass(frozen=True, slots=True)
class TableData:
    """A table's columns, classified, and the sets of rows an erasure touches."""

    personal: Mapping[str, str]  # column -> what personal data it holds
    not_personal: Mapping[str, str]  # column -> why it holds none
    rows: tuple[Rows, ...] = ()


def _bookings_of(person: Person) -> ColumnElement[bool]:
    """Outbox rows about one of the person's bookings (send keys 'booking:<id>:...', to consultants and admins)."""
    prefix = literal("booking:") + cast(Booking.id, String) + literal(":%")
    return exists(
        select(Booking.id).where(Booking.owner_contact_id == person.contact_id, Outbox.send_key.like(prefix))
    )


def _quoting(*columns: Any, contact: Any) -> Callable[[Person], ColumnElement[bool]]:
    """Rows of consultants and admins whose text or JSON columns quote any of the person's data (case folded).

    Only staff see other people's data (an owner's messages and answers are about themselves), so an owner's row
    is never rewritten because it happens to contain the same word as the person's name.
    """

    def where(person: Person) -> ColumnElement[bool]:
        texts = [func.lower(cast(column, Text)) for column in columns]
        forms = {form for quote in person.quotes for form in _json_forms(quote.lower())}
        found = or_(false(), *(text.contains(form, autoescape=True) for text in texts for form in forms))
        staff = select(Contact.id).where(Contact.role != "owner", Contact.id != person.contact_id)
        return and_(contact.in_(staff), found)

    return where


def _json_forms(quote: str) -> set[str]:
    """A quote as it appears inside stored JSON: ASCII-escaped (SQLite) or not (PostgreSQL's JSONB)."""
    return {quote, json.dumps(quote)[1:-1], json.dumps(quote, ensure_ascii=False)[1:-1]}


def _sent_to(person: Person) -> ColumnElement[bool]:
    """Outbox rows addressed to the person: by contact, or to their chat before the contact was known."""
    same_chat = and_(Outbox.channel == person.channel, Outbox.recipient == person.external_id)
    return or_(Outbox.contact_id == person.contact_id, same_chat)


# A message no longer needed is cancelled; one already sent or failed keeps its status for the counts.
_CANCEL_PENDING = {"status": lambda p: case((Outbox.status == PENDING, CANCELLED), else_=Outbox.status)}
_MESSAGE = {"body": "", "options": [], "variables": {}, "provider_message_id": None, "last_error": None}

# Also applied after the erasure to what was still to send then (the erasure's own confirmation), once it is out.
SENT_TO_PERSON = Rows(
    "messages to the person, sent or not",
    _sent_to,
    erase={
        **_MESSAGE,
        "contact_id": None,
        "recipient": "-",
        "send_key": lambda p: literal("erased:") + cast(Outbox.id, String),
    },
    settle=_CANCEL_PENDING,
)

REGISTRY: dict[str, TableData] = {
    "contact": TableData(
        personal={
            "external_id": "chat id or WhatsApp phone number",
            "display_name": "the name the channel shows",
            "phone": "phone number",
            "consent_at": "when this person consented",
            "unreachable_reason": "provider error text, may quote the number",
        },
        not_personal={
            "id": "row id",
            "channel": "channel name",
            "role": "owner, consultant or admin",
            "language": "language code",
            "broadcasts_opt_out": "a flag",
            "last_inbound_at": "activity date for anonymous reach figures",
            "erased_at": "when the erasure happened",
            "created_at": "row date",
        },
        rows=(
            Rows(
                "the person's contact",
                lambda p: Contact.id == p.contact_id,
                erase={
                    "external_id": lambda p: f"erased-{p.contact_id}",
                    "display_name": None,
                    "phone": None,
                    "consent_at": None,
                    "unreachable_reason": None,
                },
                settle={"erased_at": lambda p: p.now},
            ),
        ),
    ),
    "conversation": TableData(
        personal={"data": "answers collected mid-flow (names, NIK, notes)", "history": "steps walked"},
        not_personal={
            "contact_id": "the anonymised contact",
            "flow": "flow name",
            "step": "step name",
            "misses": "a count",
            "updated_at": "row date",
        },
        rows=(
            Rows(
                "the person's conversation",
                lambda p: Conversation.contact_id == p.contact_id,
                erase={"data": {}, "history": []},
            ),
            Rows(
                "consultants' and admins' conversations quoting the person (a list of bookings)",
                _quoting(Conversation.data, contact=Conversation.contact_id),
                erase={"data": CUT_QUOTES},
            ),
        ),
    ),
    "business": TableData(
        personal={
            "owner_name": "owner's name",
            "phone": "phone number",
            "nik": "NIK",
            "name": "business name",
            "licence_number": "NIB or SKU number",
            "desa": "village of the business",
            "kecamatan": "district of the business",
            "started_on": "business data",
            "monthly_turnover": "business data",
            "capital": "business data",
            "employees": "business data",
            "sector": "business data",
            "licence_type": "business data",
            "has_npwp": "business data",
            "size_class": "business data",
            "contact_id": "link to the person",
        },
        not_personal={"id": "row id", "created_at": "row date", "updated_at": "row date"},
        rows=(Rows("the person's business", lambda p: Business.contact_id == p.contact_id, delete=True),),
    ),
    "eligibilitycheck": TableData(
        personal={"contact_id": "link to the person", "inputs": "the answers given (turnover, NIK, age)"},
        not_personal={
            "id": "row id",
            "checked_on": "date",
            "rules_version": "rule set",
            "result": "per-scheme verdicts and reason codes, kept for the figures",
            "best_scheme": "scheme id",
            "created_at": "row date",
        },
        rows=(
            Rows(
                "the person's checks",
                lambda p: EligibilityCheck.contact_id == p.contact_id,
                erase={"contact_id": None, "inputs": {}},
            ),
        ),
    ),
    "consultant": TableData(
        personal={"contact_id": "the consultant's own chat"},
        not_personal={
            "id": "row id",
            "name": "a consultant's work name, kept by the admins (not data about an owner)",
            "bank": "partner bank",
            "kecamatan": "coverage",
            "topics": "topics",
            "link_code": "one-time code",
            "active": "a flag",
            "created_at": "row date",
        },
        rows=(
            Rows(
                "a consultant erasing their own chat",
                lambda p: Consultant.contact_id == p.contact_id,
                erase={"contact_id": None},
            ),
        ),
    ),
    "slot": TableData(
        personal={},
        not_personal={
            "id": "row id",
            "consultant_id": "consultant",
            "starts_at": "time",
            "ends_at": "time",
            "place": "place kind",
        },
    ),
    "booking": TableData(
        personal={
            "note": "the owner's free text",
            "outcome": "the consultant's free text about the meeting",
            "reason": "the consultant's free text on declining",
            "business_id": "link to the business",
        },
        not_personal={
            "id": "row id",
            "slot_id": "slot",
            "consultant_id": "consultant",
            "owner_contact_id": "the anonymised contact",
            "topic": "topic id",
            "status": "status",
            "history": "events: time, event name, actor role, slot ids",
            "created_at": "row date",
            "updated_at": "row date",
        },
        rows=(
            Rows(
                "the person's bookings",
                lambda p: Booking.owner_contact_id == p.contact_id,
                erase={"note": None, "outcome": None, "reason": None, "business_id": None},
            ),
        ),
    ),
    "loan": TableData(
        personal={},
        not_personal={
            "id": "row id",
            "contact_id": "the anonymised contact",
            "bank": "lender",
            "scheme": "scheme id",
            "principal": "amount, kept for the figures",
            "borrower_rate": "rate",
            "subsidy_rate": "rate",
            "months": "tenor",
            "method": "method",
            "disbursed_on": "date",
            "due_day": "day of month",
            "status": "status",
            "reminders_paused": "a flag",
            "created_at": "row date",
            "time_zone": "zone",
            "proposed_by": "the consultant's contact",
            "closed_on": "date",
        },
    ),
    "instalment": TableData(
        personal={},
        not_personal={
            name: "schedule figures"
            for name in (
                "id",
                "loan_id",
                "number",
                "due_on",
                "amount",
                "principal",
                "interest",
                "paid_on",
                "paid_amount",
            )
        },
    ),
    "outbox": TableData(
        personal={
            "contact_id": "link to the recipient",
            "recipient": "the recipient's chat id or phone number",
            "body": "message text (names, business, notes)",
            "options": "button labels",
            "variables": "template values (names, business)",
            "send_key": "send-once key; a reply's key may hold the sender's chat id",
            "provider_message_id": "the provider's id of the message, which finds its text there",
            "last_error": "provider error text, may quote the number",
        },
        not_personal={
            "id": "row id",
            "channel": "channel name",
            "kind": "message kind",
            "priority": "priority",
            "status": "status, kept for the figures",
            "attempts": "a count",
            "next_attempt_at": "time",
            "claimed_at": "time",
            "claimed_by": "worker id",
            "delivery_status": "provider status",
            "created_at": "row date",
            "sent_at": "time",
        },
        rows=(
            SENT_TO_PERSON,
            Rows(
                "messages to consultants and admins about the person's bookings",
                _bookings_of,
                erase=_MESSAGE,
                settle=_CANCEL_PENDING,
            ),
            Rows(
                "messages to consultants and admins quoting the person (an agenda, a queued reply)",
                _quoting(Outbox.body, Outbox.options, Outbox.variables, contact=Outbox.contact_id),
                erase={"body": CUT_QUOTES, "options": CUT_QUOTES, "variables": CUT_QUOTES},
            ),
        ),
    ),
    "broadcast": TableData(
        personal={},
        not_personal={
            "id": "row id",
            "body": "the admins' announcement",
            "segment": "filter",
            "scheduled_at": "time",
            "status": "status",
            "created_by": "admin name",
            "total": "a count",
            "sent": "a count",
            "failed": "a count",
            "created_at": "row date",
        },
    ),
    "processedinbound": TableData(
        personal={},
        not_personal={
            "channel": "channel name",
            "message_id": "the provider's opaque update or message id, with no link to a contact",
            "processed_at": "time",
        },
    ),
    "send_budget": TableData(
        personal={"key": "a chat's pacing row is keyed by its chat id or number"},
        not_personal={"next_free": "time", "paused_until": "time"},
        rows=(
            Rows(
                "the pacing of the person's chat",
                lambda p: (
                    SendBudget.key == f"{p.channel}:{p.external_id}"
                ),  # storage/send_budget.py's chat key
                delete=True,
            ),
        ),
    ),
    "reminder": TableData(
        personal={},
        not_personal={
            name: "schedule bookkeeping"
            for name in (
                "id",
                "loan_id",
                "instalment_id",
                "kind",
                "planned_at",
                "due_at",
                "status",
                "done_at",
                "created_at",
            )
        },
    ),
}


def cut_quotes(value: Any, quotes: tuple[str, ...]) -> Any:
    """A text or JSON value with every quote of the person replaced by '-' (case folded), keys and shape kept."""
    if isinstance(value, str):
        for quote in quotes:
            value = re.sub(re.escape(quote), "-", value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {key: cut_quotes(item, quotes) for key, item in value.items()}
    if isinstance(value, list):
        return [cut_quotes(item, quotes) for item in value]
    return value


def values_for(rows: Rows, person: Person) -> dict[str, Any]:
    """What erasing writes into one set of rows for this person."""
    chosen = {**rows.erase, **rows.settle}
    return {name: value(person) if callable(value) else value for name, value in chosen.items()}
