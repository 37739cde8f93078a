"""Pinjaman saya: record a loan once (by hand or from a simulation), see what is next, and keep reminders right.

Entry points besides the menu:
- `common.to_loan_from_simulation(...)` (step "from_simulation"): a simulation just made; data keys "amount", "months", "scheme",
  "borrower_rate", "subsidy_rate" (strings, rates as yearly fractions such as "0.06") and optionally "method".
- Reminder buttons `go("loans", "paid", instalment_id)` and `go("loans", "snooze", instalment_id)`.
- A consultant's proposal `go("loans", "confirm_proposed", loan_id)`: the loan becomes active only when its owner
  confirms it.
- A consultant recording a loan for an owner (step "bank", data keys "for_owner" and "booking", from the consultant
  flow): the same questions, then the summary hands the loan to `bot.bookings.proposals.propose_for_owner`.
Every change locks the loan and puts its pending reminder right in the same transaction (bot.reminders).
"""

from __future__ import annotations

from bot.flows.loans import payments, record, view
from bot.flows.loans.flow import FLOW
from bot.flows.loans.record import read_rate

__all__ = ["FLOW", "payments", "read_rate", "record", "view"]
