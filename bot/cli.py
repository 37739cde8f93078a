"""The `umkm` command: serve, chat, migrate, seed-demo and the tools a newcomer can run before any chat."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable

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
            return await seed_demo(sessions=session_maker(db), clock=SystemClock(), zone=settings.zone)
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
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info", proxy_headers=True)
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
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `umkm` console script."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings()
    except ValueError as error:
        print(_("Invalid configuration: {error}").format(error=error), file=sys.stderr)
        return 2
    return COMMANDS[args.command](args, settings)


if __name__ == "__main__":
    sys.exit(main())
