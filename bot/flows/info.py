"""Info program: the KUR schemes in force today, the regional programme, the Dinas's other programmes and where
the secretariat is.

Every figure and text comes from the rule and profile files through core.explain.
"""

from __future__ import annotations

from bot.flows.base import Answer, Ctx, Flow, Goto, choices
from bot.flows.common import menu_option
from bot.messages import Reply
from core.explain import regional_for, schemes_for
from core.i18n import _
from core.programme_info import (
    local_programme_info,
    local_programmes_overview,
    programmes_overview,
    regional_info,
    scheme_info,
    secretariat_info,
)

FLOW = Flow("info", first="topics", menu_label=lambda ctx: _("Programme info"), menu_order=40)
SECRETARIAT = "secretariat"
PROGRAMME = "programme:"


def _topic(ctx: Ctx, topic: str) -> str:
    """The text of one topic: a KUR scheme, the regional programme, a Dinas programme, or the secretariat."""
    regional = regional_for(ctx.profile)
    if topic == SECRETARIAT:
        return secretariat_info(ctx.profile)
    if regional is not None and topic == regional.id:
        return regional_info(regional)
    if topic.startswith(PROGRAMME):
        return local_programme_info(next(p for p in ctx.profile.programmes if PROGRAMME + p.id == topic))
    scheme = next(s for s in schemes_for(ctx.profile, ctx.today) if s.id == topic)
    return scheme_info(scheme)


@FLOW.ask("topics", choice_only=True)
def ask_topics(ctx: Ctx) -> list[Reply]:
    """Shows the overview once, then offers one topic per scheme and programme, the secretariat and the menu."""
    regional = regional_for(ctx.profile)
    topics = [(s.id, s.name) for s in schemes_for(ctx.profile, ctx.today)]
    topics += [(PROGRAMME + p.id, p.name) for p in ctx.profile.programmes]
    options = choices(*topics, (SECRETARIAT, _("Rumah UMKM secretariat")), menu_option())
    if ctx.data.get("shown"):
        return [Reply(_("Which other topic?"), options)]
    ctx.data["shown"] = True
    parts = [programmes_overview(ctx.today, regional), local_programmes_overview(ctx.profile)]
    parts.append(_("Pick a topic for the details."))
    return [Reply("\n\n".join(part for part in parts if part), options)]


@FLOW.answer("topics")
def answer_topics(ctx: Ctx, answer: Answer) -> Goto:
    """Shows the chosen topic and offers the topics again."""
    return Goto("topics", say=(Reply(_topic(ctx, answer.option or "")),))
