"""Booking konsultan KKMB, the owner's side: a request (topic, consultant, slot, note) and Booking saya.

Notices, reminders and the booking job live in bot/bookings/ (the consultant flow shares them).

Decisions the issue left open:
- Booking needs a registered business: the consultant gets its summary to prepare (an unregistered owner is
  sent to "Daftar usaha" first). A business outside the kabupaten, or in a kecamatan no consultant covers, is
  offered all other active consultants ("nearby"). Consultants are filtered by topic when they list topics.
- Slots are offered on working days only (no public holiday or cuti bersama, no lunch or Friday-prayer break) and
  with a working day's notice (bot/bookings/offered.py, core/office_time.py); five at a time, earliest first.
- "Booking saya" is an option of the first step (shown when the owner has upcoming bookings) and a button on
  every notice; cancel and reschedule work until the meeting starts. A reschedule keeps the status (the slot
  was published as free time; a request still waits for Terima/Tolak) and is recorded in `Booking.history`.
- A consultant without a linked chat: the booking stays requested and every admin contact gets the notice with
  the Terima/Tolak buttons (admins may answer for the secretariat). No admin: it is only logged.
- Reminders go to both sides at 09.00 local the day before and one hour before a confirmed meeting; the
  consultant also gets a follow-up at the end of the meeting to record the outcome. A request unanswered for 4
  office hours is reminded to the consultant once; after a working day the secretariat gets a request and the
  owner is offered another consultant (bot/bookings/nudges.py). A request still unanswered
  when its meeting starts expires (slot freed, owner told with a button to pick another time).
"""

from bot.flows.booking import mine, request
from bot.flows.booking.flow import FLOW

__all__ = ["FLOW", "mine", "request"]
