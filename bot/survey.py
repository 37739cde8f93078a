"""The follow-up survey at run time: the pushed invitation, the six-monthly asking job and the expiry job.

The asking job runs every few minutes on the leading process, only within the kabupaten's office hours (never in
the quiet hours 21.00-07.00). It reads owners with recorded loans in keyset batches (storage.surveys.candidates),
decides each with core.survey.due_now, and in the batch's one transaction writes the survey rows (baseline and
area copied from the Business) and the outbox rows (send key survey:<contact>:<due date>, bulk priority): a second
run, or a crash and repeat, writes nothing twice. An admin's survey to a segment goes through the broadcast fan-out
(bot/broadcast_fanout.py) with the same rows and keys, due on the day it is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.flows.base import go
from bot.flows.common import SURVEY
from bot.governor import PRIORITY_BULK
from bot.handlers.whatsapp_sender import WINDOW, WINDOW_MARGIN
from bot.messages import Option
from core import survey as rules
from core.broadcasts import MAX_TITLE, Segment, check_segment
from core.eligibility import SECTORS
from core.formatting import long_date
from core.i18n import _
from storage import outbox
from storage import surveys as store
from storage.broadcasts import add_broadcast, write_messages
from storage.db import transaction
from storage.models import Broadcast

if TYPE_CHECKING:
    from bot.services import Services

KIND = "survey"  # the outbox kind, and its WhatsApp template TWILIO_TEMPLATE_SURVEY
BATCH = 500


def invitation(answer_by: date) -> str:
    """The pushed message that opens a survey."""
    return "\n".join(
        [
            _("*Short survey from Rumah UMKM*"),
            _("How is your business since your loan? 4 short questions; each can be skipped."),
            _(
                "Your answers help the programme for UMKM. Answer until {date}; send *survei* to carry on later."
            ).format(date=long_date(answer_by)),
        ]
    )


def invitation_options() -> tuple[Option, ...]:
    """The invitation's buttons: start the survey, or decline it."""
    return (
        Option(go(SURVEY, "q"), _("Fill in survey (button)")),
        Option(go(SURVEY, "no"), _("Not now, thanks (button)")),
    )


def message_columns(now: datetime, zone: Any) -> dict[str, Any]:
    """What every survey invitation sent at `now` shares: the outbox columns storage.outbox.enqueue writes."""
    last_day = rules.answer_by(now).astimezone(zone).date()
    return {
        "kind": KIND,
        "body": invitation(last_day),
        "options": [{"id": option.id, "label": option.label} for option in invitation_options()],
        "variables": {"1": long_date(last_day)},
        "priority": PRIORITY_BULK,
        "status": outbox.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def send_key(contact_id: int, due_on: date) -> str:
    """The send-once key of one survey: one per contact and due date."""
    return f"survey:{contact_id}:{due_on.isoformat()}"


def survey_row(
    *, contact_id: int, due_on: date, now: datetime, baseline: Sequence[Any], broadcast_id: int | None = None
) -> dict[str, Any]:
    """A survey row as asked, from the owner's (kecamatan, sector, turnover, employees, loan id) baseline."""
    kecamatan, sector, turnover, employees, loan_id = baseline
    return {
        "contact_id": contact_id,
        "loan_id": loan_id,
        "broadcast_id": broadcast_id,
        "due_on": due_on,
        "kecamatan": kecamatan,
        "sector": sector,
        "baseline_turnover": turnover,
        "baseline_employees": employees,
        "status": rules.ASKED,
        "asked_at": now,
        "answer_by": rules.answer_by(now),
        "progress": 0,
    }


async def ask_segment(
    session: AsyncSession, broadcast_id: int, contact_ids: Sequence[int], now: datetime, zone: Any
) -> dict[int, str]:
    """An admin's survey to a batch of a segment: writes the survey rows (due today, carrying the broadcast id) of
    the owners with a business and no survey open, and returns their invitations' send keys by contact."""
    today = now.astimezone(zone).date()
    found = await store.baselines(session=session, contact_ids=contact_ids)
    busy = await store.with_open_survey(session=session, contact_ids=list(found), now=now)
    asked = [contact_id for contact_id in found if contact_id not in busy]
    rows = [
        survey_row(
            contact_id=contact_id,
            due_on=today,
            now=now,
            baseline=found[contact_id],
            broadcast_id=broadcast_id,
        )
        for contact_id in asked
    ]
    await store.add_surveys(session=session, rows=rows)
    return {contact_id: send_key(contact_id, today) for contact_id in asked}


def for_survey(segment: Segment) -> Segment:
    """A segment narrowed to owners with a registered business and a recorded loan (a baseline and a loan)."""
    return replace(segment, registered="yes", has_loan="yes")


async def create_for_segment(
    session: AsyncSession,
    services: Services,
    *,
    title: str,
    segment: Segment,
    by: str,
    admin_id: int | None,
    form_key: str,
) -> Broadcast:
    """Stores an admin's survey to a segment (narrowed by `for_survey`) as a draft broadcast of kind survey, then
    sent, scheduled, paused or cancelled like any broadcast."""
    segment = for_survey(segment)
    check_segment(segment, kecamatan=services.settings.profile.kecamatan, sectors=SECTORS)
    now = services.clock.now()
    title = " ".join(title.split()) or _("Follow-up survey {date}").format(
        date=long_date(now.astimezone(services.settings.zone).date())
    )
    return await add_broadcast(
        session=session,
        now=now,
        kind=KIND,
        title=title[:MAX_TITLE],
        body=invitation(rules.answer_by(now).astimezone(services.settings.zone).date()),
        options=[],
        link=None,
        segment=segment.to_dict(),
        admin_id=admin_id,
        created_by=by[:160],
        form_key=form_key or None,
    )


def window_opened_after(services: Services) -> datetime | None:
    """Without a survey template, WhatsApp owners are asked only inside the 24-hour window; None when one is set."""
    if services.settings.twilio_template_survey:
        return None
    return services.clock.now() - (WINDOW - WINDOW_MARGIN)


async def ask_due(services: Services, *, batch: int = BATCH) -> int:
    """Asks every owner whose survey is due now, batch by batch; returns how many were asked (0 out of hours)."""
    now, zone, profile = services.clock.now(), services.settings.zone, services.settings.profile
    hours = {
        "weekdays": profile.office_weekdays,
        "opens": profile.office_opens,
        "closes": profile.office_closes,
    }
    if not rules.may_ask(now, zone, **hours):
        return 0
    today, asked = now.astimezone(zone).date(), 0
    after: int | None = 0
    while after is not None:
        async with transaction(services.sessions) as session:
            found, after = await store.candidates(
                session=session,
                after=after,
                limit=batch,
                first_loan_by=rules.latest_first_loan(today),
                asked_since=now - rules.RECENT,
                window_opened_after=window_opened_after(services),
            )
            asked += await _ask_batch(session, found, today, now, zone)
    return asked


async def _ask_batch(
    session: AsyncSession, found: list[store.Candidate], today: date, now: datetime, zone: Any
) -> int:
    """Writes the survey rows and invitations of the due owners among `found`; returns how many are new."""
    surveys, messages = [], []
    common = message_columns(now, zone)
    for owner in found:
        due = rules.due_now(
            first_loan_on=owner.first_loan_on,
            ended_on=owner.ended_on,
            today=today,
            last_asked_on=owner.last_asked_on,
        )
        if due is None:
            continue
        baseline = (owner.kecamatan, owner.sector, owner.turnover, owner.employees, owner.loan_id)
        surveys.append(survey_row(contact_id=owner.contact_id, due_on=due, now=now, baseline=baseline))
        messages.append(
            {
                **common,
                "channel": owner.channel,
                "recipient": owner.recipient,
                "contact_id": owner.contact_id,
                "send_key": send_key(owner.contact_id, due),
            }
        )
    added = await store.add_surveys(session=session, rows=surveys)
    if messages:
        await write_messages(session=session, rows=messages)
    return added


async def close_lapsed(
    sessions: async_sessionmaker[AsyncSession], now: datetime, *, batch: int = BATCH
) -> int:
    """Closes every survey past its 14 days (or whose owner opted out or was erased), batch by batch."""
    closed = 0
    while True:
        async with transaction(sessions) as session:
            done = await store.close_lapsed(session=session, now=now, limit=batch)
        closed += done
        if done < batch:
            return closed


def asking_job(services: Services) -> Callable[[], Awaitable[int]]:
    """The worker's job that asks due surveys (leader only, within office hours)."""

    async def run() -> int:
        """One round of asking."""
        return await ask_due(services)

    return run


def expiry_job(services: Services) -> Callable[[], Awaitable[int]]:
    """The worker's job that closes lapsed surveys."""

    async def run() -> int:
        """One round of closing."""
        return await close_lapsed(services.sessions, services.clock.now())

    return run
