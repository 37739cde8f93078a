"""Info program: the KUR schemes in force today, the regional programme and where the secretariat is.

Every figure and text comes from the rule and profile files through core.explain.
"""

from __future__ import annotations

from bot.flows.base import Answer, Ctx, Flow, Goto, choices
from bot.flows.simulation import menu_option
from bot.messages import Reply
from core.explain import (
    programmes_overview,
    regional_for,
    regional_info,
    scheme_info,
    schemes_for,
    secretariat_info,
)
from core.i18n import _

FLOW = Flow("info", first="topics", menu_label=lambda ctx: _("Programme info"), menu_order=40)
SECRETARIAT = "secretariat"


def _topic(ctx: Ctx, topic: str) -> str:
    """The text of one topic: a KUR scheme, the regional programme, or the secretariat."""
    regional = regional_for(ctx.profile)
    if topic == SECRETARIAT:
        return secretariat_info(ctx.profile)
    if topic == regional.id:
        return regional_info(regional)
    scheme = next(s for s in schemes_for(ctx.profile, ctx.today) if s.id == topic)
    return scheme_info(scheme)


@FLOW.ask("topics", choice_only=True)
def ask_topics(ctx: Ctx) -> list[Reply]:
    """Shows the overview once, then offers one topic per scheme, the secretariat and the menu."""
    regional = regional_for(ctx.profile)
    topics = [(s.id, s.name) for s in schemes_for(ctx.profile, ctx.today)]
    options = choices(*topics, (SECRETARIAT, _("Rumah UMKM secretariat")), menu_option())
    if ctx.data.get("shown"):
        return [Reply(_("Which other topic?"), options)]
    ctx.data["shown"] = True
    pick = _("Pick a topic for the details.")
    return [Reply(f"{programmes_overview(ctx.today, regional)}\n\n{pick}", options)]


@FLOW.answer("topics")
def answer_topics(ctx: Ctx, answer: Answer) -> Goto:
    """Shows the chosen topic and offers the topics again."""
    return Goto("topics", say=(Reply(_topic(ctx, answer.option or "")),))
