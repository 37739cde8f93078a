"""KKMB consultants, their slots and the secretariat's open requests from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli_base import (
    CliError,
    command,
    friendly,
    in_db,
    local_today,
    read_clock_time,
    read_day,
    read_names,
    read_one_of,
    read_whole,
    require,
)
from bot.clock import SystemClock
from bot.settings import Settings
from core.i18n import _

CONSULTANT_EXAMPLE = 'umkm consultant add --name "Siti Rahmawati" --bank "BRI Unit Muara Enim" --kecamatan "Muara Enim,Lawang Kidul"'
SLOTS_EXAMPLE = "umkm slots generate --consultant 1 --from 2026-11-23 --to 2026-12-18"


def add_parsers(sub: Any) -> None:
    """The parsers of `umkm consultant ...`, `umkm slots generate` and `umkm requests`."""
    consultant = sub.add_parser("consultant", help="manage KKMB consultants")
    actions = consultant.add_subparsers(dest="consultant_command", required=True)
    add = actions.add_parser("add", help="add a consultant")
    add.add_argument("--name", help="full name, e.g. 'Siti Rahmawati'")
    add.add_argument("--bank", help="partner bank, e.g. 'BRI Unit Muara Enim'")
    add.add_argument("--kecamatan", help="kecamatan covered, comma-separated, as in the kabupaten profile")
    add.add_argument("--topics", help="kur,subsidi_daerah,perizinan,pembukuan,lainnya (default: all)")
    actions.add_parser("list", help="list consultants, their coverage and linked chat")
    for name, help_text in (
        ("deactivate", "stop offering a consultant"),
        ("link-code", "print a one-time code to link the consultant's chat"),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument(
            "consultant_id", metavar="ID", help="the consultant's id (see: umkm consultant list)"
        )
    slots = sub.add_parser("slots", help="manage consultants' bookable slots")
    slot_actions = slots.add_subparsers(dest="slots_command", required=True)
    generate = slot_actions.add_parser("generate", help="generate slots from office hours")
    generate.add_argument("--consultant", help="the consultant's id")
    generate.add_argument("--from", dest="first", help="first day, e.g. 2026-11-23")
    generate.add_argument("--to", dest="last", help="last day, e.g. 2026-12-18")
    generate.add_argument("--weekdays", help="ISO weekdays, 1 = Senin, e.g. 1,2,3 (default: office days)")
    generate.add_argument("--start", help="first slot starts, e.g. 09:00 (default: office opening)")
    generate.add_argument("--end", help="last slot ends by, e.g. 12:00 (default: office closing)")
    generate.add_argument("--minutes", help="length of one slot (default 60)")
    generate.add_argument("--place", default="secretariat", help="secretariat (default), phone or video")
    sub.add_parser("requests", help="list the open requests to talk to a person (for the secretariat)")


async def _consultant_or_fail(session: Any, consultant_id: int) -> Any:
    """Loads a consultant, or stops with a friendly error."""
    from storage.consultants import get_consultant

    consultant = await get_consultant(session=session, consultant_id=consultant_id)
    if consultant is None:
        raise CliError(
            _("There is no consultant with id {id}. See: umkm consultant list").format(id=consultant_id)
        )
    return consultant


@command("consultant")
@friendly
def run_consultant(args: argparse.Namespace, settings: Settings) -> int:
    """Adds, lists and deactivates KKMB consultants, and makes their one-time chat link codes."""
    from bot.consultant_admin import fresh_link_code
    from core.booking import TOPICS
    from storage.consultants import add_consultant, deactivate_consultant, list_consultants

    action = args.consultant_command
    if action == "add":
        require(args, {"name": "--name", "bank": "--bank", "kecamatan": "--kecamatan"}, CONSULTANT_EXAMPLE)
        kecamatan = read_names(args.kecamatan, settings.profile.kecamatan, "--kecamatan")
        topics = read_names(args.topics, TOPICS, "--topics") if args.topics else list(TOPICS)
    consultant_id = read_whole(getattr(args, "consultant_id", None), "ID", minimum=1)

    async def add(session: Any) -> str:
        """Adds the consultant."""
        now = SystemClock().now()
        consultant = await add_consultant(
            session=session, name=args.name, bank=args.bank, kecamatan=kecamatan, topics=topics, now=now
        )
        text = _("Consultant {id} added: {name} ({bank}). Next: umkm consultant link-code {id}")
        return text.format(id=consultant.id, name=consultant.name, bank=consultant.bank)

    async def listing(session: Any) -> str:
        """Lists every consultant."""
        from storage.contacts import contact_by_id

        lines = []
        for consultant in await list_consultants(session=session):
            contact = consultant.contact_id and await contact_by_id(
                session=session, contact_id=consultant.contact_id
            )
            line = _("{id}. {name} ({bank}), {state}, chat: {chat}, kecamatan: {kecamatan}").format(
                id=consultant.id,
                name=consultant.name,
                bank=consultant.bank,
                state=_("consultant active") if consultant.active else _("consultant inactive"),
                chat=contact.channel if contact else _("not linked yet"),
                kecamatan=", ".join(consultant.kecamatan) or "-",
            )
            lines.append(line)
        return "\n".join(lines) or _("No consultants yet. Add one with: {example}").format(
            example=CONSULTANT_EXAMPLE
        )

    async def deactivate(session: Any) -> str:
        """Deactivates the consultant."""
        consultant = await _consultant_or_fail(session, consultant_id)
        await deactivate_consultant(session=session, consultant_id=consultant.id)
        text = _(
            "Consultant {id} ({name}) is now inactive: owners no longer see them. Existing bookings stay."
        )
        return text.format(id=consultant.id, name=consultant.name)

    async def link_code(session: Any) -> str:
        """Makes a fresh one-time link code."""
        consultant = await _consultant_or_fail(session, consultant_id)
        code = await fresh_link_code(session=session, consultant=consultant)
        text = _(
            "Link code for {name}: {code}\nAsk {name} to send this code to the bot on Telegram or WhatsApp "
            "(or open the bot's Telegram link with ?start={code}). It works once."
        )
        return text.format(name=consultant.name, code=code)

    work = {"add": add, "list": listing, "deactivate": deactivate, "link-code": link_code}[action]
    print(in_db(settings, work))
    return 0


@command("slots")
@friendly
def run_slots(args: argparse.Namespace, settings: Settings) -> int:
    """Generates a consultant's bookable slots from office hours; slots that exist already are kept."""
    from bot.consultant_admin import generate_slots
    from core.booking import PLACES

    require(args, {"consultant": "--consultant", "first": "--from", "last": "--to"}, SLOTS_EXAMPLE)
    profile, today = settings.profile, local_today(settings)
    first, last = read_day(args.first, today), read_day(args.last, today)
    if first is None or last is None or last < first:
        raise CliError(
            _("--to must not be before --from. For example: {example}").format(example=SLOTS_EXAMPLE)
        )
    weekdays = (
        {int(day) for day in read_names(args.weekdays, ("1", "2", "3", "4", "5", "6", "7"), "--weekdays")}
        if args.weekdays
        else set(profile.office_weekdays)
    )
    opens = read_clock_time(args.start, "--start") if args.start else profile.office_opens
    closes = read_clock_time(args.end, "--end") if args.end else profile.office_closes
    minutes = read_whole(args.minutes, "--minutes", minimum=1, default=60)
    place = read_one_of(args.place, "--place", PLACES)
    consultant_id = read_whole(args.consultant, "--consultant", minimum=1)

    async def generate(session: Any) -> str:
        """Adds the slots."""
        consultant = await _consultant_or_fail(session, consultant_id)
        added, kept = await generate_slots(
            session=session,
            consultant=consultant,
            first=first,
            last=last,
            weekdays=weekdays,
            opens=opens,
            closes=closes,
            minutes=minutes,
            place=place,
            zone=settings.zone,
        )
        text = _("Added {added} slots for {name} ({kept} existed already).")
        return text.format(added=added, name=consultant.name, kept=kept)

    print(in_db(settings, generate))
    return 0


@command("requests")
def run_requests(args: argparse.Namespace, settings: Settings) -> int:
    """Lists the open requests to talk to a person, oldest first, for the secretariat."""
    from bot.privacy import mask
    from storage.help_requests import open_requests

    zone = settings.zone

    async def listing(session: Any) -> str:
        """The open requests, one a line: when, channel, who (masked) and what they wrote."""
        found = await open_requests(session=session)
        if not found:
            return _("No open requests to talk to a person.")
        lines = []
        for request, contact in found:
            who = (contact.display_name if contact else None) or mask(contact.external_id if contact else "-")
            when = request.created_at.astimezone(zone).strftime("%Y-%m-%d %H.%M")
            lines.append(
                _("{when} {channel} {who}: {text}").format(
                    when=when, channel=request.channel, who=who, text=request.text
                )
            )
        return "\n".join(lines)

    print(in_db(settings, listing))
    return 0
