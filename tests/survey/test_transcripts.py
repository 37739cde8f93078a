"""The survey in the chat, as the console shows it: answer, skip, stop and come back, late, mid-flow, erasure."""

from __future__ import annotations

from bot.flows.base import go
from bot.survey import ask_due, close_lapsed
from storage.models import Contact
from tests.survey.conftest import SurveyWorld, wib


async def _asked(world: SurveyWorld, user: str = "owner-1") -> None:
    """Records a loan six months ago for `user` and lets the job ask her survey on Monday 23 November, 09.00."""
    await world.owner(user)
    world.clock.moment = wib(2026, 11, 23, 9, 0)
    assert await ask_due(world.services) == 1


async def test_a_full_answer_is_saved_question_by_question(world: SurveyWorld) -> None:
    await _asked(world)
    chat = world.chat()
    await chat.walk(
        [
            ("ya", ["Pertanyaan 1 dari 4", "omzet", "lewati"]),
            ("500rb sehari", ["Dicatat: sekitar Rp15.000.000 sebulan", "Pertanyaan 2 dari 4"]),
            ("3 orang", ["Pertanyaan 3 dari 4", "1. Ya", "2. Tidak", "3. Lewati"]),
            ("iya", ["Pertanyaan 4 dari 4", "1. Tambah modal/stok", "2. Beli alat", "4. Belum terasa"]),
            ("beli alat", ["Terima kasih! Jawaban Anda tersimpan", "Menu utama"]),
        ]
    )
    [survey] = await world.surveys()
    assert (survey.turnover, survey.employees, survey.new_line, survey.helped) == (
        15_000_000,
        3,
        True,
        "alat",
    )
    assert (survey.status, survey.progress, survey.answered_at) == ("answered", 4, world.clock.now())
    assert "sudah ditutup" in await chat.say("survei")  # answered: nothing more to answer


async def test_every_question_may_be_skipped(world: SurveyWorld) -> None:
    await _asked(world)
    chat = world.chat()
    await chat.walk(
        [
            ("1", ["Pertanyaan 1 dari 4"]),
            ("lewati", ["Pertanyaan 2 dari 4"]),
            ("skip", ["Pertanyaan 3 dari 4"]),
            ("3", ["Pertanyaan 4 dari 4"]),
            ("lewati", ["Terima kasih"]),
        ]
    )
    [survey] = await world.surveys()
    assert (survey.turnover, survey.employees, survey.new_line, survey.helped) == (None, None, None, None)
    assert (survey.status, survey.answered_at) == ("skipped", None)


async def test_bad_answers_say_what_to_send_and_keep_what_was_given(world: SurveyWorld) -> None:
    await _asked(world)
    chat = world.chat()
    await chat.walk(
        [
            ("ya", ["Pertanyaan 1 dari 4"]),
            ("5", ["Maksudnya Rp5.000.000?"]),
            ("ya", ["Dicatat: omzet Rp5.000.000 sebulan", "Pertanyaan 2 dari 4"]),
            ("banyak", ["Ketik angka bulat", "Pertanyaan 2 dari 4"]),
            ("0", ["Pertanyaan 3 dari 4"]),
            ("mungkin", ["Mohon jawab *ya* atau *tidak*", "Pertanyaan 3 dari 4"]),
        ]
    )
    [survey] = await world.surveys()
    assert (survey.turnover, survey.employees, survey.progress) == (5_000_000, 0, 2)


async def test_the_owner_stops_and_comes_back_at_the_next_question(world: SurveyWorld) -> None:
    await _asked(world)
    chat = world.chat()
    await chat.walk([("ya", ["Pertanyaan 1"]), ("20 juta", ["Pertanyaan 2"]), ("menu", ["Menu utama"])])
    world.clock.moment = wib(2026, 11, 30, 19, 0)  # a week later
    await chat.walk([("survei", ["Pertanyaan 2 dari 4"]), ("2", ["Pertanyaan 3 dari 4"])])
    [survey] = await world.surveys()
    assert (survey.turnover, survey.employees, survey.status) == (20_000_000, 2, "asked")


async def test_declining_closes_the_survey_as_skipped(world: SurveyWorld) -> None:
    await _asked(world)
    chat = world.chat()
    assert "Baik, tidak apa-apa" in await chat.say("tidak")
    [survey] = await world.surveys()
    assert survey.status == "skipped"


async def test_a_late_answer_gets_a_friendly_closed_notice(world: SurveyWorld) -> None:
    await _asked(world)
    chat = world.chat()
    world.clock.moment = wib(2026, 12, 7, 9, 0)  # the 14 days are over
    assert "Survei sudah ditutup, terima kasih" in await chat.say("survei")
    assert "Menu utama" in await chat.say("ok")
    button = await chat.say(choice=go("survei", "q"))  # the invitation's button, pressed late
    assert "Survei sudah ditutup, terima kasih" in button
    [survey] = await world.surveys()
    assert survey.status == "asked" and survey.progress == 0  # the expiry job closes it


async def test_the_14_days_running_out_mid_question(world: SurveyWorld) -> None:
    await _asked(world)
    chat = world.chat()
    world.clock.moment = wib(2026, 12, 7, 8, 50)  # the invitation's buttons lapsed; *survei* still opens it
    assert "Pertanyaan 1" in await chat.say("survei")
    world.clock.moment = wib(2026, 12, 7, 9, 5)
    assert "Survei sudah ditutup, terima kasih" in await chat.say("10 juta")
    [survey] = await world.surveys()
    assert survey.turnover is None


async def test_answered_mid_another_flow_which_is_offered_back(world: SurveyWorld) -> None:
    await world.owner()
    chat = world.chat()
    world.clock.moment = wib(2026, 11, 23, 8, 55)
    await chat.walk([("menu", ["Menu utama"]), ("simulasi angsuran", ["Berapa pinjaman"])])
    world.clock.moment = wib(2026, 11, 23, 9, 0)
    assert await ask_due(world.services) == 1
    await chat.walk(
        [
            ("iya", ["Pertanyaan 1 dari 4", "Kirim *lanjut* untuk melanjutkan"]),
            ("15 juta", ["Pertanyaan 2"]),
            ("lewati", ["Pertanyaan 3"]),
            ("tidak", ["Pertanyaan 4"]),
            ("1", ["Terima kasih", "Lanjutkan:"]),
            ("lanjut", ["Kita lanjutkan", "Berapa pinjaman"]),
        ]
    )
    [survey] = await world.surveys()
    assert (survey.turnover, survey.new_line, survey.helped, survey.status) == (
        15_000_000,
        False,
        "modal",
        "answered",
    )


async def test_berhenti_stops_the_survey_and_the_next_ones(world: SurveyWorld) -> None:
    await _asked(world)
    chat = world.chat()
    await chat.walk([("menu", ["Menu utama"]), ("berhenti", ["tidak akan menerima pengumuman"])])
    assert await close_lapsed(world.services.sessions, world.clock.now()) == 1
    [survey] = await world.surveys()
    assert survey.status == "opted_out"
    world.clock.moment = wib(2027, 5, 24, 9, 0)  # the next due date
    assert await ask_due(world.services) == 0


async def test_hapus_data_unlinks_the_survey_and_keeps_its_answers(world: SurveyWorld) -> None:
    await _asked(world)
    chat = world.chat()
    await chat.walk([("ya", ["Pertanyaan 1"]), ("12 juta", ["Pertanyaan 2"])])
    await chat.walk([("hapus data", ["Hapus data Anda?"]), ("ya, hapus", ["data Anda sudah dihapus"])])
    [survey] = await world.surveys()
    assert survey.contact_id is None and survey.turnover == 12_000_000
    assert (survey.kecamatan, survey.baseline_turnover) == ("Muara Enim", 9_000_000)
    async with world.services.sessions() as session:
        assert (await session.get(Contact, 1)).erased_at is not None
