"""Status callbacks on POST /webhooks/whatsapp/status: delivery recorded on the row, regressions ignored, errors acted on."""

from __future__ import annotations

from sqlmodel import select

from bot.handlers.whatsapp import STATUS_PATH
from storage.models import Contact, Outbox
from tests.whatsapp.conftest import TEMPLATES, USER, WhatsApp, add_contact, dispatch, enqueue, row_of


async def _sent_row(wa: WhatsApp, kind: str = "repayment_reminder", hours_ago: float = 2) -> tuple[int, str]:
    """An outbox row sent through the stand-in, and its Twilio SID."""
    outbox_id = await enqueue(wa, await add_contact(wa, hours_ago=hours_ago), kind)
    await dispatch(wa)
    row = await row_of(wa, outbox_id)
    assert row.status == "sent" and row.provider_message_id
    return outbox_id, row.provider_message_id


async def test_statuses_move_forward_only(wa: WhatsApp) -> None:
    outbox_id, sid = await _sent_row(wa)
    seen = []
    for status in ("sent", "queued", "delivered", "sent", "read", "delivered", "failed"):
        response = await wa.status(sid, status)
        assert response.status_code == 204
        seen.append((await row_of(wa, outbox_id)).delivery_status)
    assert seen == ["sent", "sent", "delivered", "delivered", "read", "read", "read"]


async def test_unknown_ids_are_acknowledged(wa: WhatsApp) -> None:
    assert (await wa.status("SM" + "0" * 32, "delivered")).status_code == 204


async def test_a_callback_without_status_is_a_bad_request(wa: WhatsApp) -> None:
    response = await wa.post(STATUS_PATH, {"MessageSid": "SM" + "0" * 32})
    assert response.status_code == 400 and "MessageStatus" in response.json()["detail"]


async def test_a_late_opt_out_makes_the_contact_unreachable(wa: WhatsApp) -> None:
    outbox_id, sid = await _sent_row(wa)
    waiting = await enqueue(wa, None, key="later")
    assert (await wa.status(sid, "failed", "21610")).status_code == 204
    async with wa.services.sessions() as session:
        contact = (await session.exec(select(Contact).where(Contact.external_id == USER))).one()
    assert "21610" in contact.unreachable_reason
    assert (await row_of(wa, outbox_id)).delivery_status == "failed"
    assert (await row_of(wa, waiting)).status == "failed"


async def test_a_late_window_refusal_is_sent_again_as_the_template_once(wa: WhatsApp) -> None:
    outbox_id, sid = await _sent_row(wa, hours_ago=23.5)
    wa.services.clock.advance(minutes=30)  # the window closed while Twilio was still trying
    for _ in range(2):  # Twilio may report it twice
        assert (await wa.status(sid, "undelivered", "63016")).status_code == 204
    row = await row_of(wa, outbox_id)
    assert (row.status, row.delivery_status) == ("failed", "undelivered")
    assert "63016" in row.last_error and "queued again as its template" in row.last_error
    await dispatch(wa)
    first, again = wa.fake.messages
    assert "Body" in first and again["ContentSid"] == TEMPLATES["repayment_reminder"] and "Body" not in again
    async with wa.services.sessions() as session:
        rows = (await session.exec(select(Outbox).order_by(Outbox.id))).all()
    assert [(r.send_key, r.status) for r in rows] == [
        ("k1", "failed"),
        (f"template-retry:{outbox_id}", "sent"),
    ]
    # the copy is not copied again if it too is refused
    assert (await wa.status(again["sid"], "undelivered", "63016")).status_code == 204
    async with wa.services.sessions() as session:
        assert len((await session.exec(select(Outbox))).all()) == 2


async def test_a_late_window_refusal_without_template_just_fails(wa: WhatsApp) -> None:
    outbox_id, sid = await _sent_row(wa, kind="broadcast")
    wa.services.clock.advance(hours=1)
    await wa.status(sid, "failed", "63016")
    row = await row_of(wa, outbox_id)
    assert row.status == "failed" and "no template to send instead" in row.last_error
    async with wa.services.sessions() as session:
        assert len((await session.exec(select(Outbox))).all()) == 1


async def test_other_failures_are_recorded_with_their_reason(wa: WhatsApp) -> None:
    outbox_id, sid = await _sent_row(wa)
    await wa.status(sid, "undelivered", "30008")
    row = await row_of(wa, outbox_id)
    assert (row.status, row.delivery_status) == ("sent", "undelivered")
    assert row.last_error == "Twilio 30008 undelivered: unknown error"
