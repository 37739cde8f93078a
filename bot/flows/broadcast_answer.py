"""Answers to a broadcast's options: a button go:siaran:<n>:<broadcast id> records option n and thanks the owner.

The step acts on arrival (it is reached from any state through the go: id) and is safe to repeat: a second press
changes the recorded answer to the latest one. The thanks offers the main menu; anything typed after it goes to
the menu too.
"""

from __future__ import annotations

from bot.flows.base import Answer, Ctx, Finish, Flow, go
from bot.messages import Option, Reply
from core.i18n import _
from storage.broadcast_results import record_answer
from storage.broadcasts import get_broadcast

FLOW = Flow("siaran", first="1")


async def _record(ctx: Ctx, number: int) -> list[Reply]:
    """Records option `number` of the broadcast in ctx.data['ref'] and says thank you."""
    ref = str(ctx.data.get("ref", ""))
    broadcast = await get_broadcast(session=ctx.session, broadcast_id=int(ref)) if ref.isdigit() else None
    menu = (Option(go("menu"), _("Main menu")),)
    if broadcast is None or not 1 <= number <= len(broadcast.options):
        return [Reply(_("This announcement is no longer open for answers."), menu)]
    assert ctx.contact.id is not None and broadcast.id is not None
    recorded = await record_answer(
        session=ctx.session, broadcast_id=broadcast.id, contact_id=ctx.contact.id, answer=number, now=ctx.now
    )
    if not recorded:
        return [Reply(_("This announcement is no longer open for answers."), menu)]
    label = broadcast.options[number - 1]
    return [Reply(_("Thank you! We noted your answer: *{answer}*.").format(answer=label), menu)]


def _step(number: int) -> None:
    """Registers the step of option `number`."""

    @FLOW.ask(str(number))
    async def ask(ctx: Ctx) -> list[Reply]:
        """Records the option on arrival."""
        return await _record(ctx, number)

    @FLOW.answer(str(number))
    def answer(ctx: Ctx, _answer: Answer) -> Finish:
        """Whatever comes next goes back to the menu."""
        return Finish()


for _number in (1, 2, 3):
    _step(_number)
