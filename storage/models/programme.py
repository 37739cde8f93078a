"""The Dinas's side: broadcasts and their recipients, follow-up surveys, aid applications, admin accounts, notices and the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.columns import json_field, money_field


class Broadcast(SQLModel, table=True):
    """A programme announcement: message and options, segment, schedule, life cycle and fan-out position.

    Status: draft -> scheduled -> sending -> done; sending <-> paused; draft, scheduled, sending and paused ->
    cancelled. `cursor` is the last contact id fanned out (keyset), so a restart continues where it stopped.
    Kind: 'message' (an announcement) or 'survey' (the follow-up survey sent to a segment, bot/survey.py).
    """

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    body: str
    options: list[Any] = json_field(list)
    link: str | None = Field(default=None, max_length=300)
    segment: dict[str, Any] = json_field()
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
    baseline_turnover: int = money_field()
    baseline_employees: int | None = None  # None: the owner had not said at registration
    status: str = Field(default="asked", max_length=16, index=True)
    asked_at: datetime
    answer_by: datetime
    turnover: int | None = money_field(nullable=True)
    employees: int | None = None
    new_line: bool | None = None
    helped: str | None = Field(default=None, max_length=32)
    answered_at: datetime | None = None
    progress: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


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
    detail: dict[str, Any] = json_field()
    at: datetime = Field(index=True)
