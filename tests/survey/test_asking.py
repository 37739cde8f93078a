"""The six-monthly asking job: the right owners, at the right time, once per due date, in batches."""

from __future__ import annotations

from datetime import date

from bot.survey import ask_due, close_lapsed, survey_row
from storage import loans
from storage.db import transaction
from storage.models import Contact, Loan
from storage.surveys import add_surveys
from tests.survey.conftest import SurveyWorld, wib


async def test_asked_six_months_after_the_first_loan_within_office_hours_only(world: SurveyWorld) -> None:
    contact_id = await world.owner(loan_on=date(2026, 5, 21), monthly_turnover=9_000_000, employees=1)
    await world.owner("too-new", loan_on=date(2026, 6, 2))
    await world.owner("no-loan", loan_on=None)
    for moment in (
        wib(2026, 11, 21, 10, 0),  # Saturday: no office day
        wib(2026, 11, 23, 6, 30),  # Monday in the quiet hours
        wib(2026, 11, 23, 7, 45),  # Monday before the office opens (08.00)
        wib(2026, 11, 23, 15, 0),  # Monday, the office has closed
    ):
        world.clock.moment = moment
        assert await ask_due(world.services) == 0, moment
    world.clock.moment = wib(2026, 11, 23, 9, 0)
    assert await ask_due(world.services) == 1
    assert await ask_due(world.services) == 0  # once per due date
    [survey] = await world.surveys()
    assert (survey.contact_id, survey.due_on, survey.status) == (contact_id, date(2026, 11, 21), "asked")
    assert (survey.kecamatan, survey.sector, survey.baseline_turnover, survey.baseline_employees) == (
        "Muara Enim",
        "perdagangan",
        9_000_000,
        1,
    )
    assert survey.answer_by == wib(2026, 12, 7, 9, 0) and survey.loan_id is not None
    [invitation] = await world.invitations()
    assert invitation.send_key == f"survey:{contact_id}:2026-11-21" and invitation.contact_id == contact_id
    assert "Survei singkat" in invitation.body and "7 Desember 2026" in invitation.body
    assert [option["label"] for option in invitation.options] == ["Ya, isi survei", "Tidak, terima kasih"]
    assert invitation.variables == {"1": "7 Desember 2026"}


async def test_asked_again_every_six_months_and_for_a_year_after_the_loan_ended(world: SurveyWorld) -> None:
    running = await world.owner("running", loan_on=date(2025, 11, 21))
    ended = await world.owner("ended", loan_on=date(2025, 5, 21), status=loans.PAID_OFF)
    async with transaction(world.services.sessions) as session:
        await session.exec(  # the ended loan was paid off on 1 December 2025
            Loan.__table__.update().where(Loan.contact_id == ended).values(closed_on=date(2025, 12, 1))
        )
    world.clock.moment = wib(2026, 11, 23, 9, 0)
    assert await ask_due(world.services) == 2  # 21 Nov 2026: 12 months after, and within a year of the end
    world.clock.moment = wib(2027, 5, 24, 9, 0)
    assert (
        await ask_due(world.services) == 1
    )  # 21 May 2027: only the running loan (the other ended > 1 year ago)
    rows = [(row.contact_id, row.due_on) for row in await world.surveys()]
    assert rows == [(running, date(2026, 11, 21)), (ended, date(2026, 11, 21)), (running, date(2027, 5, 21))]


async def test_never_asked_when_opted_out_erased_or_unreachable(world: SurveyWorld) -> None:
    opted_out = await world.owner("opted-out")
    erased = await world.owner("erased")
    blocked = await world.owner("blocked")
    await world.owner("on-console", channel="console")
    asked = await world.owner("asked")
    async with transaction(world.services.sessions) as session:
        for contact_id, field, value in (
            (opted_out, "broadcasts_opt_out", True),
            (erased, "erased_at", world.clock.now()),
            (blocked, "unreachable_reason", "blocked the bot"),
        ):
            contact = await session.get(Contact, contact_id)
            setattr(contact, field, value)
            session.add(contact)
    world.clock.moment = wib(2026, 11, 23, 9, 0)
    assert await ask_due(world.services) == 1
    assert [row.contact_id for row in await world.surveys()] == [asked]


async def test_whatsapp_owners_outside_the_window_wait_without_a_survey_template(world: SurveyWorld) -> None:
    await world.owner("+6281200000001", channel="whatsapp")
    world.clock.moment = wib(2026, 11, 23, 9, 0)  # she last wrote two days ago; TWILIO_TEMPLATE_SURVEY unset
    assert await ask_due(world.services) == 0
    world.services.settings.twilio_template_survey = "HX" + "5" * 32
    assert await ask_due(world.services) == 1


async def test_batches_cover_everyone_due(world: SurveyWorld) -> None:
    for number in range(7):
        await world.owner(f"owner-{number}")
    world.clock.moment = wib(2026, 11, 23, 9, 0)
    assert await ask_due(world.services, batch=3) == 7
    assert len(await world.invitations()) == 7


async def test_an_admin_survey_a_week_before_counts_for_the_due_date(world: SurveyWorld) -> None:
    contact_id = await world.owner()
    world.clock.moment = wib(2026, 11, 16, 9, 0)
    async with transaction(world.services.sessions) as session:
        baseline = ("Muara Enim", "perdagangan", 9_000_000, 1, None)
        row = survey_row(
            contact_id=contact_id, due_on=date(2026, 11, 16), now=world.clock.now(), baseline=baseline
        )
        await add_surveys(session=session, rows=[row])
    world.clock.moment = wib(2026, 11, 23, 9, 0)
    assert await ask_due(world.services) == 0


async def test_expiry_closes_lapsed_surveys_by_what_was_answered(world: SurveyWorld) -> None:
    silent = await world.owner("silent")
    partial = await world.owner("partial")
    world.clock.moment = wib(2026, 11, 23, 9, 0)
    await ask_due(world.services)
    chat = world.chat("partial")
    await chat.say("ya")
    await chat.say("12 juta")
    world.clock.moment = wib(2026, 12, 7, 8, 59)
    assert await close_lapsed(world.services.sessions, world.clock.now()) == 0
    world.clock.moment = wib(2026, 12, 7, 9, 0)
    assert await close_lapsed(world.services.sessions, world.clock.now(), batch=1) == 2
    statuses = {row.contact_id: (row.status, row.turnover) for row in await world.surveys()}
    assert statuses == {silent: ("expired", None), partial: ("answered", 12_000_000)}
