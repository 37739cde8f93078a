"""The web chat: try the bot in a browser, no token and no internet (on by default in dev)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, field_validator

from bot.messages import Inbound, Reply
from bot.services import services_of

CHANNEL = "web"
STATIC = Path(__file__).resolve().parents[1] / "static"
SESSION_PATTERN = re.compile(r"[A-Za-z0-9-]{8,64}")
MAX_TEXT = 4000
MAX_CHOICE = 64
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def require_enabled(request: Request) -> None:
    """Answers 404 for every web chat route unless WEBCHAT_ENABLED is on."""
    if not services_of(request).settings.webchat_enabled:
        raise HTTPException(status_code=404, detail="Not Found")


router = APIRouter(prefix="/chat", dependencies=[Depends(require_enabled)])


class OptionOut(BaseModel):
    """An option the page shows as a button; pressing it sends the id back."""

    id: str
    label: str


class ReplyOut(BaseModel):
    """One bot message as the page shows it."""

    text: str
    options: list[OptionOut]


class MessageIn(BaseModel):
    """One message typed or pressed in the browser."""

    session: str
    text: str = ""
    choice: str | None = None

    @field_validator("session")
    @classmethod
    def _safe_session(cls, value: str) -> str:
        """Accepts only a random id of 8-64 letters, digits or dashes."""
        if not SESSION_PATTERN.fullmatch(value):
            raise ValueError("session must be 8-64 characters of letters, digits or '-'")
        return value

    @field_validator("text")
    @classmethod
    def _short_text(cls, value: str) -> str:
        """Refuses texts longer than a chat message can be."""
        if len(value) > MAX_TEXT:
            raise ValueError(f"text must be at most {MAX_TEXT} characters")
        return value

    @field_validator("choice")
    @classmethod
    def _short_choice(cls, value: str | None) -> str | None:
        """Refuses option ids longer than any the bot offers."""
        if value is not None and len(value) > MAX_CHOICE:
            raise ValueError(f"choice must be at most {MAX_CHOICE} characters")
        return value or None


class MessagesOut(BaseModel):
    """The bot's replies to one message."""

    replies: list[ReplyOut]


def _out(reply: Reply) -> ReplyOut:
    """Turns an engine reply into what the page shows."""
    options = [OptionOut(id=option.id, label=option.label) for option in reply.options]
    return ReplyOut(text=reply.text, options=options)


def _static(name: str, media_type: str) -> FileResponse:
    """Serves one of the page's files with strict security headers."""
    return FileResponse(STATIC / name, media_type=media_type, headers=HEADERS)


@router.get("", include_in_schema=False)
async def page() -> FileResponse:
    """The phone-sized chat page."""
    return _static("chat.html", "text/html; charset=utf-8")


@router.get("/chat.css", include_in_schema=False)
async def stylesheet() -> FileResponse:
    """The chat page's style sheet."""
    return _static("chat.css", "text/css; charset=utf-8")


@router.get("/chat.js", include_in_schema=False)
async def script() -> FileResponse:
    """The chat page's script."""
    return _static("chat.js", "text/javascript; charset=utf-8")


@router.post("/api/messages")
async def messages(message: MessageIn, request: Request) -> MessagesOut:
    """Hands one browser message to the engine and returns its replies."""
    services = services_of(request)
    inbound = Inbound(
        channel=CHANNEL,
        sender_id=message.session,
        received_at=services.clock.now(),
        text=message.text,
        choice_id=message.choice,
    )
    replies = await services.engine.handle(inbound)
    return MessagesOut(replies=[_out(reply) for reply in replies])
