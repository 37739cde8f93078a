"""Registration, the business: name, sector, place, start, turnover and licence; the capital (while there are
no sales), employees and NPWP are steps for changing them later."""

from __future__ import annotations

import re
from datetime import date

from bot.business_fields import (
    OUTSIDE_KECAMATAN,
    outside_label,
    sector_labels,
)
from bot.flows.base import Answer, Ctx, Goto, Retry, Transition, choices
from bot.flows.common import pick_one
from bot.flows.registration.flow import FLOW, SUMMARY, free_question, go_next, yes_no_of
from bot.flows.registration.readers import (
    capitalised,
    match_kecamatan,
    read_desa_and_kecamatan,
    read_name,
    read_nib,
)
from bot.messages import Reply
from core.business_answers import read_amount_or_zero, read_employees, read_turnover, turnover_note
from core.i18n import _
from core.kabupaten import fold
from core.periods import parse_month_year
from core.vocabulary import Meaning, meaning

_YEAR_ALONE = re.compile(r"(?:tahun |thn |th )?((?:19|20)[0-9]{2})")


@FLOW.ask("business_name")
def ask_business_name(ctx: Ctx) -> list[Reply]:
    """Asks for the business's name."""
    text = _(
        "What is the name of your business? For example: Keripik Bu Siti. No name yet? Write what you sell."
    )
    return free_question(ctx, "business_name", text)


@FLOW.answer("business_name")
def answer_business_name(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the business name and asks for the sector."""
    example = _("Type the business name, for example: Keripik Bu Siti")
    ctx.data["business_name"] = capitalised(read_name(answer.text, example=example))
    return go_next(ctx, "sector")


@FLOW.ask("sector", choice_only=True)
def ask_sector(ctx: Ctx) -> list[Reply]:
    """Offers the sectors."""
    return [Reply(_("Which sector is your business in?"), choices(*sector_labels().items()))]


@FLOW.answer("sector")
def answer_sector(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the sector and asks for the kecamatan."""
    ctx.data["sector"] = answer.option
    return go_next(ctx, "kecamatan")


@FLOW.ask("kecamatan")
def ask_kecamatan(ctx: Ctx) -> list[Reply]:
    """Lists the kecamatan as numbered text (too many for buttons)."""
    names = [*ctx.profile.kecamatan, outside_label(ctx.profile)]
    listing = "\n".join(f"{number}. {name}" for number, name in enumerate(names, start=1))
    text = _("In which kecamatan is your business? Reply with the number or the name:")
    both = _("Or the desa and kecamatan at once, for example: Sukamaju, {kecamatan}").format(
        kecamatan=ctx.profile.kecamatan[0]
    )
    return free_question(ctx, "kecamatan", text, listing, both)


@FLOW.answer("kecamatan")
def answer_kecamatan(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the kecamatan and asks for the desa (both at once when written together: 'Pasar II, Muara Enim')."""
    both = read_desa_and_kecamatan(answer.text, ctx.profile)
    if both is not None:
        ctx.data["desa"], ctx.data["kecamatan"] = both
        return go_next(ctx, "started_on")
    kecamatan = ctx.data["kecamatan"] = match_kecamatan(answer.text, ctx.profile)
    if kecamatan != OUTSIDE_KECAMATAN:
        return go_next(ctx, "desa")
    note = _(
        "Noted. Our consultants serve {region}; you can still check KUR "
        "and apply at a bank near your business."
    )
    return go_next(ctx, "desa", Reply(note.format(region=ctx.profile.name)))


@FLOW.ask("desa")
def ask_desa(ctx: Ctx) -> list[Reply]:
    """Asks for the desa or kelurahan."""
    return free_question(ctx, "desa", _("And the village (desa or kelurahan)? For example: Sukamaju"))


@FLOW.answer("desa")
def answer_desa(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the desa and asks when the business started."""
    example = _("Type the name of the desa or kelurahan, for example: Sukamaju")
    ctx.data["desa"] = read_name(answer.text, example=example, longest=80)
    return go_next(ctx, "started_on")


@FLOW.ask("started_on")
def ask_started_on(ctx: Ctx) -> list[Reply]:
    """Asks for the month and year the business started."""
    text = _(
        "Since which month and year has the business been running? "
        "For example: 03/2022, Maret 2022 or 2 tahun lalu"
    )
    return free_question(ctx, "started_on", text)


@FLOW.answer("started_on")
def answer_started_on(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the first day of the start month and asks for the turnover."""
    year = _YEAR_ALONE.fullmatch(fold(answer.text))
    if year and int(year[1]) <= ctx.today.year:  # '2015': the month hardly matters after a year or more
        ctx.data["started_on"] = date(int(year[1]), 1, 1).isoformat()
    else:
        ctx.data["started_on"] = parse_month_year(answer.text, today=ctx.today).isoformat()
    return go_next(ctx, "turnover")


@FLOW.ask("turnover")
def ask_turnover(ctx: Ctx) -> list[Reply]:
    """Asks for the average monthly turnover."""
    text = _("What is the average turnover (sales) per month? For example: 15 juta. No sales yet? Type 0.")
    return free_question(ctx, "turnover", text)


@FLOW.answer("turnover")
def answer_turnover(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the monthly turnover (a daily or weekly one converted and shown back) and asks for the licence; with
    no sales yet, the capital first."""
    amount, period = read_turnover(answer.text)
    ctx.data["monthly_turnover"] = amount
    if amount == 0:
        return go_next(ctx, "capital")  # no sales yet: the capital gives the size class
    note = turnover_note(amount, period)
    return go_next(ctx, "licence", *((Reply(note),) if note else ()))


@FLOW.ask("capital")
def ask_capital(ctx: Ctx) -> list[Reply]:
    """Asks for the business capital, excluding land and buildings."""
    return free_question(
        ctx,
        "capital",
        _("How much capital does the business have, *not counting land and buildings*?"),
        _("Count tools, machines, business vehicles, stock and cash. For example: 25 juta"),
    )


@FLOW.answer("capital")
def answer_capital(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the capital and asks about the licence."""
    ctx.data["capital"] = read_amount_or_zero(answer.text)
    return go_next(ctx, "licence")


@FLOW.ask("employees")
def ask_employees(ctx: Ctx) -> list[Reply]:
    """Asks how many people work in the business besides the owner."""
    text = _("How many employees work in the business, not counting yourself? For example: 3, or 0 if none.")
    return free_question(ctx, "employees", text)


@FLOW.answer("employees")
def answer_employees(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the head count (changed from the summary or the profile) and goes on."""
    ctx.data["employees"] = read_employees(answer.text)
    return go_next(ctx, "licence")


@FLOW.ask("licence")
def ask_licence(ctx: Ctx) -> list[Reply]:
    """Offers NIB, SKU or none."""
    options = choices(
        ("nib", _("Licence: NIB (from OSS)")),
        ("sku", _("Licence: SKU from the village office")),
        ("none", _("Licence: none yet")),
    )
    return [Reply(_("Which business licence do you have?"), options)]


@FLOW.answer("licence")
def answer_licence(ctx: Ctx, answer: Answer) -> Transition:
    """Stores the licence type; for an NIB asks its number."""
    kind = answer.option or ("none" if meaning(answer.text) is Meaning.NO else None)
    if kind is None:
        return Retry(pick_one(3, ctx.inbound.channel))
    ctx.data["licence_type"] = kind
    if kind == "nib":
        return Goto("nib_number")  # a pending return to the summary waits for the number
    ctx.data["licence_number"] = None
    return go_next(ctx, SUMMARY)


@FLOW.ask("nib_number")
def ask_nib_number(ctx: Ctx) -> list[Reply]:
    """Asks for the 13-digit NIB, with a way to skip it for now."""
    text = _("What is your NIB number (13 digits)? For example: 1234567890123")
    return [Reply(text, choices(("skip", _("Skip, fill in later"))))]


@FLOW.answer("nib_number")
def answer_nib_number(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the NIB number (or none, when skipped) and shows the summary."""
    ctx.data["licence_number"] = None if answer.option == "skip" else read_nib(answer.text)
    return go_next(ctx, SUMMARY)


@FLOW.ask("npwp")
def ask_npwp(ctx: Ctx) -> list[Reply]:
    """Asks whether the owner has an NPWP."""
    options = choices(("yes", _("Yes, I have an NPWP")), ("no", _("No NPWP yet")))
    return [Reply(_("Do you have an NPWP (tax number)?"), options)]


@FLOW.answer("npwp")
def answer_npwp(ctx: Ctx, answer: Answer) -> Transition:
    """Stores the NPWP answer and shows the summary."""
    has_npwp = yes_no_of(answer)
    if has_npwp is None:
        return Retry(pick_one(2, ctx.inbound.channel))
    ctx.data["has_npwp"] = has_npwp
    return go_next(ctx, SUMMARY)
