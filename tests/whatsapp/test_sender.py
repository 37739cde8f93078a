"""The outbox on WhatsApp: free text or template by the 24-hour window, and every mapped Twilio error."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.delivery import OutboxMessage
from bot.handlers.whatsapp_render import list_picker_variables, session_content, text_pieces
from bot.messages import Option
from storage import outbox
from storage.db import transaction
from storage.models import Contact, Outbox
from tests.whatsapp.conftest import (
    TEMPLATES,
    USER,
    VARIABLES,
    WhatsApp,
    add_contact,
    dispatch,
    enqueue,
    make_settings,
    row_of,
    running,
)


@pytest.mark.parametrize(("hours_ago", "as_template"), [(23, False), (23.9, True), (25, True), (None, True)])
async def test_the_window_decides_between_free_text_and_template(
    wa: WhatsApp, hours_ago, as_template
) -> None:
    outbox_id = await enqueue(wa, await add_contact(wa, hours_ago=hours_ago))
    assert await dispatch(wa) == 1
    [sent] = wa.fake.messages
    if as_template:
        assert sent["ContentSid"] == TEMPLATES["repayment_reminder"] and "Body" not in sent
        assert json.loads(sent["ContentVariables"]) == VARIABLES
    else:
        assert sent["Body"] == "Angsuran Rp1.721.329 jatuh tempo Senin." and "ContentSid" not in sent
    row = await row_of(wa, outbox_id)
    assert (row.status, row.provider_message_id) == ("sent", sent["sid"])


async def test_the_window_moves_with_the_clock(wa: WhatsApp) -> None:
    await add_contact(wa, hours_ago=0)
    wa.services.clock.advance(hours=23)
    await enqueue(wa, None, key="a")  # found by number when the row has no contact id
    await dispatch(wa)
    wa.services.clock.advance(hours=2)
    await enqueue(wa, None, key="b")
    await dispatch(wa)
    first, second = wa.fake.messages
    assert "Body" in first and second["ContentSid"] == TEMPLATES["repayment_reminder"]


async def test_template_variables_are_strings_on_one_line(wa: WhatsApp) -> None:
    contact_id = await add_contact(wa, hours_ago=30)
    async with transaction(wa.services.sessions) as session:
        await outbox.enqueue(
            session=session,
            channel="whatsapp",
            recipient=USER,
            kind="booking_confirmation",
            body="Janji temu dikonfirmasi.",
            send_key="multi",
            now=wa.services.clock.now(),
            contact_id=contact_id,
            variables={"1": "*Janji temu dikonfirmasi*\nSenin", "2": 3, "3": "Pak  Budi\t(BRI)"},
        )
    await dispatch(wa)
    [sent] = wa.fake.messages
    assert sent["ContentSid"] == TEMPLATES["booking_confirmation"]
    assert json.loads(sent["ContentVariables"]) == {
        "1": "*Janji temu dikonfirmasi* Senin",
        "2": "3",
        "3": "Pak Budi (BRI)",
    }


async def test_a_kind_without_a_template_fails_outside_the_window(wa: WhatsApp) -> None:
    outbox_id = await enqueue(wa, await add_contact(wa, hours_ago=25), kind="broadcast")
    await dispatch(wa)
    row = await row_of(wa, outbox_id)
    assert row.status == "failed" and wa.fake.requests == 0
    assert "24-hour window" in row.last_error and "TWILIO_TEMPLATE_BROADCAST" in row.last_error


async def test_inside_the_window_options_are_numbered_and_long_texts_split(wa: WhatsApp) -> None:
    contact_id = await add_contact(wa, hours_ago=1)
    options = (Option("confirm", "Konfirmasi"), Option("decline", "Tolak"))
    await enqueue(
        wa, contact_id, "consultant_notification", key="n", body="Janji temu baru.", options=options
    )
    long_body = "\n".join(f"Baris {n}: " + "x" * 90 for n in range(40))
    outbox_id = await enqueue(wa, contact_id, "broadcast", key="long", body=long_body)
    await dispatch(wa)
    notification, *pieces = wa.fake.messages
    assert notification["Body"] == "Janji temu baru.\n\n1. Konfirmasi\n2. Tolak\n(Balas 1-2)"
    assert len(pieces) == 3 and all(len(piece["Body"]) <= 1600 for piece in pieces)
    assert "\n".join(piece["Body"] for piece in pieces) == long_body
    assert (await row_of(wa, outbox_id)).provider_message_id == pieces[-1]["sid"]


# (label, Twilio code, kind, expected row status, fragment of last_error)
ERRORS = [
    ("outside-window-uses-template", 63016, "repayment_reminder", "sent", None),
    ("outside-window-no-template", 63016, "broadcast", "failed", "Twilio 63016 (HTTP 400): outside"),
    ("opted-out", 21610, "repayment_reminder", "failed", "Twilio 21610 (HTTP 400): the recipient opted out"),
    ("rate-63018", 63018, "repayment_reminder", "pending", "Twilio 63018 (HTTP 429): rate limit"),
    ("rate-429", 20429, "repayment_reminder", "pending", "Twilio 20429 (HTTP 429): rate limit"),
    ("server-error", 500, "repayment_reminder", "pending", "Twilio 500 (HTTP 500)"),
    ("bad-number", 21211, "repayment_reminder", "failed", "Twilio 21211 (HTTP 400): rejected"),
]


@pytest.mark.parametrize(("label", "code", "kind", "status", "reason"), ERRORS, ids=[e[0] for e in ERRORS])
async def test_twilio_errors_are_mapped(wa: WhatsApp, label, code, kind, status, reason) -> None:
    contact_id = await add_contact(wa, hours_ago=2)
    outbox_id = await enqueue(wa, contact_id, kind)
    waiting = await enqueue(wa, contact_id, kind, key="later")
    now = wa.services.clock.now()
    async with transaction(wa.services.sessions) as session:  # keep the second row out of this round
        row = await session.get(Outbox, waiting)
        row.next_attempt_at = now + timedelta(hours=1)
        session.add(row)
    wa.fake.fail_next(code)
    await dispatch(wa)
    row = await row_of(wa, outbox_id)
    assert row.status == status, row.last_error
    if reason:
        assert reason in row.last_error
    if label == "outside-window-uses-template":
        [sent] = wa.fake.messages
        assert sent["ContentSid"] == TEMPLATES[kind] and row.provider_message_id == sent["sid"]
    elif label == "opted-out":
        async with wa.services.sessions() as session:
            contact = await session.get(Contact, contact_id)
        assert "opted out" in contact.unreachable_reason
        assert (await row_of(wa, waiting)).status == "failed"  # nothing more goes to them
    elif label.startswith("rate"):
        assert row.next_attempt_at == now + timedelta(seconds=1) and row.attempts == 0
        assert wa.services.governors["whatsapp"].paused_for() > 0
    elif label == "server-error":
        assert row.next_attempt_at == now + timedelta(seconds=30) and row.attempts == 1


async def test_rate_limits_back_off_further_while_they_last(wa: WhatsApp) -> None:
    outbox_id = await enqueue(wa, await add_contact(wa, hours_ago=2))
    pauses = []
    for _ in range(4):
        wa.fake.fail_next(63018)
        message = OutboxMessage.from_row(await row_of(wa, outbox_id))
        try:
            await wa.channel.sender().send(message)
        except Exception as error:
            pauses.append(error.retry_after)
    assert pauses == [1.0, 2.0, 4.0, 8.0]
    await wa.channel.sender().send(message)
    wa.fake.fail_next(63018)
    with pytest.raises(Exception, match="rate limit") as again:
        await wa.channel.sender().send(message)
    assert again.value.retry_after == 1.0  # a success resets the back-off


async def test_network_errors_are_transient(db_url: str, clock, fake_twilio) -> None:
    settings = make_settings(db_url, "http://127.0.0.1:9")  # nothing listens on the discard port
    async with running(settings, clock, fake_twilio) as wa:
        outbox_id = await enqueue(wa, await add_contact(wa, hours_ago=2))
        await dispatch(wa)
        row = await row_of(wa, outbox_id)
    assert row.status == "pending" and "network error" in row.last_error and row.attempts == 1


async def test_a_failed_immediate_reply_goes_to_the_outbox(wa: WhatsApp) -> None:
    wa.fake.fail_next(500)
    assert await wa.send("halo") == []
    async with wa.services.sessions() as session:
        rows = (await session.exec(select(Outbox).order_by(Outbox.id))).all()
    assert [row.kind for row in rows] == ["reply", "reply"] and {row.status for row in rows} == {"pending"}
    assert rows[0].next_attempt_at == rows[1].next_attempt_at  # the rest of the answer waits behind the first
    wa.services.clock.advance(seconds=30)
    await dispatch(wa)
    assert [m["Body"].split("\n")[0] for m in wa.fake.messages][
        -1
    ] == "Menu utama. Apa yang ingin Anda lakukan?"


def test_rendering_limits() -> None:
    options = [Option(f"id{n}", f"Pilihan nomor {n}") for n in range(1, 4)]
    assert session_content("Pilih:", options, quick_reply={3: "HXq"}, list_picker={}) is not None
    long = [*options[:2], Option("x", "Label yang jauh lebih panjang")]
    assert session_content("Pilih:", long, quick_reply={3: "HXq"}, list_picker={}) is None
    sid, variables = session_content("Pilih:", long, quick_reply={3: "HXq"}, list_picker={3: "HXl"})
    assert sid == "HXl" and variables["8"] == "Label yang jauh lebih p…" and variables["10"] == long[2].label
    assert session_content("x" * 1025, options, quick_reply={3: "HXq"}, list_picker={3: "HXl"}) is None
    assert len(list_picker_variables("b", options)) == 10
    assert text_pieces("a" * 1601, []) == ["a" * 1600, "a"]
