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

from sqlalchemy import String, and_, case, cast, exists, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from storage.erasure_rules import CUT_QUOTES, Person, Rows, TableData, quoting
from storage.models import (
    AidApplication,
    Booking,
    Business,
    Contact,
    Conversation,
    EligibilityCheck,
    FollowUpSurvey,
    HelpRequest,
    Outbox,
    PushedContext,
)
from storage.outbox import CANCELLED, PENDING
from storage.personal_data_staff import STAFF_TABLES


def _bookings_of(person: Person) -> ColumnElement[bool]:
    """Outbox rows about one of the person's bookings (send keys 'booking:<id>:...', to consultants and admins)."""
    prefix = literal("booking:") + cast(Booking.id, String) + literal(":%")
    return exists(
        select(Booking.id).where(Booking.owner_contact_id == person.contact_id, Outbox.send_key.like(prefix))
    )


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

OWNER_TABLES: dict[str, TableData] = {  # what a person gave or what is about them
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
                quoting(Conversation.data, contact=Conversation.contact_id),
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
        not_personal=dict.fromkeys(
            (
                "id",
                "loan_id",
                "number",
                "due_on",
                "amount",
                "principal",
                "interest",
                "paid_on",
                "paid_amount",
            ),
            "schedule figures",
        ),
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
                quoting(Outbox.body, Outbox.options, Outbox.variables, contact=Outbox.contact_id),
                erase={"body": CUT_QUOTES, "options": CUT_QUOTES, "variables": CUT_QUOTES},
            ),
        ),
    ),
    "pushedcontext": TableData(
        personal={"contact_id": "link to the person"},
        not_personal={
            "kind": "which kind of message was pushed",
            "options": "the bot's own option ids and labels",
            "opened_at": "row date",
            "expires_at": "row date",
        },
        rows=(
            Rows(
                "the person's open pushed message",
                lambda p: PushedContext.contact_id == p.contact_id,
                delete=True,
            ),
        ),
    ),
    "helprequest": TableData(
        personal={"contact_id": "link to the person", "text": "what they asked, in their own words"},
        not_personal={
            "id": "row id",
            "channel": "channel name",
            "created_at": "row date",
            "answered_at": "row date",
        },
        rows=(
            Rows(
                "the person's requests to talk to a person",
                lambda p: HelpRequest.contact_id == p.contact_id,
                delete=True,
            ),
        ),
    ),
    "followupsurvey": TableData(
        personal={"contact_id": "link to the person"},
        not_personal={
            "id": "row id",
            "loan_id": "the anonymised loan",
            "broadcast_id": "the admin's broadcast that started it",
            "due_on": "date",
            "kecamatan": "area, kept for the figures",
            "sector": "sector, kept for the figures",
            "baseline_turnover": "amount, kept for the figures",
            "baseline_employees": "count",
            "status": "status",
            "asked_at": "row date",
            "answer_by": "row date",
            "turnover": "amount, kept for the figures",
            "employees": "count",
            "new_line": "a yes/no answer",
            "helped": "an option id",
            "answered_at": "row date",
            "progress": "count",
        },
        rows=(
            Rows(
                "the person's follow-up surveys (answers kept anonymously for the impact figures)",
                lambda p: FollowUpSurvey.contact_id == p.contact_id,
                erase={"contact_id": None},
            ),
        ),
    ),
    "aidapplication": TableData(
        personal={
            "contact_id": "link to the person",
            "reason": "why they need the aid, in their own words",
            "photo": "the channel's reference to a photo of their workplace",
            "decision_note": "an admin's reason, written about the person",
        },
        not_personal={
            "id": "row id",
            "aid_id": "the profile's aid id",
            "period": "application period",
            "kecamatan": "area, kept for the figures",
            "status": "status",
            "decided_by": "the admin's email (staff, not the person)",
            "applied_at": "row date",
            "decided_at": "row date",
            "delivered_at": "row date",
        },
        rows=(
            Rows(
                "the person's aid applications (aid, status, dates and area kept for the figures)",
                lambda p: AidApplication.contact_id == p.contact_id,
                erase={"contact_id": None, "reason": "", "photo": None, "decision_note": None},
            ),
        ),
    ),
}

REGISTRY: dict[str, TableData] = {**OWNER_TABLES, **STAFF_TABLES}
