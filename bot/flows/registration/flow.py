"""The registration flow object, its summary step id, and the helpers its steps share."""

from __future__ import annotations

from bot.business_fields import shown
from bot.flows.base import Answer, Ctx, Flow, Goto
from bot.flows.common import REGISTRATION
from bot.messages import Reply
from core.i18n import _
from core.vocabulary import yes_or_no

SUMMARY = "summary"


def _menu_label(ctx: Ctx) -> str | None:
    """Offers registration only to those who have not registered (given consent) yet."""
    return _("Register business") if ctx.contact.consent_at is None else None


FLOW = Flow(REGISTRATION, first="consent", menu_label=_menu_label, menu_order=10)


def yes_no_of(answer: Answer) -> bool | None:
    """Reads yes or no from an option id or a typed word; None when it is neither."""
    if answer.option in ("yes", "no"):
        return answer.option == "yes"
    return yes_or_no(answer.text)


# --- step helpers ----------------------------------------------------------------------------------------


def go_next(ctx: Ctx, step: str, *say: Reply) -> Goto:
    """Goes to `step`, or back to the summary when the owner came from there, saying `say` first."""
    return Goto(ctx.then(step).step, say=say)


def free_question(ctx: Ctx, step: str, *lines: str) -> list[Reply]:
    """A free-text question, reminding the current value (after *kembali* or *Ubah data*)."""
    current = shown(ctx.data, step, ctx.profile)
    if current is None:
        return [Reply("\n".join(lines))]
    return [Reply("\n".join([*lines, _("Now: {value}").format(value=current)]))]
