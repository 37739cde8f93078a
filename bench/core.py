"""Benchmark of the pure core: simulate a 60-month schedule, parse_rupiah, evaluate. Prints its figures.

Run from the project folder: python -m bench.core
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from core.eligibility import Applicant, CreditRequest, evaluate
from core.parsing import parse_rupiah
from core.programmes import regional_programme
from core.simulator import simulate

ON = date(2026, 11, 21)
AMOUNTS = [
    "5000000",
    "5.000.000",
    "Rp 5.000.000,-",
    "5jt",
    "5,5 juta",
    "500rb",
    "1,5 M",
    "lima juta lima ratus ribu",
]
APPLICANT = Applicant(
    age=35,
    married=True,
    months_in_business=24,
    annual_turnover=600_000_000,
    has_business_licence=True,
    has_npwp=False,
    is_civil_servant=False,
    other_productive_credit=False,
    credit_history_ok=True,
    previous_kur_count=0,
    sector="perdagangan",
    regency_code="1603",
    in_mentoring_programme=False,
)
REQUEST = CreditRequest(amount=60_000_000, months=24, purpose="modal_kerja")


def median_ms(fn: Callable[[], object], runs: int = 2000) -> float:
    """Median wall time of one call, in milliseconds."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def calls_per_second(fn: Callable[[str], object], inputs: list[str], seconds: float = 1.0) -> float:
    """How many calls a second fn manages, cycling through the inputs."""
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in inputs:
            fn(text)
        calls += len(inputs)
    return calls / (time.perf_counter() - start)


def main() -> None:
    """Runs the three measurements and prints them against their targets."""
    regional = regional_programme("gerbang_serasan")
    sim = median_ms(
        lambda: simulate(
            100_000_000, 60, borrower_rate=Decimal("0.06"), subsidy_rate=Decimal("0.10"), start=ON
        )
    )
    rate = calls_per_second(parse_rupiah, AMOUNTS)
    ev = median_ms(lambda: evaluate(APPLICANT, REQUEST, on=ON, regional=regional))
    print("bench/core.py (one process, one core)")
    print(f"  simulate 60-month annuity with subsidy and due dates: median {sim:.3f} ms  (target < 1 ms)")
    print(f"  parse_rupiah over {len(AMOUNTS)} written forms: {rate:,.0f} calls/s  (target > 50,000)")
    print(f"  evaluate, 3 KUR schemes + Gerbang Serasan: median {ev:.3f} ms  (target < 1 ms)")


if __name__ == "__main__":
    main()
