"""Tests for the eligibility engine: reason codes under both KUR rule sets, ordering, checklists, messages."""

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from gettext import NullTranslations
from importlib import resources
from unittest.mock import patch

import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from core import i18n
from core.eligibility import (
    DOCUMENT_CODES,
    SECTORS,
    Applicant,
    CreditRequest,
    ReasonCode,
    Status,
    evaluate,
)
from core.programmes import regional_programme

JUTA = 1_000_000
DAY_2023 = date(2025, 6, 1)
DAY_2026 = date(2026, 2, 1)
BOTH = [pytest.param(DAY_2023, id="2023"), pytest.param(DAY_2026, id="2026")]
GS = regional_programme("gerbang_serasan")
C = ReasonCode

IDEAL = Applicant(
    age=35,
    married=True,
    months_in_business=24,
    annual_turnover=300 * JUTA,
    has_business_licence=True,
    has_npwp=True,
    is_civil_servant=False,
    other_productive_credit=False,
    credit_history_ok=True,
    previous_kur_count=0,
    sector="perdagangan",
    regency_code="1603",
    in_mentoring_programme=True,
)


def option(applicant, request, day, scheme_id, regional=None):
    """Evaluates and returns the option of one scheme."""
    assessment = evaluate(applicant, request, on=day, regional=regional)
    return next(o for o in assessment.options if o.scheme == scheme_id)


def request(amount_juta, months=24, purpose="modal_kerja"):
    """Builds a credit request from an amount in juta."""
    return CreditRequest(amount=int(amount_juta * JUTA), months=months, purpose=purpose)


@pytest.mark.parametrize("day", BOTH)
def test_ideal_applicant_gets_kur_mikro_at_6_percent(day):
    assessment = evaluate(IDEAL, request(50), on=day)
    best = assessment.best
    assert assessment.rule_set_id == ("kur_2023" if day == DAY_2023 else "kur_2026")
    assert (best.scheme, best.status, best.reasons) == ("kur_mikro", Status.ELIGIBLE, ())
    assert (best.borrower_rate, best.subsidy_rate) == (Decimal("0.06"), Decimal("0.10"))
    assert (best.access_number, best.max_amount, best.max_months) == (1, 100 * JUTA, 36)
    assert [o.scheme for o in assessment.options] == ["kur_mikro", "kur_super_mikro", "kur_kecil"]


SM, M, K, RG = "kur_super_mikro", "kur_mikro", "kur_kecil", "gerbang_serasan"
OK, DOCS, NO = "eligible", "needs_documents", "not_eligible"


def case(label, day, changes, req, scheme, status, *codes):
    """One row: the day, changes to IDEAL, the request, the scheme, its expected status and reason codes."""
    return pytest.param(day, changes, req, scheme, status, set(codes), id=label)


# Rows that hold under both rule sets.
BOTH_YEARS = [
    ("young", {"months_in_business": 3}, request(50), M, NO, C.BUSINESS_TOO_YOUNG),
    ("6-months", {"months_in_business": 6}, request(50), M, OK),
    (
        "sm-young",
        {"months_in_business": 2, "in_mentoring_programme": False},
        request(5),
        SM,
        NO,
        C.BUSINESS_TOO_YOUNG,
    ),
    ("sm-new-mentored", {"months_in_business": 0}, request(5), SM, OK),
    ("mikro-no-mentoring-waiver", {"months_in_business": 0}, request(50), M, NO, C.BUSINESS_TOO_YOUNG),
    ("above-max", {}, request(50), SM, NO, C.AMOUNT_ABOVE_MAX),
    ("above-500jt", {}, request(600), K, NO, C.AMOUNT_ABOVE_MAX),
    ("below-min", {}, request(50), K, NO, C.AMOUNT_BELOW_MIN),
    ("tenor-mk-48", {}, request(50, 48), M, NO, C.TENOR_TOO_LONG),
    ("tenor-kecil-mk-48", {}, request(150, 48), K, OK),
    ("tenor-ki-60", {}, request(50, 60, "investasi"), M, OK),
    ("tenor-ki-61", {}, request(50, 61, "investasi"), M, NO, C.TENOR_TOO_LONG),
    ("asn", {"is_civil_servant": True}, request(50), M, NO, C.ACTIVE_CIVIL_SERVANT),
    ("age-19", {"age": 19, "married": False}, request(50), M, NO, C.AGE_BELOW_MIN),
    ("age-19-married", {"age": 19}, request(50), M, OK),
    ("age-unknown", {"age": None, "married": False}, request(50), M, OK),
    ("other-credit", {"other_productive_credit": True}, request(50), M, NO, C.OTHER_PRODUCTIVE_CREDIT),
    ("slik", {"credit_history_ok": False}, request(50), M, NO, C.BAD_CREDIT_HISTORY),
    ("npwp-60jt", {"has_npwp": False}, request(60), M, DOCS, C.NPWP_REQUIRED),
    ("npwp-50jt", {"has_npwp": False}, request(50), M, OK),
    ("npwp-kecil-150jt", {"has_npwp": False}, request(150), K, DOCS, C.NPWP_REQUIRED),
    ("npwp-kecil-off-band", {"has_npwp": False}, request(60), K, NO, C.AMOUNT_BELOW_MIN, C.NPWP_REQUIRED),
    ("licence", {"has_business_licence": False}, request(50), M, DOCS, C.LICENCE_REQUIRED),
    (
        "papers",
        {"has_business_licence": False, "has_npwp": False},
        request(60),
        M,
        DOCS,
        C.LICENCE_REQUIRED,
        C.NPWP_REQUIRED,
    ),
    (
        "blocked-and-papers",
        {"has_npwp": False, "credit_history_ok": False},
        request(60),
        M,
        NO,
        C.NPWP_REQUIRED,
        C.BAD_CREDIT_HISTORY,
    ),
    ("gs-outside-region", {"regency_code": "3201"}, request(30), RG, NO, C.OUTSIDE_REGION),
    ("gs-unknown-region", {"regency_code": None}, request(30), RG, OK),
    ("gs-licence", {"has_business_licence": False}, request(30), RG, DOCS, C.LICENCE_REQUIRED),
    ("gs-mentoring", {"in_mentoring_programme": False}, request(30), RG, DOCS, C.MENTORING_REQUIRED),
    ("gs-other-credit-allowed", {"other_productive_credit": True}, request(30), RG, OK),
    ("gs-below-min", {}, request(0.5), RG, NO, C.AMOUNT_BELOW_MIN),
    ("gs-tenor", {}, request(30, 48, "investasi"), RG, NO, C.TENOR_TOO_LONG),
    ("gs-no-access-limit", {"previous_kur_count": 3}, request(30), RG, OK),
]
FIVE_M, CAP = 5_000 * JUTA, 4_800 * JUTA
CASES = [
    *[
        case(f"{row[0]}-{year}", day, *row[1:])
        for year, day in (("2023", DAY_2023), ("2026", DAY_2026))
        for row in BOTH_YEARS
    ],
    case("turnover-5M-2023-no-cap", DAY_2023, {"annual_turnover": FIVE_M}, request(50), M, OK),
    case("turnover-5M-2026", DAY_2026, {"annual_turnover": FIVE_M}, request(50), M, NO, C.TURNOVER_TOO_HIGH),
    case("turnover-4.8M-2026", DAY_2026, {"annual_turnover": CAP}, request(50), M, OK),
    case(
        "turnover-5M-2026-sm", DAY_2026, {"annual_turnover": FIVE_M}, request(5), SM, NO, C.TURNOVER_TOO_HIGH
    ),
    case("turnover-5M-2026-gs-no-cap", DAY_2026, {"annual_turnover": FIVE_M}, request(30), RG, OK),
    case(
        "3rd-access-trade-2023",
        DAY_2023,
        {"previous_kur_count": 2},
        request(50),
        M,
        NO,
        C.ACCESS_LIMIT_REACHED,
    ),
    case(
        "3rd-access-trade-sm-2023",
        DAY_2023,
        {"previous_kur_count": 2},
        request(5),
        SM,
        NO,
        C.ACCESS_LIMIT_REACHED,
    ),
    case("3rd-access-trade-kecil-2023", DAY_2023, {"previous_kur_count": 2}, request(150), K, OK),
    case(
        "3rd-access-pertanian-2023",
        DAY_2023,
        {"previous_kur_count": 2, "sector": "pertanian"},
        request(50),
        M,
        OK,
    ),
    case(
        "5th-access-peternakan-2023",
        DAY_2023,
        {"previous_kur_count": 4, "sector": "peternakan"},
        request(50),
        M,
        NO,
        C.ACCESS_LIMIT_REACHED,
    ),
    case("5th-access-trade-2026", DAY_2026, {"previous_kur_count": 4}, request(50), M, OK),
]


@pytest.mark.parametrize(("day", "changes", "req", "scheme", "status", "codes"), CASES)
def test_reason_codes(day, changes, req, scheme, status, codes):
    result = option(replace(IDEAL, **changes), req, day, scheme, regional=GS)
    assert result.status == status
    assert {r.code for r in result.reasons} == codes
    assert all(r.message for r in result.reasons)


@pytest.mark.parametrize(
    ("day", "count", "sector", "rate", "subsidy"),
    [
        pytest.param(DAY_2023, 1, "perdagangan", "0.07", "0.09", id="2nd-access-2023"),
        pytest.param(DAY_2023, 2, "pertanian", "0.08", "0.08", id="3rd-access-pertanian-2023"),
        pytest.param(DAY_2023, 3, "perikanan", "0.09", "0.07", id="4th-access-perikanan-2023"),
        pytest.param(DAY_2026, 4, "perdagangan", "0.06", "0.10", id="5th-access-2026"),
    ],
)
def test_rate_follows_access_number(day, count, sector, rate, subsidy):
    result = option(replace(IDEAL, previous_kur_count=count, sector=sector), request(50), day, "kur_mikro")
    assert (result.borrower_rate, result.subsidy_rate) == (Decimal(rate), Decimal(subsidy))
    assert result.access_number == count + 1


@pytest.mark.parametrize(
    ("day", "changes", "req", "code", "message"),
    [
        pytest.param(
            DAY_2023,
            {"months_in_business": 3},
            request(50),
            C.BUSINESS_TOO_YOUNG,
            "Usaha perlu berjalan minimal 6 bulan; usaha Anda baru 3 bulan.",
            id="young",
        ),
        pytest.param(
            DAY_2026,
            {},
            request(150),
            C.AMOUNT_ABOVE_MAX,
            "Plafon KUR Mikro paling besar Rp100.000.000; Anda minta Rp150.000.000.",
            id="above-max",
        ),
        pytest.param(
            DAY_2026,
            {"annual_turnover": 5_000 * JUTA},
            request(50),
            C.TURNOVER_TOO_HIGH,
            "Omzet setahun paling besar Rp4.800.000.000; omzet Anda Rp5.000.000.000.",
            id="turnover",
        ),
        pytest.param(
            DAY_2023,
            {},
            request(50, 48),
            C.TENOR_TOO_LONG,
            "KUR Mikro untuk modal kerja paling lama 36 bulan; Anda minta 48 bulan.",
            id="tenor",
        ),
        pytest.param(
            DAY_2023,
            {"has_npwp": False},
            request(60),
            C.NPWP_REQUIRED,
            "Pinjaman di atas Rp50.000.000 perlu NPWP. Daftar NPWP gratis di kantor pajak atau secara "
            "online.",
            id="npwp",
        ),
        pytest.param(
            DAY_2023,
            {"previous_kur_count": 2},
            request(50),
            C.ACCESS_LIMIT_REACHED,
            "KUR untuk jenis usaha Anda paling banyak 2 kali; Anda sudah 2 kali.",
            id="access",
        ),
    ],
)
def test_messages_are_plain_indonesian_with_figures(day, changes, req, code, message):
    result = option(replace(IDEAL, **changes), req, day, "kur_mikro")
    assert [r.message for r in result.reasons if r.code == code] == [message]


def test_outside_region_message_names_the_region():
    result = option(
        replace(IDEAL, regency_code="3201"), request(30), DAY_2026, "gerbang_serasan", regional=GS
    )
    assert result.reasons[0].message == "Kredit Gerbang Serasan hanya untuk warga Kabupaten Muara Enim."


@pytest.mark.parametrize(
    ("changes", "req", "order"),
    [
        pytest.param(
            {}, request(30), "gerbang_serasan kur_mikro kur_super_mikro kur_kecil", id="cheapest-first"
        ),
        pytest.param(
            {"in_mentoring_programme": False},
            request(30),
            "kur_mikro gerbang_serasan kur_super_mikro kur_kecil",
            id="eligible-before-needs-documents",
        ),
        pytest.param(
            {"has_npwp": False},
            request(60),
            "kur_mikro kur_super_mikro gerbang_serasan kur_kecil",
            id="needs-documents-before-not-eligible",
        ),
        pytest.param(
            {"is_civil_servant": True},
            request(150),
            "kur_kecil kur_super_mikro gerbang_serasan kur_mikro",
            id="matching-band-first-when-none-open",
        ),
    ],
)
def test_option_ordering(changes, req, order):
    assessment = evaluate(replace(IDEAL, **changes), req, on=DAY_2026, regional=GS)
    assert " ".join(o.scheme for o in assessment.options) == order


def test_best_is_none_when_nothing_is_open():
    assessment = evaluate(replace(IDEAL, is_civil_servant=True), request(50), on=DAY_2026, regional=GS)
    assert assessment.best is None and len(assessment.options) == 4


def test_best_may_need_documents():
    assessment = evaluate(replace(IDEAL, has_npwp=False), request(60), on=DAY_2026)
    assert (assessment.best.scheme, assessment.best.status) == ("kur_mikro", "needs_documents")


KTP, KK, NIB, NIKAH = "e-KTP", "Kartu Keluarga (KK)", "NIB atau Surat Keterangan Usaha (SKU)", "Surat nikah"
NPWP, BPJS, KKMB = "NPWP", "Kartu BPJS Ketenagakerjaan", "Surat keterangan pendampingan KKMB dari Rumah UMKM"


@pytest.mark.parametrize(
    ("day", "married", "req", "scheme", "documents"),
    [
        pytest.param(DAY_2023, False, request(50), "kur_mikro", [KTP, KK, NIB], id="mikro-50jt-single"),
        pytest.param(
            DAY_2023, True, request(60), "kur_mikro", [KTP, KK, NIB, NIKAH, NPWP], id="mikro-60jt-married"
        ),
        pytest.param(DAY_2026, True, request(5), "kur_super_mikro", [KTP, KK, NIB, NIKAH], id="super-mikro"),
        pytest.param(DAY_2026, False, request(150), "kur_kecil", [KTP, KK, NIB, NPWP, BPJS], id="kecil"),
        pytest.param(
            DAY_2026, True, request(30), "gerbang_serasan", [KTP, KK, NIB, NIKAH, KKMB], id="regional"
        ),
    ],
)
def test_documents_checklist(day, married, req, scheme, documents):
    result = option(replace(IDEAL, married=married), req, day, scheme, regional=GS)
    assert [d.split(" (jika")[0] for d in result.documents] == documents


def test_regional_programme_not_yet_in_force_raises():
    with pytest.raises(LookupError, match="gerbang_serasan"):
        evaluate(IDEAL, request(30), on=DAY_2026, regional=replace(GS, effective_from=date(2027, 1, 1)))


@pytest.mark.parametrize(
    "changes",
    [{"sector": "tambang"}, {"months_in_business": -1}, {"age": -1}, {"regency_code": "16O3"}],
    ids=["sector", "months", "age", "regency"],
)
def test_applicant_rejects_impossible_values(changes):
    with pytest.raises(ValueError):
        replace(IDEAL, **changes)


@pytest.mark.parametrize(
    ("amount", "months", "purpose"),
    [(0, 12, "modal_kerja"), (JUTA, 0, "modal_kerja"), (JUTA, 12, "konsumsi")],
    ids=["amount", "months", "purpose"],
)
def test_credit_request_rejects_impossible_values(amount, months, purpose):
    with pytest.raises(ValueError):
        CreditRequest(amount=amount, months=months, purpose=purpose)


def test_catalog_entries_are_translated_with_matching_placeholders():
    path = resources.files("core").joinpath("locale/id/LC_MESSAGES/eligibility.po")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    messages = [m for m in catalog if m.id]
    assert messages
    for message in messages:
        fields = set(re.findall(r"\{(\w+)\}", message.id))
        assert message.string and message.string != message.id
        assert set(re.findall(r"\{(\w+)\}", message.string)) == fields
        assert ("python-brace-format" in message.flags) == bool(fields)


applicants = st.builds(
    Applicant,
    age=st.none() | st.integers(0, 90),
    married=st.booleans(),
    months_in_business=st.integers(0, 600),
    annual_turnover=st.integers(0, 10_000 * JUTA),
    has_business_licence=st.booleans(),
    has_npwp=st.booleans(),
    is_civil_servant=st.booleans(),
    other_productive_credit=st.booleans(),
    credit_history_ok=st.booleans(),
    previous_kur_count=st.integers(0, 12),
    sector=st.sampled_from(SECTORS),
    regency_code=st.none() | st.sampled_from(["1603", "3201", "1671"]),
    in_mentoring_programme=st.booleans(),
)
requests = st.builds(
    CreditRequest,
    amount=st.integers(1, 700 * JUTA),
    months=st.integers(1, 120),
    purpose=st.sampled_from(["modal_kerja", "investasi"]),
)
days = st.dates(min_value=date(2023, 2, 1), max_value=date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(applicant=applicants, req=requests, day=days, regional=st.none() | st.just(GS))
def test_evaluate_properties(applicant, req, day, regional):
    assessment = evaluate(applicant, req, on=day, regional=regional)
    expected = {"kur_super_mikro", "kur_mikro", "kur_kecil"} | ({"gerbang_serasan"} if regional else set())
    assert [o.scheme for o in assessment.options].count("kur_mikro") == 1
    assert {o.scheme for o in assessment.options} == expected
    order = {"eligible": 0, "needs_documents": 1, "not_eligible": 2}
    ranks = [order[o.status] for o in assessment.options]
    assert ranks == sorted(ranks)
    for o in assessment.options:
        codes = {r.code for r in o.reasons}
        if o.status == Status.ELIGIBLE:
            assert not codes
        elif o.status == Status.NEEDS_DOCUMENTS:
            assert codes and codes <= DOCUMENT_CODES
        else:
            assert codes - DOCUMENT_CODES
        assert o.access_number == applicant.previous_kur_count + 1 and o.documents
    assert assessment.best is (assessment.options[0] if ranks[0] < 2 else None)
    with patch.object(i18n, "translations", lambda locale="id": NullTranslations()):
        english = evaluate(applicant, req, on=day, regional=regional)
    for o, en in zip(assessment.options, english.options, strict=True):
        for reason, en_reason in zip(o.reasons, en.reasons, strict=True):
            assert reason.message.strip() and reason.message != en_reason.message
