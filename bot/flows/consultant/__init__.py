"""The consultant's side: linking a chat with a one-time code, the agenda, and answering bookings.

Linking: the admin runs `umkm consultant link-code ID` and passes the code on. The consultant sends it in any
form ("kkmb 7Q2M9X", "KKMB-7Q2M9X", or the Telegram deep link "/start KKMB-7Q2M9X"); the engine asks
`shortcut` first, from any state (even a first message), so the code is never taken as an answer. A used code is
cleared; an unknown one gets a kind message. "agenda" or "/agenda" opens the agenda from anywhere too.

Steps reached by buttons on notices (go("consultant", step, booking_id)) act on arrival and are safe to repeat:
`accept` confirms (a second press says it already is), `no_show` records the no-show. `decline` asks for a short
reason and `done` for the outcome. Admins may answer for a consultant who has not linked a chat yet.

After a meeting is done the consultant may record the owner's loan ("Catat pinjaman pemilik"): the loans flow asks
its questions (data "for_owner" and "booking"), then `bot.bookings.proposals.propose_for_owner` stores it as proposed and sends the owner a
button to confirm it (go("loans", "confirm_proposed", loan_id)).
"""

from bot.flows.consultant import agenda, answers
from bot.flows.consultant.flow import FLOW

__all__ = ["FLOW", "agenda", "answers"]
