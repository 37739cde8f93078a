"""The message counts in docs/flows.md are what the engine does today, and the targets of issue 13 hold."""

from __future__ import annotations

from bench.message_counts import JOURNEYS, START, documented, measure, table


async def test_the_documented_counts_are_measured(sessions, clock) -> None:
    clock.moment = START
    counts = await measure(sessions, clock)
    assert documented() == table(counts), "run: python -m bench.message_counts"
    targets = {name: target for name, (_label, target, _script) in JOURNEYS.items()}
    assert {name: count for name, count in counts.items() if count > targets[name]} == {}
