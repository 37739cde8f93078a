"""Broadcasts without I/O: the audience segment, the checks on a message, and the life cycle's moves."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from core.i18n import _

MAX_TEXT = 1024  # the message with its link fits one message everywhere: WhatsApp template variable, Telegram
MAX_TITLE = 120
MAX_OPTIONS = 3
MAX_OPTION_LABEL = 20  # a WhatsApp quick-reply button title
MAX_LINK = 300

CHANNELS = ("telegram", "whatsapp")
SIZE_CLASSES = ("mikro", "kecil", "menengah")
YES_NO = ("yes", "no")
VERDICTS = ("eligible", "not_eligible", "never")

# Why a contact in the segment gets nothing, in the order they are checked.
ERASED = "erased"
OPTED_OUT = "opted_out"
UNREACHABLE = "unreachable"
NO_CHANNEL = "no_channel"
NO_TEMPLATE = "no_template"
EXCLUSIONS = (ERASED, OPTED_OUT, UNREACHABLE, NO_CHANNEL, NO_TEMPLATE)

DRAFT, SCHEDULED, SENDING, PAUSED, DONE, CANCELLED = (
    "draft",
    "scheduled",
    "sending",
    "paused",
    "done",
    "cancelled",
)
MOVES: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SCHEDULED, CANCELLED}),
    SCHEDULED: frozenset({SENDING, CANCELLED}),
    SENDING: frozenset({PAUSED, DONE, CANCELLED}),
    PAUSED: frozenset({SENDING, CANCELLED}),
}


LIST_FIELDS = ("kecamatan", "sector", "size_class", "channel")
SINGLE_FIELDS = ("registered", "has_loan", "booked", "verdict", "active_days")


class BroadcastError(ValueError):
    """A broadcast that cannot be made or moved as asked; the message is friendly Indonesian."""


@dataclass(frozen=True)
class Segment:
    """Who a broadcast is for: every owner, narrowed by any of these (empty or None means "any")."""

    kecamatan: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    size_class: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    registered: str | None = None
    has_loan: str | None = None
    booked: str | None = None
    verdict: str | None = None
    active_days: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The segment as stored (JSON), without the empty parts."""
        data = asdict(self)
        return {
            key: list(value) if isinstance(value, tuple) else value for key, value in data.items() if value
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        """Reads a stored segment back."""
        values = {key: tuple(data.get(key) or ()) for key in LIST_FIELDS}
        singles = {key: data.get(key) for key in SINGLE_FIELDS}
        return cls(**values, **singles)


def check_segment(segment: Segment, *, kecamatan: tuple[str, ...], sectors: tuple[str, ...]) -> None:
    """Refuses values no owner can have (a typo would silently match nobody)."""
    for values, allowed, name in (
        (segment.kecamatan, kecamatan, _("kecamatan")),
        (segment.sector, sectors, _("sector")),
        (segment.size_class, SIZE_CLASSES, _("size class")),
        (segment.channel, CHANNELS, _("channel")),
    ):
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise BroadcastError(_("Unknown {name}: {values}.").format(name=name, values=", ".join(unknown)))
    for value, allowed in (
        (segment.registered, YES_NO),
        (segment.has_loan, YES_NO),
        (segment.booked, YES_NO),
        (segment.verdict, VERDICTS),
    ):
        if value is not None and value not in allowed:
            raise BroadcastError(_("Unknown segment value: {value}.").format(value=value))
    if segment.active_days is not None and not 1 <= segment.active_days <= 3650:
        raise BroadcastError(_("Active in the last N days takes a number of days from 1 to 3650."))


def full_text(body: str, link: str | None) -> str:
    """The message as owners read it: the text, then the link on its own line."""
    return f"{body.strip()}\n\n{link}" if link else body.strip()


def check_message(*, title: str, body: str, options: list[str], link: str | None) -> list[str]:
    """Every problem with a message, as friendly sentences (empty when it can be sent)."""
    problems = []
    if not title.strip():
        problems.append(_("Give the broadcast a title (only admins see it)."))
    elif len(title) > MAX_TITLE:
        problems.append(_("The title is too long: at most {limit} characters.").format(limit=MAX_TITLE))
    if not body.strip():
        problems.append(_("The message is empty. Write the announcement first."))
    text = full_text(body, link)
    if len(text) > MAX_TEXT:
        problems.append(
            _("The message with its link has {length} characters; at most {limit} fit every channel.").format(
                length=len(text), limit=MAX_TEXT
            )
        )
    if len(options) > MAX_OPTIONS:
        problems.append(_("At most {limit} answer options.").format(limit=MAX_OPTIONS))
    if any(len(option) > MAX_OPTION_LABEL for option in options):
        problems.append(
            _("An answer option has at most {limit} characters (a WhatsApp button).").format(
                limit=MAX_OPTION_LABEL
            )
        )
    if len({option.casefold() for option in options}) < len(options):
        problems.append(_("Two answer options are the same."))
    if link and (len(link) > MAX_LINK or not link.startswith(("https://", "http://")) or " " in link):
        problems.append(_("The link must be a web address starting with https://."))
    return problems


def check_move(current: str, new: str) -> None:
    """Refuses a move the life cycle does not allow, saying why."""
    if new in MOVES.get(current, frozenset()):
        return
    if current == CANCELLED:
        raise BroadcastError(_("This broadcast was cancelled; it cannot be sent or resumed. Make a new one."))
    if current == DONE:
        raise BroadcastError(_("This broadcast has already been sent to everyone."))
    if new == SCHEDULED:
        raise BroadcastError(_("This broadcast has already been sent or scheduled."))
    raise BroadcastError(
        _("This cannot be done while the broadcast is {status}.").format(status=status_label(current))
    )


def status_label(status: str) -> str:
    """A status as the pages and the CLI say it."""
    return {
        DRAFT: _("a draft"),
        SCHEDULED: _("scheduled"),
        SENDING: _("sending"),
        PAUSED: _("paused"),
        DONE: _("done"),
        CANCELLED: _("cancelled"),
    }[status]
