"""The send governor on virtual time: rate windows, per-chat spacing, pauses and priorities."""

from __future__ import annotations

import asyncio
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.governor import PRIORITY_BULK, PRIORITY_REPLY, ChannelLimits, ChannelPaused, Governor, make_governors
from tests.fakes_delivery import VirtualTime


def _governor(time: VirtualTime, rate: float, per_chat: float = 0.0, headroom: float = 0.0) -> Governor:
    return Governor(
        rate=rate, per_chat_interval=per_chat, headroom=headroom, monotonic=time.monotonic, sleep=time.sleep
    )


async def _timed(time: VirtualTime, governor: Governor, chat: str, priority: int = PRIORITY_BULK) -> float:
    """Acquires a slot and tells when it was granted."""
    await governor.acquire(chat, priority)
    return time.now


def _most_in_any_second(times: list[float]) -> int:
    """The most grants inside any closed 1-second window."""
    ordered = sorted(times)
    return max(sum(1 for t in ordered if start <= t <= start + 1.0) for start in ordered)


async def test_a_hundred_sends_at_30_per_second_take_about_3_3_seconds() -> None:
    time = VirtualTime()
    governor = Governor(rate=30, monotonic=time.monotonic, sleep=time.sleep)
    times = await asyncio.gather(*(_timed(time, governor, f"chat{n}") for n in range(100)))
    assert times == sorted(times)
    assert 3.3 <= times[-1] <= 3.4
    assert _most_in_any_second(times) == 30


async def test_one_chat_gets_one_message_per_second_while_others_flow() -> None:
    time = VirtualTime()
    governor = _governor(time, rate=30, per_chat=1.0)
    same = [_timed(time, governor, "consultant") for _ in range(4)]
    others = [_timed(time, governor, f"owner{n}") for n in range(3)]
    times = await asyncio.gather(*same, *others)
    assert times[:4] == pytest.approx([0.0, 1.0, 2.0, 3.0])
    assert times[4:] == pytest.approx([1 / 30, 2 / 30, 3 / 30])


async def test_a_reply_overtakes_bulk_already_waiting() -> None:
    time = VirtualTime()
    governor = _governor(time, rate=1)
    await governor.acquire("first")
    order: list[str] = []

    async def take(name: str, priority: int) -> None:
        await governor.acquire(name, priority)
        order.append(name)

    bulk = [asyncio.create_task(take(f"bulk{n}", PRIORITY_BULK)) for n in range(4)]
    await asyncio.sleep(0)  # the bulk callers queue up and the governor sleeps until the next slot
    await asyncio.gather(*bulk, take("reply", PRIORITY_REPLY))
    assert order == ["reply", "bulk0", "bulk1", "bulk2", "bulk3"]
    assert time.now == pytest.approx(5.0)


async def test_a_pause_holds_the_channel_exactly_until_it_ends_while_other_channels_go_on() -> None:
    time = VirtualTime()
    telegram, whatsapp = _governor(time, rate=30), _governor(time, rate=10)
    await telegram.acquire("a")
    telegram.pause(3.0)
    assert telegram.paused_for() == 3.0
    times = await asyncio.gather(
        _timed(time, telegram, "b"), _timed(time, whatsapp, "c"), _timed(time, whatsapp, "d")
    )
    assert times == pytest.approx([3.0, 0.0, 0.1])
    assert telegram.paused_for() == 0.0


async def test_a_shorter_pause_never_cuts_a_longer_one() -> None:
    time = VirtualTime()
    governor = _governor(time, rate=30)
    governor.pause(5.0)
    governor.pause(1.0)
    assert governor.paused_for() == 5.0


async def test_callers_who_will_not_wait_out_a_long_pause_are_told_so() -> None:
    time = VirtualTime()
    governor = _governor(time, rate=1)
    await governor.acquire("a")
    waiting = asyncio.create_task(governor.acquire("b", max_pause=30.0))
    patient = asyncio.create_task(_timed(time, governor, "c"))
    await asyncio.sleep(0)
    governor.pause(600.0)
    with pytest.raises(ChannelPaused) as raised:
        await waiting
    assert raised.value.remaining == 600.0
    with pytest.raises(ChannelPaused):
        await governor.acquire("d", max_pause=599.0)
    assert await patient == 600.0


async def test_a_cancelled_caller_gives_up_its_place() -> None:
    time = VirtualTime()
    governor = _governor(time, rate=1)
    await governor.acquire("a")
    quitter = asyncio.create_task(governor.acquire("b"))
    stayer = asyncio.create_task(_timed(time, governor, "c"))
    await asyncio.sleep(0)
    quitter.cancel()
    assert await stayer == 1.0


async def test_default_governors_follow_the_channel_limits() -> None:
    time = VirtualTime()
    governors = make_governors(
        {"telegram": ChannelLimits(rate=2)}, monotonic=time.monotonic, sleep=time.sleep
    )
    assert set(governors) == {"telegram"}
    times = await asyncio.gather(*(_timed(time, governors["telegram"], f"c{n}") for n in range(3)))
    assert times == pytest.approx([0.0, 0.51, 1.02])


def test_the_channel_limits_hold_the_documented_defaults() -> None:
    defaults = make_governors()
    assert set(defaults) == {"telegram", "whatsapp"}


callers = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=5, allow_nan=False),
        st.sampled_from(["a", "b", "c", "d", "e"]),
        st.sampled_from([PRIORITY_BULK, PRIORITY_REPLY]),
    ),
    min_size=1,
    max_size=60,
)


async def _simulate(
    rate: int, per_chat: float, arrivals: list[tuple[float, str, int]], pause: tuple[float, float]
):
    """Runs callers arriving at virtual times (plus one pause) and returns each caller's grant time."""
    time = VirtualTime()
    governor = Governor(rate=rate, per_chat_interval=per_chat, monotonic=time.monotonic, sleep=time.sleep)

    async def caller(at: float, chat: str, priority: int) -> float:
        await time.sleep(at)
        return await _timed(time, governor, chat, priority)

    async def pauser() -> None:
        await time.sleep(pause[0])
        governor.pause(pause[1])

    *grants, _ = await asyncio.wait_for(asyncio.gather(*(caller(*a) for a in arrivals), pauser()), timeout=30)
    return grants


@settings(max_examples=60, deadline=None)
@given(
    rate=st.integers(min_value=1, max_value=30),
    per_chat=st.sampled_from([0.0, 1.0]),
    arrivals=callers,
    pause=st.tuples(st.floats(min_value=0, max_value=5), st.floats(min_value=0, max_value=3)),
)
def test_no_arrival_pattern_breaks_the_limits(
    rate: int, per_chat: float, arrivals: list[tuple[float, str, int]], pause: tuple[float, float]
) -> None:
    grants = asyncio.run(_simulate(rate, per_chat, arrivals, pause))
    assert all(granted >= at for granted, (at, _, _) in zip(grants, arrivals, strict=True))
    assert _most_in_any_second(grants) <= rate
    for chat in {chat for _, chat, _ in arrivals}:
        mine = sorted(g for g, (_, c, _) in zip(grants, arrivals, strict=True) if c == chat)
        assert all(later - earlier >= per_chat for earlier, later in pairwise(mine))
    assert not [g for g in grants if pause[0] < g < pause[0] + pause[1]]
