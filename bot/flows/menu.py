"""The main menu, the welcome and the help text."""

from __future__ import annotations

from bot.flows.base import Answer, Ctx, Flow, Retry, Transition, go
from bot.flows.common import PAUSED, scam_warning
from bot.messages import Option, Reply
from bot.privacy import resume_broadcasts
from core.i18n import _

FLOW = Flow("menu", first="main")
MAIN = "main"


def welcome() -> Reply:
    """Greets a new user and says what Rumah UMKM does."""
    return Reply(
        _(
            "Welcome to Rumah UMKM! I help small business owners register their business, "
            "check KUR and regional credit, and simulate instalments. Free of charge."
        )
    )


def help_text() -> Reply:
    """Explains the words that work everywhere, with the scam warning."""
    return Reply(
        "\n".join(
            [
                _("Rumah UMKM helps you get affordable business credit (KUR) instead of loan sharks."),
                _("Words you can send at any time:"),
                _("• *menu*: main menu"),
                _("• *kembali*: one step back"),
                _("• *batal*: cancel what you are doing"),
                _("• *berhenti* / *mulai*: stop / resume announcements"),
                _("• *hapus data*: erase your data"),
                scam_warning(),
            ]
        )
    )


def stuck_hint() -> Reply:
    """Offers a way out after several answers the bot could not use."""
    return Reply(_("Stuck? Send *menu* for the main menu or *bantuan* for help."))


async def on_start(ctx: Ctx) -> list[Reply]:
    """Greets the user again and switches announcements back on if they were off."""
    resumed = resume_broadcasts(ctx.contact)
    return [welcome()] if resumed is None else [welcome(), resumed]


def paused_label(ctx: Ctx, flow_id: str) -> str:
    """What the owner was doing in a flow a pushed message interrupted, in words."""
    flow = ctx.flows.get(flow_id)
    label = flow.menu_label(ctx) if flow is not None and flow.menu_label else None
    return label or _("what you were doing")


def resume_hint(ctx: Ctx, flow_id: str) -> Reply:
    """Says the interrupted flow waits, and how to carry on with it."""
    text = _("You were in the middle of: {what}. Send *lanjut* to carry on.")
    return Reply(text.format(what=paused_label(ctx, flow_id)))


def menu_options(ctx: Ctx) -> tuple[Option, ...]:
    """The menu entries every registered flow offers to this user, in order (first: carrying on, if waiting)."""
    entries = []
    if PAUSED in ctx.data:
        label = _("Carry on: {what}").format(what=paused_label(ctx, ctx.data[PAUSED]["flow"]))
        entries.append(Option("global:resume", label))
    for flow in sorted(ctx.flows.values(), key=lambda f: f.menu_order):
        label = flow.menu_label(ctx) if flow.menu_label else None
        if label:
            entries.append(Option(go(flow.id), label))
    return (*entries, Option("global:help", _("Help")))


@FLOW.ask(MAIN, choice_only=True)
def ask_main(ctx: Ctx) -> list[Reply]:
    """Shows the main menu."""
    return [Reply(_("Main menu. What would you like to do?"), menu_options(ctx))]


@FLOW.answer(MAIN)
def answer_main(ctx: Ctx, answer: Answer) -> Transition:
    """Only reached by an answer that is no menu entry (entries open their flow in the engine)."""
    return Retry(_("Sorry, I did not understand that."))
