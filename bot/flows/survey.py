"""The follow-up survey in the chat: four skippable questions, each answer saved in the survey row as it comes.

Opened by the invitation's buttons (go:survei:q, go:survei:no; bot/survey.py) from any flow (the interrupted flow
is offered back afterwards), or by sending *survei*. The row holds where the owner stands (`progress`), so the
owner may stop (menu, lanjut, a day's silence) and come back within the 14 days at the next question. After the
14 days, or once finished, the survey says it is closed and thanks the owner; nothing else changes.
"""

from __future__ import annotations

from bot.flows.base import Answer, Ctx, Finish, Flow, Goto, Retry, Transition, choices, go
from bot.flows.common import SURVEY, menu_option, pick_one
from bot.messages import Reply
from core import survey as rules
from core.business_answers import read_employees, read_turnover, turnover_note
from core.formatting import rupiah
from core.i18n import _
from core.kabupaten import fold
from core.vocabulary import yes_or_no
from storage.models import FollowUpSurvey
from storage.surveys import latest_survey

SKIP = "skip"
HELPED = "helped:"
_WORDS = {"survei", "survey", "isi survei", "survei umkm"}


def shortcut(ctx: Ctx) -> str | None:
    """Sending *survei* opens the owner's survey at the next question, from any state."""
    return go(SURVEY, "q") if fold(ctx.inbound.text) in _WORDS else None


FLOW = Flow(SURVEY, first="q", shortcut=shortcut)


async def _open_survey(ctx: Ctx) -> FollowUpSurvey | None:
    """The contact's survey while it is still open for answers."""
    assert ctx.contact.id is not None
    survey = await latest_survey(session=ctx.session, contact_id=ctx.contact.id)
    if survey is None or survey.status != rules.ASKED or survey.answer_by <= ctx.now:
        return None
    return survey


async def _not_open(ctx: Ctx) -> Reply:
    """Why there is nothing to answer: the survey is closed (late), or there is none."""
    assert ctx.contact.id is not None
    any_survey = await latest_survey(session=ctx.session, contact_id=ctx.contact.id)
    if any_survey is None:
        return Reply(_("There is no survey for you to answer right now."), choices(menu_option()))
    return Reply(_("The survey is closed now. Thank you!"), choices(menu_option()))


def _skip_hint() -> str:
    """How to skip a typed question, and that stopping keeps what was given."""
    return _("Type *lewati* to skip. Send *menu* to stop; your answers are kept.")


@FLOW.ask("q")
async def ask_question(ctx: Ctx) -> list[Reply]:
    """Asks the next question of the open survey (or says it is closed)."""
    survey = await _open_survey(ctx)
    ctx.data["asked"] = survey is not None
    if survey is None:
        return [await _not_open(ctx)]
    question = rules.QUESTIONS[survey.progress]
    number = _("Question {number} of {total}").format(number=survey.progress + 1, total=len(rules.QUESTIONS))
    if question == "turnover":
        text = _(
            "What is your average turnover (sales) per month now? For example: 15 juta, or 500rb sehari."
        )
        return [Reply(f"*{number}*\n{text}\n{_skip_hint()}")]
    if question == "employees":
        text = _("How many people work in your business now, not counting yourself? For example: 3, or 0.")
        return [Reply(f"*{number}*\n{text}\n{_skip_hint()}")]
    skip = (SKIP, _("Skip (button)"))
    if question == "new_line":
        text = _(
            "Since the loan, have you opened a new line of business (a new product or a second business)?"
        )
        return [
            Reply(f"*{number}*\n{text}", choices(("yes", _("Yes (answer)")), ("no", _("No (answer)")), skip))
        ]
    text = _("What has the loan helped most?")
    helped = [(HELPED + key, label) for key, label in rules.helped_labels().items()]
    return [Reply(f"*{number}*\n{text}", choices(*helped, skip))]


@FLOW.answer("q")
async def answer_question(ctx: Ctx, answer: Answer) -> Transition:
    """Saves the answer (or the skip) in the survey row and asks the next question, or thanks at the end."""
    survey = await _open_survey(ctx)
    if survey is None and ctx.data.get("asked"):  # the 14 days ran out while the question was on screen
        return Finish(say=(Reply(_("The survey is closed now. Thank you!")),))
    if survey is None:
        return Finish()
    question = rules.QUESTIONS[survey.progress]
    say: list[Reply] = []
    if answer.option != SKIP and not rules.is_skip(answer.text):
        read = _read(question, answer, survey)
        if isinstance(read, Retry):
            return read
        say += read
        survey.answered_at = ctx.now
    survey.progress += 1
    if survey.progress < len(rules.QUESTIONS):
        ctx.session.add(survey)
        return Goto("q", say=tuple(say))
    survey.status = rules.closing_status(int(survey.answered_at is not None), rules.SKIPPED)
    ctx.session.add(survey)
    thanks = _("Thank you! Your answers are saved. They show how the programme helps UMKM.")
    return Finish(say=(*say, Reply(thanks)))


def _read(question: str, answer: Answer, survey: FollowUpSurvey) -> list[Reply] | Retry:
    """Reads one answer into the survey row; returns what to say back, or a Retry saying what to send instead."""
    if question == "turnover":
        amount, period = read_turnover(answer.text)
        survey.turnover = amount
        shown = turnover_note(amount, period) or _("Noted: turnover {amount} a month.").format(
            amount=rupiah(amount)
        )
        return [Reply(shown)]
    if question == "employees":
        survey.employees = read_employees(answer.text)
        return []
    if question == "new_line":
        said = {"yes": True, "no": False}.get(answer.option or "", yes_or_no(answer.text))
        if said is None:
            return Retry(_("Please answer *ya* or *tidak*, or *lewati* to skip."))
        survey.new_line = said
        return []
    if not (answer.option or "").startswith(HELPED):
        return Retry(pick_one(len(rules.HELPED) + 1))
    survey.helped = (answer.option or "").removeprefix(HELPED)
    return []


@FLOW.ask("no")
async def decline(ctx: Ctx) -> list[Reply]:
    """The owner does not want to answer: the survey closes (keeping anything already answered)."""
    survey = await _open_survey(ctx)
    if survey is None:
        return [await _not_open(ctx)]
    survey.status = rules.closing_status(int(survey.answered_at is not None), rules.SKIPPED)
    ctx.session.add(survey)
    return [Reply(_("All right, no problem. Thank you!"), choices(menu_option()))]


@FLOW.answer("no")
def after_decline(ctx: Ctx, _answer: Answer) -> Finish:
    """Whatever comes next goes back to the menu."""
    return Finish()
