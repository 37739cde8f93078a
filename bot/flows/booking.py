"""Booking konsultan KKMB (owner side), the booking notices through the outbox, and the booking reminder job.

Decisions the issue left open:
- Booking needs a registered business: the consultant gets its summary to prepare (an unregistered owner is
  sent to "Daftar usaha" first). A business outside the kabupaten, or in a kecamatan no consultant covers, is
  offered all other active consultants ("nearby"). Consultants are filtered by topic when they list topics.
- Slots start at least MIN_LEAD (one hour) from now; they are shown five at a time, earliest first.
- "Booking saya" is an option of the first step (shown when the owner has upcoming bookings) and a button on
  every notice; cancel and reschedule work until the meeting starts. A reschedule keeps the status (the slot
  was published as free time; a request still waits for Terima/Tolak) and is recorded in `Booking.history`.
- A consultant without a linked chat: the booking stays requested and every admin contact gets the notice with
  the Terima/Tolak buttons (admins may answer for the secretariat). No admin: it is only logged.
- Reminders go to both sides at 09.00 local the day before and one hour before a confirmed meeting; the
  consultant also gets a follow-up at the end of the meeting to record the outcome. A request still unanswered
  when its meeting starts expires (slot freed, owner told with a button to pick another time).

WhatsApp templates outside the 24-hour window take `variables`: consultant_notification {"1": headline,
"2": time, "3": business}; booking_confirmation {"1": headline, "2": time, "3": consultant}.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.base import Answer, Ctx, Finish, Flow, Goto, Retry, Transition, choices, go
from bot.flows.menu import scam_warning
from bot.flows.profile import REGISTRATION, mask_nik
from bot.flows.simulation import menu_option
from bot.messages import Option, Reply
from core.booking import (
    ACTIVE,
    CANCELLED,
    CONFIRMED,
    DAY_BEFORE,
    DECLINED,
    DONE,
    EXPIRED,
    FOLLOW_UP,
    FOLLOW_UP_FOR,
    MIN_LEAD,
    NO_SHOW,
    NOTE_LIMIT,
    REQUESTED,
    TOPICS,
    Reminder,
    due_reminders,
)
from core.classification import SizeClass
from core.eligibility import Status
from core.explain import verdict
from core.formatting import appointment, long_date, rupiah
from core.i18n import _
from core.parsing import ParseError
from storage.bookings import (
    AlreadyBooked,
    BookingDetails,
    SlotTaken,
    active_booking_with,
    book_slot,
    booking_details,
    change_status,
    confirmed_between,
    existing_send_keys,
    free_slots,
    get_slot,
    move_to_slot,
    owner_upcoming,
    unanswered_started,
)
from storage.businesses import get_business
from storage.checks import latest_check
from storage.consultants import consultants_for, get_consultant
from storage.contacts import contacts_with_role
from storage.db import transaction
from storage.models import Consultant, Contact, Slot
from storage.outbox import enqueue

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

PAGE = 5
TO_CONSULTANT = "consultant_notification"
TO_OWNER = "booking_confirmation"
LOOK_AHEAD = timedelta(days=2)


def _menu_label(ctx: Ctx) -> str | None:
    """Offers booking to business owners only (consultants and admins have their own entries)."""
    return _("Book a KKMB consultant") if ctx.contact.role == "owner" else None


FLOW = Flow("booking", first="topic", menu_label=_menu_label, menu_order=50)


# --- words ------------------------------------------------------------------------------------------------


def topic_labels() -> dict[str, str]:
    """The owner-facing name of every booking topic."""
    labels = {
        "kur": _("Booking topic: KUR application"),
        "subsidi_daerah": _("Booking topic: regional credit subsidy"),
        "perizinan": _("Booking topic: business licences (NIB, SKU)"),
        "pembukuan": _("Booking topic: bookkeeping"),
        "lainnya": _("Booking topic: something else"),
    }
    return {topic: labels[topic] for topic in TOPICS}


def place_label(place: str) -> str:
    """Where a meeting happens, in words."""
    labels = {
        "secretariat": _("Meeting place: at the Rumah UMKM secretariat"),
        "phone": _("Meeting place: by phone"),
        "video": _("Meeting place: by video call"),
    }
    return labels.get(place, place)


def status_label(status: str, *, for_consultant: bool = False) -> str:
    """A booking's status, in words for the owner or for the consultant."""
    labels = {
        REQUESTED: _("Booking status: waiting for your answer")
        if for_consultant
        else _("Booking status: waiting for the consultant's answer"),
        CONFIRMED: _("Booking status: confirmed"),
        DECLINED: _("Booking status: declined"),
        CANCELLED: _("Booking status: cancelled by the owner"),
        DONE: _("Booking status: done"),
        NO_SHOW: _("Booking status: owner did not come"),
        EXPIRED: _("Booking status: expired without an answer"),
    }
    return labels.get(status, status)


def when(moment: datetime, zone: ZoneInfo) -> str:
    """A meeting time as 'Senin, 23 November 2026 09.00 WIB' in the kabupaten's zone."""
    return appointment(moment.astimezone(zone), zone.key)


def slot_label(slot: Slot, zone: ZoneInfo) -> str:
    """A slot as an option: time and place."""
    return f"{when(slot.starts_at, zone)}, {place_label(slot.place)}"


def consultant_label(consultant: Consultant) -> str:
    """A consultant as 'Siti Rahmawati (BRI Unit Muara Enim)'."""
    return f"{consultant.name} ({consultant.bank})"


def business_name(details: BookingDetails) -> str:
    """The booked business's name, or a stand-in when its data was erased."""
    return details.business.name if details.business else _("(business data not available)")


def _size_label(value: str) -> str:
    """A stored size class in words."""
    try:
        return SizeClass(value).label
    except ValueError:
        return value


async def verdict_line(session: AsyncSession, owner_contact_id: int) -> str:
    """The owner's latest eligibility verdict: best (or first-ranked) scheme, verdict and date."""
    check = await latest_check(session=session, contact_id=owner_contact_id)
    if check is None or not check.result:
        return _("Last eligibility check: none yet")
    entry = check.result.get(check.best_scheme or "") or min(check.result.values(), key=lambda e: e["rank"])
    return _("Last eligibility check: {scheme}: {verdict} ({day})").format(
        scheme=entry["name"], verdict=verdict(Status(entry["status"])), day=long_date(check.checked_on)
    )


async def consultant_summary(session: AsyncSession, details: BookingDetails, zone: ZoneInfo) -> list[str]:
    """What a consultant sees of a booking: time, place, business summary, topic, note, verdict, masked NIK."""
    booking, business = details.booking, details.business
    lines = [f"{when(details.slot.starts_at, zone)}, {place_label(details.slot.place)}"]
    if business is None:
        lines.append(business_name(details))
    else:
        lines += [
            _("Business: {name} ({size})").format(name=business.name, size=_size_label(business.size_class)),
            _("Owner: {name}, Kecamatan {kecamatan}").format(
                name=business.owner_name, kecamatan=business.kecamatan
            ),
            _("Turnover: {amount} a month").format(amount=rupiah(business.monthly_turnover)),
        ]
    lines.append(
        _("Consultation topic: {topic}").format(topic=topic_labels().get(booking.topic, booking.topic))
    )
    if booking.note:
        lines.append(_("Owner's note: {note}").format(note=booking.note))
    lines.append(await verdict_line(session, booking.owner_contact_id))
    if business is not None and business.nik:
        lines.append(_("Owner's NIK (masked): {nik}").format(nik=mask_nik(business.nik)))
    return lines


def request_lines(
    consultant: Consultant, slot: Slot, topic: str, note: str | None, zone: ZoneInfo
) -> list[str]:
    """What an owner sees of a booking or request: consultant, time and place, topic, note."""
    lines = [
        _("KKMB consultant: {consultant}").format(consultant=consultant_label(consultant)),
        _("Consultation time: {when}").format(when=slot_label(slot, zone)),
        _("Consultation topic: {topic}").format(topic=topic_labels().get(topic, topic)),
    ]
    if note:
        lines.append(_("Your note: {note}").format(note=note))
    return lines


def owner_summary(details: BookingDetails, zone: ZoneInfo) -> list[str]:
    """What an owner sees of a booking."""
    booking = details.booking
    return request_lines(details.consultant, details.slot, booking.topic, booking.note, zone)


# --- notices through the outbox ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A business-initiated message about a booking: headline, lines and buttons."""

    headline: str
    lines: tuple[str, ...]
    options: tuple[Option, ...] = ()

    @property
    def body(self) -> str:
        """The full text: the headline in bold, then the lines."""
        return "\n".join([f"*{self.headline}*", *self.lines])


async def _send(
    session: AsyncSession,
    to: Contact | None,
    kind: str,
    notice: Notice,
    variables: dict[str, str],
    key: str,
    now: datetime,
) -> bool:
    """Queues a notice once for a reachable contact; False when there is nobody to send to or it was queued before."""
    if to is None or to.erased_at is not None:
        return False
    row = await enqueue(
        session=session,
        channel=to.channel,
        recipient=to.external_id,
        kind=kind,
        body=notice.body,
        send_key=key,
        now=now,
        contact_id=to.id,
        options=notice.options,
        variables=variables,
    )
    return row is not None


def event_key(details: BookingDetails, side: str) -> str:
    """The send-once key of a notice about the booking's latest event (history index and event name)."""
    booking = details.booking
    return f"booking:{booking.id}:{len(booking.history)}:{booking.history[-1]['event']}:{side}"


async def send_to_owner(
    session: AsyncSession, details: BookingDetails, notice: Notice, key: str, now: datetime, zone: ZoneInfo
) -> bool:
    """Queues a notice to the booking's owner (kind booking_confirmation)."""
    variables = {"1": notice.headline, "2": when(details.slot.starts_at, zone), "3": details.consultant.name}
    return await _send(session, details.owner, TO_OWNER, notice, variables, key, now)


async def send_to_consultant(
    session: AsyncSession,
    details: BookingDetails,
    notice: Notice,
    key: str,
    now: datetime,
    zone: ZoneInfo,
    *,
    admins_if_unlinked: bool = True,
) -> int:
    """Queues a notice to the consultant, or, when no chat is linked, to every admin; returns how many were queued."""
    variables = {"1": notice.headline, "2": when(details.slot.starts_at, zone), "3": business_name(details)}
    if details.consultant_contact is not None:
        return int(
            await _send(session, details.consultant_contact, TO_CONSULTANT, notice, variables, key, now)
        )
    if not admins_if_unlinked:
        return 0
    admins = await contacts_with_role(session=session, role="admin")
    if not admins:
        log.warning(
            "booking %s: consultant %s has no chat and there is no admin",
            details.booking.id,
            details.consultant.id,
        )
    unlinked = _(
        "For consultant {name}, who has not linked a chat yet (umkm consultant link-code {id}):"
    ).format(name=details.consultant.name, id=details.consultant.id)
    forwarded = Notice(notice.headline, (unlinked, *notice.lines), notice.options)
    sent = 0
    for admin in admins:
        sent += await _send(
            session, admin, TO_CONSULTANT, forwarded, variables, f"{key}:admin:{admin.id}", now
        )
    return sent


def answer_buttons(booking_id: int) -> tuple[Option, ...]:
    """The consultant's Terima / Tolak buttons for a request."""
    return choices(
        (go("consultant", "accept", booking_id), _("Accept the booking")),
        (go("consultant", "decline", booking_id), _("Decline the booking")),
    )


def rebook_buttons(booking_id: int) -> tuple[Option, ...]:
    """The owner's buttons after a refusal: other times with the same consultant, or another consultant."""
    return choices(
        (go("booking", "rebook", booking_id), _("Choose another consultation time")),
        (go("booking"), _("Choose another KKMB consultant")),
    )


async def notify_consultant_of_request(
    session: AsyncSession, details: BookingDetails, now: datetime, zone: ZoneInfo
) -> int:
    """Tells the consultant (or the admins) about a new request, with the business summary and Terima / Tolak."""
    lines = await consultant_summary(session, details, zone)
    notice = Notice(
        _("New booking request"),
        (*lines, _("Do you accept this booking?")),
        answer_buttons(details.booking.id),
    )
    return await send_to_consultant(session, details, notice, event_key(details, "consultant"), now, zone)


# --- the owner's flow: topic, consultant, slot, note, confirm -----------------------------------------------


def _restart() -> list[Reply]:
    """What a step says when the data it needs is gone (an old button): start the booking again."""
    text = _("Sorry, I lost track of this booking. Let's start it again.")
    return [Reply(text, choices((go(FLOW.id), _("Start a new booking")), menu_option()))]


def _my_bookings_option() -> tuple[str, str]:
    """The option that opens the owner's bookings."""
    return (go(FLOW.id, "mine"), _("My consultant bookings"))


@FLOW.ask("topic", choice_only=True)
async def ask_topic(ctx: Ctx) -> list[Reply]:
    """Asks the topic (mentioning upcoming bookings), or sends an unregistered owner to register first."""
    if await get_business(session=ctx.session, contact_id=ctx.contact.id) is None:
        text = _(
            "To book a KKMB consultant, please register your business first. It takes about 3 minutes, "
            "and the consultant can prepare for your meeting."
        )
        return [
            Reply(text, choices((go(REGISTRATION), _("Register my business before booking")), menu_option()))
        ]
    options = list(topic_labels().items())
    lines = [_("What would you like to discuss with the KKMB consultant?")]
    upcoming = await owner_upcoming(session=ctx.session, owner_contact_id=ctx.contact.id, now=ctx.now)
    if upcoming:
        notice = _(
            "You have {count} upcoming booking(s). Choose *My consultant bookings* to see, move or cancel them."
        )
        lines.insert(0, notice.format(count=len(upcoming)))
        options.append(_my_bookings_option())
    return [Reply("\n".join(lines), choices(*options))]


@FLOW.answer("topic")
def answer_topic(ctx: Ctx, answer: Answer) -> Goto:
    """Stores the topic and lists the consultants."""
    ctx.data["topic"] = answer.option
    return Goto("consultant")


async def _consultant_choices(ctx: Ctx) -> tuple[str, list[Consultant]] | None:
    """The heading and the consultants to offer: those covering the owner's kecamatan, else all others."""
    business = await get_business(session=ctx.session, contact_id=ctx.contact.id)
    if business is None or ctx.data.get("topic") not in TOPICS:
        return None
    covering, others = await consultants_for(
        session=ctx.session, kecamatan=business.kecamatan, topic=ctx.data["topic"]
    )
    if covering:
        return _("Choose a consultant for Kecamatan {kecamatan}:").format(
            kecamatan=business.kecamatan
        ), covering
    if business.kecamatan in ctx.profile.kecamatan:
        heading = _("No consultant covers Kecamatan {kecamatan} yet. These consultants nearby can help you:")
    else:
        heading = _("Your business is outside {region}. These consultants of {region} can still help you:")
    return heading.format(kecamatan=business.kecamatan, region=ctx.profile.name), others


@FLOW.ask("consultant", choice_only=True)
async def ask_consultant(ctx: Ctx) -> list[Reply]:
    """Offers the consultants for the owner's kecamatan and topic."""
    found = await _consultant_choices(ctx)
    if found is None:
        return _restart()
    heading, consultants = found
    if not consultants:
        text = _(
            "Sorry, no KKMB consultant takes bookings right now. Please contact the secretariat: {name}, {address}."
        )
        text = text.format(name=ctx.profile.secretariat_name, address=ctx.profile.secretariat_address)
        return [Reply(text, choices(menu_option()))]
    return [Reply(heading, choices(*((f"consultant:{c.id}", consultant_label(c)) for c in consultants)))]


def _already_booked() -> Goto:
    """Sends an owner who already has a booking with the consultant to their bookings."""
    notice = _("You already have a booking with this consultant. You can move or cancel it here.")
    return Goto("mine", say=(Reply(notice),))


@FLOW.answer("consultant")
async def answer_consultant(ctx: Ctx, answer: Answer) -> Transition:
    """Stores the consultant and shows their free times; an owner already booked with them goes to their bookings."""
    consultant_id = int((answer.option or "").removeprefix("consultant:"))
    existing = await active_booking_with(
        session=ctx.session, owner_contact_id=ctx.contact.id, consultant_id=consultant_id
    )
    if existing is not None:
        return _already_booked()
    ctx.data["consultant_id"] = consultant_id
    ctx.data.pop("after", None)
    return Goto("slot")


async def _slot_page(ctx: Ctx, consultant_id: int) -> tuple[list[Slot], bool]:
    """One page of free slots after the cursor (at least MIN_LEAD from now, never a just-declined one); more to come?"""
    earliest = ctx.now + MIN_LEAD
    after = max(datetime.fromisoformat(ctx.data["after"]), earliest) if ctx.data.get("after") else earliest
    exclude = [ctx.data["declined_slot"]] if ctx.data.get("declined_slot") else []
    slots = await free_slots(
        session=ctx.session, consultant_id=consultant_id, after=after, limit=PAGE + 1, exclude=exclude
    )
    return slots[:PAGE], len(slots) > PAGE


async def _slot_question(ctx: Ctx, consultant_id: int, heading: str, empty: Reply) -> list[Reply]:
    """Offers one page of free slots with paging options, or `empty` when the consultant has none."""
    slots, more = await _slot_page(ctx, consultant_id)
    if not slots and ctx.data.pop("after", None):
        slots, more = await _slot_page(ctx, consultant_id)
    if not slots:
        return [empty]
    options = [(f"slot:{slot.id}", slot_label(slot, ctx.zone)) for slot in slots]
    if more:
        ctx.data["page_end"] = slots[-1].starts_at.isoformat()
        options.append(("more", _("Later free times")))
    if ctx.data.get("after"):
        options.append(("first", _("Earliest free times")))
    return [Reply(heading, choices(*options))]


def _paged(ctx: Ctx, answer: Answer, step: str) -> Goto | None:
    """Turns 'Later times' / 'Earliest free times' into the next page of the same step."""
    if answer.option == "more":
        ctx.data["after"] = ctx.data.get("page_end")
        return Goto(step)
    if answer.option == "first":
        ctx.data.pop("after", None)
        return Goto(step)
    return None


def _picked_slot(answer: Answer) -> int | None:
    """The slot id of a picked slot option."""
    if answer.option and answer.option.startswith("slot:"):
        return int(answer.option.removeprefix("slot:"))
    return None


async def _chosen_consultant(ctx: Ctx) -> Consultant | None:
    """The consultant chosen in this booking."""
    consultant_id = ctx.data.get("consultant_id")
    return await get_consultant(session=ctx.session, consultant_id=consultant_id) if consultant_id else None


def _no_slots(consultant: Consultant) -> Reply:
    """Says the consultant has no free time and offers another consultant."""
    text = _(
        "{name} has no free times in the coming weeks. Please choose another consultant, or try again later."
    )
    other = ("other", _("Choose another KKMB consultant"))
    return Reply(text.format(name=consultant.name), choices(other, menu_option()))


async def _consultant_slots(ctx: Ctx, consultant: Consultant) -> list[Reply]:
    """Offers a consultant's next free times for a new request."""
    heading = _("Free times with {consultant}. Choose one:").format(consultant=consultant_label(consultant))
    return await _slot_question(ctx, consultant.id, heading, _no_slots(consultant))


@FLOW.ask("slot", choice_only=True)
async def ask_slot(ctx: Ctx) -> list[Reply]:
    """Offers the chosen consultant's next free times."""
    consultant = await _chosen_consultant(ctx)
    if consultant is None:
        return _restart()
    return await _consultant_slots(ctx, consultant)


@FLOW.answer("slot")
def answer_slot(ctx: Ctx, answer: Answer) -> Goto:
    """Pages, goes back to the consultants, or stores the picked slot and asks for a note."""
    if answer.option == "other":
        return Goto("consultant")
    slot_id = _picked_slot(answer)
    if slot_id is None:
        return _paged(ctx, answer, "slot") or Goto("slot")
    ctx.data["slot_id"] = slot_id
    return Goto("note")


@FLOW.ask("note")
def ask_note(ctx: Ctx) -> list[Reply]:
    """Asks for an optional short note for the consultant."""
    text = _(
        "Want to tell the consultant what you need help with? Type a short note "
        "(for example: modal untuk tambah etalase), or choose Skip."
    )
    return [Reply(text, choices(("skip", _("Skip the note"))))]


@FLOW.answer("note")
def answer_note(ctx: Ctx, answer: Answer) -> Transition:
    """Stores the note (or none) and shows the summary."""
    if answer.option == "skip":
        ctx.data["note"] = None
        return Goto("confirm")
    note = " ".join(answer.text.split())
    if not note:
        return Retry(_("The note is empty. Type a short note, or choose Skip."))
    if len(note) > NOTE_LIMIT:
        raise ParseError(_("Please keep the note under {limit} characters.").format(limit=NOTE_LIMIT))
    ctx.data["note"] = note
    return Goto("confirm")


@FLOW.ask("confirm", choice_only=True)
async def ask_confirm(ctx: Ctx) -> list[Reply]:
    """Shows the booking to check before the request is sent."""
    consultant = await _chosen_consultant(ctx)
    slot = await get_slot(session=ctx.session, slot_id=ctx.data.get("slot_id") or 0)
    if consultant is None or slot is None or ctx.data.get("topic") not in TOPICS:
        return _restart()
    lines = [
        _("*Check your booking request*"),
        *request_lines(consultant, slot, ctx.data["topic"], ctx.data.get("note"), ctx.zone),
    ]
    options = choices(
        ("book", _("Yes, send the booking request")),
        ("slot", _("Choose another consultation time")),
        ("global:cancel", _("Cancel the booking request")),
    )
    return [Reply("\n".join(lines), options)]


def _taken() -> Reply:
    """Tells kindly that the chosen time went to someone else."""
    return Reply(
        _(
            "Sorry, that time is no longer free; someone else may have just booked it. Here are the next free times:"
        )
    )


@FLOW.answer("confirm")
async def answer_confirm(ctx: Ctx, answer: Answer) -> Transition:
    """Books the slot (the database decides who gets it) and tells the consultant; or picks another time."""
    if answer.option == "slot":
        ctx.data.pop("after", None)
        return Goto("slot")
    slot = await get_slot(session=ctx.session, slot_id=ctx.data.get("slot_id") or 0)
    business = await get_business(session=ctx.session, contact_id=ctx.contact.id)
    if slot is None or slot.starts_at <= ctx.now + MIN_LEAD:
        ctx.data.pop("after", None)
        return Goto("slot", say=(_taken(),))
    try:
        booking = await book_slot(
            session=ctx.session,
            owner_contact_id=ctx.contact.id,
            business_id=business.id if business else None,
            slot=slot,
            topic=ctx.data["topic"],
            note=ctx.data.get("note"),
            now=ctx.now,
        )
    except SlotTaken:
        ctx.data.pop("after", None)
        return Goto("slot", say=(_taken(),))
    except AlreadyBooked:
        return _already_booked()
    details = await booking_details(session=ctx.session, booking_id=booking.id)
    assert details is not None
    await notify_consultant_of_request(ctx.session, details, ctx.now, ctx.zone)
    sent = _("Your request has been sent to {name}. We will tell you here as soon as it is confirmed.")
    return Finish(say=(Reply("\n".join([sent.format(name=details.consultant.name), scam_warning()])),))


# --- Booking saya: list, cancel, reschedule -----------------------------------------------------------------


@FLOW.ask("mine", choice_only=True)
async def ask_mine(ctx: Ctx) -> list[Reply]:
    """Lists the owner's upcoming bookings with their status."""
    upcoming = await owner_upcoming(session=ctx.session, owner_contact_id=ctx.contact.id, now=ctx.now)
    new = (go(FLOW.id), _("Make a new booking"))
    if not upcoming:
        return [Reply(_("You have no upcoming consultant bookings."), choices(new, menu_option()))]
    lines = [_("*My consultant bookings*")]
    options = []
    for number, details in enumerate(upcoming, start=1):
        start = when(details.slot.starts_at, ctx.zone)
        lines.append(f"{number}. {start}, {details.consultant.name}: {status_label(details.booking.status)}")
        options.append((f"booking:{details.booking.id}", f"{start}, {details.consultant.name}"))
    lines.append(_("Choose a booking to move or cancel it."))
    return [Reply("\n".join(lines), choices(*options, new, menu_option()))]


@FLOW.answer("mine")
def answer_mine(ctx: Ctx, answer: Answer) -> Goto:
    """Opens the chosen booking."""
    ctx.data["ref"] = (answer.option or "").removeprefix("booking:")
    return Goto("manage")


async def booking_of_ref(ctx: Ctx, *, lock: bool = False) -> BookingDetails | None:
    """The booking a button or list pick named in `ctx.data["ref"]`, if it exists."""
    ref = str(ctx.data.get("ref", ""))
    return (
        await booking_details(session=ctx.session, booking_id=int(ref), lock=lock) if ref.isdigit() else None
    )


async def _own_booking(ctx: Ctx, *, lock: bool = False) -> BookingDetails | None:
    """The booking of `ref` when it is this owner's, active and not started yet."""
    details = await booking_of_ref(ctx, lock=lock)
    if details is None or details.booking.owner_contact_id != ctx.contact.id:
        return None
    if details.booking.status not in ACTIVE or details.slot.starts_at <= ctx.now:
        return None
    return details


def _gone_text() -> str:
    """Says a booking can no longer be changed."""
    return _("That booking can no longer be changed (it was cancelled, declined or has already started).")


def _gone() -> list[Reply]:
    """Says a booking can no longer be changed, with the way back to the list."""
    return [Reply(_gone_text(), choices(("mine", _("Back to my bookings")), menu_option()))]


@FLOW.ask("manage", choice_only=True)
async def ask_manage(ctx: Ctx) -> list[Reply]:
    """Shows one booking with its status and offers to move or cancel it."""
    details = await _own_booking(ctx)
    if details is None:
        return _gone()
    lines = [
        *owner_summary(details, ctx.zone),
        _("Booking status line: {status}").format(status=status_label(details.booking.status)),
    ]
    options = choices(
        ("move", _("Change the booking time")),
        ("cancel", _("Cancel this booking")),
        ("mine", _("Back to my bookings")),
    )
    return [Reply("\n".join(lines), options)]


@FLOW.answer("manage")
def answer_manage(ctx: Ctx, answer: Answer) -> Goto:
    """Goes to moving, cancelling, or back to the list."""
    step = {"move": "reschedule", "cancel": "cancel"}.get(answer.option or "", "mine")
    ctx.data.pop("after", None)
    return Goto(step)


@FLOW.ask("cancel", choice_only=True)
async def ask_cancel(ctx: Ctx) -> list[Reply]:
    """Asks to confirm the cancellation."""
    details = await _own_booking(ctx)
    if details is None:
        return _gone()
    text = _("Cancel your booking with {name} on {when}?").format(
        name=details.consultant.name, when=when(details.slot.starts_at, ctx.zone)
    )
    return [Reply(text, choices(("yes", _("Yes, cancel the booking")), ("no", _("No, keep the booking"))))]


@FLOW.answer("cancel")
async def answer_cancel(ctx: Ctx, answer: Answer) -> Transition:
    """Cancels the booking (freeing the slot) and tells the consultant."""
    if answer.option == "mine":
        return Goto("mine")
    if answer.option != "yes":
        return Goto("manage")
    details = await _own_booking(ctx, lock=True)
    if details is None:
        return Goto("mine", say=(Reply(_gone_text()),))
    start = await _cancel_and_tell(ctx, details)
    done = _("Your booking on {when} is cancelled and {name} has been told. You can book again any time.")
    return Finish(say=(Reply(done.format(when=start, name=details.consultant.name)),))


async def _cancel_and_tell(ctx: Ctx, details: BookingDetails) -> str:
    """Cancels an owner's booking (freeing the slot), tells the consultant, and returns the meeting time."""
    start = when(details.slot.starts_at, ctx.zone)
    await change_status(
        session=ctx.session, booking=details.booking, status=CANCELLED, now=ctx.now, by="owner"
    )
    line = _("{business} cancelled the booking on {when}. The time is free again.")
    notice = Notice(_("Booking cancelled"), (line.format(business=business_name(details), when=start),))
    await send_to_consultant(
        ctx.session, details, notice, event_key(details, "consultant"), ctx.now, ctx.zone
    )
    return start


async def cancel_all_bookings(ctx: Ctx) -> int:
    """Cancels every upcoming booking of the owner and tells each consultant (used before erasing data)."""
    upcoming = await owner_upcoming(session=ctx.session, owner_contact_id=ctx.contact.id, now=ctx.now)
    for details in upcoming:
        await _cancel_and_tell(ctx, details)
    return len(upcoming)


@FLOW.ask("reschedule", choice_only=True)
async def ask_reschedule(ctx: Ctx) -> list[Reply]:
    """Offers the consultant's other free times for the booking."""
    details = await _own_booking(ctx)
    if details is None:
        return _gone()
    start = when(details.slot.starts_at, ctx.zone)
    heading = _("Choose a new time with {name}. Your booking now: {when}.").format(
        name=details.consultant.name, when=start
    )
    empty = _("{name} has no other free times right now, so your booking stays on {when}.")
    keep = Reply(
        empty.format(name=details.consultant.name, when=start),
        choices(("keep", _("Keep my booking as it is"))),
    )
    return await _slot_question(ctx, details.consultant.id, heading, keep)


@FLOW.answer("reschedule")
def answer_reschedule(ctx: Ctx, answer: Answer) -> Goto:
    """Pages, keeps the booking, or stores the new slot and asks to confirm the move."""
    if answer.option in ("keep", "mine"):
        return Goto("manage" if answer.option == "keep" else "mine")
    slot_id = _picked_slot(answer)
    if slot_id is None:
        return _paged(ctx, answer, "reschedule") or Goto("reschedule")
    ctx.data["new_slot_id"] = slot_id
    return Goto("move")


@FLOW.ask("move", choice_only=True)
async def ask_move(ctx: Ctx) -> list[Reply]:
    """Asks to confirm moving the booking to the new time."""
    details = await _own_booking(ctx)
    slot = await get_slot(session=ctx.session, slot_id=ctx.data.get("new_slot_id") or 0)
    if details is None or slot is None:
        return _gone()
    text = _("Move your booking with {name}\nfrom: {old}\nto: {new}?").format(
        name=details.consultant.name,
        old=when(details.slot.starts_at, ctx.zone),
        new=slot_label(slot, ctx.zone),
    )
    return [Reply(text, choices(("yes", _("Yes, move my booking")), ("other", _("Choose another new time"))))]


@FLOW.answer("move")
async def answer_move(ctx: Ctx, answer: Answer) -> Transition:
    """Moves the booking to the new slot (the database decides), frees the old one and tells the consultant."""
    if answer.option == "mine":
        return Goto("mine")
    if answer.option != "yes":
        ctx.data.pop("after", None)
        return Goto("reschedule")
    details = await _own_booking(ctx, lock=True)
    slot = await get_slot(session=ctx.session, slot_id=ctx.data.get("new_slot_id") or 0)
    if details is None or slot is None:
        return Goto("mine", say=(Reply(_gone_text()),))
    old = when(details.slot.starts_at, ctx.zone)
    try:
        if slot.starts_at <= ctx.now + MIN_LEAD:
            raise SlotTaken
        await move_to_slot(session=ctx.session, booking=details.booking, slot=slot, now=ctx.now, by="owner")
    except SlotTaken:
        ctx.data.pop("after", None)
        return Goto("reschedule", say=(_taken(),))
    details = await booking_details(session=ctx.session, booking_id=details.booking.id)
    assert details is not None
    new = when(details.slot.starts_at, ctx.zone)
    await notify_consultant_of_move(ctx.session, details, old, ctx.now, ctx.zone)
    done = _("Done! Your booking with {name} is moved to {when}, and {name} has been told.")
    lines = [done.format(name=details.consultant.name, when=new)]
    if details.booking.status == REQUESTED:
        lines.append(_("We will tell you here as soon as the new time is confirmed."))
    return Finish(say=(Reply("\n".join(lines)),))


async def notify_consultant_of_move(
    session: AsyncSession, details: BookingDetails, old: str, now: datetime, zone: ZoneInfo
) -> int:
    """Tells the consultant a booking moved, with Terima / Tolak again while it is still a request."""
    moved = _("{business} moved the booking\nfrom: {old}\nto: {new}").format(
        business=business_name(details), old=old, new=slot_label(details.slot, zone)
    )
    if details.booking.status == REQUESTED:
        lines = (moved, _("Do you accept this booking?"))
        options = answer_buttons(details.booking.id)
    else:
        lines = (moved, _("The booking stays confirmed; the old time is free again."))
        options = choices((go("consultant", "agenda"), _("Open my consultation agenda")))
    notice = Notice(_("Booking moved"), lines, options)
    return await send_to_consultant(session, details, notice, event_key(details, "consultant"), now, zone)


@FLOW.ask("rebook", choice_only=True)
async def ask_rebook(ctx: Ctx) -> list[Reply]:
    """After a refusal: offers the same consultant's free times for a new request on the same topic."""
    details = await booking_of_ref(ctx)
    if details is None or details.booking.owner_contact_id != ctx.contact.id:
        return _restart()
    booking = details.booking
    ctx.data.update(
        topic=booking.topic,
        consultant_id=details.consultant.id,
        note=booking.note,
        declined_slot=booking.slot_id,
    )
    return await _consultant_slots(ctx, details.consultant)


FLOW.answer("rebook")(answer_slot)


# --- the booking job: reminders, follow-ups, unanswered requests ----------------------------------------------


def reminder_key(details: BookingDetails, kind: str, side: str) -> str:
    """The send-once key of a reminder: booking, slot, kind and side."""
    return f"booking:{details.booking.id}:slot:{details.slot.id}:{kind}:{side}"


def reminder_notice(details: BookingDetails, reminder: Reminder, side: str, zone: ZoneInfo) -> Notice:
    """The text and buttons of one reminder to one side."""
    booking_id, start = details.booking.id, when(details.slot.starts_at, zone)
    place = place_label(details.slot.place)
    if reminder.kind == FOLLOW_UP:
        line = _("{business}, {when}. Please record how it went.").format(
            business=business_name(details), when=start
        )
        options = choices(
            (go("consultant", "done", booking_id), _("Record the consultation result")),
            (go("consultant", "no_show", booking_id), _("The owner did not come")),
        )
        return Notice(_("How did the consultation go?"), (line,), options)
    headline = (
        _("Consultation reminder") if reminder.kind == DAY_BEFORE else _("Your consultation starts soon")
    )
    if side == "owner":
        line = _("You meet KKMB consultant {consultant} on {when}, {place}.").format(
            consultant=consultant_label(details.consultant), when=start, place=place
        )
        hint = _("Bring your KTP and your business notes. Cannot come? Move or cancel the booking here.")
        return Notice(
            headline,
            (line, hint),
            choices((go(FLOW.id, "manage", booking_id), _("See my consultant booking"))),
        )
    topic = topic_labels().get(details.booking.topic, details.booking.topic)
    line = _("{when}: {business} ({topic}), {place}.").format(
        when=start, business=business_name(details), topic=topic, place=place
    )
    return Notice(headline, (line,), choices((go("consultant", "detail", booking_id), _("See the booking"))))


async def send_booking_reminders(
    *, sessions: async_sessionmaker[AsyncSession], now: datetime, zone: ZoneInfo
) -> int:
    """Queues every reminder and follow-up now due for confirmed bookings, each once; returns how many were queued."""
    async with transaction(sessions) as session:
        bookings = await confirmed_between(
            session=session, ends_after=now - FOLLOW_UP_FOR, starts_before=now + LOOK_AHEAD
        )
        planned = [
            (details, reminder, side)
            for details in bookings
            for reminder in due_reminders(details.slot.starts_at, details.slot.ends_at, now, zone)
            for side in (("owner", "consultant") if reminder.owner else ("consultant",))
        ]
        keys = [reminder_key(details, reminder.kind, side) for details, reminder, side in planned]
        done = await existing_send_keys(session=session, keys=keys)
        queued = 0
        for (details, reminder, side), key in zip(planned, keys, strict=True):
            if key in done:
                continue
            notice = reminder_notice(details, reminder, side, zone)
            if side == "owner":
                queued += await send_to_owner(session, details, notice, key, now, zone)
            else:
                queued += await send_to_consultant(
                    session, details, notice, key, now, zone, admins_if_unlinked=False
                )
        return queued


async def expire_unanswered(
    *, sessions: async_sessionmaker[AsyncSession], now: datetime, zone: ZoneInfo
) -> int:
    """Expires requests the consultant never answered before the meeting time, telling each owner; returns how many."""
    async with transaction(sessions) as session:
        stale = await unanswered_started(session=session, now=now)
        for details in stale:
            await change_status(
                session=session, booking=details.booking, status=EXPIRED, now=now, by="system"
            )
            line = _(
                "{name} could not answer your request for {when} in time, sorry. Please choose another time or another consultant."
            )
            line = line.format(name=details.consultant.name, when=when(details.slot.starts_at, zone))
            notice = Notice(_("Booking request not answered"), (line,), rebook_buttons(details.booking.id))
            await send_to_owner(session, details, notice, event_key(details, "owner"), now, zone)
        return len(stale)


def booking_job(services: Services) -> Callable[[], Awaitable[int]]:
    """The worker's every-minute booking job: expire unanswered requests, then send due reminders."""

    async def run() -> int:
        """One round of the booking job; a failing part is logged and tried again next round."""
        now, zone, done = services.clock.now(), services.settings.zone, 0
        for work in (expire_unanswered, send_booking_reminders):
            try:
                done += await work(sessions=services.sessions, now=now, zone=zone)
            except Exception:
                log.exception("booking job: %s failed; trying again next round", work.__name__)
        return done

    return run
