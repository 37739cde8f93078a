"""Privacy & data: what is stored about the user, announcements on/off, and erasure on request."""

from __future__ import annotations

from datetime import UTC

from bot.bookings.notices import cancel_all_bookings
from bot.flows.base import Answer, Ctx, Finish, Flow, Goto, Transition, choices
from bot.messages import Reply
from bot.privacy import resume_broadcasts, stop_broadcasts
from core.formatting import long_date
from core.i18n import _
from storage.businesses import get_business
from storage.erasure import erase_contact

FLOW = Flow("privacy", first="overview", menu_label=lambda ctx: _("Privacy & data"), menu_order=90)


async def stored_lines(ctx: Ctx) -> list[str]:
    """Says in a few short lines what is stored about this user, never the NIK or phone number."""
    business = await get_business(session=ctx.session, contact_id=ctx.contact.id)
    lines = [_("*Your data at Rumah UMKM*")]
    if business is None:
        lines.append(_("• Business: not registered."))
    else:
        lines.append(_("• Business: *{name}* is registered.").format(name=business.name))
    consent_at = ctx.contact.consent_at
    if consent_at is None:
        lines.append(_("• Consent to store your data: not given."))
    else:
        moment = consent_at if consent_at.tzinfo else consent_at.replace(tzinfo=UTC)
        day = long_date(moment.astimezone(ctx.zone).date())
        lines.append(_("• Consent to store your data: given on {date}.").format(date=day))
    if ctx.contact.broadcasts_opt_out:
        lines.append(_("• Programme announcements: off."))
    else:
        lines.append(_("• Programme announcements: on."))
    return lines


@FLOW.ask("overview", choice_only=True)
async def ask_overview(ctx: Ctx) -> list[Reply]:
    """Shows what is stored and offers to switch announcements, erase the data or go back."""
    if ctx.contact.broadcasts_opt_out:
        toggle = ("resume", _("Turn on announcements"))
    else:
        toggle = ("stop", _("Stop announcements"))
    options = choices(toggle, ("erase", _("Erase my data")), ("menu", _("Back to the menu")))
    return [Reply("\n".join(await stored_lines(ctx)), options)]


@FLOW.answer("overview")
def answer_overview(ctx: Ctx, answer: Answer) -> Transition:
    """Switches announcements, moves on to erasure, or goes back to the menu."""
    if answer.option == "stop":
        return Goto("overview", say=(stop_broadcasts(ctx.contact),))
    if answer.option == "resume":
        resumed = resume_broadcasts(ctx.contact)
        return Goto("overview", say=() if resumed is None else (resumed,))
    if answer.option == "erase":
        return Goto("erase")
    return Finish()


@FLOW.ask("erase", choice_only=True)
def ask_erase(ctx: Ctx) -> list[Reply]:
    """Explains what erasure removes and asks for confirmation."""
    text = "\n".join(
        [
            _("*Erase your data?*"),
            _(
                "We will erase your name, phone number, NIK, business data, booking notes, "
                "our messages to you and the answers of your saved eligibility checks."
            ),
            _("Only anonymous counts stay, which cannot be linked to you. This cannot be undone."),
        ]
    )
    return [Reply(text, choices(("confirm", _("Yes, erase")), ("cancel", _("Cancel erasing"))))]


@FLOW.answer("erase")
async def answer_erase(ctx: Ctx, answer: Answer) -> Finish:
    """Erases the personal data on confirmation; otherwise keeps everything."""
    if answer.option != "confirm":
        return Finish(say=(Reply(_("Nothing was erased; your data stays as it was.")),))
    await erase_contact(session=ctx.session, contact=ctx.contact, now=ctx.now)
    await cancel_all_bookings(
        ctx
    )  # after erasing: frees the slots and tells the consultants without naming anyone
    done = _(
        "Done: your data has been erased. Only anonymous counts remain. "
        "If you write again, we start afresh as with a new user."
    )
    return Finish(say=(Reply(done),), show_menu=False)
