"""Tests for core.classification: PP 7/2021 size classes at every boundary."""

from __future__ import annotations

import pytest

from core.classification import SizeClass, classify, classify_by_capital, classify_by_sales

M = 10**9


@pytest.mark.parametrize(
    ("annual_sales", "expected"),
    [
        (0, SizeClass.MIKRO),
        (300_000_000, SizeClass.MIKRO),
        (2 * M, SizeClass.MIKRO),
        (2 * M + 1, SizeClass.KECIL),
        (15 * M, SizeClass.KECIL),
        (15 * M + 1, SizeClass.MENENGAH),
        (50 * M, SizeClass.MENENGAH),
        (50 * M + 1, SizeClass.BESAR),
        (10**15, SizeClass.BESAR),
    ],
)
def test_classify_by_sales(annual_sales: int, expected: SizeClass) -> None:
    assert classify_by_sales(annual_sales) is expected


@pytest.mark.parametrize(
    ("capital", "expected"),
    [
        (0, SizeClass.MIKRO),
        (1 * M, SizeClass.MIKRO),
        (1 * M + 1, SizeClass.KECIL),
        (5 * M, SizeClass.KECIL),
        (5 * M + 1, SizeClass.MENENGAH),
        (10 * M, SizeClass.MENENGAH),
        (10 * M + 1, SizeClass.BESAR),
    ],
)
def test_classify_by_capital(capital: int, expected: SizeClass) -> None:
    assert classify_by_capital(capital) is expected


@pytest.mark.parametrize(
    ("annual_sales", "capital", "expected"),
    [
        (2 * M, None, SizeClass.MIKRO),
        (None, 2 * M, SizeClass.KECIL),
        (2 * M, 6 * M, SizeClass.MIKRO),  # sales win when both are known
        (20 * M, 500_000_000, SizeClass.MENENGAH),
    ],
)
def test_classify_prefers_sales(annual_sales: int | None, capital: int | None, expected: SizeClass) -> None:
    assert classify(annual_sales=annual_sales, capital=capital) is expected


def test_classify_needs_a_figure() -> None:
    with pytest.raises(ValueError):
        classify(annual_sales=None, capital=None)


@pytest.mark.parametrize("amount", [-1, -(2 * M)])
def test_rejects_negative(amount: int) -> None:
    with pytest.raises(ValueError):
        classify_by_sales(amount)
    with pytest.raises(ValueError):
        classify_by_capital(amount)


@pytest.mark.parametrize("amount", [2e9, True, "2000000000"])
def test_rejects_non_int(amount: object) -> None:
    with pytest.raises(TypeError):
        classify_by_sales(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("size", "label"),
    [
        (SizeClass.MIKRO, "Usaha Mikro"),
        (SizeClass.KECIL, "Usaha Kecil"),
        (SizeClass.MENENGAH, "Usaha Menengah"),
        (SizeClass.BESAR, "Usaha Besar"),
    ],
)
def test_labels_are_indonesian(size: SizeClass, label: str) -> None:
    assert size.label == label


def test_values_are_plain_strings() -> None:
    assert [str(size) for size in SizeClass] == ["mikro", "kecil", "menengah", "besar"]
    assert SizeClass("kecil") is SizeClass.KECIL
