"""The message counts in docs/flows.md are what the engine does today, and the one-message instalment holds."""

from __future__ import annotations

from bench.message_counts import START, documented, measure, table


async def test_the_documented_counts_are_measured(sessions, clock) -> None:
    clock.moment = START
    counts = await measure(sessions, clock)
    assert documented() == table(counts), "run: python -m bench.message_counts"
    assert counts["instalment"] == 1
