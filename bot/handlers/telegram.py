"""The Telegram channel: the webhook turns updates into Inbound messages, python-telegram-bot's Bot sends replies.

No PTB Application: conversation state lives in the database (DESIGN.md), so PTB is used for its Bot API client
and its types only. Each update is handled inside its webhook request by the shared ReplyPipeline: the state change,
the update_id (ProcessedInbound, so a resent update is handled once) and the replies commit before the 200.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

import httpx
from fastapi import APIRouter, FastAPI, Request, Response
from telegram import Bot, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import (
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from bot.delivery import OutboxMessage, PermanentFailure
from bot.engine import Unsaved
from bot.governor import PRIORITY_REPLY
from bot.handlers import telegram_render as render
from bot.handlers.telegram_shape import HANDLED, read_update
from bot.privacy import mask
from bot.replying import ReplyPipeline
from bot.services import Services
from bot.settings import Settings

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger(__name__)

CHANNEL = render.CHANNEL
WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = HANDLED
GROUP_NOTE_EVERY = 600.0
STOP_GRACE = 10.0
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def make_bot(settings: Settings, transport: httpx.AsyncBaseTransport | None = None, poll: float = 0) -> Bot:
    """A Bot with its own connection pool on TELEGRAM_API_BASE_URL (transport: an in-process fake for tests)."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    extra = {"httpx_kwargs": {"transport": transport}} if transport is not None else {}
    return Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        request=HTTPXRequest(connection_pool_size=256, read_timeout=10.0, pool_timeout=5.0, **extra),
        get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=poll + 10.0, **extra),
    )


class TokenRejected(RuntimeError):
    """Telegram rejected TELEGRAM_BOT_TOKEN (PTB's own error would print the token)."""


async def open_bot(bot: Bot) -> None:
    """Opens the bot's connections and checks the token with getMe, never showing the token in an error."""
    try:
        await bot.initialize()
    except InvalidToken:
        raise TokenRejected("TELEGRAM_BOT_TOKEN was rejected by Telegram") from None


class TelegramSender:
    """Sends outbox messages and immediate replies with sendMessage: HTML, inline buttons, split at 4,096."""

    channel = CHANNEL

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, message: OutboxMessage) -> str | None:
        """Sends every piece of the message; returns the Telegram message id of the last one."""
        try:
            chat_id = int(message.recipient)
            pieces = render.pieces(message.body, message.options)
        except ValueError as error:
            raise PermanentFailure(f"cannot send on telegram: {error}") from None
        sent = None
        for piece in pieces:
            try:
                sent = await self.bot.send_message(
                    chat_id=chat_id,
                    text=piece.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=piece.markup,
                    link_preview_options=NO_PREVIEW,
                )
            except TelegramError as error:
                raise render.delivery_error(error) from None
        return str(sent.message_id) if sent else None


def configured(settings: Settings) -> list[TelegramChannel]:
    """The Telegram channel when TELEGRAM_BOT_TOKEN is set."""
    return [TelegramChannel(settings)] if settings.telegram_bot_token else []


class _RedactToken(logging.Filter):
    """Replaces the bot token in httpx's request log lines (their URLs hold it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrites a record that would show the token."""
        text = record.getMessage()
        if self.token in text:
            record.msg, record.args = text.replace(self.token, "<token>"), ()
        return True


class TelegramChannel:
    """The Telegram channel: webhook route, sender, command menu and the background work of each update."""

    name = CHANNEL

    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.transport = transport
        self.bot: Bot | None = None
        self.pipeline: ReplyPipeline | None = None
        self._services: Services | None = None
        self._sender: TelegramSender | None = None
        self._redact: _RedactToken | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._group_noted: dict[int, float] = {}
        self.router = APIRouter()
        self.router.add_api_route(WEBHOOK_PATH, self.webhook, methods=["POST"], include_in_schema=False)

    def sender(self) -> TelegramSender:
        """The sender the dispatcher uses (available once the channel has started)."""
        if self._sender is None:
            raise RuntimeError("the Telegram channel has not started")
        return self._sender

    async def start(self, services: Services) -> None:
        """Opens the Bot API client, checks the token and sets the command menu in the background."""
        self._services = services
        self.bot = make_bot(self.settings, self.transport)
        self._redact = _RedactToken(self.bot.token)
        logging.getLogger("httpx").addFilter(self._redact)
        self._sender = TelegramSender(self.bot)
        self.pipeline = ReplyPipeline(services=services, channel=CHANNEL, sender=self._sender)
        try:
            await open_bot(self.bot)
        except TokenRejected:
            await self.stop()
            raise
        except TelegramError as error:
            log.warning("Telegram getMe failed at start-up (%s); going on without it", type(error).__name__)
        self._spawn(self._set_commands())

    async def stop(self) -> None:
        """Lets in-flight updates finish (up to STOP_GRACE seconds), then closes the client."""
        try:
            await asyncio.wait_for(self.idle(), STOP_GRACE)
        except TimeoutError:
            log.warning("Telegram updates still in flight at shutdown")
        if self.bot is not None:
            await self.bot.shutdown()
        if self._redact is not None:
            logging.getLogger("httpx").removeFilter(self._redact)

    async def idle(self) -> None:
        """Waits until every update handed over so far is handled and answered (shutdown and tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self.pipeline is not None:
            await self.pipeline.idle()

    async def webhook(self, request: Request) -> Response:
        """POST /webhooks/telegram: 403 without the right secret, else 200 (a body we cannot use is logged, skipped)."""
        expected = self.settings.telegram_webhook_secret
        given = request.headers.get(SECRET_HEADER, "")
        if expected is None or not hmac.compare_digest(given.encode(), expected.get_secret_value().encode()):
            log.warning("Telegram webhook refused: missing or wrong secret token")
            return Response(status_code=403)
        data, what = read_update(await request.body())
        if data is None:  # answered 200 all the same: Telegram would resend it forever
            log.warning("Telegram %s; skipped", what)
            return Response(status_code=200)
        if self.bot is None:
            return Response(status_code=503)
        try:
            await self.accept(data)
        except Unsaved:
            return Response(status_code=503)  # nothing was saved: Telegram sends the update again
        return Response(status_code=200)

    async def accept(self, data: dict[str, Any]) -> None:
        """Handles one update: the engine for private chats (committed before we answer), a note for groups."""
        assert self.bot is not None and self.pipeline is not None and self._services is not None
        try:
            update = Update.de_json(data, self.bot)
        # A shape PTB still cannot read: answering non-2xx would make Telegram resend it forever.
        except Exception as error:
            log.warning(
                "Telegram update %s could not be read (%s); skipped", data["update_id"], type(error).__name__
            )
            return
        inbound = render.inbound(update, self._services.clock.now())
        if update.callback_query is not None:
            self._spawn(self._answer_callback(update.callback_query.id))
        if inbound is not None:
            await self.pipeline.accept(inbound)
            return
        group = render.group_command_chat(update, self._username())
        if group is not None and self._note_due(group):
            self._spawn(self._send_group_note(group))
        log.info("Telegram update %s ignored (%s)", update.update_id, render.describe(update))

    def _username(self) -> str | None:
        """The bot's username, known once getMe has succeeded."""
        try:
            return self.bot.username if self.bot is not None else None
        except RuntimeError:
            return None

    def _note_due(self, chat_id: int) -> bool:
        """Allows one group note per chat every GROUP_NOTE_EVERY seconds."""
        now = time.monotonic()
        if now - self._group_noted.get(chat_id, -GROUP_NOTE_EVERY) < GROUP_NOTE_EVERY:
            return False
        self._group_noted[chat_id] = now
        return True

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Runs side work in the background; a failure is logged as an error, never lost."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        """Forgets a finished background task, logging its failure."""
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Telegram background work failed", exc_info=task.exception())

    async def _answer_callback(self, query_id: str) -> None:
        """Stops the button's spinner (an old or repeated query is refused by Telegram: logged, harmless)."""
        assert self.bot is not None
        try:
            await self.bot.answer_callback_query(query_id)
        except TelegramError as error:
            log.warning("answerCallbackQuery failed: %s", render.delivery_error(error).reason)

    async def _send_group_note(self, chat_id: int) -> None:
        """Tells a group that the bot works in private chats only."""
        assert self.bot is not None and self._services is not None
        text = render.group_note(self._username())
        try:
            await self._services.governors[CHANNEL].acquire(str(chat_id), PRIORITY_REPLY, STOP_GRACE)
            await self.bot.send_message(chat_id=chat_id, text=render.to_html(text), parse_mode=ParseMode.HTML)
        except Exception as error:
            log.warning("group note to %s not sent (%s)", mask(str(chat_id)), type(error).__name__)

    async def _set_commands(self) -> None:
        """Sets the command menu; a failure is logged and the bot runs on without it."""
        assert self.bot is not None
        try:
            await self.bot.set_my_commands(render.commands())
        except TelegramError as error:
            log.warning("setMyCommands failed: %s", render.delivery_error(error).reason)


def webhook_url(settings: Settings) -> str:
    """The public webhook address Telegram calls: PUBLIC_BASE_URL + /webhooks/telegram."""
    if not settings.public_base_url:
        raise ValueError("PUBLIC_BASE_URL is not set")
    return settings.public_base_url.rstrip("/") + WEBHOOK_PATH


async def set_webhook(
    settings: Settings, *, drop_pending: bool = False, transport: httpx.AsyncBaseTransport | None = None
) -> str:
    """Registers the webhook with its secret and the update types we handle; returns its URL."""
    if settings.telegram_webhook_secret is None:
        raise ValueError("TELEGRAM_WEBHOOK_SECRET is not set")
    url = webhook_url(settings)
    bot = make_bot(settings, transport)
    try:
        await open_bot(bot)
        await bot.set_webhook(
            url=url,
            secret_token=settings.telegram_webhook_secret.get_secret_value(),
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=drop_pending,
        )
    finally:
        await bot.shutdown()
    return url


async def relay_updates(
    settings: Settings,
    deliver: Callable[[dict[str, Any]], Awaitable[None]],
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    poll: float = 30.0,
    pause: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Long polling: removes the webhook, fetches updates and hands each to `deliver` until cancelled."""
    bot = make_bot(settings, transport, poll=poll)
    try:
        await open_bot(bot)
        await bot.delete_webhook()
        offset: int | None = None
        failures = 0
        while True:
            try:
                updates = await bot.get_updates(offset=offset, timeout=poll, allowed_updates=ALLOWED_UPDATES)
            except RetryAfter as error:
                await pause(render.retry_after_seconds(error))
                continue
            except (InvalidToken, Forbidden):
                raise TokenRejected("TELEGRAM_BOT_TOKEN was rejected by Telegram") from None
            except TelegramError as error:  # TimedOut, NetworkError, Conflict (a webhook or another poller)
                failures += 1
                log.warning("getUpdates failed (%s); trying again", type(error).__name__)
                await pause(min(30.0, 2.0**failures))
                continue
            failures = 0
            for update in updates:
                await deliver(update.to_dict())
                offset = update.update_id + 1
    finally:
        await bot.shutdown()


async def serve_polling(
    server: uvicorn.Server,
    app: FastAPI,
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    poll: float = 30.0,
) -> None:
    """Runs the web server and, once it is up, feeds it long-polled updates through its own webhook route."""
    assert settings.telegram_webhook_secret is not None
    headers = {SECRET_HEADER: settings.telegram_webhook_secret.get_secret_value()}
    serving = asyncio.create_task(server.serve())
    while not server.started and not serving.done():
        await asyncio.sleep(0.05)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://polling") as client:

        async def deliver(update: dict[str, Any]) -> None:
            """Posts one update to the app as Telegram's webhook would, again until it is saved (a 503)."""
            for attempt in itertools.count(1):
                response = await client.post(WEBHOOK_PATH, json=update, headers=headers)
                if response.status_code != 503:
                    break
                log.warning("update %s not saved yet; trying again", update.get("update_id"))
                await asyncio.sleep(min(30.0, 2.0**attempt))
            if response.status_code != 200:
                log.warning("update %s answered %s", update.get("update_id"), response.status_code)

        relaying = asyncio.create_task(relay_updates(settings, deliver, transport=transport, poll=poll))
        while not (serving.done() or server.should_exit or relaying.done()):
            await asyncio.sleep(0.1)
        relaying.cancel()
        server.should_exit = True
        await serving
        with contextlib.suppress(asyncio.CancelledError):
            await relaying
