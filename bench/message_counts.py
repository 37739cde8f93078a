"""How many messages an owner sends for each journey, measured by walking the real engine; written to docs/flows.md.

Run from the project folder: python -m bench.message_counts
Each journey is a transcript (message, a fragment its reply must contain), so the count is of a path that works;
each starts at the menu (registration from "halo"). Owners write plain WhatsApp text, where the sender's number
is known (on the terminal or Telegram registration asks for it: one message more).
Targets from issue 13: register from "halo" in 12, an eligibility verdict for a registered owner in 4, the
instalment for "cicilan 10 juta 2 tahun berapa" in 1, a booking in 5; issue 12: the follow-up survey in 5 (its
opening and at most four answers).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from datetime import UTC, date, datetime, time
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import FixedClock
from bot.engine import Engine
from bot.messages import Inbound
from bot.render import numbered
from bot.survey import survey_row
from core.booking import TOPICS
from core.kabupaten import load_profile
from core.slots import office_hours
from storage.consultants import add_consultant, add_slots
from storage.contacts import get_or_create_contact
from storage.db import make_engine, session_maker
from storage.migrate import upgrade
from storage.surveys import add_surveys, baselines

DOC = Path(__file__).resolve().parents[1] / "docs" / "flows.md"
BEGIN, END = "<!-- message-counts -->", "<!-- /message-counts -->"
START = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)  # Saturday 10.00 WIB
JOURNEYS: dict[str, tuple[str, int, list[tuple[str, str]]]] = {
    "register": (
        "Register a business, from “halo”",
        12,
        [
            ("halo", "Menu utama"),
            ("mau daftar usaha", "setuju"),
            ("iya", "nama lengkap"),
            ("siti aminah", "NIK"),  # WhatsApp tells the number
            ("1603011505910001", "nama usaha"),
            ("Keripik Bu Siti", "bidang usaha"),
            ("5", "kecamatan"),
            ("Pasar II, muara enim", "bulan dan tahun"),
            ("2022", "omzet"),
            ("300rb sehari", "Izin usaha"),
            ("belum punya", "Mohon periksa"),
            ("simpan", "sudah terdaftar"),
        ],
    ),
    "eligibility": (
        "Eligibility verdict for a registered owner",
        4,
        [
            ("cek kelayakan 20 juta", "Berapa lama"),
            ("1 tahun", "Untuk apa"),
            ("modal kerja", "mana yang benar"),
            ("tidak ada", "Pilihan terbaik"),
        ],
    ),
    "booking": (
        "Book a KKMB consultant (registered owner)",
        5,
        [
            ("mau ketemu konsultan", "Mau konsultasi tentang apa"),
            ("pengajuan kur", "Waktu kosong"),
            ("1", "Lewati"),
            ("nanti aja", "Periksa permintaan"),
            ("ok", "sudah dikirim"),
        ],
    ),
    "instalment": (
        "Instalment for “cicilan 10 juta 2 tahun berapa” (first message)",
        1,
        [("cicilan 10 juta 2 tahun berapa", "Angsuran per bulan")],
    ),
    "survey": (
        "Follow-up survey, all four questions (registered owner)",
        5,
        [
            ("survei", "Pertanyaan 1 dari 4"),
            ("15 juta", "Pertanyaan 2 dari 4"),
            ("3", "Pertanyaan 3 dari 4"),
            ("ya", "Pertanyaan 4 dari 4"),
            ("tambah modal", "Terima kasih"),
        ],
    ),
}
_ids = count(1)
OWNER, NEWCOMER = "+6281234567890", "+6281298765432"  # WhatsApp senders: plain text, the number known


async def _walk(engine: Engine, clock: FixedClock, user: str, script: list[tuple[str, str]]) -> int:
    """Sends a journey's messages as one owner, checking each reply; returns how many were sent."""
    for text, fragment in script:
        inbound = Inbound(
            channel="whatsapp",
            sender_id=user,
            received_at=clock.now(),
            text=text,
            message_id=f"c{next(_ids)}",
        )
        reply = "\n".join(numbered(r) for r in await engine.handle(inbound))
        if fragment.casefold() not in reply.casefold():
            raise AssertionError(f"{text!r} -> {reply!r} lacks {fragment!r}")
        clock.advance(seconds=20)
    return len(script)


async def _consultant(sessions: async_sessionmaker[AsyncSession]) -> None:
    """One consultant for Muara Enim with office-hour slots next week."""
    times = office_hours(
        first=date(2026, 11, 23),
        last=date(2026, 12, 4),
        weekdays={1, 2, 3, 4, 5},
        opens=time(9, 0),
        closes=time(12, 0),
        minutes=60,
        zone=ZoneInfo("Asia/Jakarta"),
    )
    async with sessions.begin() as session:
        consultant = await add_consultant(
            session=session,
            name="Siti Rahmawati",
            bank="BRI Unit Muara Enim",
            kecamatan=["Muara Enim"],
            topics=list(TOPICS),
            now=START,
        )
        await add_slots(session=session, consultant_id=consultant.id, times=times, place="secretariat")


async def measure(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> dict[str, int]:
    """Walks every journey (one owner registers, checks and books; another asks for an instalment)."""
    await _consultant(sessions)
    engine = Engine(sessions=sessions, clock=clock, profile=load_profile())
    counts = {}
    for name in ("register", "eligibility", "booking"):  # each journey starts at the menu
        await _walk(engine, clock, OWNER, [("menu", "Menu utama")])
        counts[name] = await _walk(engine, clock, OWNER, JOURNEYS[name][2])
    counts["instalment"] = await _walk(engine, clock, NEWCOMER, JOURNEYS["instalment"][2])
    await _survey(sessions, clock, OWNER)
    counts["survey"] = await _walk(engine, clock, OWNER, JOURNEYS["survey"][2])
    return counts


async def _survey(sessions: async_sessionmaker[AsyncSession], clock: FixedClock, user: str) -> None:
    """Asks the registered owner the follow-up survey (as the six-monthly job would)."""
    async with sessions.begin() as session:
        contact = await get_or_create_contact(
            session=session, channel="whatsapp", external_id=user, now=clock.now()
        )
        baseline = (await baselines(session=session, contact_ids=[contact.id]))[contact.id]
        row = survey_row(contact_id=contact.id, due_on=clock.now().date(), now=clock.now(), baseline=baseline)
        await add_surveys(session=session, rows=[row])


def table(counts: dict[str, int]) -> str:
    """The counts as a Markdown table with their targets."""
    rows = ["| Journey | Messages | Target |", "|---|---|---|"]
    for name, (label, target, _script) in JOURNEYS.items():
        mark = "" if counts[name] <= target else " (over)"
        rows.append(f"| {label} | {counts[name]}{mark} | {target} |")
    return "\n".join(rows)


def documented() -> str:
    """The table now in docs/flows.md."""
    found = re.search(rf"{re.escape(BEGIN)}\n(.*?)\n{re.escape(END)}", DOC.read_text(), re.S)
    return found.group(1) if found else ""


def write(counts: dict[str, int]) -> None:
    """Puts the table into docs/flows.md between its markers."""
    text = DOC.read_text()
    block = f"{BEGIN}\n{table(counts)}\n{END}"
    pattern = re.compile(rf"{re.escape(BEGIN)}.*?{re.escape(END)}", re.S)
    DOC.write_text(pattern.sub(lambda _m: block, text) if pattern.search(text) else f"{text}\n{block}\n")


async def _main() -> None:
    """Measures on a fresh SQLite database, prints and writes the table."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/counts.db"
        upgrade(url)
        db = make_engine(url)
        try:
            counts = await measure(session_maker(db), FixedClock(START))
        finally:
            await db.dispose()
    print(table(counts))
    write(counts)


if __name__ == "__main__":
    asyncio.run(_main())
