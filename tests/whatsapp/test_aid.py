"""An aid application over the real WhatsApp webhook with a photo, and the decision sent as a template a day later."""

from __future__ import annotations

from datetime import timedelta

from bot.aid_notices import tell_owner
from core.kabupaten import load_profile
from storage import aid as applications
from storage.contacts import contact_by_id
from storage.db import transaction
from tests.aid.world import registered
from tests.whatsapp.conftest import USER, WhatsApp, dispatch, make_settings, running

TEMPLATE = "HX" + "9" * 32
PHOTO = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"


async def test_apply_with_a_photo_and_hear_the_decision_outside_the_window(
    db_url, sessions, clock, fake_twilio, twilio_url
) -> None:
    profile = load_profile("oku_timur")
    settings = make_settings(
        db_url, twilio_url, umkm_kabupaten="oku_timur", twilio_template_aid_decision=TEMPLATE
    )
    await registered(sessions, clock, profile, USER, channel="whatsapp")
    async with running(settings, clock, fake_twilio) as wa:
        await _apply(wa)
        async with wa.services.sessions() as session:
            [row] = await applications.list_applications(session=session)
        assert (row.application.aid_id, row.application.photo) == ("sealer", PHOTO)

        clock.moment += timedelta(hours=30)  # the owner has not written since: the window is closed
        async with transaction(wa.services.sessions) as session:
            details = await applications.application_details(
                session=session, application_id=row.application.id, for_update=True
            )
            await applications.decide(
                session=session, application=details.application, status="approved", by="rina@dinas.test",
                now=clock.now(), note="Ambil di kantor Dinas.",
            )  # fmt: skip
            owner = await contact_by_id(session=session, contact_id=details.application.contact_id)
            aid = profile.aid[1]
            await tell_owner(
                session=session, owner=owner, application=details.application, aid=aid,
                secretariat=profile.secretariat_name, now=clock.now(),
            )  # fmt: skip
        before = len(fake_twilio.messages)
        assert await dispatch(wa) == 1
        [sent] = fake_twilio.messages[before:]
        assert sent["ContentSid"] == TEMPLATE and "Body" not in sent
        assert '"2": "Mesin sealer kemasan"' in sent["ContentVariables"]

        # The owner answers the notice in plain text: '1' opens their applications.
        assert "Mesin sealer kemasan (21 November 2026): disetujui. Ambil di kantor Dinas." in await wa.say(
            "1"
        )


async def _apply(wa: WhatsApp) -> None:
    """Applies for the sealer in plain text, with a photo of the workplace."""
    await wa.walk(
        [
            ("mau minta bantuan alat", ["Bantuan yang bisa Anda ajukan"]),
            ("2", ["Mau mengajukan?"]),
            ("ya", ["Dalam satu atau dua kalimat"]),
            ("Keripik saya sering melempem karena kemasan bocor.", ["kirim satu foto tempat usaha"]),
        ]
    )
    answer = await wa.say("", NumMedia="1", MediaContentType0="image/jpeg", MediaUrl0=PHOTO)
    assert "Foto sudah diterima" in answer and "Foto tempat usaha: terlampir" in answer
    assert "sudah terkirim" in await wa.say("1")
