"""Where personal data lives, continued: the staff, programme and bookkeeping tables (storage/personal_data.py).

Consultants and Dinas staff keep their work names; what links them to a chat is erased on their own request.
Broadcasts, reminders and pacing hold no owner's data beyond an anonymised contact id or a chat key.
"""

from __future__ import annotations

from storage.erasure_rules import Rows, TableData
from storage.models import Admin, Consultant, SendBudget

STAFF_TABLES: dict[str, TableData] = {
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
    "admin": TableData(
        personal={"contact_id": "the staff member's own linked chat"},
        not_personal={
            "link_code": "one-time code",
            "id": "row id",
            "email": "a Dinas staff member's work address, kept while the account exists (not a chat user's data)",
            "name": "a staff member's work name, like a consultant's",
            "role": "admin or viewer",
            "password_hash": "an argon2 hash",
            "active": "a flag",
            "failed_logins": "a count",
            "locked_until": "time",
            "last_login_at": "time",
            "created_at": "row date",
        },
        rows=(
            Rows(
                "a staff member erasing their own linked chat",
                lambda p: Admin.contact_id == p.contact_id,
                erase={"contact_id": None},
            ),
        ),
    ),
    "adminnotice": TableData(
        personal={},
        not_personal={
            "id": "row id",
            "admin_id": "the staff account",
            "broadcast_id": "the broadcast",
            "outcome": "done or cancelled",
            "created_at": "time",
            "read_at": "time",
        },
    ),
    "auditlog": TableData(
        personal={},
        not_personal={
            "id": "row id",
            "admin_id": "the staff account",
            "actor": "the staff member's work address (or 'cli')",
            "action": "what was done",
            "detail": "record ids and staff or consultant names, never an owner's data",
            "at": "time",
        },
    ),
    "broadcast": TableData(
        personal={},
        not_personal={
            "id": "row id",
            "title": "the admins' title",
            "body": "the admins' announcement",
            "options": "the announcement's answer options",
            "link": "the announcement's link",
            "segment": "filter",
            "status": "status",
            "kind": "announcement or survey",
            "scheduled_at": "time",
            "admin_id": "the staff account",
            "created_by": "staff work address",
            "form_key": "a random form token",
            "notify_admin": "a flag",
            "cursor": "fan-out position (a contact id, no data)",
            "queued": "a count",
            "excluded": "a count",
            "fanned_out_at": "time",
            "finished_at": "time",
            "created_at": "row date",
            "updated_at": "time",
        },
    ),
    "broadcastrecipient": TableData(
        personal={},
        not_personal={
            "broadcast_id": "the broadcast",
            "contact_id": "the anonymised contact (kept so answers per option still count)",
            "outbox_id": "the outbox row, itself erased",
            "excluded": "a reason code",
            "answer": "the option number chosen, anonymous once the contact is erased",
            "answered_at": "time",
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
        not_personal=dict.fromkeys(
            (
                "id",
                "loan_id",
                "instalment_id",
                "kind",
                "planned_at",
                "due_at",
                "status",
                "done_at",
                "created_at",
            ),
            "schedule bookkeeping",
        ),
    ),
}
