"""Business size classes of PP 7/2021 Pasal 35: by yearly sales, or by capital without land and buildings."""

from __future__ import annotations

from enum import StrEnum

from core.i18n import _

MILIAR = 10**9


class SizeClass(StrEnum):
    """A business size class under PP 7/2021."""

    MIKRO = "mikro"
    KECIL = "kecil"
    MENENGAH = "menengah"
    BESAR = "besar"

    @property
    def label(self) -> str:
        """The Indonesian display name, e.g. 'Usaha Mikro'."""
        labels = {
            SizeClass.MIKRO: _("Micro business"),
            SizeClass.KECIL: _("Small business"),
            SizeClass.MENENGAH: _("Medium business"),
            SizeClass.BESAR: _("Large business"),
        }
        return labels[self]


# Upper bounds (inclusive) of each class; anything above the last bound is BESAR.
SALES_LIMITS = (
    (2 * MILIAR, SizeClass.MIKRO),
    (15 * MILIAR, SizeClass.KECIL),
    (50 * MILIAR, SizeClass.MENENGAH),
)
CAPITAL_LIMITS = (
    (1 * MILIAR, SizeClass.MIKRO),
    (5 * MILIAR, SizeClass.KECIL),
    (10 * MILIAR, SizeClass.MENENGAH),
)


def classify_by_sales(annual_sales: int) -> SizeClass:
    """Size class from yearly sales (hasil penjualan tahunan) in Rupiah."""
    return _classify(annual_sales, SALES_LIMITS)


def classify_by_capital(capital: int) -> SizeClass:
    """Size class from business capital (modal usaha, excluding land and buildings) in Rupiah."""
    return _classify(capital, CAPITAL_LIMITS)


def classify(*, annual_sales: int | None, capital: int | None) -> SizeClass:
    """Size class by sales when known (running business), else by capital (new business); sales win."""
    if annual_sales is not None:
        return classify_by_sales(annual_sales)
    if capital is not None:
        return classify_by_capital(capital)
    raise ValueError("need annual_sales or capital")


def _classify(amount: int, limits: tuple[tuple[int, SizeClass], ...]) -> SizeClass:
    """Finds the first class whose inclusive upper bound holds `amount`."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amount must be int Rupiah, got {type(amount).__name__}")
    if amount < 0:
        raise ValueError(f"amount must be >= 0, got {amount}")
    for upper, size in limits:
        if amount <= upper:
            return size
    return SizeClass.BESAR
