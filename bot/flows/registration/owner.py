"""Registration, the owner: consent (or later), name, phone and NIK."""

from __future__ import annotations

from bot.flows.base import Answer, Ctx, Finish, Goto, Retry, Transition, choices
from bot.flows.common import mask_phone, pick_one
from bot.flows.registration.flow import FLOW, free_question, go_next, yes_no_of
from bot.flows.registration.readers import (
    capitalised,
    read_name,
)
from bot.messages import Reply
from core.i18n import _
from core.identity import parse_nik, parse_phone
from core.parsing import ParseError
from core.programmes import regional_programme
from core.vocabulary import Meaning, meaning


@FLOW.ask("consent")
def ask_consent(ctx: Ctx) -> list[Reply]:
    """Explains what is stored, why, and how to erase it (UU PDP), and asks for consent."""
    text = "\n".join(
        [
            _("*Register your business*"),
            _("Before we start, we need your consent (UU 27/2022 on Personal Data Protection)."),
            _("• What we store: your name, phone number, NIK and business data."),
            _(
                "• Why: to check your KUR eligibility and connect you with a KKMB consultant and a partner bank."
            ),
            _("• Erasing: send *hapus data* at any time."),
            _("Do you agree?"),
        ]
    )
    return [Reply(text, choices(("yes", _("I agree")), ("no", _("I do not agree"))))]


@FLOW.answer("consent")
def answer_consent(ctx: Ctx, answer: Answer) -> Transition:
    """Goes on with consent; without it ends kindly, saying what works without registering."""
    if answer.option is None and meaning(answer.text) is Meaning.LATER:
        later = _(
            "All right, later then. Nothing was stored. Send *daftar* whenever you want to register your business."
        )
        return Finish(say=(Reply(later),))
    agreed = yes_no_of(answer)
    if agreed is None:
        return Retry(pick_one(2, ctx.inbound.channel))
    if agreed:
        return Goto("owner_name")
    declined = _(
        "All right, nothing was stored. You can still use the instalment simulation "
        "and programme information without registering."
    )
    return Finish(say=(Reply(declined),))


# --- the owner -------------------------------------------------------------------------------------------


@FLOW.ask("owner_name")
def ask_owner_name(ctx: Ctx) -> list[Reply]:
    """Asks for the owner's full name."""
    return free_question(
        ctx, "owner_name", _("What is the owner's full name, as on the KTP? For example: Siti Aminah")
    )


@FLOW.answer("owner_name")
def answer_owner_name(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the owner's name (capitalised when typed all in small or capital letters) and asks for the phone;
    on WhatsApp the sender's number is taken instead."""
    example = _("Type the full name as on the KTP, for example: Siti Aminah")
    ctx.data["owner_name"] = capitalised(read_name(answer.text, example=example, letters=True))
    sender = _known_phone(ctx) if ctx.inbound.channel == "whatsapp" and "phone" not in ctx.data else None
    if sender is not None:  # WhatsApp tells the number: noted, not asked (changed from the summary if needed)
        ctx.data["phone"] = sender
        noted = _("Your WhatsApp number {phone} is noted as your mobile number.").format(
            phone=mask_phone(sender)
        )
        return go_next(ctx, "nik", Reply(noted))
    return go_next(ctx, "phone")


def _known_phone(ctx: Ctx) -> str | None:
    """A mobile number we already know for this user: given before, shared, or the WhatsApp sender."""
    whatsapp = ctx.inbound.sender_id.removeprefix("whatsapp:") if ctx.inbound.channel == "whatsapp" else None
    for candidate in (ctx.data.get("phone"), ctx.inbound.phone, whatsapp, ctx.contact.phone):
        if not candidate:
            continue
        try:
            return parse_phone(candidate)
        except ParseError:
            continue
    return None


@FLOW.ask("phone")
def ask_phone(ctx: Ctx) -> list[Reply]:
    """Asks for the mobile number, offering the one we know."""
    text = _("Which mobile (WhatsApp) number can we reach you on? For example: 0812-3456-7890")
    known = ctx.data["phone_offer"] = _known_phone(ctx)
    if known is None:
        return [Reply(text)]
    option = _("Use this number ({phone})").format(phone=mask_phone(known))
    return [Reply("\n".join([text, _("Or pick the number below.")]), choices(("known", option)))]


@FLOW.answer("phone")
def answer_phone(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the mobile number (typed, offered, or a shared contact) and asks for the NIK."""
    say: tuple[Reply, ...] = ()
    if ctx.inbound.phone:
        phone = parse_phone(ctx.inbound.phone)
        say = (Reply(_("Thank you, number {phone} noted.").format(phone=mask_phone(phone))),)
    elif answer.option == "known" and ctx.data.get("phone_offer"):
        phone = ctx.data["phone_offer"]
    else:
        phone = parse_phone(answer.text)
    ctx.data.pop("phone_offer", None)
    ctx.data["phone"] = phone
    return go_next(ctx, "nik", *say)


@FLOW.ask("nik")
def ask_nik(ctx: Ctx) -> list[Reply]:
    """Asks for the NIK, saying why and that it is only ever shown masked; it may be given later."""
    why = _("Banks need it for KUR, and it tells us your age. We keep it safe and only ever show it masked.")
    [question] = free_question(ctx, "nik", _("What is your NIK (the 16 digits on your KTP)?"), why)
    return [Reply(question.text, choices(("later", _("Later (NIK)"))))]


@FLOW.answer("nik")
def answer_nik(ctx: Ctx, answer: Answer) -> Goto:
    """Checks and stores the NIK, noting when it was issued outside the kabupaten; 'nanti aja' leaves it out."""
    if answer.option == "later" or meaning(answer.text) is Meaning.LATER:
        ctx.data["nik"] = None
        later = _(
            "All right, without a NIK for now. The eligibility check asks your age instead; a bank needs it for KUR."
        )
        return go_next(ctx, "business_name", Reply(later))
    nik = parse_nik(answer.text, today=ctx.today)
    ctx.data["nik"] = nik.nik
    say = [Reply(_("NIK {nik} noted.").format(nik=nik.masked()))]
    if nik.regency_code != ctx.profile.regency_code and ctx.profile.regional_programme:
        programme = regional_programme(ctx.profile.regional_programme).name
        note = _(
            "Note: this NIK was issued outside {region}. {programme} is for local residents; "
            "KUR is open to you anyway."
        )
        say.append(Reply(note.format(region=ctx.profile.name, programme=programme)))
    return go_next(ctx, "business_name", *say)
