"""People and what they told us: contacts, conversation state, businesses, eligibility checks, requests to talk to a person, handled message ids."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models.columns import json_field, money_field


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
    data: dict[str, Any] = json_field()
    history: list[Any] = json_field(list)
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
    monthly_turnover: int = money_field()
    capital: int | None = money_field(nullable=True)  # asked at registration only with no sales yet
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
    inputs: dict[str, Any] = json_field()
    result: dict[str, Any] = json_field()
    best_scheme: str | None = Field(default=None, max_length=32)
    created_at: datetime


class HelpRequest(SQLModel, table=True):
    """An owner asked to talk to a person: what they wrote, for the secretariat to answer."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True, ondelete="SET NULL")
    channel: str = Field(max_length=16)
    text: str = Field(max_length=1000)
    created_at: datetime
    answered_at: datetime | None = None


class ProcessedInbound(SQLModel, table=True):
    """A provider message id already handled (Telegram update_id, Twilio MessageSid)."""

    channel: str = Field(max_length=16, primary_key=True)
    message_id: str = Field(max_length=64, primary_key=True)
    processed_at: datetime
