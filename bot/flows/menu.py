"""The main menu, the welcome and the help text."""

from __future__ import annotations

from bot.flows.base import Answer, Ctx, Flow, Retry, Start, Transition, go
from bot.flows.common import AID, BOOKING, LOANS, PAUSED, PERSON, REGISTRATION, SIMULATION, scam_warning
from bot.messages import Option, Reply
from bot.privacy import resume_broadcasts
from core import intents
from core.explain import amount_problem, fitting, months_problem, schemes_for
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


def _carried(ctx: Ctx, intent: intents.Intent) -> dict[str, object]:
    """The sentence's amount and term that some scheme takes."""
    schemes = schemes_for(ctx.profile, ctx.today)
    data: dict[str, object] = {}
    if intent.amount is not None and amount_problem(schemes, intent.amount) is None:
        data["amount"] = intent.amount
    if intent.months is not None and months_problem(schemes, intent.months) is None:
        data["months"] = intent.months
    return data


def _eligibility(ctx: Ctx, intent: intents.Intent) -> Start:
    """The eligibility check with the sentence's amount and term, asking first what is still missing."""
    data = _carried(ctx, intent)
    step = next((key for key in ("amount", "months") if key not in data), "purpose")
    return Start("eligibility", data=data, step=step)


def _simulation(ctx: Ctx, intent: intents.Intent) -> Start:
    """The simulation with the sentence's amount and term, at the best scheme's figures when both are known."""
    schemes = schemes_for(ctx.profile, ctx.today)
    data = _carried(ctx, intent)
    if "amount" in data and "months" in data:
        fit = fitting(schemes, intent.amount or 0, intent.months or 0)
        if fit:
            data["scheme"] = min(fit, key=lambda scheme: scheme.borrower_rates[0]).id
    step = next((key for key in ("amount", "months", "scheme") if key not in data), "result")
    return Start(SIMULATION, data=data, step=step)


def start_for(ctx: Ctx, text: str, *, sentence: bool) -> Start | None:
    """The flow a message asks for: any sentence at the menu or first message, else one of the words of
    core.intents.WORDS; None when it asks for nothing we know (or the flow is not for this user)."""
    name = intents.word_intent(text)
    intent = intents.Intent(name) if name else intents.read_intent(text) if sentence else None
    if intent is None:
        return None
    if intent.name == intents.SIMULATION:
        return _simulation(ctx, intent)
    if intent.name == intents.ELIGIBILITY and "eligibility" in ctx.flows:
        return _eligibility(ctx, intent)
    if intent.name == intents.HUMAN:
        return Start(PERSON, data={} if name else {"said": " ".join(text.split())[:1000]})
    registered = ctx.contact.consent_at is not None
    flow_id = {
        intents.REGISTER: "profile" if registered else REGISTRATION,
        intents.ELIGIBILITY: "eligibility",
        intents.BOOKING: BOOKING,
        intents.LOANS: LOANS,
        intents.INFO: "info",
        intents.PRIVACY: "privacy",
        intents.AID: AID,
    }[intent.name]
    return Start(flow_id) if flow_id in ctx.flows else None
