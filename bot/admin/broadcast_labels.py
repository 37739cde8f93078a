"""What the broadcast pages offer and show: statuses, filter choices and the kabupaten's lists, in Indonesian."""

from __future__ import annotations

from fastapi import Request

from bot.business_fields import sector_labels
from bot.services import services_of
from core import broadcasts as rules
from core.i18n import _

STATUS_LABELS = {
    rules.DRAFT: _("Status: draft"),
    rules.SCHEDULED: _("Status: scheduled"),
    rules.SENDING: _("Status: sending"),
    rules.PAUSED: _("Status: paused"),
    rules.DONE: _("Status: done"),
    rules.CANCELLED: _("Status: cancelled"),
}
YES_NO_LABELS = {"": _("Filter: all"), "yes": _("Filter: yes"), "no": _("Filter: no")}
VERDICT_LABELS = {
    "": _("Filter: all"),
    "eligible": _("Verdict: eligible (a scheme fits)"),
    "not_eligible": _("Verdict: not eligible yet"),
    "never": _("Verdict: never checked"),
}
SIZE_LABELS = {"mikro": _("Size: micro"), "kecil": _("Size: small"), "menengah": _("Size: medium")}
CHANNEL_LABELS = {"telegram": "Telegram", "whatsapp": "WhatsApp"}


def labels(request: Request) -> dict:
    """What the compose form offers."""
    return {
        "kecamatan_list": services_of(request).settings.profile.kecamatan,
        "sectors": sector_labels(),
        "sizes": SIZE_LABELS,
        "channels": CHANNEL_LABELS,
        "yes_no": YES_NO_LABELS,
        "verdicts": VERDICT_LABELS,
        "status_labels": STATUS_LABELS,
    }
