"""Aid applications: the aid this kabupaten offers, its rules, a short reason, an optional photo, send; and status.

Only offered where the profile lists aid. An owner who must register first is sent to registration and comes back
here afterwards (remember the aim).
"""

from __future__ import annotations

from datetime import date

from bot.flows.base import Answer, Ctx, Finish, Flow, Goto, Retry, Transition, choices, go, go_then
from bot.flows.common import AID, REGISTRATION, menu_option
from bot.messages import Reply
from core.aid import Aid, Applicant, open_aid, reason_problem, refusal, rules_text, status_label
from core.formatting import long_date
from core.i18n import _
from core.kabupaten import kecamatan_for
from storage.aid import AlreadyApplied, add_application, application_of, owner_applications
from storage.businesses import get_business

MEDIA_CHANNELS = ("telegram", "whatsapp")  # the channels whose handlers carry a photo in the Inbound
PICK = "aid:"


def _menu_label(ctx: Ctx) -> str | None:
    """Offers aid to owners where the profile lists any."""
    return _("Apply for aid or training") if ctx.profile.aid and ctx.contact.role == "owner" else None


FLOW = Flow(AID, first="list", menu_label=_menu_label, menu_order=45)


def _mine_option() -> tuple[str, str]:
    """The option that shows the owner's applications."""
    return (go(AID, "mine"), _("My aid applications"))


def _chosen(ctx: Ctx) -> Aid | None:
    """The aid picked in this application, if the profile still offers it."""
    return next((aid for aid in ctx.profile.aid if aid.id == ctx.data.get("aid")), None)


def _lost() -> list[Reply]:
    """What a step says when the picked aid is gone (an old button)."""
    text = _("Sorry, I lost track of this application. Let's start it again.")
    return [Reply(text, choices((go(AID), _("Apply for aid or training")), menu_option()))]


@FLOW.ask("list", choice_only=True)
async def ask_list(ctx: Ctx) -> list[Reply]:
    """Lists the aid open for applications today, with the owner's applications if there are any."""
    mine = await owner_applications(session=ctx.session, contact_id=ctx.contact.id)
    extra = [_mine_option()] if mine else []
    offered = open_aid(ctx.profile.aid, ctx.today)
    if not offered:
        text = _("No aid is open for applications right now. Ask the secretariat when the next round opens.")
        return [Reply(text, choices(*extra, menu_option()))]
    lines = [_("Aid you can apply for (free of charge):")]
    lines += [f"• *{aid.name}*: {aid.summary}" for aid in offered]
    lines.append(_("Which one would you like?"))
    options = [(PICK + aid.id, aid.name) for aid in offered]
    return [Reply("\n".join(lines), choices(*options, *extra, menu_option()))]


@FLOW.answer("list")
def answer_list(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the picked aid and shows its rules."""
    ctx.data["aid"] = (answer.option or "").removeprefix(PICK)
    return Goto("rules")


async def _applicant(ctx: Ctx) -> tuple[Applicant, str]:
    """What the rules look at for this owner, and their kecamatan ('' when not registered)."""
    business = await get_business(session=ctx.session, contact_id=ctx.contact.id)
    if business is None:
        return Applicant(registered=False), ""
    return Applicant(True, business.size_class, business.sector), business.kecamatan


@FLOW.ask("rules", choice_only=True)
async def ask_rules(ctx: Ctx) -> list[Reply]:
    """Shows who may apply; sends an unregistered owner to register, refuses a second application in the period."""
    aid = _chosen(ctx)
    if aid is None:
        return _lost()
    existing = await application_of(
        session=ctx.session, contact_id=ctx.contact.id, aid_id=aid.id, period=aid.period.key
    )
    if existing is not None:
        return [_duplicate(aid, existing.status, existing.applied_at.astimezone(ctx.zone).date())]
    applicant, kecamatan = await _applicant(ctx)
    ctx.data["kecamatan"] = kecamatan
    who = _("Who may apply:")
    heading = f"*{aid.name}*\n{aid.summary}\n\n{who}\n{rules_text(aid)}"
    problem = refusal(aid, applicant)
    if problem is not None and not applicant.registered:
        register = (go_then(REGISTRATION, AID), _("Register my business first"))
        text = _("Please register your business first (about 3 minutes); then I bring you back here.")
        return [Reply(f"{heading}\n\n{text}", choices(register, menu_option()))]
    if problem is not None:
        other = (go(AID), _("See other aid"))
        return [Reply(f"{heading}\n\n{problem}", choices(other, menu_option()))]
    yes = ("apply", _("Yes, apply"))
    question = _("Do you want to apply?")
    return [Reply(f"{heading}\n\n{question}", choices(yes, (go(AID), _("See other aid"))))]


def _duplicate(aid: Aid, status: str, day: date) -> Reply:
    """Says the owner already applied in this period, and the status of that application."""
    text = _("You already applied for {aid} on {date} (period {period}). Status: {status}.")
    text = text.format(aid=aid.name, date=long_date(day), period=aid.period.key, status=status_label(status))
    note = _("One application per owner per period.")
    return Reply(f"{text}\n{note}", choices(_mine_option(), menu_option()))


@FLOW.answer("rules")
def answer_rules(ctx: Ctx, answer: Answer) -> Goto:
    """Goes on to the reason, first asking the kecamatan of an owner who has not registered (for the figures)."""
    return Goto("reason" if ctx.data.get("kecamatan") else "kecamatan")


@FLOW.ask("kecamatan")
def ask_kecamatan(ctx: Ctx) -> list[Reply]:
    """Asks where the business is."""
    return [
        Reply(
            _("In which kecamatan is your business? Type its name, e.g. {example}.").format(
                example=ctx.profile.kecamatan[0]
            )
        )
    ]


@FLOW.answer("kecamatan")
def answer_kecamatan(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the kecamatan (its name, or a town or village in it), or says what to type instead."""
    found = kecamatan_for(answer.text, ctx.profile)
    if found is None:
        text = _(
            "I do not know that kecamatan in {kabupaten}. Please type the kecamatan's name, e.g. {example}."
        )
        return Retry(text.format(kabupaten=ctx.profile.name, example=ctx.profile.kecamatan[0]))
    ctx.data["kecamatan"] = found
    return Goto("reason")


@FLOW.ask("reason")
def ask_reason(ctx: Ctx) -> list[Reply]:
    """Asks why the business needs the aid."""
    return [Reply(_("In one or two sentences: why does your business need this, and what will it change?"))]


@FLOW.answer("reason")
def answer_reason(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the reason, or says what to write instead; then the photo (where photos come through) or the summary."""
    problem = reason_problem(answer.text)
    if problem is not None:
        return Retry(problem)
    ctx.data["reason"] = " ".join(answer.text.split())
    aid = _chosen(ctx)
    wants_photo = aid is not None and aid.asks_photo and ctx.inbound.channel in MEDIA_CHANNELS
    return ctx.then("photo" if wants_photo and "photo" not in ctx.data else "summary")


@FLOW.ask("photo", takes_photo=True)
def ask_photo(ctx: Ctx) -> list[Reply]:
    """Asks for an optional photo of the workplace."""
    text = _("Optional: send one photo of your workplace, so the Dinas can see where the aid would be used.")
    return [Reply(text, choices(("skip", _("Without a photo"))))]


@FLOW.answer("photo")
def answer_photo(ctx: Ctx, answer: Answer) -> Transition:
    """Keeps the photo's reference, or goes on without one."""
    if ctx.inbound.photo:
        ctx.data["photo"] = ctx.inbound.photo
        return Goto("summary", say=(Reply(_("Photo received, thank you.")),))
    if answer.option == "skip":
        ctx.data["photo"] = None
        return Goto("summary")
    return Retry(_("Please send a photo (not a file), or choose *Without a photo*."))


@FLOW.ask("summary", choice_only=True)
def ask_summary(ctx: Ctx) -> list[Reply]:
    """Shows the application before it is sent."""
    aid = _chosen(ctx)
    if aid is None:
        return _lost()
    lines = [
        _("Please check your application:"),
        _("• Aid: {aid} (period {period})").format(aid=aid.name, period=aid.period.key),
        _("• Reason: {reason}").format(reason=ctx.data.get("reason", "")),
    ]
    if ctx.data.get("photo"):
        lines.append(_("• Photo of the workplace: attached"))
    options = [("send", _("Send application")), ("reason", _("Change the reason"))]
    if "photo" in ctx.data:
        options.append(("photo", _("Change the photo")))
    return [Reply("\n".join(lines), choices(*options, ("global:cancel", _("Cancel"))))]


@FLOW.answer("summary")
async def answer_summary(ctx: Ctx, answer: Answer) -> Transition:
    """Sends the application, or goes back to change the reason or photo."""
    aid = _chosen(ctx)
    if aid is None:
        return Finish(say=tuple(_lost()))
    if answer.option in ("reason", "photo"):
        ctx.data["_return_to"] = "summary"
        return Goto(answer.option)
    try:
        await add_application(
            session=ctx.session,
            contact_id=ctx.contact.id,
            aid_id=aid.id,
            period=aid.period.key,
            kecamatan=ctx.data.get("kecamatan", ""),
            reason=ctx.data.get("reason", ""),
            photo=ctx.data.get("photo"),
            now=ctx.now,
        )
    except AlreadyApplied as error:
        existing = error.application
        return Finish(
            say=(_duplicate(aid, existing.status, existing.applied_at.astimezone(ctx.zone).date()),)
        )
    text = _(
        "Your application for {aid} has been sent. The Dinas will review it; I will tell you here what they decide."
    )
    return Finish(say=(Reply(text.format(aid=aid.name)),))


@FLOW.ask("mine", choice_only=True)
async def ask_mine(ctx: Ctx) -> list[Reply]:
    """Lists the owner's applications with their status (and the Dinas's reason when there is one)."""
    applications = await owner_applications(session=ctx.session, contact_id=ctx.contact.id)
    names = {aid.id: aid.name for aid in ctx.profile.aid}
    if not applications:
        lines = [_("You have not applied for any aid yet.")]
    else:
        lines = [_("Your aid applications:")]
    for item in applications:
        day = long_date(item.applied_at.astimezone(ctx.zone).date())
        line = f"• {names.get(item.aid_id, item.aid_id)} ({day}): {status_label(item.status)}"
        lines.append(f"{line}. {item.decision_note}" if item.decision_note else line)
    return [Reply("\n".join(lines), choices((go(AID), _("See other aid")), menu_option()))]


@FLOW.answer("mine")
def answer_mine(ctx: Ctx, answer: Answer) -> Finish:
    """Only reached by an answer that is no option."""
    return Finish()
