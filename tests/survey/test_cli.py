"""`umkm broadcast create --survey`: the Kirim survei page's twin for scripts."""

from __future__ import annotations

import asyncio

from bot.clock import FixedClock
from tests.survey.conftest import SurveyWorld, make_services


def test_a_survey_to_a_segment_from_the_command_line(umkm, db_url: str, clock: FixedClock) -> None:  # noqa: ANN001
    async def prepare() -> None:
        services = make_services(db_url, clock)
        world = SurveyWorld(services, clock)
        await world.owner("4001")
        await world.owner("4002", loan_on=None)  # registered, no loan: left out
        await services.db.dispose()

    asyncio.run(prepare())
    code, out, _ = umkm("broadcast", "create", "--survey", "--kecamatan", "Muara Enim")
    assert code == 0 and "Survei 1 disimpan sebagai draf" in out
    code, out, _ = umkm("broadcast", "preview", "1")
    assert code == 0 and "Survei singkat dari Rumah UMKM" in out and "Penerima: 1; dikecualikan: 0." in out
    code, out, _ = umkm("broadcast", "send", "1", "--at", "2099-12-01 09:00")
    assert code == 0 and "akan dikirim ke 1 pelaku usaha" in out
