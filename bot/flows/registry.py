"""Every flow the engine knows, by id."""

from __future__ import annotations

from bot.flows import (
    admin_link,
    aid,
    booking,
    broadcast_answer,
    consultant,
    eligibility,
    info,
    loans,
    menu,
    person,
    privacy,
    profile,
    registration,
    simulation,
    survey,
)
from bot.flows.base import Flow

FLOWS: dict[str, Flow] = {
    flow.id: flow
    for flow in (
        menu.FLOW,
        privacy.FLOW,
        registration.FLOW,
        profile.FLOW,
        eligibility.FLOW,
        simulation.FLOW,
        info.FLOW,
        booking.FLOW,
        consultant.FLOW,
        loans.FLOW,
        broadcast_answer.FLOW,
        admin_link.FLOW,
        person.FLOW,
        aid.FLOW,
        survey.FLOW,
    )
}
