"""An admin links a chat to their /admin account by sending the code of `umkm admin link` (ADMIN-7Q2M9X).

The code acts from any state (the flow's shortcut) and works once; the linked chat then gets the admin's notices,
such as "your broadcast is finished".
"""

from __future__ import annotations

from bot.flows.base import Answer, Ctx, Finish, Flow, choices, go
from bot.flows.common import menu_option
from bot.messages import Reply
from core.admin_link import read_code
from core.i18n import _
from storage.admins import admin_by_id, link_chat

FLOW_ID = "admin_link"


def shortcut(ctx: Ctx) -> str | None:
    """A whole message holding an admin link code opens the link step."""
    code = read_code(ctx.inbound.text)
    return go(FLOW_ID, "link", code) if code else None


FLOW = Flow(FLOW_ID, first="link", shortcut=shortcut)


@FLOW.ask("link", choice_only=True)
async def ask_link(ctx: Ctx) -> list[Reply]:
    """Links this chat to the account holding the code (once), or says kindly that the code is not valid."""
    admin = None
    if ctx.data.get("linked"):
        admin = await admin_by_id(session=ctx.session, admin_id=int(ctx.data["linked"]))
    elif ctx.data.get("ref"):
        admin = await link_chat(session=ctx.session, code=str(ctx.data["ref"]), contact=ctx.contact)
    if admin is None:
        text = _(
            "Sorry, that admin code is not valid or has already been used. Make a new one with "
            "umkm admin link --email YOUR-EMAIL; a code looks like ADMIN-7Q2M9X."
        )
        return [Reply(text, choices(menu_option()))]
    ctx.data["linked"] = admin.id
    text = _(
        "Hello {name}! This chat is now linked to your admin account ({email}). Notices about your broadcasts will arrive here."
    )
    return [Reply(text.format(name=admin.name, email=admin.email), choices(menu_option()))]


@FLOW.answer("link")
def answer_link(ctx: Ctx, _answer: Answer) -> Finish:
    """Anything after the link goes back to the menu."""
    return Finish()
