"""Tests for core.parsing, core.dates and core.identity: every accepted chat form, every rejection and its message, and round trips."""

from __future__ import annotations

import contextlib
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

import core.dates
import core.identity
import core.parsing
from core.dates import parse_date
from core.formatting import long_date, rupiah
from core.identity import PROVINCES, Nik, parse_nik, parse_phone
from core.parsing import MAX_MONTHS, MAX_RUPIAH, ParseError, parse_months, parse_rupiah

TODAY = date(2026, 11, 21)
CATALOG = Path(core.parsing.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "parsing.po"

# Distinctive pieces of each Indonesian message, so each rejection is checked for the fitting one.
EMPTY = "masih kosong"
UNREADABLE = "belum bisa saya baca"
NEGATIVE = "tidak boleh minus"
ZERO = "lebih dari nol"
CENTS = "tanpa sen"
UNCLEAR = "kurang jelas. Tulis lengkap"
COMMA = "Untuk ribuan pakai titik"
TOO_BIG = "mungkin salah ketik. Periksa jumlah nolnya"
AT_LEAST_ONE = "minimal 1 bulan"
WHOLE_MONTHS = "bulan penuh"
TOO_LONG = "paling lama 360 bulan"
NO_SUCH_DATE = "tidak ada di kalender"
YEAR = "Periksa lagi tahunnya"
LANDLINE = "telepon rumah atau kantor"
FOREIGN = "hanya nomor Indonesia"
LENGTH = "kurang atau kelebihan"
NIK_LENGTH = "NIK harus 16 angka"
PROVINCE = "bukan kode provinsi"
REGENCY = "kode kabupaten/kota"
DISTRICT = "kode kecamatan"
SERIAL = "tidak boleh 0000"
BIRTH_DATE = "bukan tanggal lahir"
FUTURE_BIRTH = "setelah hari ini"


def rejection(parse, text: str, **kwargs) -> str:
    """Runs a parser that must refuse `text` and returns the message it gave."""
    with pytest.raises(ParseError) as caught:
        parse(text, **kwargs)
    return str(caught.value)


# --- amounts ---------------------------------------------------------------------------------------------

RUPIAH_ACCEPTED = [
    ("5000000", 5_000_000, "digits"),
    ("5.000.000", 5_000_000, "dot-thousands"),
    ("Rp 5.000.000,-", 5_000_000, "rp-space-comma-dash"),
    ("Rp5.000.000,00", 5_000_000, "puebi-form"),
    ("Rp. 5.000.000", 5_000_000, "rp-dot"),
    ("IDR 5.000.000", 5_000_000, "idr-prefix"),
    ("50K IDR", 50_000, "idr-suffix"),
    ("5 juta rupiah", 5_000_000, "rupiah-suffix"),
    ("Rp 5.000.-", 5_000, "dot-dash"),
    ("5jt", 5_000_000, "jt-joined"),
    ("5 jt", 5_000_000, "jt-spaced"),
    ("5 juta", 5_000_000, "juta"),
    ("5,5 juta", 5_500_000, "comma-decimal-juta"),
    ("5.5jt", 5_500_000, "dot-decimal-before-scale"),
    ("1,605 jt", 1_605_000, "three-decimals-before-scale"),
    ("500rb", 500_000, "rb"),
    ("500 ribu", 500_000, "ribu"),
    ("500 rebu", 500_000, "rebu"),
    ("500k", 500_000, "k"),
    ("1,5 M", 1_500_000_000, "capital-m-is-miliar"),
    ("1.5M", 1_500_000_000, "dot-m"),
    ("1,5 miliar", 1_500_000_000, "miliar"),
    ("1,5 milyar", 1_500_000_000, "milyar"),
    ("2B", 2_000_000_000, "b-is-miliar"),
    ("1 T", 1_000_000_000_000, "t"),
    ("1 triliun", 1_000_000_000_000, "triliun"),
    ("1.500", 1_500, "dot-is-thousands"),
    ("1.500 rb", 1_500_000, "dot-three-digits-before-scale-is-thousands"),
    ("5,000,000", 5_000_000, "english-thousands"),
    ("lima juta", 5_000_000, "word-lima-juta"),
    ("dua ratus lima puluh ribu", 250_000, "word-250-ribu"),
    ("satu setengah juta", 1_500_000, "word-satu-setengah"),
    ("setengah juta", 500_000, "word-setengah"),
    ("sejuta", 1_000_000, "word-sejuta"),
    ("se-juta", 1_000_000, "word-se-hyphen"),
    ("seratus ribu", 100_000, "word-seratus"),
    ("sepuluh ribu", 10_000, "word-sepuluh"),
    ("sebelas juta", 11_000_000, "word-sebelas"),
    ("lima belas ribu", 15_000, "word-belas"),
    ("semiliar", 1_000_000_000, "word-semiliar"),
    ("lima juta lima ratus ribu", 5_500_000, "word-compound"),
    ("seratus dua puluh lima juta", 125_000_000, "word-125-juta"),
    ("seribu lima ratus", 1_500, "word-seribu-lima-ratus"),
    ("sejuta setengah", 1_500_000, "word-sejuta-setengah"),
    ("dua juta setengah", 2_500_000, "word-dua-juta-setengah"),
    ("2 juta 500 ribu", 2_500_000, "mixed-digits-words"),
    ("2jt500rb", 2_500_000, "mixed-joined"),
    ("1,5 juta 200 ribu", 1_700_000, "decimal-then-lower-scale"),
    ("2 ratus ribu", 200_000, "digit-times-ratus"),
    ("2 ribu 500", 2_500, "ribu-then-hundreds"),
    ("  5 JT.  ", 5_000_000, "case-spaces-period"),
    ("Rp 1.000.000.000.000", MAX_RUPIAH, "maximum"),
    ("\uff15\uff4a\uff54", 5_000_000, "full-width"),
    ("1", 1, "one-rupiah"),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for t, e, i in RUPIAH_ACCEPTED])
def test_parse_rupiah_accepts(text: str, expected: int) -> None:
    assert parse_rupiah(text) == expected


RUPIAH_REJECTED = [
    ("", EMPTY, "empty"),
    ("   ", EMPTY, "blank"),
    ("-5000", NEGATIVE, "minus-sign"),
    ("Rp -5.000", NEGATIVE, "rp-minus"),
    ("minus 5 juta", NEGATIVE, "minus-word"),
    ("0", ZERO, "zero"),
    ("Rp 0", ZERO, "rp-zero"),
    ("0 juta", ZERO, "zero-juta"),
    ("abc", UNREADABLE, "letters"),
    ("5jt abc", UNREADABLE, "trailing-garbage"),
    ("5 juta juta", UNREADABLE, "scale-twice"),
    ("juta", UNREADABLE, "scale-alone"),
    ("500 ribu 2 juta", UNREADABLE, "scales-rising"),
    ("1 juta 1500 ribu", UNREADABLE, "lower-part-too-big"),
    ("5 5", UNREADABLE, "two-numbers"),
    ("dua ratus dua ratus", UNREADABLE, "ratus-twice"),
    ("dua puluh dua ratus", UNREADABLE, "places-rising"),
    ("dua ratus 500", UNREADABLE, "digits-after-ratus-too-big"),
    ("ratus ribu", UNREADABLE, "ratus-without-number"),
    ("5 😀", UNREADABLE, "emoji"),
    ("Rp", UNREADABLE, "currency-alone"),
    ("5.000.000.00", UNREADABLE, "dots-everywhere"),
    ("1,000.50", UNREADABLE, "english-decimal"),
    ("5x" * 150, UNREADABLE, "too-long"),
    ("1.000,50", CENTS, "cents"),
    ("0,5", CENTS, "half-rupiah"),
    ("5.50", CENTS, "dot-decimal-without-scale"),
    ("setengah", CENTS, "setengah-alone"),
    ("2 juta 500", UNCLEAR, "juta-then-bare-number"),
    ("1jt5", UNCLEAR, "slang-1jt5"),
    ("1rb5", UNCLEAR, "slang-1rb5"),
    ("seribu lima", UNCLEAR, "seribu-lima"),
    ("5,000", COMMA, "comma-thousands"),
    ("Rp 1.000.000.000.001", TOO_BIG, "above-maximum"),
    ("2 T", TOO_BIG, "two-triliun"),
    ("9" * 190, TOO_BIG, "many-digits"),
]


@pytest.mark.parametrize(("text", "message"), [pytest.param(t, m, id=i) for t, m, i in RUPIAH_REJECTED])
def test_parse_rupiah_rejects(text: str, message: str) -> None:
    assert message in rejection(parse_rupiah, text)


def test_too_big_message_shows_the_maximum_formatted() -> None:
    assert rupiah(MAX_RUPIAH) in rejection(parse_rupiah, "2 T")


def test_comma_message_quotes_what_was_typed() -> None:
    assert "5,000" in rejection(parse_rupiah, "5,000")


# --- months ----------------------------------------------------------------------------------------------

MONTHS_ACCEPTED = [
    ("12", 12, "digits"),
    ("12 bulan", 12, "bulan"),
    ("12 bln", 12, "bln"),
    ("1 tahun", 12, "tahun"),
    ("2 thn", 24, "thn"),
    ("1,5 tahun", 18, "comma-decimal-years"),
    ("1.5 tahun", 18, "dot-decimal-years"),
    ("setahun", 12, "setahun"),
    ("sebulan", 1, "sebulan"),
    ("dua tahun", 24, "word-years"),
    ("enam bulan", 6, "word-months"),
    ("dua belas bulan", 12, "word-belas"),
    ("setengah tahun", 6, "half-year"),
    ("satu setengah tahun", 18, "one-and-a-half-years"),
    ("18 bulan", 18, "eighteen"),
    ("2 tahun 6 bulan", 30, "years-and-months"),
    ("setahun setengah", 18, "setahun-setengah"),
    ("2 thn setengah", 30, "years-then-setengah"),
    ("30 tahun", MAX_MONTHS, "maximum"),
    (" 12 Bulan. ", 12, "case-spaces-period"),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for t, e, i in MONTHS_ACCEPTED])
def test_parse_months_accepts(text: str, expected: int) -> None:
    assert parse_months(text) == expected


MONTHS_REJECTED = [
    ("", UNREADABLE, "empty"),
    ("abc", UNREADABLE, "letters"),
    ("12 hari", UNREADABLE, "days"),
    ("1 tahun 6", UNREADABLE, "bare-number-after-years"),
    ("6 bulan 1 tahun", UNREADABLE, "units-rising"),
    ("0", AT_LEAST_ONE, "zero"),
    ("0 bulan", AT_LEAST_ONE, "zero-months"),
    ("-12", AT_LEAST_ONE, "minus-sign"),
    ("minus 1 tahun", AT_LEAST_ONE, "minus-word"),
    ("1,3 tahun", WHOLE_MONTHS, "fraction-of-a-month"),
    ("2,5", WHOLE_MONTHS, "half-month"),
    ("2 bulan setengah", WHOLE_MONTHS, "months-then-setengah"),
    ("1 tahun setengah 2", UNREADABLE, "number-after-setengah"),
    ("361", TOO_LONG, "361"),
    ("31 tahun", TOO_LONG, "31-years"),
]


@pytest.mark.parametrize(("text", "message"), [pytest.param(t, m, id=i) for t, m, i in MONTHS_REJECTED])
def test_parse_months_rejects(text: str, message: str) -> None:
    assert message in rejection(parse_months, text)


# --- dates -----------------------------------------------------------------------------------------------

DATES_ACCEPTED = [
    ("25/12/2026", date(2026, 12, 25), "slashes"),
    ("25-12-2026", date(2026, 12, 25), "dashes"),
    ("25.12.2026", date(2026, 12, 25), "dots"),
    ("25/12/26", date(2026, 12, 25), "two-digit-year"),
    ("5/1/2027", date(2027, 1, 5), "single-digits"),
    ("25/12/85", date(1985, 12, 25), "two-digit-year-past-century"),
    ("25 Des 2026", date(2026, 12, 25), "des"),
    ("25 Desember 2026", date(2026, 12, 25), "desember"),
    ("25-Des-2026", date(2026, 12, 25), "dashed-month-name"),
    ("25 Agt 2026", date(2026, 8, 25), "agt"),
    ("25 Agu 2026", date(2026, 8, 25), "agu"),
    ("25 Ags 2026", date(2026, 8, 25), "ags"),
    ("25 Agustus 2026", date(2026, 8, 25), "agustus"),
    ("1 Nopember 2026", date(2026, 11, 1), "nopember"),
    ("1 Pebruari 2026", date(2026, 2, 1), "pebruari"),
    ("1 Peb 2026", date(2026, 2, 1), "peb"),
    ("1 Okt 2026", date(2026, 10, 1), "okt"),
    ("1 Mei 2026", date(2026, 5, 1), "mei"),
    ("1 Sept. 2026", date(2026, 9, 1), "sept-with-dot"),
    ("25 Des 26", date(2026, 12, 25), "name-two-digit-year"),
    ("25 Des", date(2026, 12, 25), "no-year-later-this-year"),
    ("21 Nov", TODAY, "no-year-today"),
    ("20 Nov", date(2027, 11, 20), "no-year-passed-goes-to-next-year"),
    ("29 Feb", date(2028, 2, 29), "no-year-leap-day"),
    ("25/12", date(2026, 12, 25), "numeric-no-year"),
    ("tgl 25 Des 2026", date(2026, 12, 25), "tgl-prefix"),
    ("tanggal 25/12/2026", date(2026, 12, 25), "tanggal-prefix"),
    ("besok", date(2026, 11, 22), "besok"),
    ("lusa", date(2026, 11, 23), "lusa"),
    ("hari ini", TODAY, "hari-ini"),
    (" Hari  Ini ", TODAY, "hari-ini-spacing"),
    ("kemarin", date(2026, 11, 20), "kemarin"),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for t, e, i in DATES_ACCEPTED])
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


DATES_REJECTED = [
    ("", UNREADABLE, "empty"),
    ("abc", UNREADABLE, "letters"),
    ("25 Foo 2026", UNREADABLE, "unknown-month"),
    ("25/12-2026", UNREADABLE, "mixed-separators"),
    ("2026-12-25", UNREADABLE, "year-first"),
    ("25/12/202", UNREADABLE, "three-digit-year"),
    ("31/02/2026", NO_SUCH_DATE, "31-february"),
    ("29/02/2027", NO_SUCH_DATE, "29-february-common-year"),
    ("25/13/2026", NO_SUCH_DATE, "month-13"),
    ("0/12/2026", NO_SUCH_DATE, "day-0"),
    ("31 Apr", NO_SUCH_DATE, "no-year-impossible"),
    ("25/12/1800", YEAR, "year-too-early"),
    ("25/12/2200", YEAR, "year-too-late"),
]


@pytest.mark.parametrize(("text", "message"), [pytest.param(t, m, id=i) for t, m, i in DATES_REJECTED])
def test_parse_date_rejects(text: str, message: str) -> None:
    assert message in rejection(parse_date, text, today=TODAY)


# --- phone numbers ---------------------------------------------------------------------------------------

PHONES_ACCEPTED = [
    ("0812-3456-7890", "dashes"),
    ("0812 3456 7890", "spaces"),
    ("(0812) 3456-7890", "parentheses"),
    ("+62 812 3456 7890", "plus-62"),
    ("62 812-3456-7890", "62-without-plus"),
    ("6281234567890", "whatsapp-form"),
    ("+62-812.3456.7890", "dots"),
    ("+62 (0)812 3456 7890", "plus-62-bracket-zero"),
    ("0062 812 3456 7890", "00-international-prefix"),
    ("812 3456 7890", "without-leading-zero"),
]


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for t, i in PHONES_ACCEPTED])
def test_parse_phone_accepts(text: str) -> None:
    assert parse_phone(text) == "+6281234567890"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("0812-345-678", "+62812345678", id="shortest-9-digits"),
        pytest.param("0812-3456-78901", "+62812345678901", id="longest-12-digits"),
    ],
)
def test_parse_phone_length_limits(text: str, expected: str) -> None:
    assert parse_phone(text) == expected


PHONES_REJECTED = [
    ("", UNREADABLE, "empty"),
    ("0812-3456-78a0", UNREADABLE, "letter"),
    ("nomor saya 0812", UNREADABLE, "words"),
    ("1234567", UNREADABLE, "no-prefix"),
    ("021-1234567", LANDLINE, "jakarta-landline"),
    ("+62 21 1234567", LANDLINE, "landline-international"),
    ("+1 555 123 4567", FOREIGN, "us-number"),
    ("+44 7700 900123", FOREIGN, "uk-number"),
    ("0044 7700 900123", FOREIGN, "uk-number-00"),
    ("0812-345-67", LENGTH, "too-short"),
    ("0812-3456-7890123", LENGTH, "too-long"),
]


@pytest.mark.parametrize(("text", "message"), [pytest.param(t, m, id=i) for t, m, i in PHONES_REJECTED])
def test_parse_phone_rejects(text: str, message: str) -> None:
    assert message in rejection(parse_phone, text)


# --- NIK -------------------------------------------------------------------------------------------------

NIKS_ACCEPTED = [
    ("1603014101900001", Nik("1603014101900001", "16", "1603", "160301", date(1990, 1, 1), "P"), "woman"),
    ("3171011708450003", Nik("3171011708450003", "31", "3171", "317101", date(1945, 8, 17), "L"), "man"),
    ("1603 0141 0190 0001", Nik("1603014101900001", "16", "1603", "160301", date(1990, 1, 1), "P"), "spaces"),
    ("16.03.01.410190.0001", Nik("1603014101900001", "16", "1603", "160301", date(1990, 1, 1), "P"), "dots"),
    ("1603-01-410190-0001", Nik("1603014101900001", "16", "1603", "160301", date(1990, 1, 1), "P"), "dashes"),
    (
        "9601017112250001",
        Nik("9601017112250001", "96", "9601", "960101", date(2025, 12, 31), "P"),
        "papua-bd",
    ),
    (
        "1603010111260001",
        Nik("1603010111260001", "16", "1603", "160301", date(2026, 11, 1), "L"),
        "this-year",
    ),
    (
        "1603012902000001",
        Nik("1603012902000001", "16", "1603", "160301", date(2000, 2, 29), "L"),
        "leap-2000",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for t, e, i in NIKS_ACCEPTED])
def test_parse_nik_accepts(text: str, expected: Nik) -> None:
    assert parse_nik(text, today=TODAY) == expected


NIKS_REJECTED = [
    ("", NIK_LENGTH, "empty"),
    ("160301410190000", NIK_LENGTH, "15-digits"),
    ("16030141019000011", NIK_LENGTH, "17-digits"),
    ("16030141019O0001", NIK_LENGTH, "letter-o"),
    ("9903014101900001", PROVINCE, "province-99"),
    ("2003014101900001", PROVINCE, "province-20"),
    ("9703014101900001", PROVINCE, "province-97"),
    ("1600014101900001", REGENCY, "regency-00"),
    ("1603004101900001", DISTRICT, "district-00"),
    ("1603014101900000", SERIAL, "serial-0000"),
    ("1603010001900001", BIRTH_DATE, "day-00"),
    ("1603013201900001", BIRTH_DATE, "day-32"),
    ("1603014001900001", BIRTH_DATE, "day-40"),
    ("1603017201900001", BIRTH_DATE, "day-72"),
    ("1603010113900001", BIRTH_DATE, "month-13"),
    ("1603010100900001", BIRTH_DATE, "month-00"),
    ("1603013102900001", BIRTH_DATE, "31-february"),
    ("1603012902010001", BIRTH_DATE, "29-february-2001"),
    ("1603010112260001", FUTURE_BIRTH, "born-next-month"),
]


@pytest.mark.parametrize(("text", "message"), [pytest.param(t, m, id=i) for t, m, i in NIKS_REJECTED])
def test_parse_nik_rejects(text: str, message: str) -> None:
    assert message in rejection(parse_nik, text, today=TODAY)


def test_province_message_quotes_the_code() -> None:
    assert "(99)" in rejection(parse_nik, "9903014101900001", today=TODAY)


@pytest.mark.parametrize(
    ("text", "born"),
    [
        pytest.param("1603010101300001", date(2030, 1, 1), id="yy-30-is-2030"),
        pytest.param("1603010101310001", date(1931, 1, 1), id="yy-31-is-1931"),
        pytest.param("1603010112260001", date(2026, 12, 1), id="no-future-check"),
    ],
)
def test_parse_nik_without_today_uses_pivot(text: str, born: date) -> None:
    assert parse_nik(text).birth_date == born


@pytest.mark.parametrize(
    ("today", "born"),
    [
        pytest.param(date(2026, 1, 1), date(1990, 1, 1), id="1990"),
        pytest.param(date(2089, 12, 31), date(1990, 1, 1), id="still-1990-in-2089"),
        pytest.param(date(2090, 1, 1), date(2090, 1, 1), id="2090-once-reached"),
    ],
)
def test_parse_nik_century_is_latest_year_not_after_today(today: date, born: date) -> None:
    assert parse_nik("1603014101900001", today=today).birth_date == born


def test_nik_masked_shows_first_four_and_last_two() -> None:
    assert parse_nik("1603014101900001", today=TODAY).masked() == "1603**********01"


def test_nik_repr_leaves_the_number_out() -> None:
    assert "1603014101900001" not in repr(parse_nik("1603014101900001", today=TODAY))


@pytest.mark.parametrize(
    ("day", "age"),
    [
        pytest.param(date(2026, 8, 16), 80, id="day-before-birthday"),
        pytest.param(date(2026, 8, 17), 81, id="on-birthday"),
        pytest.param(date(1945, 8, 17), 0, id="day-of-birth"),
    ],
)
def test_nik_age_on(day: date, age: int) -> None:
    assert parse_nik("3171011708450003", today=TODAY).age_on(day) == age


def test_provinces_table() -> None:
    assert len(PROVINCES) == 38
    assert PROVINCES["16"] == "Sumatera Selatan"
    assert {"93", "94", "95", "96"} <= PROVINCES.keys()
    assert all(re.fullmatch(r"[1-9][1-9]", code) for code in PROVINCES)


# --- messages and catalog --------------------------------------------------------------------------------

ALL_REJECTIONS = (
    [(parse_rupiah, t, {}) for t, _m, _i in RUPIAH_REJECTED]
    + [(parse_months, t, {}) for t, _m, _i in MONTHS_REJECTED]
    + [(parse_date, t, {"today": TODAY}) for t, _m, _i in DATES_REJECTED]
    + [(parse_phone, t, {}) for t, _m, _i in PHONES_REJECTED]
    + [(parse_nik, t, {"today": TODAY}) for t, _m, _i in NIKS_REJECTED]
)


@pytest.mark.parametrize(
    ("parse", "text", "kwargs"),
    [pytest.param(p, t, k, id=f"{p.__name__}-{t[:20]!r}") for p, t, k in ALL_REJECTIONS],
)
def test_every_message_is_indonesian(parse, text: str, kwargs: dict) -> None:
    message = rejection(parse, text, **kwargs)
    for english in ("Send", "Type", "Sorry", "Check", "for example", "can't", "Please", "{", "}"):
        assert english not in message
    if parse is not parse_nik:
        assert "misalnya" in message


def catalog_entries() -> dict[str, object]:
    """Reads parsing.po into msgid -> babel Message."""
    with CATALOG.open("rb") as handle:
        return {message.id: message for message in read_po(handle, locale="id") if message.id}


def source_msgids() -> set[str]:
    """Extracts every `_("...")` message id from the readers (parsing.po covers core/parsing, dates and identity)."""
    found: set[str] = set()
    for module in (core.parsing, core.dates, core.identity):
        with open(module.__file__, "rb") as handle:
            found |= {message for _line, message, _comments, _context in extract("python", handle)}
    return found


def test_catalog_translates_every_message_with_the_same_fields() -> None:
    entries = catalog_entries()
    assert source_msgids() == set(entries)
    fields = re.compile(r"\{(\w*)\}")
    for msgid, entry in entries.items():
        assert entry.string and entry.string != msgid
        assert sorted(fields.findall(entry.string)) == sorted(fields.findall(msgid))
        assert ("python-brace-format" in entry.flags) == bool(fields.search(msgid))


# --- properties ------------------------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=MAX_RUPIAH))
def test_rupiah_round_trips_through_formatting(amount: int) -> None:
    assert parse_rupiah(rupiah(amount)) == amount
    assert parse_rupiah(str(amount)) == amount
    assert parse_rupiah(f"Rp {amount:,}".replace(",", ".") + ",-") == amount


CHAT_PIECES = st.sampled_from(
    [
        *"0123456789",
        "12",
        "500",
        "1.000",
        ".",
        ",",
        ",-",
        " ",
        "-",
        "+",
        "/",
        "(",
        "rp",
        "Rp. ",
        "IDR",
        "jt",
        "juta",
        "ribu",
        "rb",
        "k",
        "M",
        "miliar",
        "T",
        "se",
        "setengah",
        "satu",
        "lima",
        "belas",
        "puluh",
        "ratus",
        "minus",
        "tahun",
        "bln",
        "Des",
        "Agt",
        "besok",
        "hari ini",
        "62",
        "08",
        "+62",
        "😀",
        "İ",
        "\u0663",
        "²",
        "\u00a0",
        "\uff15",
    ]
)
CHAT_TEXT = st.one_of(
    st.text(),
    st.lists(CHAT_PIECES, max_size=12).map("".join),
    st.from_regex(r"[0-9]{16}", fullmatch=True),
    st.from_regex(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{1,4}", fullmatch=True),
)
PARSERS = [
    parse_rupiah,
    parse_months,
    parse_phone,
    lambda text: parse_date(text, today=TODAY),
    lambda text: parse_nik(text, today=TODAY),
    parse_nik,
]


@given(CHAT_TEXT)
def test_parsers_raise_only_parse_error(text: str) -> None:
    for parse in PARSERS:
        with contextlib.suppress(ParseError):
            parse(text)


@given(
    province=st.sampled_from(sorted(PROVINCES)),
    regency=st.integers(min_value=1, max_value=99),
    district=st.integers(min_value=1, max_value=99),
    born=st.dates(min_value=date(TODAY.year - 99, 1, 1), max_value=TODAY),
    sex=st.sampled_from("LP"),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_nik_round_trip(
    province: str, regency: int, district: int, born: date, sex: str, serial: int
) -> None:
    day = born.day + (40 if sex == "P" else 0)
    number = f"{province}{regency:02}{district:02}{day:02}{born.month:02}{born.year % 100:02}{serial:04}"
    nik = parse_nik(number, today=TODAY)
    assert nik == Nik(number, province, number[:4], number[:6], born, sex)
    assert nik.masked() == f"{number[:4]}**********{number[-2:]}"


@given(st.dates(min_value=date(core.dates.FIRST_YEAR, 1, 1), max_value=date(core.dates.LAST_YEAR, 12, 31)))
def test_date_round_trip(day: date) -> None:
    assert parse_date(f"{day.day}/{day.month}/{day.year}", today=TODAY) == day
    assert parse_date(long_date(day), today=TODAY) == day
