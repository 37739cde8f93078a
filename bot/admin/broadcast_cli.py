"""`umkm broadcast create|preview|send|status|cancel`: the broadcast pages' actions for scripts."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cli_base import CliError, command, friendly
from bot.clock import Clock, SystemClock
from bot.services import Services
from bot.settings import Settings
from core.broadcasts import BroadcastError, Segment
from core.i18n import _

ACTOR = "cli"
EXAMPLE = (
    'umkm broadcast create --title "Pelatihan kemasan" --message "Pelatihan gratis Senin 09.00 di Aula Dinas." '
    '--option "Ya, saya ikut" --option "Tidak" --kecamatan "Muara Enim"'
)


def services_for(settings: Settings, db: AsyncEngine, clock: Clock) -> Services:
    """The services a broadcast needs outside the web app (no channels, no governors): the CLI, the benchmark."""
    from bot.claims import worker_id
    from bot.engine import Engine
    from storage.db import session_maker

    sessions = session_maker(db)
    engine = Engine(sessions=sessions, clock=clock, profile=settings.profile)
    return Services(settings, clock, db, sessions, engine, {}, worker_id(settings))


def _run(settings: Settings, work: Callable[[Any, Services], Awaitable[str]]) -> str:
    """Runs `work(session, services)` in one transaction on the configured database."""
    from storage.db import make_engine, transaction

    async def run() -> str:
        """Opens the database, runs the work and closes the database."""
        db = make_engine(settings.database_url)
        services = services_for(settings, db, SystemClock())
        sessions = services.sessions
        try:
            async with transaction(sessions) as session:
                return await work(session, services)
        finally:
            await db.dispose()

    try:
        return asyncio.run(run())
    except BroadcastError as error:
        raise CliError(str(error)) from None


async def _audited(session: Any, services: Services, action: str, broadcast_id: int | None) -> None:
    """Records a CLI action on a broadcast in the audit log (actor "cli")."""
    from storage import audit

    await audit.record(
        session=session,
        actor=ACTOR,
        action=action,
        now=services.clock.now(),
        detail={"broadcast": broadcast_id},
    )


def _segment(args: argparse.Namespace) -> Segment:
    """The segment given by the options."""

    def listed(text: str | None) -> tuple[str, ...]:
        return tuple(part.strip() for part in (text or "").split(",") if part.strip())

    return Segment(
        kecamatan=listed(args.kecamatan),
        sector=listed(args.sector),
        size_class=listed(args.size),
        channel=listed(args.channel),
        registered=args.registered,
        has_loan=args.has_loan,
        booked=args.booked,
        verdict=args.verdict,
        active_days=args.active_days,
    )


def _audience_lines(reach: Any) -> list[str]:
    """The audience as lines: reached, excluded per reason, the masked sample."""
    from bot.broadcasts import exclusion_label

    lines = [
        _("Recipients: {reached}; excluded: {excluded}.").format(
            reached=reach.reached, excluded=reach.excluded_total
        )
    ]
    lines += [f"  - {exclusion_label(reason)}: {count}" for reason, count in reach.excluded.items()]
    if reach.sample:
        sample = ", ".join(f"{name} ({channel})" for name, channel in reach.sample)
        lines.append(_("Sample: {sample}").format(sample=sample))
    return lines


@command("broadcast")
@friendly
def run_broadcast(args: argparse.Namespace, settings: Settings) -> int:
    """Creates, previews, sends, follows and cancels programme broadcasts."""
    from bot import broadcasts as service
    from bot.broadcast_progress import progress
    from core.broadcasts import status_label
    from storage.broadcasts import get_broadcast

    async def create(session: Any, services: Services) -> str:
        """Stores the draft (with --survey: the follow-up survey to the segment, bot/survey.py)."""
        if args.survey:
            from bot.survey import create_for_segment

            survey = await create_for_segment(
                session,
                services,
                title=args.title or "",
                segment=_segment(args),
                by=ACTOR,
                admin_id=None,
                form_key="",
            )
            await _audited(session, services, "survey.create", survey.id)
            return _("Survey {id} saved as a draft. Next: umkm broadcast preview {id}").format(id=survey.id)
        broadcast = await service.create(
            session,
            services,
            title=args.title or "",
            body=args.message or "",
            options=args.option or [],
            link=args.link,
            segment=_segment(args),
            by=ACTOR,
            admin_id=None,
        )
        await _audited(session, services, "broadcast.create", broadcast.id)
        return _("Broadcast {id} saved as a draft. Next: umkm broadcast preview {id}").format(id=broadcast.id)

    async def loaded(session: Any) -> Any:
        """The broadcast named on the command line."""
        broadcast = await get_broadcast(session=session, broadcast_id=args.broadcast_id)
        if broadcast is None:
            raise CliError(_("There is no broadcast {id}.").format(id=args.broadcast_id))
        return broadcast

    async def preview(session: Any, services: Services) -> str:
        """The message as owners read it, and who gets it."""
        broadcast = await loaded(session)
        reach = await service.audience(
            session, services, Segment.from_dict(broadcast.segment), broadcast.kind
        )
        options = "\n".join(f"{n}. {label}" for n, label in enumerate(broadcast.options, 1))
        text = service.message_text(broadcast)
        return "\n".join([text, *([options] if options else []), "", *_audience_lines(reach)])

    async def send(session: Any, services: Services) -> str:
        """Sends now or at --at (local time)."""
        at = None
        if args.at:
            try:
                at = datetime.fromisoformat(args.at).replace(tzinfo=settings.zone)
            except ValueError:
                raise CliError(_("--at takes a local date and time such as 2026-12-01 09:00.")) from None
        broadcast, reach = await service.schedule(session, services, args.broadcast_id, at)
        await _audited(session, services, "broadcast.send", broadcast.id)
        when = broadcast.scheduled_at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M")
        return _("Broadcast {id} will go to {reached} owners from {when} (the worker sends it).").format(
            id=broadcast.id, reached=reach.reached, when=when
        )

    async def status(session: Any, services: Services) -> str:
        """The figures right now."""
        broadcast = await loaded(session)
        figures = await progress(session, services, broadcast)
        lines = [
            f"{broadcast.id}. {broadcast.title}: {status_label(broadcast.status)}",
            _(
                "queued {queued}, sent {sent}, delivered {delivered}, read {read}, failed {failed}, cancelled {cancelled}, excluded {excluded}"
            ).format(
                queued=figures.queued,
                sent=figures.sent,
                delivered=figures.delivered,
                read=figures.read,
                failed=figures.failed,
                cancelled=figures.cancelled,
                excluded=figures.excluded_total,
            ),
        ]
        lines += [f"  {label}: {count}" for label, count in figures.answers]
        return "\n".join(lines)

    async def cancel(session: Any, services: Services) -> str:
        """Cancels what is not yet sent."""
        broadcast, stopped = await service.cancel(session, services, args.broadcast_id)
        await _audited(session, services, "broadcast.cancel", broadcast.id)
        return _("Broadcast {id} cancelled; {stopped} messages not yet sent were stopped.").format(
            id=broadcast.id, stopped=stopped
        )

    if args.broadcast_command == "create" and not args.survey and not (args.title and args.message):
        raise CliError(_("Missing: --title and --message. For example: {example}").format(example=EXAMPLE))
    work = {"create": create, "preview": preview, "send": send, "status": status, "cancel": cancel}
    print(_run(settings, work[args.broadcast_command]))
    return 0


def add_parsers(sub: Any) -> None:
    """The parser of `umkm broadcast ...`."""
    broadcast = sub.add_parser("broadcast", help="programme broadcasts to owners")
    actions = broadcast.add_subparsers(dest="broadcast_command", required=True)
    create = actions.add_parser("create", help="save a draft broadcast")
    create.add_argument("--title", help="title for the admins' list")
    create.add_argument("--message", help="the announcement (Bahasa Indonesia)")
    create.add_argument("--option", action="append", help="an answer option (up to 3; repeat the option)")
    create.add_argument("--link", help="a web address added below the message")
    create.add_argument(
        "--survey", action="store_true", help="the follow-up survey instead of a message (owners with a loan)"
    )
    create.add_argument("--kecamatan", help="comma-separated kecamatan (default: all)")
    create.add_argument("--sector", help="comma-separated sectors, e.g. perdagangan,jasa")
    create.add_argument("--size", help="mikro, kecil or menengah (comma-separated)")
    create.add_argument("--channel", help="telegram and/or whatsapp")
    for name in ("registered", "has-loan", "booked"):
        create.add_argument(
            f"--{name}", choices=("yes", "no"), help=f"only owners who are (yes) or are not (no) {name}"
        )
    create.add_argument(
        "--verdict", choices=("eligible", "not_eligible", "never"), help="last eligibility check"
    )
    create.add_argument("--active-days", type=int, help="wrote to the bot in the last N days")
    for name, help_text in (
        ("preview", "show the message, the count, the exclusions and a sample"),
        ("send", "send now, or at --at local time"),
        ("status", "show delivery figures and answers"),
        ("cancel", "cancel what is not yet sent"),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("broadcast_id", metavar="ID", type=int, help="the broadcast's id")
        if name == "send":
            action.add_argument("--at", help="local date and time, e.g. '2026-12-01 09:00' (default: now)")
