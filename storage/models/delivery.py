"""What the bot sends: the outbox, the open pushed message of a contact, and the shared send budget."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.models.columns import json_field


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
    options: list[Any] = json_field(list)
    variables: dict[str, Any] = json_field()
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
    options: list[Any] = json_field(list)
    opened_at: datetime
    expires_at: datetime


class SendBudget(SQLModel, table=True):
    """When a channel (key "telegram") or one chat on it ("telegram:<chat>") may next send, in epoch seconds.

    Every process books its sends here, so one channel's rate holds across all of them. Only the channel's row
    uses paused_until (a provider's retry_after).
    """

    __tablename__ = "send_budget"

    key: str = Field(max_length=96, primary_key=True)
    next_free: float
    paused_until: float = 0.0
