"""The flow framework: named steps that ask a question and turn an answer into a transition."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.messages import Inbound, Option, Reply
from core.kabupaten import Profile
from storage.models import Contact


@dataclass
class Ctx:
    """What a step may use: the user's data in this flow, the database session and the time."""

    session: AsyncSession
    contact: Contact
    inbound: Inbound
    data: dict[str, Any]
    now: datetime
    profile: Profile
    zone: ZoneInfo
    flows: dict[str, Flow]

    @property
    def today(self) -> date:
        """Today's date in the kabupaten's time zone."""
        return self.now.astimezone(self.zone).date()

    def then(self, step: str) -> Goto:
        """Goes to `step`, or back to the summary the user came from to fix one field."""
        return Goto(self.data.pop("_return_to", step))


@dataclass(frozen=True)
class Answer:
    """The user's answer to a step: the text and, when it picked an offered option, its id."""

    text: str
    option: str | None = None


@dataclass(frozen=True)
class Goto:
    """Moves to another step of the same flow (saying `say` first) and asks its question."""

    step: str
    say: tuple[Reply, ...] = ()


@dataclass(frozen=True)
class Retry:
    """The answer could not be used: says why and asks the same question again (a yes then answers `suggest`)."""

    message: str
    suggest: str | None = None


@dataclass(frozen=True)
class Start:
    """Leaves this flow and starts another one, with data to carry over."""

    flow: str
    say: tuple[Reply, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    step: str | None = None


@dataclass(frozen=True)
class Finish:
    """Ends the flow and goes back to the main menu."""

    say: tuple[Reply, ...] = ()
    show_menu: bool = True


Transition = Goto | Retry | Start | Finish
AskFn = Callable[[Ctx], Awaitable[list[Reply]] | list[Reply]]
AnswerFn = Callable[[Ctx, Answer], Awaitable[Transition] | Transition]


@dataclass
class Step:
    """A named step: how to ask, how to read the answer, and whether only offered options count."""

    id: str
    ask: AskFn
    answer: AnswerFn | None = None
    choice_only: bool = False
    answers_push: bool = (
        False  # opened from a pushed message's option by typed words, those words are its answer
    )
    takes_photo: bool = False  # a photo (Inbound.photo) is an answer here, not an unreadable message


async def _call(fn: Callable[..., Any], *args: Any) -> Any:
    """Calls a step function that may or may not be a coroutine."""
    result = fn(*args)
    return await result if inspect.isawaitable(result) else result


class Flow:
    """A state machine of named steps; register steps with the decorators."""

    def __init__(
        self,
        id: str,
        *,
        first: str,
        menu_label: Callable[[Ctx], str | None] | None = None,
        menu_order: int = 100,
        shortcut: Callable[[Ctx], str | None] | None = None,
    ) -> None:
        self.id = id
        self.first = first
        self.menu_label = menu_label
        self.menu_order = menu_order
        self.shortcut = shortcut  # a whole message that opens a step from any state, as a go() option id
        self.steps: dict[str, Step] = {}

    def ask(
        self,
        step_id: str,
        *,
        choice_only: bool = False,
        answers_push: bool = False,
        takes_photo: bool = False,
    ) -> Callable[[AskFn], AskFn]:
        """Registers the function that asks the question of `step_id`."""

        def register(fn: AskFn) -> AskFn:
            step = self.steps.setdefault(step_id, Step(step_id, fn))
            step.ask, step.choice_only, step.answers_push = fn, choice_only, answers_push
            step.takes_photo = takes_photo
            return fn

        return register

    def answer(self, step_id: str) -> Callable[[AnswerFn], AnswerFn]:
        """Registers the function that reads the answer to `step_id`."""

        def register(fn: AnswerFn) -> AnswerFn:
            self.steps[step_id].answer = fn
            return fn

        return register

    async def prompt(self, step_id: str, ctx: Ctx) -> list[Reply]:
        """Asks the question of a step."""
        return list(await _call(self.steps[step_id].ask, ctx))

    async def handle(self, step_id: str, ctx: Ctx, answer: Answer) -> Transition:
        """Reads the user's answer to a step."""
        step = self.steps[step_id]
        if step.answer is None:
            raise LookupError(f"step {self.id}.{step_id} takes no answer")
        return await _call(step.answer, ctx, answer)


THEN = "then-"


def go(flow: str, step: str | None = None, ref: str | int | None = None) -> str:
    """An option id that opens a flow (at a step, about a record) from anywhere, e.g. on a reminder's button."""
    return ":".join(str(part) for part in ("go", flow, step, ref) if part is not None)


def jump(option_id: str | None, flows: dict[str, Flow]) -> Start | None:
    """Reads a `go:` option id back into the Start it stands for; None when it names no known flow or step."""
    if not option_id or not option_id.startswith("go:"):
        return None
    flow_id, _, rest = option_id.removeprefix("go:").partition(":")
    step, _, ref = rest.partition(":")
    flow = flows.get(flow_id)
    if flow is None or (step and step not in flow.steps):
        return None
    if ref.startswith(THEN):  # sent elsewhere to complete something: come back to this flow afterwards
        return Start(flow_id, step=step or None, data={"_then": ref.removeprefix(THEN)})
    return Start(flow_id, step=step or None, data={"ref": ref} if ref else {})


def go_then(flow: str, back_to: str) -> str:
    """An option id that opens `flow` and, when it finishes, comes back to the flow `back_to` (remember the aim)."""
    return go(flow, "", f"{THEN}{back_to}")


def choices(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    """Builds options from (id, label) pairs."""
    return tuple(Option(id, label) for id, label in pairs)
