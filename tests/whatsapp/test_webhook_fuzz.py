"""Fuzzing the WhatsApp webhooks with correctly signed forms: real Twilio forms with fields dropped or replaced.

Whatever arrives signed, the answer is never 5xx (Twilio would retry it) and nothing is logged at ERROR.
"""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.handlers.whatsapp import STATUS_PATH, WEBHOOK_PATH
from tests.fuzzing import BODY_BUDGET, FUZZ
from tests.whatsapp.conftest import USER, WhatsApp, inbound_form

FORM_KEYS = st.sampled_from(
    ["From", "Body", "MessageSid", "SmsMessageSid", "NumMedia", "MediaContentType0", "ProfileName", "ButtonPayload",
     "ListId", "Latitude", "Longitude", "MessageStatus", "ErrorCode", "To"]
)  # fmt: skip
FORM_VALUES = st.one_of(
    st.text(max_size=80),
    st.text(max_size=600),
    st.sampled_from(
        [
            "whatsapp:" + USER,
            "whatsapp:+1",
            USER,
            "0",
            "1",
            "3",
            "audio/ogg",
            "failed",
            "63016",
            "21610",
            "Si\x00ti",
            "SM" + "a" * 100,
        ]
    ),
)


def _forms(base: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    """A real Twilio form with some fields dropped, replaced or added."""
    return st.builds(
        lambda drop, put: {k: v for k, v in base.items() if k not in drop} | put,
        st.sets(FORM_KEYS, max_size=3),
        st.dictionaries(st.one_of(FORM_KEYS, st.text(max_size=12)), FORM_VALUES, max_size=4),
    ).filter(lambda form: len(json.dumps(form)) <= BODY_BUDGET)


STATUS_FORM = {"MessageSid": "SM" + "0" * 32, "MessageStatus": "delivered", "To": "whatsapp:" + USER}


@given(
    path=st.sampled_from([WEBHOOK_PATH, STATUS_PATH]), form=_forms(inbound_form("halo")) | _forms(STATUS_FORM)
)
@FUZZ
async def test_whatsapp_webhooks_never_answer_5xx(
    wa: WhatsApp, caplog: pytest.LogCaptureFixture, path: str, form: dict[str, str]
) -> None:
    caplog.clear()
    response = await wa.post(path, form)
    assert response.status_code < 500
    await wa.channel.idle()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
