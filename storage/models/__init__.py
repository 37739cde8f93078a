"""SQLModel tables of Rumah UMKM, the main objects of DESIGN.md, one module per role; importing this registers them all."""

from __future__ import annotations

from storage.models.credit import (
    ACTIVE_BOOKING,
    PENDING_REMINDER,
    Booking,
    Consultant,
    Instalment,
    Loan,
    Reminder,
    Slot,
)
from storage.models.delivery import Outbox, PushedContext, SendBudget
from storage.models.owners import (
    Business,
    Contact,
    Conversation,
    EligibilityCheck,
    HelpRequest,
    ProcessedInbound,
)
from storage.models.programme import (
    Admin,
    AdminNotice,
    AidApplication,
    AuditLog,
    Broadcast,
    BroadcastRecipient,
    FollowUpSurvey,
)

__all__ = [
    "ACTIVE_BOOKING",
    "Admin",
    "AdminNotice",
    "AidApplication",
    "AuditLog",
    "Booking",
    "Broadcast",
    "BroadcastRecipient",
    "Business",
    "Consultant",
    "Contact",
    "Conversation",
    "EligibilityCheck",
    "FollowUpSurvey",
    "HelpRequest",
    "Instalment",
    "Loan",
    "Outbox",
    "PENDING_REMINDER",
    "ProcessedInbound",
    "PushedContext",
    "Reminder",
    "SendBudget",
    "Slot",
]
