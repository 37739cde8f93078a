"""SQLModel tables of Rumah UMKM: the main objects of DESIGN.md."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Numeric, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONType = JSON().with_variant(JSONB(), "postgresql")


def _json_field(default_factory: Any = dict) -> Any:
    """A JSON column (JSONB on PostgreSQL) with a default."""
    return Field(default_factory=default_factory, sa_column=Column(JSONType, nullable=False))


def _money_field(*, nullable: bool = False, default: int | None = None) -> Any:
    """A whole-Rupiah column wide enough for miliar and triliun."""
    return Field(default=default, sa_type=BigInteger, nullable=nullable)


def _rate_field() -> Any:
    """A yearly rate stored exactly as a decimal fraction."""
    return Field(default=Decimal(0), sa_type=Numeric(8, 6), nullable=False)


class Contact(SQLModel, table=True):
    """One person on one channel, with role, consent and reachability."""

    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_contact_channel_external"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    role: str = Field(default="owner", max_length=16)
    display_name: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=20)
    language: str = Field(default="id", max_length=8)
    consent_at: datetime | None = None
    broadcasts_opt_out: bool = False
    unreachable_reason: str | None = Field(default=None, max_length=200)
    last_inbound_at: datetime | None = None
    erased_at: datetime | None = None
    created_at: datetime


class Conversation(SQLModel, table=True):
    """Where one contact stands in a flow: step, collected data, way back."""

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    flow: str = Field(max_length=32)
    step: str = Field(max_length=48)
    data: dict[str, Any] = _json_field()
    history: list[Any] = _json_field(list)
    misses: int = 0
    updated_at: datetime


class Business(SQLModel, table=True):
    """A registered business and its owner's personal data (sensitive: NIK)."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", unique=True, ondelete="CASCADE")
    owner_name: str = Field(max_length=120)
    phone: str | None = Field(default=None, max_length=20)
    nik: str | None = Field(default=None, max_length=16)
    name: str = Field(max_length=120)
    sector: str = Field(max_length=32)
    kecamatan: str = Field(max_length=80)
    desa: str = Field(max_length=80)
    started_on: date
    monthly_turnover: int = _money_field()
    capital: int | None = _money_field(nullable=True)  # asked at registration only with no sales yet
    employees: int | None = None  # None: asked later (profile)
    licence_type: str = Field(default="none", max_length=8)
    licence_number: str | None = Field(default=None, max_length=32)
    has_npwp: bool | None = None  # None: not asked yet (the eligibility check asks when it matters)
    size_class: str = Field(max_length=16)
    created_at: datetime
    updated_at: datetime


class EligibilityCheck(SQLModel, table=True):
    """One eligibility assessment: inputs, per-scheme result, rules version."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True, ondelete="SET NULL")
    checked_on: date
    rules_version: str = Field(max_length=32)
    inputs: dict[str, Any] = _json_field()
    result: dict[str, Any] = _json_field()
    best_scheme: str | None = Field(default=None, max_length=32)
    created_at: datetime


class Consultant(SQLModel, table=True):
    """A KKMB consultant: partner bank, coverage, topics, linked chat contact (one contact per consultant)."""

    __table_args__ = (Index("uq_consultant_contact", "contact_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    bank: str = Field(max_length=80)
    kecamatan: list[str] = _json_field(list)
    topics: list[str] = _json_field(list)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    link_code: str | None = Field(default=None, max_length=16, unique=True)
    active: bool = True
    created_at: datetime


class Slot(SQLModel, table=True):
    """A consultant's bookable time (capacity one)."""

    __table_args__ = (UniqueConstraint("consultant_id", "starts_at", name="uq_slot_consultant_start"),)

    id: int | None = Field(default=None, primary_key=True)
    consultant_id: int = Field(foreign_key="consultant.id", ondelete="CASCADE")
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    place: str = Field(default="secretariat", max_length=16)


ACTIVE_BOOKING = "status IN ('requested', 'confirmed')"


class Booking(SQLModel, table=True):
    """An owner's booking of a slot; the database allows one active booking per slot and per owner and consultant."""

    # `history` lists every event ({"at", "event", "by", and for a reschedule "from_slot"/"to_slot"}): a reschedule
    # keeps the row and moves `slot_id`, which frees the old slot.

    __table_args__ = (
        Index(
            "uq_booking_active_slot",
            "slot_id",
            unique=True,
            sqlite_where=text(ACTIVE_BOOKING),
            postgresql_where=text(ACTIVE_BOOKING),
        ),
        Index(
            "uq_booking_active_owner_consultant",
            "owner_contact_id",
            "consultant_id",
            unique=True,
            sqlite_where=text(ACTIVE_BOOKING),
            postgresql_where=text(ACTIVE_BOOKING),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id")
    consultant_id: int = Field(foreign_key="consultant.id", index=True)
    owner_contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    business_id: int | None = Field(default=None, foreign_key="business.id", ondelete="SET NULL")
    topic: str = Field(max_length=32)
    note: str | None = Field(default=None, max_length=1000)
    status: str = Field(default="requested", max_length=16)
    outcome: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=200)
    history: list[Any] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False, server_default=text("'[]'"))
    )
    created_at: datetime
    updated_at: datetime


class Loan(SQLModel, table=True):
    """A loan an owner has taken, from a simulation or entered by hand."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    bank: str = Field(max_length=80)
    scheme: str = Field(max_length=32)
    principal: int = _money_field()
    borrower_rate: Decimal = _rate_field()
    subsidy_rate: Decimal = _rate_field()
    months: int
    method: str = Field(default="annuity", max_length=16)
    disbursed_on: date
    due_day: int
    status: str = Field(default="active", max_length=16)
    reminders_paused: bool = False
    created_at: datetime
    time_zone: str = Field(
        default="Asia/Jakarta", max_length=32, sa_column_kwargs={"server_default": "Asia/Jakarta"}
    )
    proposed_by: int | None = Field(default=None, foreign_key="contact.id", index=True, ondelete="SET NULL")
    closed_on: date | None = None


class Instalment(SQLModel, table=True):
    """One scheduled repayment of a loan and whether it was paid."""

    __table_args__ = (UniqueConstraint("loan_id", "number", name="uq_instalment_loan_number"),)

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="loan.id", ondelete="CASCADE")
    number: int
    due_on: date = Field(index=True)
    amount: int = _money_field()
    principal: int = _money_field()
    interest: int = _money_field()
    paid_on: date | None = None
    paid_amount: int | None = _money_field(nullable=True)


class Outbox(SQLModel, table=True):
    """A business-initiated message, written before it is sent, delivered once."""

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True, ondelete="SET NULL")
    channel: str = Field(max_length=16)
    recipient: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    priority: int = 0
    body: str
    options: list[Any] = _json_field(list)
    variables: dict[str, Any] = _json_field()
    send_key: str = Field(max_length=160, unique=True)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime
    claimed_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=64)
    provider_message_id: str | None = Field(default=None, max_length=64, index=True)
    delivery_status: str | None = Field(default=None, max_length=16)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime
    sent_at: datetime | None = None


class PushedContext(SQLModel, table=True):
    """The options of the latest business-initiated message to a contact, answerable until it expires."""

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)
    options: list[Any] = _json_field(list)
    opened_at: datetime
    expires_at: datetime


class FollowUpSurvey(SQLModel, table=True):
    """One follow-up survey of an owner after a loan (six-monthly, or started by an admin): asked, answered, lapsed.

    The baseline and the area are copied in when it is asked, so the impact figures survive the owner's erasure.
    Answers: turnover is the monthly turnover now in whole Rupiah (a daily or weekly one converted), employees the
    number of workers now not counting the owner (as at registration), new_line whether a new business line was
    opened, helped the id of how the loan helped (core.survey.HELPED). Each is saved as it comes; None = not
    answered (skipped or not reached). `progress` counts the questions passed (answered or skipped), 0 to 4.
    Status: asked -> answered | skipped | expired | opted_out, by core.survey.closing_status: 'answered' as soon as
    the survey closes with at least one question answered, whichever way it closes (the owner reached the end or
    said no more, the 14 days passed, or the owner opted out); with none answered it is 'skipped' (reached the end
    or declined), 'expired' (the 14 days passed) or 'opted_out' (sent berhenti while it was open). answered_at is
    the time of the last answer.
    """

    __table_args__ = (UniqueConstraint("contact_id", "due_on", name="uq_followupsurvey_contact_due"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True, ondelete="SET NULL")
    loan_id: int | None = Field(default=None, foreign_key="loan.id", ondelete="SET NULL")
    broadcast_id: int | None = Field(default=None, foreign_key="broadcast.id", ondelete="SET NULL")
    due_on: date = Field(index=True)
    kecamatan: str = Field(max_length=80)
    sector: str = Field(max_length=32)
    baseline_turnover: int = _money_field()
    baseline_employees: int | None = None  # None: the owner had not said at registration
    status: str = Field(default="asked", max_length=16, index=True)
    asked_at: datetime
    answer_by: datetime
    turnover: int | None = _money_field(nullable=True)
    employees: int | None = None
    new_line: bool | None = None
    helped: str | None = Field(default=None, max_length=32)
    answered_at: datetime | None = None
    progress: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class HelpRequest(SQLModel, table=True):
    """An owner asked to talk to a person: what they wrote, for the secretariat to answer."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True, ondelete="SET NULL")
    channel: str = Field(max_length=16)
    text: str = Field(max_length=1000)
    created_at: datetime
    answered_at: datetime | None = None


class Broadcast(SQLModel, table=True):
    """A programme announcement: message and options, segment, schedule, life cycle and fan-out position.

    Status: draft -> scheduled -> sending -> done; sending <-> paused; draft, scheduled, sending and paused ->
    cancelled. `cursor` is the last contact id fanned out (keyset), so a restart continues where it stopped.
    Kind: 'message' (an announcement) or 'survey' (the follow-up survey sent to a segment, bot/survey.py).
    """

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    body: str
    options: list[Any] = _json_field(list)
    link: str | None = Field(default=None, max_length=300)
    segment: dict[str, Any] = _json_field()
    status: str = Field(default="draft", max_length=16, index=True)
    kind: str = Field(default="message", max_length=16, sa_column_kwargs={"server_default": "message"})
    scheduled_at: datetime | None = None
    admin_id: int | None = Field(default=None, foreign_key="admin.id", ondelete="SET NULL")
    created_by: str = Field(max_length=160)
    form_key: str | None = Field(default=None, max_length=40, unique=True)  # one draft per compose form
    notify_admin: bool = False  # tell the creating admin when it finishes (storage.notices)
    cursor: int = 0
    queued: int = 0
    excluded: int = 0
    fanned_out_at: datetime | None = None
    finished_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class BroadcastRecipient(SQLModel, table=True):
    """One contact a broadcast reached or excluded (with the reason), its outbox row, and its answer."""

    broadcast_id: int = Field(foreign_key="broadcast.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    outbox_id: int | None = None
    excluded: str | None = Field(default=None, max_length=16)
    answer: int | None = None
    answered_at: datetime | None = None


class ProcessedInbound(SQLModel, table=True):
    """A provider message id already handled (Telegram update_id, Twilio MessageSid)."""

    channel: str = Field(max_length=16, primary_key=True)
    message_id: str = Field(max_length=64, primary_key=True)
    processed_at: datetime


PENDING_REMINDER = "status = 'pending'"


class Reminder(SQLModel, table=True):
    """A repayment reminder: the one a loan waits for (pending), or a record of one sent, skipped or cancelled."""

    __table_args__ = (
        Index(
            "ix_reminder_pending_due",
            "due_at",
            sqlite_where=text(PENDING_REMINDER),
            postgresql_where=text(PENDING_REMINDER),
        ),
        Index(
            "uq_reminder_pending_loan",
            "loan_id",
            unique=True,
            sqlite_where=text(PENDING_REMINDER),
            postgresql_where=text(PENDING_REMINDER),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="loan.id", index=True, ondelete="CASCADE")
    # No foreign key (nor index) of its own: instalments are only ever deleted with their loan, whose key cascades
    # here; one index fewer to update on every reminder written.
    instalment_id: int
    kind: str = Field(max_length=16)
    planned_at: datetime
    due_at: datetime
    status: str = Field(default="pending", max_length=16)
    done_at: datetime | None = None
    created_at: datetime


class SendBudget(SQLModel, table=True):
    """When a channel (key "telegram") or one chat on it ("telegram:<chat>") may next send, in epoch seconds.

    Every process books its sends here, so one channel's rate holds across all of them. Only the channel's row
    uses paused_until (a provider's retry_after).
    """

    __tablename__ = "send_budget"

    key: str = Field(max_length=96, primary_key=True)
    next_free: float
    paused_until: float = 0.0


class Admin(SQLModel, table=True):
    """A person at the Dinas who signs in to /admin: role admin (everything) or viewer (read-only)."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=160, unique=True)
    name: str = Field(max_length=120)
    role: str = Field(default="admin", max_length=16)
    password_hash: str = Field(max_length=255)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None
    last_login_at: datetime | None = None
    created_at: datetime
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")  # linked chat
    link_code: str | None = Field(default=None, max_length=16)  # one-time, to link a chat

    __table_args__ = (
        Index("uq_admin_contact", "contact_id", unique=True),
        Index("uq_admin_link_code", "link_code", unique=True),
    )


class AdminNotice(SQLModel, table=True):
    """A notice to one admin that their broadcast finished (done or cancelled); once per broadcast, read or not."""

    __table_args__ = (UniqueConstraint("admin_id", "broadcast_id", name="uq_adminnotice_admin_broadcast"),)

    id: int | None = Field(default=None, primary_key=True)
    admin_id: int = Field(foreign_key="admin.id", index=True, ondelete="CASCADE")
    broadcast_id: int = Field(foreign_key="broadcast.id", ondelete="CASCADE")
    outcome: str = Field(max_length=16)
    created_at: datetime
    read_at: datetime | None = None


class AuditLog(SQLModel, table=True):
    """One admin action: who (admin id and email as it was), what, about which record, when."""

    id: int | None = Field(default=None, primary_key=True)
    admin_id: int | None = Field(default=None, foreign_key="admin.id", index=True, ondelete="SET NULL")
    actor: str = Field(max_length=160)
    action: str = Field(max_length=48)
    detail: dict[str, Any] = _json_field()
    at: datetime = Field(index=True)


class AidApplication(SQLModel, table=True):
    """An owner's application for aid a profile offers, one per owner, aid and period, and what became of it.

    Status: applied -> approved -> delivered, or applied -> declined (core/aid.py). The area is copied in when
    it is made, so the figures survive the owner's erasure (which drops the reason, photo and link to them).
    """

    __table_args__ = (
        UniqueConstraint("contact_id", "aid_id", "period", name="uq_aidapplication_contact_aid_period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True, ondelete="SET NULL")
    aid_id: str = Field(max_length=48, index=True)
    period: str = Field(max_length=24)
    kecamatan: str = Field(max_length=80)
    reason: str = Field(max_length=500)
    photo: str | None = Field(default=None, max_length=500)  # the channel's file id or media URL
    status: str = Field(default="applied", max_length=16, index=True)
    decision_note: str | None = Field(default=None, max_length=500)
    decided_by: str | None = Field(default=None, max_length=160)
    applied_at: datetime = Field(index=True)
    decided_at: datetime | None = None
    delivered_at: datetime | None = None
