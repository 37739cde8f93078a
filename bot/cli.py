"""The `umkm` command: serve, chat, migrate, seed-demo and the tools a newcomer can run before any chat."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import date, time
from typing import Any

from bot.clock import SystemClock
from bot.settings import ConfigurationError, Settings, load_settings
from core.i18n import _

Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    """Registers a subcommand."""

    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


@command("migrate")
def run_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Brings the database schema up to date."""
    from storage.migrate import upgrade

    upgrade(settings.database_url)
    print(_("Database is ready."))
    return 0


@command("seed-demo")
def run_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Loads the demo consultants, slots and admin (idempotent)."""
    from bot.demo import seed_demo
    from storage.db import make_engine, session_maker

    async def seed() -> str:
        db = make_engine(settings.database_url)
        try:
            text = await seed_demo(sessions=session_maker(db), clock=SystemClock(), profile=settings.profile)
            if settings.umkm_env != "dev":
                return text
            from bot.admin.cli import demo_admin
            from storage.db import transaction

            async with transaction(session_maker(db)) as session:
                return "\n".join(filter(None, [text, await demo_admin(session)]))
        finally:
            await db.dispose()

    print(asyncio.run(seed()))
    return 0


@command("chat")
def run_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Chats with the bot in the terminal against the configured database."""
    from bot.engine import Engine
    from bot.handlers.console import chat
    from storage.db import make_engine, session_maker

    async def talk() -> None:
        db = make_engine(settings.database_url)
        clock = SystemClock()
        engine = Engine(sessions=session_maker(db), clock=clock, profile=settings.profile)
        try:
            await chat(engine=engine, clock=clock, user=args.user)
        finally:
            await db.dispose()

    asyncio.run(talk())
    return 0


@command("serve")
def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Runs the web app (webhooks, web chat) with uvicorn."""
    import uvicorn

    from bot.app import create_app

    print(
        _("Rumah UMKM is running. Open http://{host}:{port}/chat to try the chat.").format(
            host=args.host, port=args.port
        ),
        flush=True,
    )
    if args.telegram_polling:
        return _serve_telegram_polling(args, settings)
    app = create_app(settings, worker=not args.no_worker)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", proxy_headers=True)
    return 0


async def run_worker_until(settings: Settings, stop: asyncio.Event) -> None:
    """Runs the app's channels, scheduler and dispatcher without serving HTTP until `stop` is set."""
    from bot.app import create_app

    app = create_app(settings, worker=True)
    async with app.router.lifespan_context(app):
        await stop.wait()


@command("worker")
def run_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Runs the scheduled jobs (reminders, ...) and the outbox dispatcher without the web app, until Ctrl-C/SIGTERM."""
    import signal

    async def work() -> None:
        """Stops cleanly on SIGINT or SIGTERM."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        print(
            _(
                "Worker is running: scheduled jobs and message delivery, without the web app. Ctrl-C stops it."
            ),
            flush=True,
        )
        await run_worker_until(settings, stop)

    logging.getLogger("bot").setLevel(logging.INFO)
    asyncio.run(work())
    print(_("Worker stopped."), flush=True)
    return 0


def _serve_telegram_polling(args: argparse.Namespace, settings: Settings) -> int:
    """Serves the app and fetches Telegram updates by long polling, for a laptop without a public URL."""
    import secrets

    import uvicorn
    from pydantic import SecretStr

    from bot.app import create_app
    from bot.handlers.telegram import TokenRejected, serve_polling

    if settings.telegram_bot_token is None:
        print(_("Set TELEGRAM_BOT_TOKEN first (ask @BotFather for one)."), file=sys.stderr)
        return 2
    if settings.telegram_webhook_secret is None:  # polled updates enter through the webhook route, in-process
        settings = settings.model_copy(
            update={"telegram_webhook_secret": SecretStr(secrets.token_urlsafe(32))}
        )
    print(_("Telegram: long polling is on; a webhook set earlier is removed while this runs."), flush=True)
    app = create_app(settings, worker=not args.no_worker)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="info", proxy_headers=True)
    try:
        asyncio.run(serve_polling(uvicorn.Server(config), app, settings))
    except TokenRejected:
        print(_("Telegram rejected TELEGRAM_BOT_TOKEN. Check the token from @BotFather."), file=sys.stderr)
        return 1
    return 0


@command("telegram")
def run_telegram(args: argparse.Namespace, settings: Settings) -> int:
    """Telegram set-up: `set-webhook` registers PUBLIC_BASE_URL/webhooks/telegram with its secret."""
    from telegram.error import TelegramError

    from bot.handlers.telegram import TokenRejected, set_webhook

    needed = {
        "TELEGRAM_BOT_TOKEN": settings.telegram_bot_token,
        "TELEGRAM_WEBHOOK_SECRET": settings.telegram_webhook_secret,
        "PUBLIC_BASE_URL": settings.public_base_url,
    }
    missing = [name for name, value in needed.items() if not value]
    if missing:
        print(_("Set {names} first.").format(names=", ".join(missing)), file=sys.stderr)
        return 2
    if not str(settings.public_base_url).startswith("https://"):
        print(
            _("PUBLIC_BASE_URL must start with https:// (Telegram only calls HTTPS webhooks)."),
            file=sys.stderr,
        )
        return 2
    try:
        url = asyncio.run(set_webhook(settings, drop_pending=args.drop_pending_updates))
    except TokenRejected:
        print(_("Telegram rejected TELEGRAM_BOT_TOKEN. Check the token from @BotFather."), file=sys.stderr)
        return 1
    except TelegramError as error:
        print(_("Telegram refused: {reason}").format(reason=error.message), file=sys.stderr)
        return 1
    print(_("Telegram webhook set: {url}").format(url=url))
    return 0


class CliError(ValueError):
    """A bad command-line value; the message is friendly Indonesian for the terminal."""


def _today(settings: Settings) -> date:
    """Today's date in the kabupaten's time zone."""
    return SystemClock().now().astimezone(settings.zone).date()


def _day(text: str | None, today: date) -> date | None:
    """Reads an ISO date (2026-11-21) or an Indonesian one (21/11/2026, 21 Nov 2026)."""
    from core.parsing import parse_date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return parse_date(text, today=today)


def _whole(text: str | None, name: str, *, minimum: int, default: int | None = None) -> int | None:
    """Reads a whole number option such as --access or --age."""
    if text is None:
        return default
    if not text.strip().isdigit() or int(text) < minimum:
        raise CliError(
            _("{option} must be a whole number of at least {minimum}.").format(option=name, minimum=minimum)
        )
    return int(text)


def _one_of(value: str, name: str, allowed: tuple[str, ...]) -> str:
    """Checks an option against its allowed values."""
    if value not in allowed:
        raise CliError(
            _("{option} must be one of: {allowed}.").format(option=name, allowed=", ".join(allowed))
        )
    return value


def _needed(args: argparse.Namespace, names: dict[str, str], example: str) -> None:
    """Refuses a command that lacks a required value, naming what is missing and an example."""
    missing = [flag for attribute, flag in names.items() if getattr(args, attribute) is None]
    if missing:
        raise CliError(
            _("Missing: {missing}. For example: {example}").format(
                missing=", ".join(missing), example=example
            )
        )


def _friendly(run: Command) -> Command:
    """Turns a bad value (CliError or ParseError) into its message on stderr and exit code 2."""
    from bot.consultant_admin import BadValue
    from core.parsing import ParseError

    def wrapped(args: argparse.Namespace, settings: Settings) -> int:
        """Runs the command, reporting bad values kindly."""
        try:
            return run(args, settings)
        except (CliError, BadValue, ParseError) as error:
            print(error, file=sys.stderr)
            return 2

    wrapped.__doc__ = run.__doc__
    return wrapped


@command("simulate")
@_friendly
def run_simulate(args: argparse.Namespace, settings: Settings) -> int:
    """Prints a loan's full schedule under a scheme, with the subsidy and the rentenir comparison."""
    from core import explain
    from core.parsing import parse_months, parse_rupiah
    from core.schedule_text import full_schedule_table
    from core.simulator import Method

    _needed(args, {"amount": "AMOUNT", "months": "MONTHS"}, "umkm simulate 20jt 12 --scheme kur_mikro")
    today = _today(settings)
    on = _day(args.on, today) or today
    amount, months = parse_rupiah(args.amount), parse_months(args.months)
    regional = explain.regional_for(settings.profile)
    schemes = explain.offered_schemes(on, regional)
    if args.scheme is None:
        fit = explain.fitting(schemes, amount, months)
        if not fit:
            raise CliError(explain.suggestion(schemes, amount, months, regional=regional))
        scheme = fit[0]
    else:
        ids = tuple(s.id for s in schemes)
        scheme = schemes[ids.index(_one_of(args.scheme, "--scheme", ids))]
    problem = explain.fit_problem(scheme, amount, months)
    if problem:
        raise CliError(f"{problem} {explain.suggestion(schemes, amount, months, regional=regional)}")
    sim = explain.simulate_scheme(
        scheme,
        amount,
        months,
        access=_whole(args.access, "--access", minimum=1, default=1),
        method=_one_of(args.method, "--method", tuple(Method)),
        start=_day(args.start, today),
    )
    print(explain.simulation_summary(sim, scheme, regional=regional), end="\n\n")
    print(full_schedule_table(sim), end="\n\n")
    print(explain.moneylender_comparison(sim, scheme))
    return 0


@command("check")
@_friendly
def run_check(args: argparse.Namespace, settings: Settings) -> int:
    """Prints every scheme's verdict for an owner and a request, with reasons and documents."""
    from core import explain
    from core.eligibility import SECTORS, Applicant, CreditRequest, evaluate
    from core.parsing import parse_months, parse_rupiah
    from core.periods import parse_business_age
    from core.programmes import PURPOSES

    example = "umkm check --amount 50jt --months 24 --months-in-business 24 --turnover 600jt"
    names = {"amount": "--amount", "months": "--months", "business_months": "--months-in-business"}
    _needed(args, {**names, "turnover": "--turnover"}, example)
    today = _today(settings)
    on = _day(args.on, today) or today
    if args.regency is not None and not (len(args.regency) == 4 and args.regency.isdigit()):
        raise CliError(_("--regency must be a 4-digit regency code, for example 1603."))
    request = CreditRequest(
        amount=parse_rupiah(args.amount),
        months=parse_months(args.months),
        purpose=_one_of(args.purpose, "--purpose", PURPOSES),
    )
    applicant = Applicant(
        age=_whole(args.age, "--age", minimum=17),
        married=args.married,
        months_in_business=parse_business_age(args.business_months, today=on),
        annual_turnover=0 if args.turnover.strip() == "0" else parse_rupiah(args.turnover),
        has_business_licence=_one_of(args.licence, "--licence", ("nib", "sku", "none")) != "none",
        has_npwp=args.npwp,
        is_civil_servant=args.civil_servant,
        other_productive_credit=args.other_credit,
        credit_history_ok=not args.bad_history,
        previous_kur_count=_whole(args.previous_kur, "--previous-kur", minimum=0, default=0),
        sector=_one_of(args.sector, "--sector", SECTORS),
        regency_code=args.regency,
        in_mentoring_programme=args.mentoring,
    )
    regional = explain.regional_for(settings.profile)
    assessment = evaluate(applicant, request, on=on, regional=regional)
    print(explain.assessment_header(assessment, request))
    for option in assessment.options:
        print(f"\n{explain.option_block(option, regional=regional)}\n{explain.documents_line(option)}")
    if not applicant.has_business_licence:
        print(f"\n{explain.licence_guidance(applicant.sector)}")
    return 0


# --- KKMB consultants and their slots ----------------------------------------------------------------------


@command("reminders")
@_friendly
def run_reminders(args: argparse.Namespace, settings: Settings) -> int:
    """Previews what the reminder scan will send on a day (per kind, count and a masked sample); writes nothing."""
    from bot.reminder_preview import preview_day, preview_text
    from storage.db import make_engine, session_maker

    today = _today(settings)
    day = _day(args.date, today) or today

    async def preview() -> str:
        db = make_engine(settings.database_url)
        try:
            found = await preview_day(session_maker(db), day=day, zone=settings.zone, now=SystemClock().now())
        except ValueError as error:
            raise CliError(_("--date: {problem}").format(problem=error)) from None
        finally:
            await db.dispose()
        return preview_text(found, settings.zone)

    print(asyncio.run(preview()))
    return 0


def _in_db(settings: Settings, work: Callable[[Any], Awaitable[str]]) -> str:
    """Runs `work(session)` in one transaction on the configured database and returns its text."""
    from storage.db import make_engine, session_maker, transaction

    async def run() -> str:
        """Opens the database, runs the work in a transaction and closes the database."""
        db = make_engine(settings.database_url)
        try:
            async with transaction(session_maker(db)) as session:
                return await work(session)
        finally:
            await db.dispose()

    return asyncio.run(run())


def _names(text: str, allowed: tuple[str, ...], option: str) -> list[str]:
    """Reads a comma-separated list of allowed names (any case), in the allowed spelling."""
    from bot.consultant_admin import names

    return names(text.split(","), allowed, option)


def _clock_time(text: str, option: str) -> time:
    """Reads a time of day such as 09:00 or 09.00."""
    try:
        return time.fromisoformat(text.strip().replace(".", ":"))
    except ValueError:
        raise CliError(_("{option} must be a time such as 09:00.").format(option=option)) from None


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
@_friendly
def run_consultant(args: argparse.Namespace, settings: Settings) -> int:
    """Adds, lists and deactivates KKMB consultants, and makes their one-time chat link codes."""
    from bot.consultant_admin import fresh_link_code
    from core.booking import TOPICS
    from storage.consultants import add_consultant, deactivate_consultant, list_consultants

    action = args.consultant_command
    if action == "add":
        _needed(args, {"name": "--name", "bank": "--bank", "kecamatan": "--kecamatan"}, CONSULTANT_EXAMPLE)
        kecamatan = _names(args.kecamatan, settings.profile.kecamatan, "--kecamatan")
        topics = _names(args.topics, TOPICS, "--topics") if args.topics else list(TOPICS)
    consultant_id = _whole(getattr(args, "consultant_id", None), "ID", minimum=1)

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
    print(_in_db(settings, work))
    return 0


CONSULTANT_EXAMPLE = 'umkm consultant add --name "Siti Rahmawati" --bank "BRI Unit Muara Enim" --kecamatan "Muara Enim,Lawang Kidul"'
SLOTS_EXAMPLE = "umkm slots generate --consultant 1 --from 2026-11-23 --to 2026-12-18"


@command("slots")
@_friendly
def run_slots(args: argparse.Namespace, settings: Settings) -> int:
    """Generates a consultant's bookable slots from office hours; slots that exist already are kept."""
    from bot.consultant_admin import generate_slots
    from core.booking import PLACES

    _needed(args, {"consultant": "--consultant", "first": "--from", "last": "--to"}, SLOTS_EXAMPLE)
    profile, today = settings.profile, _today(settings)
    first, last = _day(args.first, today), _day(args.last, today)
    if first is None or last is None or last < first:
        raise CliError(
            _("--to must not be before --from. For example: {example}").format(example=SLOTS_EXAMPLE)
        )
    weekdays = (
        {int(day) for day in _names(args.weekdays, ("1", "2", "3", "4", "5", "6", "7"), "--weekdays")}
        if args.weekdays
        else set(profile.office_weekdays)
    )
    opens = _clock_time(args.start, "--start") if args.start else profile.office_opens
    closes = _clock_time(args.end, "--end") if args.end else profile.office_closes
    minutes = _whole(args.minutes, "--minutes", minimum=1, default=60)
    place = _one_of(args.place, "--place", PLACES)
    consultant_id = _whole(args.consultant, "--consultant", minimum=1)

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

    print(_in_db(settings, generate))
    return 0


def _add_booking_commands(sub: Any) -> None:
    """The parsers of `umkm consultant ...` and `umkm slots generate`."""
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

    print(_in_db(settings, listing))
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    root = argparse.ArgumentParser(prog="umkm", description="Rumah UMKM chatbot")
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="create or update the database schema")
    sub.add_parser("seed-demo", help="load demo consultants, slots and an admin")
    chat = sub.add_parser("chat", help="chat with the bot in the terminal")
    chat.add_argument("--user", default="demo", help="who you are in the chat (default: demo)")
    serve = sub.add_parser("serve", help="run the web app: webhooks and the web chat at /chat")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="web only: leave reminders and outbox delivery to `umkm worker` processes (several web processes)",
    )
    serve.add_argument(
        "--telegram-polling",
        action="store_true",
        help="fetch Telegram updates by long polling instead of a webhook (no public URL needed)",
    )
    sub.add_parser("worker", help="run reminders and message delivery without the web app (Ctrl-C stops)")
    telegram = sub.add_parser("telegram", help="Telegram set-up")
    telegram_actions = telegram.add_subparsers(dest="telegram_command", required=True)
    set_webhook = telegram_actions.add_parser(
        "set-webhook", help="register PUBLIC_BASE_URL/webhooks/telegram with Telegram, with the secret"
    )
    set_webhook.add_argument(
        "--drop-pending-updates", action="store_true", help="forget the updates Telegram is still holding"
    )
    simulate = sub.add_parser(
        "simulate", help="print a loan's instalment schedule under a KUR or regional scheme"
    )
    simulate.add_argument("amount", nargs="?", help="loan amount, e.g. 20jt")
    simulate.add_argument("months", nargs="?", help="loan period, e.g. 12 or '2 tahun'")
    simulate.add_argument("--scheme", help="scheme id, e.g. kur_mikro (default: the first that fits)")
    simulate.add_argument("--on", help="use the rules in force on this day (default: today), e.g. 2026-11-21")
    simulate.add_argument("--access", help="which KUR loan this is: 1 for the first (default 1)")
    simulate.add_argument("--method", default="annuity", help="annuity (default), flat or declining")
    simulate.add_argument("--start", help="akad date; instalments fall due monthly after it")
    check = sub.add_parser("check", help="print every scheme's verdict for an owner and a loan request")
    check.add_argument("--amount", help="loan amount, e.g. 50jt")
    check.add_argument("--months", help="loan period, e.g. 24")
    check.add_argument("--purpose", default="modal_kerja", help="modal_kerja (default) or investasi")
    check.add_argument(
        "--months-in-business", dest="business_months", help="e.g. 24, '2 tahun' or 'Maret 2024'"
    )
    check.add_argument("--turnover", help="yearly turnover, e.g. 600jt")
    check.add_argument("--licence", default="none", help="nib, sku or none (default)")
    check.add_argument("--npwp", action="store_true", help="the owner has an NPWP")
    check.add_argument(
        "--sector", default="lainnya", help="pertanian, perdagangan, jasa, ... (default lainnya)"
    )
    check.add_argument("--age", help="the owner's age (default: unknown)")
    check.add_argument("--married", action="store_true", help="the owner is married")
    check.add_argument(
        "--regency", help="4-digit regency code of the owner's KTP, e.g. 1603 (default: unknown)"
    )
    check.add_argument(
        "--civil-servant", action="store_true", help="the owner is an active ASN, TNI or Polri"
    )
    check.add_argument(
        "--other-credit", action="store_true", help="the owner has another productive bank loan"
    )
    check.add_argument("--bad-history", action="store_true", help="an instalment was more than 90 days late")
    check.add_argument("--previous-kur", help="KUR loans taken before (default 0)")
    check.add_argument("--mentoring", action="store_true", help="the owner is mentored by a KKMB consultant")
    check.add_argument("--on", help="use the rules in force on this day (default: today)")
    sub.add_parser("requests", help="list the open requests to talk to a person (for the secretariat)")
    _add_booking_commands(sub)
    from bot.admin.cli import add_parsers as add_admin_commands

    add_admin_commands(sub)
    reminders = sub.add_parser("reminders", help="repayment reminders")
    reminder_actions = reminders.add_subparsers(dest="reminders_command", required=True)
    preview = reminder_actions.add_parser(
        "preview", help="what the scheduler will send on a day: per kind, count and a masked sample"
    )
    preview.add_argument("--date", help="the day, e.g. 2026-12-18 (default: today, from now on)")
    profile = sub.add_parser("profile", help="kabupaten profiles")
    profile_actions = profile.add_subparsers(dest="profile_command", required=True)
    profile_check = profile_actions.add_parser(
        "check", help="check a profile TOML file (every problem at once) before setting UMKM_PROFILE"
    )
    profile_check.add_argument("file", metavar="FILE", help="the profile file, e.g. /etc/umkm/lebak.toml")
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `umkm` console script."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "profile":  # needs no configuration: the operator is preparing one
        from bot.cli_profile import check

        return check(args.file)
    try:
        settings = load_settings()
    except ConfigurationError as error:
        print(_("Invalid configuration: {error}").format(error=error), file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args, settings)
    except BrokenPipeError:  # e.g. `umkm simulate ... | head`: the reader left, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
