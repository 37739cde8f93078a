"""Telegram translation without I/O: updates to Inbound, replies to HTML pieces with buttons, API errors to verdicts."""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import BotCommand, Contact, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, InlineKeyboardButtonLimit, MessageEntityType, MessageLimit
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.delivery import DeliveryError, PermanentFailure, RecipientUnreachable, RetryLater
from bot.messages import Inbound, Option
from bot.render import split_text
from core.i18n import _
from core.identity import parse_phone
from core.parsing import ParseError

CHANNEL = "telegram"
MAX_TEXT = int(MessageLimit.MAX_TEXT_LENGTH)
MAX_CALLBACK_DATA = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)
START_WORD = "mulai"
GROUP_CHATS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
# Non-text content, checked in this order (an animation is also a document, a venue also a location).
MEDIA = (
    "sticker",
    "photo",
    "animation",
    "video",
    "video_note",
    "voice",
    "audio",
    "document",
    "venue",
    "location",
    "poll",
    "dice",
    "game",
    "story",
)
UNREACHABLE_BAD_REQUESTS = ("chat not found", "user not found", "peer_id_invalid")
_BOLD = re.compile(r"\*(?=\S)([^*\n]+?)(?<=\S)\*")
FENCE = "```"
_FENCE = re.compile(r"```\n?(.*?)\n?```", re.DOTALL)


@dataclass(frozen=True)
class Piece:
    """One sendMessage worth of a reply: HTML text and, on the last piece only, the inline keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None = None


def to_html(text: str) -> str:
    """Escapes a reply for parse_mode HTML: our `*bold*` becomes <b>, a ```fenced``` table becomes <pre>."""
    parts = _FENCE.split(text)
    return "".join(
        f"<pre>{html.escape(part, quote=False)}</pre>"
        if index % 2
        else _BOLD.sub(r"<b>\1</b>", html.escape(part, quote=False))
        for index, part in enumerate(parts)
    )


def _balance_fences(parts: list[str]) -> list[str]:
    """Closes a ``` block a split cut through at the end of its piece and reopens it in the next."""
    balanced, open_block = [], False
    for part in parts:
        text = f"```\n{part}" if open_block else part
        open_block = text.count(FENCE) % 2 == 1
        balanced.append(f"{text}\n```" if open_block else text)
    return balanced


def callback_data(option: Option) -> str:
    """An option's id as button data, refused when Telegram would reject it (empty or over 64 bytes)."""
    if not 1 <= len(option.id.encode()) <= MAX_CALLBACK_DATA:
        raise ValueError(
            f"option id {option.id!r} does not fit Telegram's 1-{MAX_CALLBACK_DATA} byte button data"
        )
    return option.id


def keyboard(options: tuple[Option, ...]) -> InlineKeyboardMarkup | None:
    """One button per row; labels are numbered like the text channels so "reply 1-N" hints hold."""
    if not options:
        return None
    numbered = len(options) > 1
    rows = [
        [InlineKeyboardButton(f"{n}. {o.label}" if numbered else o.label, callback_data=callback_data(o))]
        for n, o in enumerate(options, start=1)
    ]
    return InlineKeyboardMarkup(rows)


def pieces(text: str, options: tuple[Option, ...] = ()) -> list[Piece]:
    """Splits a reply at Telegram's 4,096 characters on line boundaries; only the last piece has buttons."""
    if not text.strip():
        raise ValueError("a Telegram message needs some text")
    parts = _balance_fences(split_text(text, MAX_TEXT))
    markup = keyboard(options)
    last = len(parts) - 1
    return [Piece(to_html(part), markup if index == last else None) for index, part in enumerate(parts)]


def _command(message: Message) -> tuple[str, str | None, str] | None:
    """The leading bot command of a message as (name, addressed bot or None, rest of the text)."""
    entity = next(iter(message.entities), None)
    if message.text is None or entity is None or entity.type != MessageEntityType.BOT_COMMAND:
        return None
    if entity.offset != 0:
        return None
    name, _at, bot = message.text[1 : entity.length].partition("@")
    return name.casefold(), bot or None, message.text[entity.length :].strip()


def command_text(message: Message) -> str:
    """The text the engine gets: bare /start becomes "mulai"; /start with a deep-link payload stays as typed."""
    command = _command(message)
    assert message.text is not None
    if command is None or command[0] != "start":
        return message.text
    payload = command[2]
    return f"/start {payload}" if payload else START_WORD


def shared_phone(contact: Contact) -> str:
    """A shared contact's number in E.164 (+62...) when it reads as Indonesian, else as Telegram sent it."""
    number = contact.phone_number
    try:
        return parse_phone(number)
    except ParseError:
        return number if number.startswith("+") else f"+{number}"


def media_kind(message: Message) -> str:
    """What a non-text message holds, e.g. "photo" or "sticker" ("other" when it is none we know)."""
    return next((kind for kind in MEDIA if getattr(message, kind, None)), "other")


def inbound(update: Update, received_at: datetime) -> Inbound | None:
    """The Inbound a private-chat message or button press carries; None for anything the bot ignores."""
    common = {"channel": CHANNEL, "received_at": received_at, "message_id": str(update.update_id)}
    query = update.callback_query
    if query is not None:
        if query.data is None or query.message is None or query.message.chat.type != ChatType.PRIVATE:
            return None
        sender = {"sender_id": str(query.message.chat.id), "display_name": query.from_user.first_name}
        return Inbound(choice_id=query.data, **sender, **common)
    message = update.message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return None
    person = message.from_user
    sender = {"sender_id": str(message.chat.id), "display_name": person.first_name if person else None}
    if message.text is not None:
        return Inbound(text=command_text(message), **sender, **common)
    contact = message.contact
    if contact is not None and person is not None and contact.user_id == person.id:
        return Inbound(phone=shared_phone(contact), **sender, **common)
    photo = message.photo[-1].file_id if message.photo else None  # the largest size Telegram made
    return Inbound(unsupported="contact" if contact else media_kind(message), photo=photo, **sender, **common)


def group_command_chat(update: Update, username: str | None) -> int | None:
    """The group chat id when a group message is a command for this bot (it deserves a short note)."""
    message = update.message
    if message is None or message.chat.type not in GROUP_CHATS:
        return None
    command = _command(message)
    if command is None or (command[1] is not None and command[1].casefold() != (username or "").casefold()):
        return None
    return message.chat.id


def group_note(username: str | None) -> str:
    """The one polite note for a command sent in a group: the bot works in private chats only."""
    note = _("Rumah UMKM only works in a private chat. Please message me directly.")
    return f"{note}\nhttps://t.me/{username}" if username else note


def describe(update: Update) -> str:
    """What kind of update this is, for logs (never its content)."""
    kind = next((name for name in Update.ALL_TYPES if getattr(update, name, None) is not None), "update")
    chat = update.effective_chat
    return f"{kind} in a {chat.type} chat" if chat else kind


def commands() -> list[BotCommand]:
    """The command menu Telegram shows next to the text box."""
    return [
        BotCommand("start", _("Start or start again (command menu)")),
        BotCommand("menu", _("Main menu (command menu)")),
        BotCommand("bantuan", _("Help and the words you can use (command menu)")),
        BotCommand("batal", _("Cancel what you are doing (command menu)")),
    ]


def retry_after_seconds(error: RetryAfter) -> float:
    """RetryAfter's wait in seconds, whichever type this PTB version hands out."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def delivery_error(error: TelegramError) -> DeliveryError:
    """Maps a Bot API error onto the dispatcher's verdicts (reasons carry no token and no message text)."""
    reason = f"telegram {type(error).__name__}: {error.message}"
    if isinstance(error, RetryAfter):
        return RetryLater(reason, retry_after=retry_after_seconds(error))
    if isinstance(error, Forbidden):
        return RecipientUnreachable(reason)
    if isinstance(error, BadRequest):
        unreachable = any(text in error.message.casefold() for text in UNREACHABLE_BAD_REQUESTS)
        return RecipientUnreachable(reason) if unreachable else PermanentFailure(reason)
    if isinstance(error, ChatMigrated):
        return PermanentFailure(reason)
    return RetryLater(reason)  # TimedOut, NetworkError (5xx), Conflict, InvalidToken: transient, retried
