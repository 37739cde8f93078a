"""Fuzzing POST /webhooks/telegram with the right secret: arbitrary bytes, JSON and broken real updates.

Whatever arrives, the answer is never 5xx (Telegram would resend it forever).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import BODY_BUDGET, FUZZ
from tests.telegram import factories as f
from tests.telegram.conftest import TelegramBot

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64),
    st.floats(allow_nan=False),
    st.text(max_size=40),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
UPDATE_KEYS = st.sampled_from(["update_id", "message", "callback_query", "poll", "edited_message", "chat"])
MESSAGE_KEYS = st.sampled_from(["message_id", "date", "chat", "from", "text", "entities", "contact", "photo"])


def _mutate(base: dict[str, Any], keys: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A real update with some of its fields dropped or replaced by arbitrary JSON."""
    return st.builds(
        lambda drop, put: {k: v for k, v in base.items() if k not in drop} | put,
        st.sets(keys, max_size=2),
        st.dictionaries(keys, JSON, max_size=2),
    )


def _telegram_bodies() -> st.SearchStrategy[bytes]:
    """Raw bytes, arbitrary JSON, and real updates (text, button) with their fields broken."""
    text = f.text("halo")
    press = f.press("go:menu")
    messages = st.builds(
        lambda message: {"update_id": 1, "message": message}, _mutate(text["message"], MESSAGE_KEYS)
    )
    json_bodies = st.one_of(
        JSON,
        _mutate(text, UPDATE_KEYS),
        _mutate(press, UPDATE_KEYS),
        messages,
        st.builds(lambda n: {"update_id": n, **text}, st.integers()),
    ).map(lambda value: json.dumps(value).encode())
    depths = st.sampled_from([199, 200, 201, 1000, 2000]) | st.integers(min_value=1, max_value=2000)
    nested = depths.map(lambda depth: b'{"update_id": 1, "message": ' + b"[" * depth + b"]" * depth + b"}")
    return st.one_of(st.binary(max_size=BODY_BUDGET), json_bodies, nested).filter(
        lambda body: len(body) <= BODY_BUDGET
    )


@given(body=_telegram_bodies())
@FUZZ
async def test_telegram_webhook_never_answers_5xx(tg: TelegramBot, body: bytes) -> None:
    response = await tg.post(None, raw=body)
    assert response.status_code < 500
    await tg.channel.idle()
