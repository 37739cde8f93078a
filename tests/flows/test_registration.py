"""Daftar usaha and Profil usaha saya as transcripts: consent, every field, bad answers, summary fixes, saving."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlmodel import select

from bot.business_fields import OUTSIDE_KECAMATAN
from bot.flows.registration import match_kecamatan, read_nib
from core.business_answers import read_amount_or_zero, read_employees
from core.kabupaten import load_profile
from core.parsing import ParseError
from storage.models import Business, Contact, Conversation
from tests.registration_questions import NIK, QUESTION
from tests.transcript import Chat

NIK_MASKED = "1603**********01"
NIK_JAKARTA = "3171011203850002"

# A good answer to each step, in order.
GOOD = [
    ("consent", "setuju"),
    ("owner_name", "Siti Aminah"),
    ("phone", "0812-3456-7890"),
    ("nik", NIK),
    ("business_name", "Keripik Bu Siti"),
    ("sector", "5"),
    ("kecamatan", "muara enim"),
    ("desa", "Pasar II"),
    ("started_on", "Maret 2022"),
    ("turnover", "50 juta"),
    ("licence", "NIB"),
    ("nib_number", "1234567890123"),
]
# Fields left for later, reached from the summary's "Ubah data": their step, a good answer, the summary line.
LATER = [
    ("capital", "25jt", "Modal usaha (tanpa tanah & bangunan): Rp25.000.000"),
    ("employees", "3 orang", "Jumlah karyawan: 3 orang"),
    ("npwp", "ya", "NPWP: Punya"),
]
SUMMARY_LINES = [
    "Nama pemilik: Siti Aminah",
    "Nomor HP: +62812****890",
    f"NIK: {NIK_MASKED}",
    "Nama usaha: Keripik Bu Siti",
    "Bidang usaha: Industri pengolahan / makanan rumahan",
    "Kecamatan: Muara Enim",
    "Desa/kelurahan: Pasar II",
    "Mulai usaha: Maret 2022",
    "Omzet per bulan: Rp50.000.000",
    "Modal usaha (tanpa tanah & bangunan): -",
    "Jumlah karyawan: -",
    "Izin usaha: NIB 1234567890123",
    "NPWP: -",
    "Kelas usaha: *Usaha Mikro*",
]


@dataclass
class RecordingChat(Chat):
    """A chat that keeps every reply, to check what the bot ever showed."""

    seen: list[str] = field(default_factory=list)

    async def say(self, text: str = "", **kw) -> str:
        """Sends one message, records and returns the replies."""
        reply = await super().say(text, **kw)
        self.seen.append(reply)
        return reply


@pytest.fixture
def chat(sessions, clock) -> RecordingChat:
    """A console user who has not written yet."""
    return RecordingChat(sessions=sessions, clock=clock)


async def start(chat: Chat) -> None:
    """Opens the menu and starts registration."""
    await chat.walk([("halo", ["Daftar usaha"]), ("Daftar usaha", [QUESTION["consent"], "hapus data"])])


async def answer_from(chat: Chat, first: str, until: str, **answers: str) -> None:
    """Answers the steps from `first` up to, not including, `until` (good answers unless overridden)."""
    steps = [name for name, _answer in GOOD]
    for current, good in GOOD[steps.index(first) :]:
        if current == until:
            return
        await chat.say(answers.get(current, good))
    assert until == "summary"


async def answer_until(chat: Chat, step: str, **answers: str) -> None:
    """Starts registration and answers every step before `step`."""
    await start(chat)
    await answer_from(chat, "consent", step, **answers)


async def data(chat: Chat) -> dict:
    """The user's collected data in the conversation row."""
    async with chat.sessions() as session:
        return (await session.exec(select(Conversation))).one().data


async def businesses(chat: Chat) -> list[Business]:
    """Every saved business row."""
    async with chat.sessions() as session:
        return list((await session.exec(select(Business))).all())


async def contact(chat: Chat) -> Contact:
    """The one contact."""
    async with chat.sessions() as session:
        return (await session.exec(select(Contact))).one()


# --- the happy paths -------------------------------------------------------------------------------------

HAPPY = [
    ("halo", ["Menu utama", "Daftar usaha"]),
    ("Daftar usaha", ["UU 27/2022", "nama, nomor HP, NIK, dan data usaha", "konsultan KKMB", "hapus data"]),
    ("setuju", [QUESTION["owner_name"]]),
    ("Siti Aminah", [QUESTION["phone"], "0812-3456-7890"]),
    ("0812-3456-7890", [QUESTION["nik"], "tersamar"]),
    (NIK, [f"NIK {NIK_MASKED} dicatat", QUESTION["business_name"]]),
    (
        "Keripik Bu Siti",
        [QUESTION["sector"], "1. Pertanian", "5. Industri pengolahan / makanan rumahan", "8. Lainnya"],
    ),
    ("5", [QUESTION["kecamatan"], "13. Muara Enim", "23. Di luar Kabupaten Muara Enim"]),
    ("muara enim", [QUESTION["desa"]]),
    ("Pasar II", [QUESTION["started_on"]]),
    ("Maret 2022", [QUESTION["turnover"]]),
    ("50 juta", [QUESTION["licence"], "NIB", "SKU", "Belum punya"]),
    ("NIB", [QUESTION["nib_number"]]),
    ("1234567890123", [QUESTION["summary"], *SUMMARY_LINES, "1. Simpan", "2. Ubah data", "3. Batal"]),
    (
        "simpan",
        ["Usaha Anda sudah terdaftar", "*Cek kelayakan*", "*Simulasi angsuran*", "1. Profil usaha saya"],
    ),
]


async def test_happy_path_on_console_saves_one_business(chat: RecordingChat) -> None:
    await chat.walk(HAPPY)
    [business] = await businesses(chat)
    owner = await contact(chat)
    assert business.contact_id == owner.id
    assert (business.owner_name, business.phone, business.nik) == ("Siti Aminah", "+6281234567890", NIK)
    assert (business.name, business.sector) == ("Keripik Bu Siti", "industri_pengolahan")
    assert (business.kecamatan, business.desa) == ("Muara Enim", "Pasar II")
    assert business.started_on.isoformat() == "2022-03-01"
    assert (business.monthly_turnover, business.capital, business.employees) == (50_000_000, None, None)
    assert (business.licence_type, business.licence_number, business.has_npwp) == (
        "nib",
        "1234567890123",
        None,
    )
    assert business.size_class == "mikro"
    assert owner.phone == "+6281234567890" and owner.consent_at is not None
    assert "Daftar usaha" not in chat.seen[-1]


async def test_whatsapp_number_is_noted_without_asking(sessions, clock) -> None:
    chat = Chat(sessions=sessions, clock=clock, channel="whatsapp", user="+6281234567890")
    await answer_until(chat, "owner_name")
    text = await chat.say("Siti Aminah")
    assert "Nomor WhatsApp Anda +62812****890 kami catat sebagai nomor HP" in text and QUESTION["nik"] in text
    assert QUESTION["phone"] not in text
    assert (await data(chat))["phone"] == "+6281234567890"


async def test_whatsapp_user_may_change_the_number_from_the_summary(sessions, clock) -> None:
    chat = Chat(sessions=sessions, clock=clock, channel="whatsapp", user="+6281234567890")
    await answer_until(chat, "owner_name")
    await chat.say("Siti Aminah")
    await answer_from(chat, "nik", "summary")
    await chat.walk(
        [
            ("ubah data", [QUESTION["edit"]]),
            ("nomor hp", [QUESTION["phone"], "Pakai nomor ini (+62812****890)"]),
            ("0857 1111 2222", [QUESTION["summary"], "Nomor HP: +62857****222"]),
        ]
    )
    assert (await data(chat))["phone"] == "+6285711112222"


async def test_telegram_shared_contact_is_taken_as_the_number(sessions, clock) -> None:
    chat = Chat(sessions=sessions, clock=clock, channel="telegram", user="987654321")
    await answer_until(chat, "phone")
    text = await chat.say("", phone="+6281298765432")
    assert "nomor +62812****432 dicatat" in text and QUESTION["nik"] in text
    assert (await data(chat))["phone"] == "+6281298765432"
    # going back, the shared number is offered instead of asked again
    await chat.walk([("kembali", ["Pakai nomor ini (+62812****432)"]), ("pakai", [QUESTION["nik"]])])


# --- bad answers: a helpful message, the same question, nothing lost -------------------------------------

BAD = [
    ("consent", "mungkin", "balas dengan angka 1 sampai 2", "unclear-consent"),
    ("owner_name", "", "Jawabannya masih kosong", "empty-name"),
    ("owner_name", "12345", "harus berisi huruf", "name-without-letters"),
    ("owner_name", "A" * 121, "Terlalu panjang", "name-too-long"),
    ("phone", "0812", "kurang atau kelebihan", "phone-too-short"),
    ("phone", "(021) 555-1234", "telepon rumah atau kantor", "landline"),
    ("phone", "+1 555 0100 200", "hanya nomor Indonesia", "foreign-number"),
    ("nik", "12345", "NIK harus 16 angka", "nik-wrong-length"),
    ("nik", "1603013213900001", "bukan tanggal lahir", "nik-bad-birth-date"),
    ("nik", "9903011503900001", "bukan kode provinsi", "nik-unknown-province"),
    ("business_name", "   ", "Jawabannya masih kosong", "empty-business-name"),
    ("sector", "tambang", "balas dengan angka 1 sampai 8", "unknown-sector"),
    ("kecamatan", "Palembang", "tidak ada di Kabupaten Muara Enim", "kecamatan-elsewhere"),
    ("kecamatan", "Semende", "17. Semende Darat Laut, 18. Semende Darat Tengah", "kecamatan-ambiguous"),
    ("kecamatan", "Tanjung Agug", "Maksud Anda Tanjung Agung? Balas 21", "kecamatan-typo"),
    ("kecamatan", "99", "nomor 1 sampai 23", "kecamatan-number-too-big"),
    ("desa", "", "masih kosong", "empty-desa"),
    ("started_on", "12/2026", "belum tiba", "future-start-month"),
    ("started_on", "2030", "Bulan itu belum tiba", "year-in-the-future"),
    ("turnover", "banyak sekali", "belum bisa saya baca", "turnover-garbage"),
    ("licence", "entah", "balas dengan angka 1 sampai 3", "unknown-licence"),
    ("nib_number", "12345", "NIB harus 13 angka", "nib-not-13-digits"),
]
BAD_LATER = [
    ("capital", "modal usaha", "-5 juta", "tidak boleh minus", "negative-capital"),
    ("employees", "jumlah karyawan", "-2", "tidak boleh minus", "negative-employees"),
    ("employees", "jumlah karyawan", "beberapa", "misalnya 3, atau 0", "employees-garbage"),
    ("npwp", "npwp", "entahlah", "balas dengan angka 1 sampai 2", "unclear-npwp"),
]


@pytest.mark.parametrize(("step", "bad", "message"), [row[:3] for row in BAD], ids=[row[3] for row in BAD])
async def test_bad_answer_explains_and_asks_again_keeping_data(
    chat: Chat, step: str, bad: str, message: str
) -> None:
    await answer_until(chat, step)
    before = await data(chat)
    text = await chat.say(bad)
    assert message.casefold() in text.casefold() and QUESTION[step] in text
    kept = await data(chat)
    assert {key: kept.get(key) for key in before if not key.startswith("_")} == {
        key: value for key, value in before.items() if not key.startswith("_")
    }
    good = dict(GOOD)[step]
    steps = [name for name, _answer in GOOD]
    following = steps[steps.index(step) + 1] if step != GOOD[-1][0] else "summary"
    assert QUESTION[following] in await chat.say(good)


@pytest.mark.parametrize(
    ("step", "field", "bad", "message"), [row[:4] for row in BAD_LATER], ids=[row[4] for row in BAD_LATER]
)
async def test_a_field_left_for_later_is_given_from_the_summary(
    chat: Chat, step: str, field: str, bad: str, message: str
) -> None:
    await answer_until(chat, "summary")
    await chat.walk([("ubah data", [QUESTION["edit"]]), (field, [QUESTION[step]])])
    text = await chat.say(bad)
    assert message.casefold() in text.casefold() and QUESTION[step] in text
    good, line = next((good, line) for name, good, line in LATER if name == step)
    await chat.walk([(good, [QUESTION["summary"], line])])


async def test_no_sales_yet_asks_the_capital_for_the_size_class(chat: Chat) -> None:
    await answer_until(chat, "turnover")
    await chat.walk([("belum ada", [QUESTION["capital"]]), ("25jt", [QUESTION["licence"]])])


async def test_declining_consent_ends_kindly_and_stores_nothing(chat: Chat) -> None:
    await start(chat)
    await chat.walk(
        [
            (
                "tidak setuju",
                ["tidak ada data yang disimpan", "Simulasi angsuran", "Menu utama", "Daftar usaha"],
            )
        ]
    )
    assert await businesses(chat) == []
    assert (await contact(chat)).consent_at is None


# --- the summary: fixing fields, going back, cancelling --------------------------------------------------


async def test_fixing_two_fields_from_the_summary_returns_there_each_time(chat: Chat) -> None:
    await answer_until(chat, "summary")
    await chat.walk(
        [
            (
                "ubah data",
                [QUESTION["edit"], "4. Nama usaha", "9. Omzet per bulan", "14. Kembali ke ringkasan"],
            ),
            ("nama usaha", [QUESTION["business_name"], "Saat ini: Keripik Bu Siti"]),
            (
                "Keripik Siti Jaya",
                [QUESTION["summary"], "Nama usaha: Keripik Siti Jaya", "Kecamatan: Muara Enim"],
            ),
            ("2", [QUESTION["edit"]]),
            ("omzet", [QUESTION["turnover"], "Saat ini: Rp50.000.000"]),
            (
                "300 juta",
                [QUESTION["summary"], "Omzet per bulan: Rp300.000.000", "Kelas usaha: *Usaha Kecil*"],
            ),
            ("simpan", ["Usaha Anda sudah terdaftar"]),
        ]
    )
    [business] = await businesses(chat)
    assert (business.name, business.monthly_turnover, business.size_class) == (
        "Keripik Siti Jaya",
        300_000_000,
        "kecil",
    )
    assert business.owner_name == "Siti Aminah" and business.nik == NIK


async def test_changing_the_licence_to_nib_asks_the_number_then_returns(chat: Chat) -> None:
    await answer_until(chat, "summary", licence="SKU")
    await chat.walk(
        [
            ("ubah data", [QUESTION["edit"]]),
            ("izin usaha", [QUESTION["licence"]]),
            ("1", [QUESTION["nib_number"]]),
            ("1234 5678 90123", [QUESTION["summary"], "Izin usaha: NIB 1234567890123"]),
        ]
    )


async def test_back_from_a_middle_step_keeps_every_answer(chat: Chat) -> None:
    await answer_until(chat, "licence")
    await chat.walk(
        [
            ("kembali", [QUESTION["turnover"], "Saat ini: Rp50.000.000"]),
            ("60 juta", [QUESTION["licence"]]),
        ]
    )
    kept = await data(chat)
    assert kept["monthly_turnover"] == 60_000_000
    assert (kept["owner_name"], kept["nik"], kept["kecamatan"]) == ("Siti Aminah", NIK, "Muara Enim")


@pytest.mark.parametrize("cancel", ["batal", "3"], ids=["global-word", "summary-option"])
async def test_cancel_at_the_summary_discards_everything(chat: Chat, cancel: str) -> None:
    await answer_until(chat, "summary")
    await chat.walk([(cancel, ["Dibatalkan", "Menu utama", "Daftar usaha"])])
    assert await businesses(chat) == []
    assert (await contact(chat)).consent_at is None


SIZES = [
    ({"turnover": "50 juta", "capital": "25 juta"}, "mikro", "Usaha Mikro", "50jt-a-month"),
    ({"turnover": "300 juta", "capital": "25 juta"}, "kecil", "Usaha Kecil", "300jt-a-month"),
    ({"turnover": "0", "capital": "2 M"}, "kecil", "Usaha Kecil", "no-sales-yet-by-capital"),
    ({"turnover": "belum ada", "capital": "500 juta"}, "mikro", "Usaha Mikro", "no-sales-small-capital"),
]


@pytest.mark.parametrize(
    ("answers", "size", "label"), [row[:3] for row in SIZES], ids=[row[3] for row in SIZES]
)
async def test_size_class_from_turnover_or_capital(chat: Chat, answers: dict, size: str, label: str) -> None:
    await answer_until(chat, "licence", turnover=answers["turnover"])
    if QUESTION["capital"] in chat.seen[-1]:  # no sales yet: the capital gives the class
        await chat.say(answers["capital"])
    await answer_from(chat, "licence", "summary")
    assert f"Kelas usaha: *{label}*" in chat.seen[-1]
    await chat.say("simpan")
    [business] = await businesses(chat)
    assert business.size_class == size


async def test_restart_in_the_middle_continues_at_the_same_step(chat: Chat) -> None:
    await answer_until(chat, "kecamatan")
    after_restart = Chat(sessions=chat.sessions, clock=chat.clock, user=chat.user)
    await after_restart.walk([("13", [QUESTION["desa"]]), ("Pasar II", [QUESTION["started_on"]])])
    assert (await data(after_restart))["kecamatan"] == "Muara Enim"


async def test_nik_outside_the_kabupaten_is_accepted_with_a_note(chat: Chat) -> None:
    await answer_until(chat, "nik")
    text = await chat.say(NIK_JAKARTA)
    assert "di luar Kabupaten Muara Enim" in text and "Gerbang Serasan" in text and "KUR tetap" in text
    assert QUESTION["business_name"] in text
    assert (await data(chat))["nik"] == NIK_JAKARTA


async def test_business_outside_the_kabupaten_is_accepted(chat: RecordingChat) -> None:
    await answer_until(chat, "kecamatan")
    await chat.walk([("23", ["Konsultan kami melayani Kabupaten Muara Enim", QUESTION["desa"]])])
    assert (await data(chat))["kecamatan"] == OUTSIDE_KECAMATAN
    await answer_from(chat, "desa", "summary")
    assert "Kecamatan: Di luar Kabupaten Muara Enim" in chat.seen[-1]


# --- the saved profile -----------------------------------------------------------------------------------


async def test_editing_the_saved_profile_updates_the_same_row(chat: RecordingChat) -> None:
    await chat.walk(HAPPY)
    [saved] = await businesses(chat)
    chat.clock.advance(days=3)
    await chat.walk(
        [
            (
                "profil usaha saya",
                ["*Profil usaha Anda*", *SUMMARY_LINES, "Terakhir diperbarui: 21 November 2026"],
            ),
            ("ubah data", [QUESTION["edit"]]),
            ("jumlah karyawan", [QUESTION["employees"]]),
            ("tidak ada", [QUESTION["summary"], "Jumlah karyawan: tidak ada (bekerja sendiri)"]),
            ("simpan", ["Perubahan data usaha Anda sudah disimpan", "1. Profil usaha saya"]),
            ("1", ["Jumlah karyawan: tidak ada", "Terakhir diperbarui: 24 November 2026"]),
        ]
    )
    [business] = await businesses(chat)
    assert business.id == saved.id and business.employees == 0
    assert business.owner_name == "Siti Aminah" and business.nik == NIK


async def test_profile_without_a_business_offers_registration(chat: Chat) -> None:
    await chat.say("halo")
    async with chat.sessions.begin() as session:
        owner = (await session.exec(select(Contact))).one()
        owner.consent_at = chat.clock.now()  # consent given elsewhere, no business saved
        session.add(owner)
    await chat.walk(
        [("menu", ["Profil usaha saya"]), ("profil", ["Belum ada usaha"]), ("1", [QUESTION["consent"]])]
    )


async def test_nik_never_appears_unmasked(chat: RecordingChat) -> None:
    await answer_until(chat, "nik")
    await chat.say("1603 0155 0390 00")  # too short
    await chat.say("1603-0155-0390-0001")
    await answer_from(chat, "business_name", "summary")
    await chat.walk([("simpan", []), ("profil", [NIK_MASKED]), ("ubah data", []), ("nik", [NIK_MASKED])])
    await chat.walk([(NIK_JAKARTA, [QUESTION["summary"]]), ("simpan", []), ("profil", ["3171**********02"])])
    everything = "\n".join(chat.seen)
    assert NIK_MASKED in everything
    for digits in (NIK, NIK_JAKARTA, "1603 0155", "0155 0390"):
        assert digits not in everything


# --- readers ---------------------------------------------------------------------------------------------

KECAMATAN = [
    ("13", "Muara Enim", "number"),
    ("muara enim", "Muara Enim", "lower-case"),
    ("  MUARA   ENIM! ", "Muara Enim", "loud-spaced"),
    ("muaraenim", "Muara Enim", "no-space"),
    ("Kec. Tanjung Agung", "Tanjung Agung", "kec-prefix"),
    ("kecamatan lubai", "Lubai", "exact-beats-longer-name"),
    ("lubai ulu", "Lubai Ulu", "longer-name"),
    ("gelum", "Gelumbang", "unique-start"),
    ("semende darat u", "Semende Darat Ulu", "unique-start-of-words"),
    ("Tanjung Enim", "Lawang Kidul", "town-of-the-profile"),
    ("23", OUTSIDE_KECAMATAN, "outside-number"),
    ("lainnya", OUTSIDE_KECAMATAN, "outside-word"),
]


@pytest.mark.parametrize(
    ("text", "expected"), [row[:2] for row in KECAMATAN], ids=[row[2] for row in KECAMATAN]
)
def test_kecamatan_matching_is_forgiving(text: str, expected: str) -> None:
    assert match_kecamatan(text, load_profile()) == expected


EMPLOYEES = [
    ("3", 3),
    ("3 orang", 3),
    ("tiga", 3),
    ("0", 0),
    ("tidak ada", 0),
    ("sendiri", 0),
    ("12 karyawan", 12),
]


@pytest.mark.parametrize(("text", "expected"), EMPLOYEES, ids=[text for text, _n in EMPLOYEES])
def test_employees_reader(text: str, expected: int) -> None:
    assert read_employees(text) == expected


@pytest.mark.parametrize("text", ["-1", "minus 2", "2,5", "banyak", "1000000"])
def test_employees_reader_refuses(text: str) -> None:
    with pytest.raises(ParseError, match="misalnya 3"):
        read_employees(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("0", 0), ("Rp 0", 0), ("belum ada", 0), ("nol", 0), ("15 juta", 15_000_000)]
)
def test_amounts_may_be_zero(text: str, expected: int) -> None:
    assert read_amount_or_zero(text) == expected


def test_nib_reader_ignores_separators_and_wants_13_digits() -> None:
    assert read_nib("1234 5678.90-123") == "1234567890123"
    for text in ("123456789012", "12345678901234", "NIB 1234567890123"):
        with pytest.raises(ParseError, match="13 angka"):
            read_nib(text)


async def test_friction_a_later_nik_a_year_alone_a_daily_turnover_and_a_capitalised_name(chat: Chat) -> None:
    await answer_until(chat, "owner_name")
    await chat.walk(
        [
            ("siti aminah", ["Nomor HP"]),
            ("0812-3456-7890", ["NIK"]),
            ("nanti aja", ["tanpa NIK dulu", "Apa nama usaha Anda?"]),
        ]
    )
    await answer_from(chat, "business_name", "started_on")
    await chat.walk(
        [
            ("2015", ["Berapa omzet"]),
            (
                "300rb sehari",
                ["Dicatat: sekitar Rp9.000.000 sebulan (dari omzet Anda sehari)", "Izin usaha apa"],
            ),
        ]
    )
    await answer_from(chat, "licence", "nib_number")
    text = await chat.say("1234567890123")
    for line in (
        "Nama pemilik: Siti Aminah",
        "Nomor HP: +62812****890",
        "NIK: -",
        "Mulai usaha: Januari 2015",
    ):
        assert line in text, line
    assert "Omzet per bulan: Rp9.000.000" in text
