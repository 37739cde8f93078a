"""The follow-up survey on plain WhatsApp text through the Twilio stand-in: the template outside the window,
numbered options inside it, and answers typed as numbers and words."""

from __future__ import annotations

import json

from bot.clock import FixedClock
from bot.survey import ask_due
from storage.db import transaction
from storage.models import Contact
from tests.survey.conftest import SurveyWorld, wib
from tests.whatsapp.conftest import TEMPLATES, USER, WhatsApp, dispatch


async def _owner(wa: WhatsApp, clock: FixedClock, *, wrote_at) -> SurveyWorld:
    """A WhatsApp owner with a loan from 21 May 2026 who last wrote at `wrote_at`."""
    world = SurveyWorld(wa.services, clock)
    contact_id = await world.owner(USER, channel="whatsapp")
    async with transaction(wa.services.sessions) as session:
        contact = await session.get(Contact, contact_id)
        contact.last_inbound_at = wrote_at
        session.add(contact)
    return world


async def test_outside_the_window_the_survey_template_goes_and_plain_numbers_answer_it(
    wa: WhatsApp, clock: FixedClock
) -> None:
    world = await _owner(wa, clock, wrote_at=wib(2026, 11, 20, 10, 0))
    clock.moment = wib(2026, 11, 23, 9, 0)
    assert await ask_due(wa.services) == 1
    assert await dispatch(wa) == 1
    [sent] = wa.fake.messages
    assert sent["ContentSid"] == TEMPLATES["survey"] and "Body" not in sent
    assert json.loads(sent["ContentVariables"]) == {"1": "7 Desember 2026"}
    clock.moment = wib(2026, 11, 23, 12, 0)
    first = await wa.say("1")
    assert "Pertanyaan 1 dari 4" in first and "Ketik *lewati* untuk melewati" in first
    await wa.walk(
        [
            ("300 ribu per hari", ["sekitar Rp9.000.000 sebulan", "Pertanyaan 2 dari 4"]),
            ("dua", ["Pertanyaan 3 dari 4", "1. Ya\n2. Tidak\n3. Lewati"]),
            (
                "2",
                [
                    "Pertanyaan 4 dari 4",
                    "1. Tambah modal/stok\n2. Beli alat\n3. Pasar baru\n4. Belum terasa\n5. Lewati",
                ],
            ),
            ("3", ["Terima kasih! Jawaban Anda tersimpan"]),
        ]
    )
    [survey] = await world.surveys()
    assert (survey.turnover, survey.employees, survey.new_line, survey.helped) == (
        9_000_000,
        2,
        False,
        "pasar",
    )
    assert survey.status == "answered"


async def test_inside_the_window_the_invitation_is_numbered_text_and_words_answer_it(
    wa: WhatsApp, clock: FixedClock
) -> None:
    world = await _owner(wa, clock, wrote_at=wib(2026, 11, 23, 8, 0))
    clock.moment = wib(2026, 11, 23, 9, 0)
    await ask_due(wa.services)
    await dispatch(wa)
    [sent] = wa.fake.messages
    assert "Survei singkat dari Rumah UMKM" in sent["Body"]
    assert "1. Ya, isi survei" in sent["Body"] and "2. Tidak, terima kasih" in sent["Body"]
    await wa.walk(
        [
            ("iya", ["Pertanyaan 1 dari 4"]),
            ("lewati", ["Pertanyaan 2 dari 4"]),
            ("menu", ["Menu utama"]),
        ]
    )
    clock.moment = wib(2026, 12, 1, 10, 0)
    await wa.walk([("survei", ["Pertanyaan 2 dari 4"]), ("4 orang", ["Pertanyaan 3 dari 4"])])
    clock.moment = wib(2026, 12, 8, 10, 0)  # past the 14 days
    assert "Survei sudah ditutup, terima kasih" in await wa.say("survei")
    [survey] = await world.surveys()
    assert (survey.turnover, survey.employees, survey.progress) == (None, 4, 2)


async def test_berhenti_on_whatsapp_means_no_survey(wa: WhatsApp, clock: FixedClock) -> None:
    world = await _owner(wa, clock, wrote_at=wib(2026, 11, 23, 8, 0))
    clock.moment = wib(2026, 11, 23, 8, 30)
    await wa.walk([("menu", ["Menu utama"]), ("berhenti", ["tidak akan menerima pengumuman"])])
    clock.moment = wib(2026, 11, 23, 9, 0)
    assert await ask_due(wa.services) == 0
    assert await world.surveys() == []
