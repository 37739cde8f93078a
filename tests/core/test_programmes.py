"""Tests for the programme rule files and their loader."""

from datetime import date, time
from decimal import Decimal
from importlib import resources
from types import SimpleNamespace

import pytest

from core import programmes, rule_table
from core.kabupaten import load_profile
from core.programmes import regional_programme, rule_set_on, rule_sets, scheme_for_amount
from core.rule_table import RuleFileError

JUTA = 1_000_000
KUR_IDS = ("kur_super_mikro", "kur_mikro", "kur_kecil")


def rule_set(rule_set_id: str) -> programmes.RuleSet:
    """Finds a loaded KUR rule set by id."""
    return next(r for r in rule_sets() if r.id == rule_set_id)


def test_both_kur_rule_sets_load_oldest_first():
    assert [(r.id, r.effective_from) for r in rule_sets()] == [
        ("kur_2023", date(2023, 2, 1)),
        ("kur_2026", date(2026, 1, 5)),
    ]
    for r in rule_sets():
        assert tuple(s.id for s in r.schemes) == KUR_IDS
        assert "Khusus" in r.source and "PMI" in r.source


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2023, 2, 1), "kur_2023", id="first-day-2023"),
        pytest.param(date(2025, 12, 31), "kur_2023", id="end-2025"),
        pytest.param(date(2026, 1, 4), "kur_2023", id="4-jan-2026"),
        pytest.param(date(2026, 1, 5), "kur_2026", id="5-jan-2026"),
        pytest.param(date(2031, 7, 1), "kur_2026", id="later"),
    ],
)
def test_rule_set_on_picks_the_latest_in_force(day, expected):
    assert rule_set_on(day).id == expected


def test_rule_set_on_before_the_first_raises():
    with pytest.raises(LookupError, match="2023-01-31"):
        rule_set_on(date(2023, 1, 31))


@pytest.mark.parametrize("rule_set_id", ["kur_2023", "kur_2026"])
def test_bands_do_not_overlap_and_cover_1_to_500_juta(rule_set_id):
    schemes = rule_set(rule_set_id).schemes
    for amount in (1, 10 * JUTA, 10 * JUTA + 1, 55 * JUTA, 100 * JUTA, 100 * JUTA + 1, 500 * JUTA):
        assert sum(s.accepts(amount) for s in schemes) == 1, amount
    assert schemes[0].accepts(1) and schemes[-1].max_amount == 500 * JUTA
    for lower, upper in zip(schemes, schemes[1:], strict=False):
        assert upper.min_exclusive and upper.min_amount == lower.max_amount


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        pytest.param(1, "kur_super_mikro", id="1-rupiah"),
        pytest.param(10 * JUTA, "kur_super_mikro", id="10jt"),
        pytest.param(10 * JUTA + 1, "kur_mikro", id="10jt+1"),
        pytest.param(100 * JUTA, "kur_mikro", id="100jt"),
        pytest.param(100 * JUTA + 1, "kur_kecil", id="100jt+1"),
        pytest.param(500 * JUTA, "kur_kecil", id="500jt"),
    ],
)
def test_scheme_for_amount(amount, expected):
    for r in rule_sets():
        assert scheme_for_amount(r, amount).id == expected


@pytest.mark.parametrize("amount", [0, 500 * JUTA + 1], ids=["zero", "above-500jt"])
def test_scheme_for_amount_outside_every_band_raises(amount):
    with pytest.raises(ValueError, match="no scheme"):
        scheme_for_amount(rule_set("kur_2026"), amount)


@pytest.mark.parametrize(
    ("rule_set_id", "scheme_id", "borrower", "subsidy"),
    [
        pytest.param("kur_2023", "kur_super_mikro", "3 3 3 3 3", "15 15 15 15 15", id="2023-super-mikro"),
        pytest.param("kur_2023", "kur_mikro", "6 7 8 9 9", "10 9 8 7 7", id="2023-mikro"),
        pytest.param("kur_2023", "kur_kecil", "6 7 8 9 9", "5.5 4.5 3.5 2.5 2.5", id="2023-kecil"),
        pytest.param("kur_2026", "kur_super_mikro", "3 3 3 3 3", "15 15 15 15 15", id="2026-super-mikro"),
        pytest.param("kur_2026", "kur_mikro", "6 6 6 6 6", "10 10 10 10 10", id="2026-mikro"),
        pytest.param("kur_2026", "kur_kecil", "6 6 6 6 6", "5.5 5.5 5.5 5.5 5.5", id="2026-kecil"),
    ],
)
def test_rates_by_access_number(rule_set_id, scheme_id, borrower, subsidy):
    scheme = next(s for s in rule_set(rule_set_id).schemes if s.id == scheme_id)
    percent = [Decimal(p) / 100 for p in borrower.split()]
    assert [scheme.borrower_rate(n) for n in range(1, 6)] == percent
    assert [scheme.subsidy_rate(n) for n in range(1, 6)] == [Decimal(p) / 100 for p in subsidy.split()]
    assert all(isinstance(r, Decimal) for r in scheme.borrower_rates + scheme.subsidy_rates)


def test_access_number_below_one_raises():
    with pytest.raises(ValueError, match="access_number"):
        rule_set("kur_2023").schemes[1].borrower_rate(0)


@pytest.mark.parametrize(
    ("scheme_id", "modal_kerja", "investasi"),
    [("kur_super_mikro", 36, 60), ("kur_mikro", 36, 60), ("kur_kecil", 48, 60)],
)
def test_tenors(scheme_id, modal_kerja, investasi):
    for r in rule_sets():
        scheme = next(s for s in r.schemes if s.id == scheme_id)
        assert (scheme.max_months("modal_kerja"), scheme.max_months("investasi")) == (modal_kerja, investasi)
    with pytest.raises(ValueError, match="purpose"):
        scheme.max_months("konsumsi")


@pytest.mark.parametrize(
    ("rule_set_id", "amount", "expected"),
    [
        pytest.param("kur_2023", 10 * JUTA, "", id="2023-10jt"),
        pytest.param("kur_2023", 50 * JUTA, "", id="2023-50jt"),
        pytest.param("kur_2023", 50 * JUTA + 1, "kur_mikro kur_kecil", id="2023-50jt+1"),
        pytest.param("kur_2026", 50 * JUTA, "kur_kecil", id="2026-50jt"),
        pytest.param("kur_2026", 150 * JUTA, "kur_mikro kur_kecil", id="2026-150jt"),
    ],
)
def test_npwp_required(rule_set_id, amount, expected):
    needing = [s.id for s in rule_set(rule_set_id).schemes if s.npwp_required(amount)]
    assert needing == expected.split()


def test_turnover_cap_and_access_limits():
    kur_2023, kur_2026 = rule_sets()
    assert kur_2023.turnover_cap is None and kur_2026.turnover_cap == 4_800_000_000
    assert kur_2023.access_limits == programmes.AccessLimits(4, 2, ("kur_super_mikro", "kur_mikro"))
    assert kur_2026.access_limits is None


def test_every_scheme_has_documents_source_and_collateral():
    schemes = [s for r in rule_sets() for s in r.schemes] + [regional_programme("gerbang_serasan").scheme]
    for scheme in schemes:
        names = [d.name for d in scheme.documents]
        assert {"e-KTP", "Kartu Keluarga (KK)", "NIB atau Surat Keterangan Usaha (SKU)"} <= set(names)
        assert scheme.source and scheme.collateral and scheme.insurance.payer
    kecil = [s for s in schemes if s.id == "kur_kecil"]
    assert all("Kartu BPJS Ketenagakerjaan" in [d.name for d in s.documents] for s in kecil)


def test_gerbang_serasan_is_marked_example_and_pays_the_gap():
    gs = regional_programme("gerbang_serasan")
    assert (
        gs.example_values and gs.regency_code == "1603" and gs.partner_banks == ("BRI", "Bank Sumsel Babel")
    )
    assert "SK Bupati Muara Enim No. 6 Tahun 2001" in gs.source
    scheme = gs.scheme
    assert scheme.bank_rate == Decimal("0.12") and scheme.borrower_rate(1) == Decimal("0.03")
    assert scheme.subsidy_rate(1) == Decimal("0.09")
    assert scheme.insurance == programmes.Insurance(payer="pemda", rate=Decimal("0.015"))
    assert (scheme.min_amount, scheme.min_exclusive, scheme.max_amount) == (1_000_000, False, 50_000_000)
    assert "bank_rate" in scheme.unconfirmed and scheme.mentoring_required


@pytest.mark.parametrize(
    ("programme_id", "message"),
    [("kur_2023", "key 'kind'"), ("missing", "file not found")],
    ids=["not-regional", "no-file"],
)
def test_regional_programme_rejects_bad_ids(programme_id, message):
    with pytest.raises(RuleFileError, match=message):
        regional_programme(programme_id)


def test_muara_enim_profile():
    profile = load_profile()
    assert (profile.name, profile.regency_code, profile.province) == (
        "Kabupaten Muara Enim",
        "1603",
        "Sumatera Selatan",
    )
    assert profile.time_zone == "Asia/Jakarta" and profile.address_is_example
    assert profile.office_weekdays == (1, 2, 3, 4, 5)
    assert (profile.office_opens, profile.office_closes) == (time(8), time(15))
    assert len(profile.kecamatan) == 22 and "Lawang Kidul" in profile.kecamatan
    assert regional_programme(profile.regional_programme).regency_code == profile.regency_code


@pytest.fixture
def rules_folder(tmp_path, monkeypatch):
    """Points the loader at a scratch package folder and clears the caches around the test."""
    (tmp_path / "rules").mkdir()
    scratch = SimpleNamespace(files=lambda _package: tmp_path)
    monkeypatch.setattr(programmes, "resources", scratch)  # lists the rule files
    monkeypatch.setattr(rule_table, "resources", scratch)  # reads one
    rule_sets.cache_clear()
    yield tmp_path / "rules"
    rule_sets.cache_clear()


KUR_2023_TEXT = resources.files("core").joinpath("rules/kur_2023.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            'borrower_rates = ["0.06"',
            "borrower_rates = [0.06",
            "key 'schemes.kur_mikro.borrower_rates'",
            id="float-rate",
        ),
        pytest.param('["0.03"]', '["3%"]', "key 'schemes.kur_super_mikro.borrower_rates'", id="bad-rate"),
        pytest.param('["0.03"]', '["3"]', "between 0 and 1", id="rate-not-fraction"),
        pytest.param("min_age = 21\n", "", "key 'schemes.kur_super_mikro.min_age': missing", id="missing"),
        pytest.param(
            "min_age = 21\n", "min_age = 21\nmin_monhts = 6\n", "min_monhts': unknown key", id="typo"
        ),
        pytest.param(
            "min_age = 21\n", 'min_age = "21"\n', "min_age': expected a whole number", id="wrong-type"
        ),
        pytest.param("above = 10_000_000", "above = 5_000_000", "key 'schemes.kur_mikro'", id="overlap"),
        pytest.param('when = "married"', 'when = "sometimes"', "documents[3].when", id="bad-condition"),
        pytest.param('"min_age", "insurance"', '"nope"', "'nope' is not a parameter", id="bad-unconfirmed"),
        pytest.param('"kur_super_mikro", "kur_mikro"]', '"kur_mikro", "kur_x"]', "kur_x", id="unknown-limit"),
        pytest.param(
            "effective_from = 2023-02-01", "effective_from = 2023-02-01T00:00:00", "date-time", id="dt"
        ),
        pytest.param('id = "kur_2023"', 'id = "kur_2099"', "file name", id="id-not-file-name"),
        pytest.param("[schemes.kur_mikro]", "[schemes.kur_mikro", "line", id="syntax"),
    ],
)
def test_malformed_rule_file_names_file_and_key(rules_folder, old, new, message):
    assert old in KUR_2023_TEXT
    (rules_folder / "kur_2023.toml").write_text(KUR_2023_TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleFileError, match="core/rules/kur_2023.toml") as error:
        rule_sets()
    assert message in str(error.value)


def test_the_untouched_copy_loads(rules_folder):
    (rules_folder / "kur_2023.toml").write_text(KUR_2023_TEXT, encoding="utf-8")
    assert [r.id for r in rule_sets()] == ["kur_2023"]
