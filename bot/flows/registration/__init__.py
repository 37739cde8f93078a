"""Daftar usaha: consent, the owner's and the business's data, a summary to check and fix, then one saved row.

Decisions the issue left open:
- A turnover (omzet) or capital of 0 is accepted ("0", "belum ada"): an owner who has just started may have no
  sales yet. With no sales the size class is read from the capital, as PP 7/2021 does for new businesses.
- A business outside the kabupaten picks the last kecamatan entry ("Di luar ..."), stored as
  `OUTSIDE_KECAMATAN`, with a note; a name not on the list is refused, suggesting the closest name.
- A shared Telegram contact at the phone step is taken as the answer at once (the user chose to send it).
- An NIB holder without the number at hand may skip it (`licence_number` stays empty).
- "Registered" for the menu means `contact.consent_at` is set: saving a registration sets it, erasure clears it.
"""

from bot.flows.registration import business, owner, summary
from bot.flows.registration.flow import FLOW
from bot.flows.registration.readers import match_kecamatan, read_nib

__all__ = [
    "FLOW",
    "business",
    "match_kecamatan",
    "owner",
    "read_nib",
    "summary",
]
