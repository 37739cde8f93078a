"""What every `umkm` command shares: the registry, friendly errors, option readers and one-transaction runs."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import date, time
from typing import Any

from bot.clock import SystemClock
from bot.settings import Settings
from core.i18n import _

Command = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    """Registers a subcommand."""

    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


class CliError(ValueError):
    """A bad command-line value; the message is friendly Indonesian for the terminal."""


def local_today(settings: Settings) -> date:
    """Today's date in the kabupaten's time zone."""
    return SystemClock().now().astimezone(settings.zone).date()


def read_day(text: str | None, today: date) -> date | None:
    """Reads an ISO date (2026-11-21) or an Indonesian one (21/11/2026, 21 Nov 2026)."""
    from core.dates import parse_date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return parse_date(text, today=today)


def read_whole(text: str | None, name: str, *, minimum: int, default: int | None = None) -> int | None:
    """Reads a whole number option such as --access or --age."""
    if text is None:
        return default
    if not text.strip().isdigit() or int(text) < minimum:
        raise CliError(
            _("{option} must be a whole number of at least {minimum}.").format(option=name, minimum=minimum)
        )
    return int(text)


def read_one_of(value: str, name: str, allowed: tuple[str, ...]) -> str:
    """Checks an option against its allowed values."""
    if value not in allowed:
        raise CliError(
            _("{option} must be one of: {allowed}.").format(option=name, allowed=", ".join(allowed))
        )
    return value


def require(args: argparse.Namespace, names: dict[str, str], example: str) -> None:
    """Refuses a command that lacks a required value, naming what is missing and an example."""
    missing = [flag for attribute, flag in names.items() if getattr(args, attribute) is None]
    if missing:
        raise CliError(
            _("Missing: {missing}. For example: {example}").format(
                missing=", ".join(missing), example=example
            )
        )


def friendly(run: Command) -> Command:
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


def in_db(settings: Settings, work: Callable[[Any], Awaitable[str]]) -> str:
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


def read_names(text: str, allowed: tuple[str, ...], option: str) -> list[str]:
    """Reads a comma-separated list of allowed names (any case), in the allowed spelling."""
    from bot.consultant_admin import names

    return names(text.split(","), allowed, option)


def read_clock_time(text: str, option: str) -> time:
    """Reads a time of day such as 09:00 or 09.00."""
    try:
        return time.fromisoformat(text.strip().replace(".", ":"))
    except ValueError:
        raise CliError(_("{option} must be a time such as 09:00.").format(option=option)) from None
