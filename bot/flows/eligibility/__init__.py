"""Cek kelayakan: which KUR scheme or regional credit the owner qualifies for, asking only what is missing.

A registered business supplies its age, turnover, licence, NPWP and sector, and its owner's NIK the age and regency.
An unregistered user answers those questions here (about ten more) rather than being sent to register first: the
check stays quick and needs no identity data (NIK). The amount question offers "register first" as an option for
those who prefer it; the check does not resume by itself after registration.

Questions that cannot change a verdict are skipped and taken in the owner's favour, as core.eligibility does with
an unknown age or regency: NPWP when no scheme whose band holds the amount needs one, marriage when the owner is
old enough for every scheme. Then only the checklist can differ, and its surat nikah line already says "jika sudah
menikah". The stored inputs keep None for a question not asked.
"""

from bot.flows.eligibility import conclusion, questions
from bot.flows.eligibility.flow import FLOW

__all__ = ["FLOW", "conclusion", "questions"]
