"""Bicara dengan petugas: the owner's question is recorded for the secretariat, with when and where to reach it.

Never a dead end: the request is stored (`umkm requests` lists it for the secretariat) and the owner is told the
secretariat's office hours and address. Opened from the menu, or from a sentence ("saya mau ngomong sama orang"),
whose words are kept as the request.
"""

from __future__ import annotations

from bot.flows.base import Answer, Ctx, Finish, Flow, Goto, Retry, Transition, choices
from bot.flows.common import PERSON, menu_option
from bot.messages import Reply
from core.i18n import _
from core.programme_info import secretariat_info
from storage.help_requests import add_request

LIMIT = 1000
FLOW = Flow(PERSON, first="request", menu_label=lambda ctx: _("Talk to a person"), menu_order=95)


@FLOW.ask("request")
async def ask_request(ctx: Ctx) -> list[Reply]:
    """Records the request once its words are known and says when the secretariat answers; else asks for them."""
    said = ctx.data.get("said")
    if not said:
        text = _("What would you like to ask the Rumah UMKM team? Type it in one message.")
        return [Reply(text, choices(menu_option()))]
    if not ctx.data.get("recorded"):
        await add_request(session=ctx.session, contact=ctx.contact, text=said, now=ctx.now)
        ctx.data["recorded"] = True
    lines = [
        _("Your message is passed on to the Rumah UMKM team; they will contact you here in office hours."),
        secretariat_info(ctx.profile),
    ]
    return [Reply("\n".join(lines), choices(menu_option()))]


@FLOW.answer("request")
def answer_request(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the owner's words as the request (then records it), or goes back to the menu once recorded."""
    if ctx.data.get("recorded"):
        return Finish()
    said = " ".join(answer.text.split())
    if not said:
        return Retry(_("Please type your question in one message."))
    ctx.data["said"] = said[:LIMIT]
    return Goto("request")
