"""The WhatsApp channel through Twilio: signed webhooks in, replies and outbox messages out via the Messages API.

Inbound: POST /webhooks/whatsapp runs the engine and commits the state change, the MessageSid and the replies
(ReplyPipeline) before it answers an empty TwiML <Response/>; the replies then go out through the Messages API,
paced by the channel's governor. When nothing could be saved it answers 503, so Twilio tries again. Status callbacks
on POST /webhooks/whatsapp/status record each outbox row's delivery status. Both routes refuse (403) a request
whose X-Twilio-Signature does not match the public URL Twilio called: PUBLIC_BASE_URL + path + query.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.datastructures import FormData
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.engine import Unsaved
from bot.handlers.whatsapp_sender import CHANNEL, TwilioSender
from bot.handlers.whatsapp_status import apply_status
from bot.messages import Inbound
from bot.privacy import mask
from bot.replying import ReplyPipeline
from bot.services import Services
from bot.settings import Settings

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/whatsapp"
STATUS_PATH = "/webhooks/whatsapp/status"
SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = str(MessagingResponse())
E164 = re.compile(r"\+[1-9]\d{6,14}")
MESSAGE_SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}")  # SM... or MM...: two letters and 32 hex digits
MAX_TEXT = 4096
MAX_NAME = 120
HTTP_TIMEOUT = 10.0


# The webhook answers before the engine runs, so a burst could start any number of engine transactions at once;
# bounding them keeps the event loop free to answer webhooks quickly and SQLite's single writer uncontended.
def _unsupported(form: Mapping[str, str]) -> str | None:
    """What kind of message we cannot read: voice notes, other media, shared locations."""
    if form.get("Latitude") and form.get("Longitude"):
        return "location"
    if (form.get("NumMedia") or "0") != "0":
        return "voice" if (form.get("MediaContentType0") or "").startswith("audio/") else "media"
    return None


def _photo(form: Mapping[str, str]) -> str | None:
    """The URL of the first medium when it is an image (Twilio keeps it; fetching it needs the account's auth)."""
    if (form.get("NumMedia") or "0") == "0" or not (form.get("MediaContentType0") or "").startswith("image/"):
        return None
    return _text(form, "MediaUrl0", 500) or None


def _text(form: Mapping[str, str], name: str, limit: int) -> str:
    """A form field as text we can store: NUL characters (which PostgreSQL refuses) dropped, cut to `limit`."""
    return (form.get(name) or "").replace("\x00", "")[:limit]


def parse_inbound(form: Mapping[str, str], received_at: datetime) -> Inbound | None:
    """Turns Twilio's webhook form into an Inbound; None for what is not a WhatsApp message from a number."""
    number = (form.get("From") or "").removeprefix("whatsapp:")
    message_id = form.get("MessageSid") or form.get("SmsMessageSid") or ""
    whatsapp = (form.get("From") or "").startswith("whatsapp:")
    if not whatsapp or not E164.fullmatch(number) or not MESSAGE_SID.fullmatch(message_id):
        return None
    choice = _text(form, "ButtonPayload", MAX_NAME) or _text(form, "ListId", MAX_NAME) or None
    return Inbound(
        channel=CHANNEL,
        sender_id=number,
        received_at=received_at,
        text="" if choice else _text(form, "Body", MAX_TEXT),
        choice_id=choice,
        message_id=message_id,
        display_name=_text(form, "ProfileName", MAX_NAME) or None,
        unsupported=_unsupported(form),
        photo=_photo(form),
    )


def required_settings(settings: Settings) -> list[str]:
    """The settings the channel cannot run without that are missing."""
    needed = {
        "PUBLIC_BASE_URL": settings.public_base_url,
        "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
        "TWILIO_WHATSAPP_FROM": settings.twilio_whatsapp_from,
    }
    return [name for name, value in needed.items() if not value]


def configured(settings: Settings) -> list[WhatsAppChannel]:
    """The WhatsApp channel when any Twilio credential is set (start() then insists on the rest)."""
    return [WhatsAppChannel(settings)] if settings.twilio_account_sid or settings.twilio_auth_token else []


class WhatsAppChannel:
    """The WhatsApp channel: its two webhook routes, its sender, and its Twilio client's life."""

    name = CHANNEL

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._sender = TwilioSender(settings)
        self._http: AsyncTwilioHttpClient | None = None
        self._pipeline: ReplyPipeline | None = None
        self._services: Services | None = None
        self._validator: RequestValidator | None = None
        self.router = APIRouter()
        self.router.add_api_route(WEBHOOK_PATH, self.receive, methods=["POST"], include_in_schema=False)
        self.router.add_api_route(STATUS_PATH, self.status, methods=["POST"], include_in_schema=False)

    def sender(self) -> TwilioSender:
        """The sender the dispatcher uses for WhatsApp outbox rows."""
        return self._sender

    async def start(self, services: Services) -> None:
        """Refuses to run half-configured, then opens the Twilio client inside the running loop."""
        missing = required_settings(self.settings)
        if missing:
            raise RuntimeError(
                f"WhatsApp channel cannot start: set {', '.join(missing)} (Twilio signs webhooks for the "
                "public URL it calls, so PUBLIC_BASE_URL is needed to check them)"
            )
        assert self.settings.twilio_auth_token is not None
        token = self.settings.twilio_auth_token.get_secret_value()
        self._http = AsyncTwilioHttpClient(timeout=HTTP_TIMEOUT)
        client = Client(self.settings.twilio_account_sid, token, http_client=self._http)
        client.api.base_url = self.settings.twilio_api_base_url.rstrip("/")
        self._sender.bind(client, services)
        self._validator = RequestValidator(token)
        self._services = services
        self._pipeline = ReplyPipeline(services=services, channel=CHANNEL, sender=self._sender)

    async def stop(self) -> None:
        """Lets messages in hand finish, then closes the HTTP session."""
        await self.idle()
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def idle(self) -> None:
        """Waits until every received message has been handled and answered."""
        if self._pipeline is not None:
            await self._pipeline.idle()

    def public_url(self, path: str, query: str) -> str:
        """The URL Twilio called (and signed), whatever proxy sits in between."""
        base = (self.settings.public_base_url or "").rstrip("/")
        return f"{base}{path}?{query}" if query else f"{base}{path}"

    async def verified_form(self, request: Request, path: str) -> FormData:
        """The request's form, once its Twilio signature is checked; 403 for a missing or wrong one."""
        if self._validator is None:
            raise HTTPException(status_code=503, detail="channel not started")
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            log.warning("WhatsApp webhook %s refused: no %s header", path, SIGNATURE_HEADER)
            raise HTTPException(status_code=403, detail="missing signature")
        form = await request.form()
        fields_only = all(isinstance(value, str) for value in form.values())  # Twilio never posts files
        if not fields_only or not self._validator.validate(
            self.public_url(path, request.url.query), form, signature
        ):
            log.warning(
                "WhatsApp webhook %s refused: %s does not match (is PUBLIC_BASE_URL the URL Twilio calls?)",
                path,
                SIGNATURE_HEADER,
            )
            raise HTTPException(status_code=403, detail="invalid signature")
        return form

    async def receive(self, request: Request) -> Response:
        """Takes one incoming WhatsApp message, saved with its answer before Twilio hears back; replies via the API."""
        form = await self.verified_form(request, WEBHOOK_PATH)
        assert self._pipeline is not None and self._services is not None
        inbound = parse_inbound(form, self._services.clock.now())
        if inbound is None:
            log.info("WhatsApp webhook ignored: no WhatsApp number or MessageSid we can read")
        else:
            log.debug("WhatsApp message %s from %s", inbound.message_id, mask(inbound.sender_id))
            try:
                await self._pipeline.accept(inbound)
            except Unsaved:
                return Response(status_code=503)
        return Response(EMPTY_TWIML, media_type="application/xml")

    async def status(self, request: Request) -> Response:
        """Records a delivery status Twilio reports for a message we sent."""
        form = await self.verified_form(request, STATUS_PATH)
        message_id, status = form.get("MessageSid"), (form.get("MessageStatus") or "").lower()
        if not isinstance(message_id, str) or not message_id or not status:
            raise HTTPException(status_code=400, detail="MessageSid and MessageStatus are required")
        assert self._services is not None
        await apply_status(
            self._services,
            message_id=message_id,
            status=status,
            error_code=str(form.get("ErrorCode") or "") or None,
            recipient=str(form.get("To") or "").removeprefix("whatsapp:"),
        )
        return Response(status_code=204)
