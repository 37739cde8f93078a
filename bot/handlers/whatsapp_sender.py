"""Sending on WhatsApp through Twilio's Messages API: free text inside the 24-hour window, templates outside it.

Errors are mapped for the dispatcher: 63016 (outside the window) switches to the kind's template when one exists,
else fails the row; 21610 (opted out) makes the recipient unreachable; 63018 / 20429 / HTTP 429 (rate) retry
after a growing pause of the whole channel; other 4xx fail with the code; 5xx and network errors are transient.
Reasons carry only Twilio's code and HTTP status: Twilio's own message can quote the recipient's number.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import aiohttp
from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from bot.delivery import DeliveryError, OutboxMessage, PermanentFailure, RecipientUnreachable, RetryLater
from bot.handlers.whatsapp_render import session_content, text_pieces
from bot.privacy import mask
from bot.services import Services
from bot.settings import Settings
from storage.contacts import contact_by_id, get_contact

log = logging.getLogger(__name__)

CHANNEL = "whatsapp"
WINDOW = timedelta(hours=24)
WINDOW_MARGIN = timedelta(minutes=10)  # Twilio's clock starts a little before ours; stay clear of the edge
OUTSIDE_WINDOW = 63016
OPTED_OUT = 21610
RATE_CODES = frozenset({63018, 20429})
MAX_BACKOFF = 60.0


class OutsideWindow(PermanentFailure):
    """Twilio refused free text because the 24-hour customer service window is closed (63016)."""


class RateLimited(RetryLater):
    """Twilio is throttling this sender (63018, 20429, HTTP 429): the whole channel pauses."""


def address(number: str) -> str:
    """The Twilio WhatsApp address of an E.164 number."""
    return number if number.startswith("whatsapp:") else f"whatsapp:{number}"


def map_twilio_error(error: TwilioException) -> DeliveryError:
    """Turns a Twilio API error into the dispatcher's verdict, by code and HTTP status only."""
    status, code = getattr(error, "status", None), getattr(error, "code", None)
    label = f"Twilio {code} (HTTP {status})"
    if code == OUTSIDE_WINDOW:
        return OutsideWindow(f"{label}: outside WhatsApp's 24-hour window; only a template may be sent")
    if code == OPTED_OUT:
        return RecipientUnreachable(f"{label}: the recipient opted out of WhatsApp messages")
    if code in RATE_CODES or status == 429:
        return RateLimited(f"{label}: rate limit", retry_after=1.0)
    if isinstance(status, int) and 400 <= status < 500:
        return PermanentFailure(f"{label}: rejected")
    return RetryLater(f"{label}: Twilio failed; will retry")


class TwilioSender:
    """The WhatsApp Sender for immediate replies and the outbox; bound to a client when the channel starts."""

    channel = CHANNEL

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.from_ = address(settings.twilio_whatsapp_from or "")
        self.templates = settings.twilio_templates
        self._client: Client | None = None
        self._services: Services | None = None
        self._throttled = 0

    def bind(self, client: Client, services: Services) -> None:
        """Gives the sender its Twilio client and the app's database, clock and governor."""
        self._client, self._services = client, services

    async def send(self, message: OutboxMessage) -> str | None:
        """Sends one message as free text or buttons in the window, else as the kind's template."""
        if not await self.window_open(message):
            return await self._send_template(message)
        try:
            return await self._send_session(message)
        except OutsideWindow:
            if message.kind not in self.templates:
                raise
            log.info(
                "outbox %s: window closed for %s; sending its template", message.id, mask(message.recipient)
            )
            return await self._send_template(message)

    async def window_open(self, message: OutboxMessage) -> bool:
        """Tells whether the recipient wrote to us within the last 24 hours (less a safety margin)."""
        services = self._bound()[1]
        if message.contact_id is None and message.kind == "reply":
            return True  # an immediate reply: the user has just written
        async with services.sessions() as session:
            if message.contact_id is not None:
                contact = await contact_by_id(session=session, contact_id=message.contact_id)
            else:
                contact = await get_contact(session=session, channel=CHANNEL, external_id=message.recipient)
        last = contact.last_inbound_at if contact else None
        return last is not None and services.clock.now() - last < WINDOW - WINDOW_MARGIN

    async def _send_session(self, message: OutboxMessage) -> str | None:
        """Sends inside the window: a quick-reply or list template when configured, else numbered text."""
        content = session_content(
            message.body,
            message.options,
            quick_reply=self.settings.twilio_content_quick_reply,
            list_picker=self.settings.twilio_content_list_picker,
        )
        if content is not None:
            sid, variables = content
            return await self._create(message, content_sid=sid, content_variables=json.dumps(variables))
        provider_id = None
        for index, piece in enumerate(text_pieces(message.body, message.options)):
            if index:  # the caller paid for the first piece; the governor paces the rest
                await self._bound()[1].governors[CHANNEL].acquire(message.recipient, message.priority)
            provider_id = await self._create(message, body=piece)
        return provider_id

    async def _send_template(self, message: OutboxMessage) -> str | None:
        """Sends the approved template of the message's kind with its variables, and no body."""
        sid = self.templates.get(message.kind)
        if sid is None:
            raise PermanentFailure(
                f"outside WhatsApp's 24-hour window and no template is configured for kind {message.kind!r}"
                f" (set TWILIO_TEMPLATE_{message.kind.upper()} to an approved Content SID)"
            )
        # WhatsApp refuses template parameters with line breaks, tabs or long runs of spaces
        variables = {str(key): " ".join(str(value).split()) for key, value in message.variables.items()}
        return await self._create(message, content_sid=sid, content_variables=json.dumps(variables))

    async def _create(self, message: OutboxMessage, **content: str) -> str:
        """One Messages API call; returns the message SID or raises the mapped DeliveryError."""
        client = self._bound()[0]
        try:
            created = await client.messages.create_async(
                from_=self.from_,
                to=address(message.recipient),
                status_callback=self.settings.twilio_status_callback,
                **content,
            )
        except TwilioException as error:
            verdict = map_twilio_error(error)
            if isinstance(verdict, RateLimited):
                verdict.retry_after = self._next_backoff()
            raise verdict from None
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise RetryLater(f"network error talking to Twilio ({type(error).__name__})") from None
        self._throttled = 0
        return created.sid

    def _next_backoff(self) -> float:
        """Seconds to pause after a rate-limit answer: 1, 2, 4 ... up to a minute while they keep coming."""
        self._throttled += 1
        return min(MAX_BACKOFF, 2.0 ** (self._throttled - 1))

    def _bound(self) -> tuple[Client, Services]:
        """The client and services, once the channel has started."""
        if self._client is None or self._services is None:
            raise RuntimeError("the WhatsApp sender is used before the channel started")
        return self._client, self._services
