"""Running the bot: `umkm migrate`, `seed-demo`, `chat`, `serve`, `worker` and `telegram set-webhook`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from bot.cli_base import command
from bot.clock import SystemClock
from bot.settings import Settings
from core.i18n import _


def add_parsers(sub: Any) -> None:
    """The parsers of the commands that run the bot."""
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
