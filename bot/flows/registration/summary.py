"""Registration, the end: the summary to check, changing a field, and saving."""

from __future__ import annotations

from bot.business_fields import (
    business_fields,
    business_lines,
    field_labels,
    missing,
)
from bot.flows.base import Answer, Ctx, Finish, Goto, Transition, choices
from bot.flows.registration.flow import FLOW, SUMMARY
from bot.messages import Reply
from core.i18n import _
from storage.businesses import save_business


@FLOW.ask(SUMMARY, choice_only=True)
def ask_summary(ctx: Ctx) -> list[Reply]:
    """Shows every field (NIK masked) and the size class, and offers to save, change or cancel."""
    ctx.data.pop("_return_to", None)
    lines = [_("*Please check your data*"), *business_lines(ctx.data, ctx.profile), _("Is everything right?")]
    options = choices(
        ("save", _("Save my data")),
        ("edit", _("Change business data")),
        ("global:cancel", _("Cancel without saving")),
    )
    return [Reply("\n".join(lines), options)]


@FLOW.answer(SUMMARY)
async def answer_summary(ctx: Ctx, answer: Answer) -> Transition:
    """Saves the business (asking first for any field still missing), or lists the fields to change."""
    if answer.option == "edit":
        return Goto("edit")
    step = missing(ctx.data)
    if step is not None:
        ctx.data["_return_to"] = SUMMARY
        return Goto(step)
    fields = business_fields(ctx.data)
    await save_business(session=ctx.session, contact_id=ctx.contact.id, fields=fields, now=ctx.now)
    updating = ctx.data.get("mode") == "update"
    if ctx.contact.consent_at is None or not updating:
        ctx.contact.consent_at = ctx.now
    ctx.contact.phone = ctx.data["phone"]
    ctx.session.add(ctx.contact)
    if updating:
        return Finish(say=(Reply(_("Your changes are saved.")),))
    done = [
        _("Your business is registered. Thank you!"),
        _("Next: check which credit suits you or work out the instalments, from the menu below."),
        _("You can see and change your data any time under *My business profile*."),
    ]
    return Finish(say=(Reply("\n".join(done)),))


@FLOW.ask("edit", choice_only=True)
def ask_edit(ctx: Ctx) -> list[Reply]:
    """Lists the fields the owner can change."""
    options = choices(*field_labels().items(), (SUMMARY, _("Back to the summary")))
    return [Reply(_("Which data do you want to change?"), options)]


@FLOW.answer("edit")
def answer_edit(ctx: Ctx, answer: Answer) -> Goto:
    """Goes to the chosen field's question, to come back to the summary after it."""
    if answer.option != SUMMARY:
        ctx.data["_return_to"] = SUMMARY
    return Goto(answer.option or SUMMARY)
