"""The conversation engine: one inbound message in, replies out, state saved in the same transaction."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.flows import menu
from bot.flows.base import Answer, Ctx, Finish, Flow, Goto, Retry, Start, Transition, jump
from bot.flows.common import PAUSED, pick_one, shows_buttons
from bot.flows.registry import FLOWS
from bot.interrupted import keep_interrupted, resume_interrupted
from bot.matching import GLOBAL_WORDS, match_option, normalise
from bot.messages import Inbound, Option, Reply
from bot.privacy import mask, stop_broadcasts
from core.i18n import _
from core.kabupaten import Profile
from core.parsing import ParseError
from core.vocabulary import yes_or_no
from storage.contacts import get_or_create_contact
from storage.conversations import get_conversation, mark_processed, save_conversation
from storage.db import transaction
from storage.models import Contact, Conversation
from storage.pushed import close_context, open_context_of

log = logging.getLogger(__name__)
# A contact's last message time is moved on at most once a minute. It is only ever read as "within the last 24
# hours" (WhatsApp's window) or "active in the last N days", where a minute early is on the safe side.
LAST_SEEN_STEP = timedelta(minutes=1)

IDLE_AFTER = timedelta(days=1)
MISSES_BEFORE_HINT = 3


class Unsaved(Exception):
    """Nothing of a message could be committed (the database is away): its provider should send it again."""


Keep = Callable[[AsyncSession, int | None, list[Reply]], Awaitable[None]]


class Engine:
    """Runs flows for every channel; never raises, never answers with silence."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        profile: Profile,
        flows: dict[str, Flow] = FLOWS,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.profile = profile
        self.zone = ZoneInfo(profile.time_zone)
        self.flows = flows

    async def handle(self, inbound: Inbound, keep: Keep | None = None) -> list[Reply]:
        """Handles one message and returns the immediate replies (empty for a duplicate).

        `keep` is called inside the message's transaction with the replies, so a push channel can commit them
        as outbox rows together with the state change and the provider message id.
        """
        try:
            async with transaction(self.sessions) as session:
                contact_id, replies = await self._handle(session, inbound)
                if keep is not None and replies:
                    await keep(session, contact_id, replies)
                return replies
        except Exception:
            log.exception(
                "engine failed on a message from %s on %s", mask(inbound.sender_id), inbound.channel
            )
        try:
            async with transaction(self.sessions) as session:
                contact_id, replies = await self._recover(session, inbound)
                if keep is not None and replies:
                    await keep(session, contact_id, replies)
                return replies
        except Exception as error:
            log.exception("engine could not recover the conversation of %s", mask(inbound.sender_id))
            if keep is not None:
                raise Unsaved("the message and its answer could not be saved") from error
            return [Reply(_("Sorry, something went wrong on our side. Please try again in a moment."))]

    async def _recover(self, session: AsyncSession, inbound: Inbound) -> tuple[int | None, list[Reply]]:
        """After an internal error: apologises once and puts the user back at the menu."""
        now = self.clock.now()
        if inbound.message_id and not await mark_processed(
            session=session, channel=inbound.channel, message_id=inbound.message_id, now=now
        ):
            return None, []
        contact, conversation = await self._load(session, inbound)
        ctx = self._ctx(session, contact, inbound, conversation)
        apology = Reply(_("Sorry, something went wrong on our side. Let's start again from the menu."))
        replies = await self._apply(ctx, conversation, Finish(say=(apology,)))
        await save_conversation(session=session, conversation=conversation, now=ctx.now)
        return contact.id, replies

    async def _load(self, session: AsyncSession, inbound: Inbound) -> tuple[Contact, Conversation]:
        """Finds (or creates) the contact, locks it, and loads its conversation."""
        now = self.clock.now()
        contact = await get_or_create_contact(
            session=session,
            channel=inbound.channel,
            external_id=inbound.sender_id,
            now=now,
            display_name=inbound.display_name,
            for_update=True,  # one user's messages are handled one after the other
        )
        conversation = await get_conversation(session=session, contact_id=contact.id)
        if conversation is None:
            conversation = Conversation(contact_id=contact.id, flow="", step="", updated_at=now)
        return contact, conversation

    def _ctx(
        self, session: AsyncSession, contact: Contact, inbound: Inbound, conversation: Conversation
    ) -> Ctx:
        """Builds the step context over the conversation's collected data."""
        return Ctx(
            session=session,
            contact=contact,
            inbound=inbound,
            data=dict(conversation.data or {}),
            now=self.clock.now(),
            profile=self.profile,
            zone=self.zone,
            flows=self.flows,
        )

    async def _handle(self, session: AsyncSession, inbound: Inbound) -> tuple[int | None, list[Reply]]:
        """The whole handling of one message inside one transaction; returns the contact's id and the replies."""
        now = self.clock.now()
        if inbound.message_id and not await mark_processed(
            session=session, channel=inbound.channel, message_id=inbound.message_id, now=now
        ):
            log.info("duplicate %s message %s ignored", inbound.channel, inbound.message_id)
            return None, []
        contact, conversation = await self._load(session, inbound)
        if contact.last_inbound_at is None or now - contact.last_inbound_at >= LAST_SEEN_STEP:
            contact.last_inbound_at = (
                now  # kept to the minute: one write fewer for each message of a conversation
            )
        contact.unreachable_reason = None  # writing to us again means the bot is reachable again
        session.add(contact)
        ctx = self._ctx(session, contact, inbound, conversation)
        replies = await self._route(ctx, conversation)
        conversation.data = ctx.data
        await save_conversation(session=session, conversation=conversation, now=now)
        return contact.id, replies

    async def _route(self, ctx: Ctx, conversation: Conversation) -> list[Reply]:
        """Decides what the message means: an answer to a pushed message, first contact, timeout, global word, or an
        answer to the current step."""
        inbound = ctx.inbound
        if self._global_word(ctx) is None:
            pushed = await self._pushed(ctx, conversation)
            if pushed is not None:
                return pushed
        start = self._shortcut(ctx)
        if start is not None:
            return await self._apply(ctx, conversation, start)
        if not conversation.flow or conversation.flow not in self.flows:
            asked = (  # a first message may already say what for; 'hapus data' goes straight to its confirmation
                Start("privacy", step="erase")
                if self._global_word(ctx) == "erase"
                else menu.start_for(ctx, inbound.text, sentence=True)
            )
            if asked is not None:
                return await self._apply(ctx, conversation, replace(asked, say=(menu.welcome(), *asked.say)))
            return await self._apply(ctx, conversation, Finish(say=(menu.welcome(),)))
        if conversation.flow != menu.FLOW.id and ctx.now - conversation.updated_at > IDLE_AFTER:
            notice = Reply(
                _("Our last conversation was more than a day ago, so we start again from the menu.")
            )
            ctx.data.pop(PAUSED, None)
            menu_replies = await self._apply(ctx, conversation, Finish())
            offered = [Option(*pair) for pair in ctx.data["_offered"]]
            if match_option(offered, inbound) is None:
                return [notice, *menu_replies]
            return [notice, *await self._answer(ctx, conversation)]
        word = self._global_word(ctx)
        if word is not None:
            return await self._global(ctx, conversation, word)
        if inbound.unsupported and not (inbound.photo and self._takes_photo(conversation)):
            notice = Reply(
                _("Sorry, I can only read text. Please type your answer or press a button.")
                if shows_buttons(ctx.inbound.channel)
                else _("Sorry, I can only read text. Please type your answer.")
            )
            return [notice, *await self._ask(ctx, conversation)]
        return await self._answer(ctx, conversation)

    def _takes_photo(self, conversation: Conversation) -> bool:
        """Whether the current step reads a photo as its answer."""
        step = self.flows[conversation.flow].steps.get(conversation.step)
        return step is not None and step.takes_photo

    async def _pushed(self, ctx: Ctx, conversation: Conversation) -> list[Reply] | None:
        """Answers the contact's open pushed message (reminder, notice, broadcast) when the message picks one of its
        options, whatever flow the contact is in; that flow is kept to carry on afterwards."""
        context = await open_context_of(session=ctx.session, contact_id=ctx.contact.id, now=ctx.now)
        if context is None:
            return None
        offered = [Option(*pair) for pair in context.options]
        # A bare number means the pushed message's option only while it is the last thing the contact saw.
        numbers = not conversation.flow or conversation.updated_at < context.opened_at
        option = match_option(offered, ctx.inbound, numbers=numbers)
        if option is not None and option.startswith("global:"):
            await close_context(session=ctx.session, contact_id=ctx.contact.id)
            return await self._global(ctx, conversation, option.removeprefix("global:"))
        start = jump(option, self.flows)
        if start is None:
            return None
        await close_context(session=ctx.session, contact_id=ctx.contact.id)
        keep_interrupted(ctx.data, conversation, now=ctx.now, flows=self.flows, stale_after=IDLE_AFTER)
        typed = not ctx.inbound.choice_id and not normalise(ctx.inbound.text).isdigit()
        replies = await self._enter(ctx, conversation, start, typed=typed)
        if PAUSED in ctx.data:
            replies.append(menu.resume_hint(ctx, ctx.data[PAUSED]["flow"]))
        return replies

    async def _resume(self, ctx: Ctx, conversation: Conversation) -> list[Reply]:
        """Carries on with the flow a pushed message interrupted, at the step it was on."""
        resume_interrupted(ctx.data, conversation)
        return [Reply(_("Let's carry on where you were.")), *await self._ask(ctx, conversation)]

    async def _enter(self, ctx: Ctx, conversation: Conversation, start: Start, *, typed: bool) -> list[Reply]:
        """Opens a pushed option's flow step; a step that takes the typed words as its answer gets them at once
        ("sudah bayar kemarin" on a reminder records the payment), else it asks its question."""
        flow = self.flows[start.flow]
        step = flow.steps[start.step or flow.first]
        if not typed or not step.answers_push or step.answer is None:
            return await self._apply(ctx, conversation, start)
        self._open(ctx, conversation, start)
        try:
            transition = await flow.handle(step.id, ctx, Answer(ctx.inbound.text.strip(), None))
        except ParseError:
            transition = None
        if transition is None or isinstance(transition, Retry):
            return [*start.say, *await self._ask(ctx, conversation)]
        return [*start.say, *await self._apply(ctx, conversation, transition)]

    def _shortcut(self, ctx: Ctx) -> Start | None:
        """A go: button (e.g. on a reminder) or a flow's shortcut (a link code) acts from any state, even after a day."""
        start = jump(ctx.inbound.choice_id, self.flows)
        for flow in self.flows.values():
            if start is None and flow.shortcut is not None:
                start = jump(flow.shortcut(ctx), self.flows)
        return start

    def _global_word(self, ctx: Ctx) -> str | None:
        """Recognises the words that work at every step (typed, as a command, or as a button)."""
        inbound = ctx.inbound
        if inbound.choice_id and inbound.choice_id.startswith("global:"):
            return inbound.choice_id.removeprefix("global:")
        word = GLOBAL_WORDS.get(normalise(inbound.text))
        return None if word == "resume" and PAUSED not in ctx.data else word

    async def _global(self, ctx: Ctx, conversation: Conversation, word: str) -> list[Reply]:
        """Carries out a global word (leaving it gives up the aim of coming back to another flow)."""
        if word in ("cancel", "menu", "start", "erase"):
            ctx.data.pop("_then", None)
        if word == "help":
            return [menu.help_text(), *await self._ask(ctx, conversation)]
        if word == "back":
            if conversation.history:
                conversation.step = conversation.history.pop()
                conversation.misses = 0
                return await self._ask(ctx, conversation)
            return await self._apply(ctx, conversation, Finish())
        if word == "cancel":
            return await self._apply(
                ctx, conversation, Finish(say=(Reply(_("Cancelled. Nothing was saved.")),))
            )
        if word == "start":
            say = await menu.on_start(ctx)
            return await self._apply(ctx, conversation, Finish(say=tuple(say)))
        if word == "stop":
            return [stop_broadcasts(ctx.contact), *await self._ask(ctx, conversation)]
        if word == "resume" and PAUSED in ctx.data:
            return await self._resume(ctx, conversation)
        if word == "erase":
            return await self._apply(ctx, conversation, Start("privacy", step="erase"))
        return await self._apply(ctx, conversation, Finish())

    async def _answer(self, ctx: Ctx, conversation: Conversation) -> list[Reply]:
        """Gives the message to the current step as an answer."""
        flow = self.flows[conversation.flow]
        step = flow.steps.get(conversation.step)
        if step is None or step.answer is None:
            return await self._apply(ctx, conversation, Finish())
        offered = [Option(*pair) for pair in ctx.data.get("_offered", [])]
        option = match_option(offered, ctx.inbound)
        text = ctx.inbound.text.strip()
        suggested = ctx.data.pop("_suggest", None)  # asked back ("Rp5 juta?"): a yes answers with the reading
        if suggested and option is None and yes_or_no(text):
            text = suggested
        if option is None and ctx.inbound.choice_id and not ctx.inbound.text:
            notice = Reply(_("That button is no longer active. Please choose again."))
            return [notice, *await self._ask(ctx, conversation)]
        if option is not None and option.startswith("global:"):
            return await self._global(ctx, conversation, option.removeprefix("global:"))
        if conversation.flow == menu.FLOW.id:
            ctx.data.pop(PAUSED, None)  # the owner chose something else: the interrupted flow is let go
        start = jump(option, self.flows)
        if start is not None:
            return await self._apply(ctx, conversation, start)
        if option is None and step.choice_only:  # no option fits: at the menu a sentence may ask for a flow
            at_menu = conversation.flow == menu.FLOW.id
            asked = menu.start_for(ctx, ctx.inbound.text, sentence=at_menu)
            return await self._apply(
                ctx, conversation, asked or Retry(pick_one(len(offered), ctx.inbound.channel))
            )
        try:
            transition: Transition = await flow.handle(step.id, ctx, Answer(text, option))
        except ParseError as error:
            transition = Retry(str(error), suggest=getattr(error, "suggestion", None))
        if isinstance(transition, Retry) and option is None:  # a word such as 'simulasi' the step cannot use
            transition = menu.start_for(ctx, ctx.inbound.text, sentence=False) or transition
        return await self._apply(ctx, conversation, transition)

    def _open(self, ctx: Ctx, conversation: Conversation, start: Start) -> None:
        """Moves the conversation to the start of another flow (or a step of it) with the data carried over."""
        flow = self.flows[start.flow]
        conversation.flow, conversation.step = flow.id, start.step or flow.first
        conversation.history = []
        self._clear(ctx)
        ctx.data.update(start.data)

    def _clear(self, ctx: Ctx) -> None:
        """Forgets a flow's data, keeping an interrupted flow to carry on with."""
        paused = ctx.data.get(PAUSED)
        ctx.data.clear()
        if paused is not None:
            ctx.data[PAUSED] = paused

    async def _ask(self, ctx: Ctx, conversation: Conversation) -> list[Reply]:
        """Asks the current step's question and remembers the options it offered."""
        replies = await self.flows[conversation.flow].prompt(conversation.step, ctx)
        offered = next((reply.options for reply in reversed(replies) if reply.options), ())
        ctx.data["_offered"] = [[option.id, option.label] for option in offered]
        return replies

    async def _apply(self, ctx: Ctx, conversation: Conversation, transition: Transition) -> list[Reply]:
        """Carries out a step's transition and returns what to say."""
        if isinstance(transition, Retry):
            if transition.suggest:
                ctx.data["_suggest"] = transition.suggest
            conversation.misses += 1
            asking_back = transition.suggest is not None  # "Rp5 juta?" is the question: nothing under it
            replies = [
                Reply(transition.message),
                *([] if asking_back else await self._ask(ctx, conversation)),
            ]
            if conversation.misses >= MISSES_BEFORE_HINT:
                replies.append(menu.stuck_hint())
            return replies
        conversation.misses = 0
        if isinstance(transition, Goto):
            if transition.step not in self.flows[conversation.flow].steps:
                raise LookupError(f"no step {conversation.flow}.{transition.step}")
            if transition.step != conversation.step:
                conversation.history = [*conversation.history, conversation.step]
            conversation.step = transition.step
            return [*transition.say, *await self._ask(ctx, conversation)]
        if isinstance(transition, Start):
            self._open(ctx, conversation, transition)
            return [*transition.say, *await self._ask(ctx, conversation)]
        back_to = ctx.data.get("_then")
        if back_to in self.flows and back_to != conversation.flow and transition.show_menu:
            return await self._apply(ctx, conversation, Start(back_to, say=transition.say))  # the aim
        conversation.flow, conversation.step, conversation.history = menu.FLOW.id, menu.MAIN, []
        self._clear(ctx)
        if not transition.show_menu:
            return list(transition.say)
        return [*transition.say, *await self._ask(ctx, conversation)]
