"""Daftar usaha: consent, the owner's and the business's data, a summary to check and fix, then one saved row.

Decisions the issue left open:
- A turnover (omzet) or capital of 0 is accepted ("0", "belum ada"): an owner who has just started may have no
  sales yet. With no sales the size class is read from the capital, as PP 7/2021 does for new businesses.
- A business outside the kabupaten picks the last kecamatan entry ("Di luar ..."), stored as
  `OUTSIDE_KECAMATAN`, with a note; a name not on the list is refused, suggesting the closest name.
- A shared Telegram contact at the phone step is taken as the answer at once (the user chose to send it).
- An NIB holder without the number at hand may skip it (`licence_number` stays empty).
- "Registered" for the menu means `contact.consent_at` is set: saving a registration sets it, erasure clears it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date

from bot.business_fields import (
    FIELDS,
    OUTSIDE_KECAMATAN,
    business_fields,
    business_lines,
    field_labels,
    outside_label,
    sector_labels,
    shown,
)
from bot.flows.base import Answer, Ctx, Finish, Flow, Goto, Retry, Transition, choices
from bot.flows.common import REGISTRATION, mask_phone, pick_one
from bot.messages import Reply
from core.askback import check_bare_amount
from core.formatting import rupiah
from core.i18n import _
from core.kabupaten import Profile, fold, kecamatan_for
from core.parsing import ParseError, parse_nik, parse_phone, parse_rupiah
from core.periods import parse_month_year
from core.programmes import regional_programme
from core.turnover import monthly_turnover
from core.vocabulary import Meaning, meaning, yes_or_no
from storage.businesses import save_business

SUMMARY = "summary"
MAX_EMPLOYEES = 100_000
_ZERO_WORDS = {"0", "nol", "kosong", "belum", "belum ada", "tidak ada", "tdk ada", "gak ada"}
_ALONE_WORDS = {"sendiri", "sendirian", "saya sendiri", "hanya saya", "tidak punya", "belum punya"}
_NUMBER_WORDS = ("satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh")
_YEAR_ALONE = re.compile(r"(?:tahun |thn |th )?((?:19|20)[0-9]{2})")
_OUTSIDE_WORDS = {"lainnya", "luar", "di luar", "luar daerah", "luar kabupaten"}


def _menu_label(ctx: Ctx) -> str | None:
    """Offers registration only to those who have not registered (given consent) yet."""
    return _("Register business") if ctx.contact.consent_at is None else None


FLOW = Flow(REGISTRATION, first="consent", menu_label=_menu_label, menu_order=10)


# --- readers ---------------------------------------------------------------------------------------------


def capitalised(name: str) -> str:
    """A name typed all in small or all in capital letters, capitalised: 'siti aminah' -> 'Siti Aminah'."""
    return name.title() if name in (name.lower(), name.upper()) else name


def read_name(text: str, *, example: str, longest: int = 120, letters: bool = False) -> str:
    """Reads a typed name: not empty, not too long, with letters if asked; spacing tidied."""
    value = " ".join(text.split())
    if not re.search(r"\w", value):
        raise ParseError(_("The answer is still empty. {example}").format(example=example))
    if letters and not re.search(r"[^\W\d_]", value):
        raise ParseError(_("A name needs letters. {example}").format(example=example))
    if len(value) > longest:
        message = _("That is too long (at most {count} characters). {example}")
        raise ParseError(message.format(count=longest, example=example))
    return value


def match_kecamatan(text: str, profile: Profile) -> str:
    """Finds the kecamatan meant by its number, its name, a town in it or a unique start, forgiving case and spacing."""
    names, outside = profile.kecamatan, len(profile.kecamatan) + 1
    key = re.sub(r"^(?:kecamatan|kec) ", "", fold(text))
    if key.isdigit():
        if 1 <= int(key) <= len(names):
            return names[int(key) - 1]
        if int(key) == outside:
            return OUTSIDE_KECAMATAN
        raise ParseError(
            _("Please reply with a number from 1 to {last}, for example 1.").format(last=outside)
        )
    if key in _OUTSIDE_WORDS or key == fold(outside_label(profile)):
        return OUTSIDE_KECAMATAN
    if found := kecamatan_for(text, profile):
        return found
    folded = [fold(name) for name in names]
    squeezed = [name.replace(" ", "") for name in folded]
    if key.replace(" ", "") in squeezed:
        return names[squeezed.index(key.replace(" ", ""))]
    hits = [i for i, name in enumerate(squeezed) if len(key) >= 3 and name.startswith(key.replace(" ", ""))]
    if len(hits) == 1:
        return names[hits[0]]
    if hits:
        listing = ", ".join(f"{i + 1}. {names[i]}" for i in hits)
        raise ParseError(
            _("Several kecamatan match: {listing}. Reply with the number.").format(listing=listing)
        )
    close = difflib.get_close_matches(key, folded, n=1, cutoff=0.8)
    if close:
        number = folded.index(close[0]) + 1
        message = _("That kecamatan is not on the list. Did you mean {name}? Reply {number}.")
        raise ParseError(message.format(name=names[number - 1], number=number))
    message = _(
        "That kecamatan is not in {region}. Reply with a number from the list, "
        "or {number} if the business is elsewhere."
    )
    raise ParseError(message.format(region=profile.name, number=outside))


def _zero(text: str) -> bool:
    """Whether an amount is nothing: '0', 'Rp 0', 'belum ada'."""
    words = fold(text)
    return words in _ZERO_WORDS or re.fullmatch(r"(?:rp ?)?0+(?: (?:rupiah|rp))?", words) is not None


def read_amount_or_zero(text: str) -> int:
    """Reads a Rupiah amount, where '0', 'Rp 0' or 'belum ada' mean zero."""
    return 0 if _zero(text) else parse_rupiah(text)


def read_employees(text: str) -> int:
    """Reads a head count: '3', '3 orang', 'tiga', 'tidak ada' or 'sendiri' (0); refuses negatives."""
    example = _("Type a whole number, for example 3, or 0 if there are none.")
    if re.match(r"\s*(?:[-\u2212\u2013]|minus\b)", text.casefold()):
        raise ParseError(_("The number of employees can't be negative. {example}").format(example=example))
    words = re.sub(r" ?\b(?:orang|org|karyawan|pegawai|pekerja)$", "", fold(text))
    if words in _ZERO_WORDS or words in _ALONE_WORDS:
        return 0
    if words in _NUMBER_WORDS:
        return _NUMBER_WORDS.index(words) + 1
    if not words.isdigit():
        raise ParseError(_("Sorry, I can't read that number of employees. {example}").format(example=example))
    if int(words) > MAX_EMPLOYEES:
        raise ParseError(_("That is a lot of employees, probably a typo. {example}").format(example=example))
    return int(words)


def read_nib(text: str) -> str:
    """Reads a 13-digit NIB, ignoring spaces, dots and dashes."""
    digits = re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", text))
    if not re.fullmatch(r"[0-9]{13}", digits):
        raise ParseError(
            _("An NIB has exactly 13 digits. Type it as on your NIB from OSS, for example 1234567890123.")
        )
    return digits


def _yes_no(answer: Answer) -> bool | None:
    """Reads yes or no from an option id or a typed word; None when it is neither."""
    if answer.option in ("yes", "no"):
        return answer.option == "yes"
    return yes_or_no(answer.text)


# --- step helpers ----------------------------------------------------------------------------------------


def _next(ctx: Ctx, step: str, *say: Reply) -> Goto:
    """Goes to `step`, or back to the summary when the owner came from there, saying `say` first."""
    return Goto(ctx.then(step).step, say=say)


def _question(ctx: Ctx, step: str, *lines: str) -> list[Reply]:
    """A free-text question, reminding the current value (after *kembali* or *Ubah data*)."""
    current = shown(ctx.data, step, ctx.profile)
    if current is None:
        return [Reply("\n".join(lines))]
    return [Reply("\n".join([*lines, _("Now: {value}").format(value=current)]))]


# --- consent ---------------------------------------------------------------------------------------------


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
    agreed = _yes_no(answer)
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
    return _question(
        ctx, "owner_name", _("What is the owner's full name, as on the KTP? For example: Siti Aminah")
    )


@FLOW.answer("owner_name")
def answer_owner_name(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the owner's name (capitalised when typed all in small or capital letters) and asks for the phone."""
    example = _("Type the full name as on the KTP, for example: Siti Aminah")
    ctx.data["owner_name"] = capitalised(read_name(answer.text, example=example, letters=True))
    return _next(ctx, "phone")


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
    return _next(ctx, "nik", *say)


@FLOW.ask("nik")
def ask_nik(ctx: Ctx) -> list[Reply]:
    """Asks for the NIK, saying why and that it is only ever shown masked; it may be given later."""
    why = _("Banks need it for KUR, and it tells us your age. We keep it safe and only ever show it masked.")
    [question] = _question(ctx, "nik", _("What is your NIK (the 16 digits on your KTP)?"), why)
    return [Reply(question.text, choices(("later", _("Later (NIK)"))))]


@FLOW.answer("nik")
def answer_nik(ctx: Ctx, answer: Answer) -> Goto:
    """Checks and stores the NIK, noting when it was issued outside the kabupaten; 'nanti aja' leaves it out."""
    if answer.option == "later" or meaning(answer.text) is Meaning.LATER:
        ctx.data["nik"] = None
        later = _(
            "All right, without a NIK for now. The eligibility check asks your age instead; a bank needs it for KUR."
        )
        return _next(ctx, "business_name", Reply(later))
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
    return _next(ctx, "business_name", *say)


# --- the business ----------------------------------------------------------------------------------------


@FLOW.ask("business_name")
def ask_business_name(ctx: Ctx) -> list[Reply]:
    """Asks for the business's name."""
    text = _(
        "What is the name of your business? For example: Keripik Bu Siti. No name yet? Write what you sell."
    )
    return _question(ctx, "business_name", text)


@FLOW.answer("business_name")
def answer_business_name(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the business name and asks for the sector."""
    example = _("Type the business name, for example: Keripik Bu Siti")
    ctx.data["business_name"] = capitalised(read_name(answer.text, example=example))
    return _next(ctx, "sector")


@FLOW.ask("sector", choice_only=True)
def ask_sector(ctx: Ctx) -> list[Reply]:
    """Offers the sectors."""
    return [Reply(_("Which sector is your business in?"), choices(*sector_labels().items()))]


@FLOW.answer("sector")
def answer_sector(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the sector and asks for the kecamatan."""
    ctx.data["sector"] = answer.option
    return _next(ctx, "kecamatan")


@FLOW.ask("kecamatan")
def ask_kecamatan(ctx: Ctx) -> list[Reply]:
    """Lists the kecamatan as numbered text (too many for buttons)."""
    names = [*ctx.profile.kecamatan, outside_label(ctx.profile)]
    listing = "\n".join(f"{number}. {name}" for number, name in enumerate(names, start=1))
    text = _("In which kecamatan is your business? Reply with the number or the name:")
    both = _("Or the desa and kecamatan at once, for example: Sukamaju, {kecamatan}").format(
        kecamatan=ctx.profile.kecamatan[0]
    )
    return _question(ctx, "kecamatan", text, listing, both)


def _desa_and_kecamatan(text: str, profile: Profile) -> tuple[str, str] | None:
    """Reads 'Pasar II, Muara Enim' (either order) as desa and kecamatan; None when it is not such a pair."""
    first, comma, second = (part.strip() for part in text.partition(","))
    if not comma or not first or not second:
        return None
    example = _("Type the name of the desa or kelurahan, for example: Sukamaju")
    for desa, place in ((first, second), (second, first)):
        try:
            kecamatan = match_kecamatan(place, profile)
        except ParseError:
            continue
        if kecamatan != OUTSIDE_KECAMATAN:
            return read_name(desa, example=example, longest=80), kecamatan
    return None


@FLOW.answer("kecamatan")
def answer_kecamatan(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the kecamatan and asks for the desa (both at once when written together: 'Pasar II, Muara Enim')."""
    both = _desa_and_kecamatan(answer.text, ctx.profile)
    if both is not None:
        ctx.data["desa"], ctx.data["kecamatan"] = both
        return _next(ctx, "started_on")
    kecamatan = ctx.data["kecamatan"] = match_kecamatan(answer.text, ctx.profile)
    if kecamatan != OUTSIDE_KECAMATAN:
        return _next(ctx, "desa")
    note = _(
        "Noted. Our consultants serve {region}; you can still check KUR "
        "and apply at a bank near your business."
    )
    return _next(ctx, "desa", Reply(note.format(region=ctx.profile.name)))


@FLOW.ask("desa")
def ask_desa(ctx: Ctx) -> list[Reply]:
    """Asks for the desa or kelurahan."""
    return _question(ctx, "desa", _("And the village (desa or kelurahan)? For example: Sukamaju"))


@FLOW.answer("desa")
def answer_desa(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the desa and asks when the business started."""
    example = _("Type the name of the desa or kelurahan, for example: Sukamaju")
    ctx.data["desa"] = read_name(answer.text, example=example, longest=80)
    return _next(ctx, "started_on")


@FLOW.ask("started_on")
def ask_started_on(ctx: Ctx) -> list[Reply]:
    """Asks for the month and year the business started."""
    text = _(
        "Since which month and year has the business been running? "
        "For example: 03/2022, Maret 2022 or 2 tahun lalu"
    )
    return _question(ctx, "started_on", text)


@FLOW.answer("started_on")
def answer_started_on(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the first day of the start month and asks for the turnover."""
    year = _YEAR_ALONE.fullmatch(fold(answer.text))
    if year and int(year[1]) <= ctx.today.year:  # '2015': the month hardly matters after a year or more
        ctx.data["started_on"] = date(int(year[1]), 1, 1).isoformat()
    else:
        ctx.data["started_on"] = parse_month_year(answer.text, today=ctx.today).isoformat()
    return _next(ctx, "turnover")


@FLOW.ask("turnover")
def ask_turnover(ctx: Ctx) -> list[Reply]:
    """Asks for the average monthly turnover."""
    text = _("What is the average turnover (sales) per month? For example: 15 juta. No sales yet? Type 0.")
    return _question(ctx, "turnover", text)


@FLOW.answer("turnover")
def answer_turnover(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the monthly turnover (a daily or weekly one converted and shown back) and asks for the capital."""
    if _zero(answer.text):
        ctx.data["monthly_turnover"] = 0
        return _next(ctx, "capital")
    check_bare_amount(answer.text)
    amount, period = monthly_turnover(answer.text)
    ctx.data["monthly_turnover"] = amount
    if period is None:
        return _next(ctx, "capital")
    said = {"day": _("a day"), "week": _("a week")}[period]
    note = _("Noted: about {amount} a month (from your turnover {per}).").format(
        amount=rupiah(amount), per=said
    )
    return _next(ctx, "capital", Reply(note))


@FLOW.ask("capital")
def ask_capital(ctx: Ctx) -> list[Reply]:
    """Asks for the business capital, excluding land and buildings."""
    return _question(
        ctx,
        "capital",
        _("How much capital does the business have, *not counting land and buildings*?"),
        _("Count tools, machines, business vehicles, stock and cash. For example: 25 juta"),
    )


@FLOW.answer("capital")
def answer_capital(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the capital and asks for the number of employees."""
    ctx.data["capital"] = read_amount_or_zero(answer.text)
    return _next(ctx, "employees")


@FLOW.ask("employees")
def ask_employees(ctx: Ctx) -> list[Reply]:
    """Asks how many people work in the business besides the owner."""
    text = _("How many employees work in the business, not counting yourself? For example: 3, or 0 if none.")
    return _question(ctx, "employees", text)


@FLOW.answer("employees")
def answer_employees(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the head count and asks about the licence."""
    ctx.data["employees"] = read_employees(answer.text)
    return _next(ctx, "licence")


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
    return _next(ctx, "npwp")


@FLOW.ask("nib_number")
def ask_nib_number(ctx: Ctx) -> list[Reply]:
    """Asks for the 13-digit NIB, with a way to skip it for now."""
    text = _("What is your NIB number (13 digits)? For example: 1234567890123")
    return [Reply(text, choices(("skip", _("Skip, fill in later"))))]


@FLOW.answer("nib_number")
def answer_nib_number(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the NIB number (or none, when skipped) and asks about the NPWP."""
    ctx.data["licence_number"] = None if answer.option == "skip" else read_nib(answer.text)
    return _next(ctx, "npwp")


@FLOW.ask("npwp")
def ask_npwp(ctx: Ctx) -> list[Reply]:
    """Asks whether the owner has an NPWP."""
    options = choices(("yes", _("Yes, I have an NPWP")), ("no", _("No NPWP yet")))
    return [Reply(_("Do you have an NPWP (tax number)?"), options)]


@FLOW.answer("npwp")
def answer_npwp(ctx: Ctx, answer: Answer) -> Transition:
    """Stores the NPWP answer and shows the summary."""
    has_npwp = _yes_no(answer)
    if has_npwp is None:
        return Retry(pick_one(2, ctx.inbound.channel))
    ctx.data["has_npwp"] = has_npwp
    return _next(ctx, SUMMARY)


# --- summary, changing a field, saving -------------------------------------------------------------------


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
    for step, key in FIELDS:
        if ctx.data.get(key) is None and not (key == "nik" and key in ctx.data):  # a NIK may come later
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
