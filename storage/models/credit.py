"""Consultants and their appointments, loans, instalments and repayment reminders."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.models.columns import JSONType, json_field, money_field, rate_field


class Consultant(SQLModel, table=True):
    """A KKMB consultant: partner bank, coverage, topics, linked chat contact (one contact per consultant)."""

    __table_args__ = (Index("uq_consultant_contact", "contact_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    bank: str = Field(max_length=80)
    kecamatan: list[str] = json_field(list)
    topics: list[str] = json_field(list)
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
    principal: int = money_field()
    borrower_rate: Decimal = rate_field()
    subsidy_rate: Decimal = rate_field()
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
    amount: int = money_field()
    principal: int = money_field()
    interest: int = money_field()
    paid_on: date | None = None
    paid_amount: int | None = money_field(nullable=True)


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
