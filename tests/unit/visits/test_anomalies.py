from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kamdesk.domain.anomalies import (
    AnomalyConfig,
    AnomalyError,
    Comparison,
    Direction,
    SubjectKind,
    anomalies_by_subject,
    detect_anomalies,
    detect_purchase_anomalies,
)
from kamdesk.domain.classification import PurchaseLine

MONTH = date(2026, 10, 1)


def test_month_on_month_and_year_on_year() -> None:
    series = {"a": [8000.0] + [10000.0] * 11 + [5500.0]}
    found = detect_anomalies(series, MONTH)
    assert [(a.comparison, a.direction) for a in found] == [
        (Comparison.MONTH_ON_MONTH, Direction.DOWN),
        (Comparison.YEAR_ON_YEAR, Direction.DOWN),
    ]
    mom = found[0]
    assert mom.change == pytest.approx(-0.45)
    assert mom.current == Decimal("5500.00")
    assert mom.base == Decimal("10000.00")
    assert mom.explanation.zh == "环比下降 45%：2026年10月 ¥5,500.00，2026年9月 ¥10,000.00"
    assert mom.explanation.en == (
        "Down 45% month on month: ¥5,500.00 in 2026-10 vs ¥10,000.00 in 2026-09"
    )
    assert found[1].explanation.fact("base_month") == date(2025, 10, 1)


def test_tiny_bases_and_small_moves_are_ignored() -> None:
    assert detect_anomalies({"a": [500.0, 5000.0]}, MONTH) == []
    assert detect_anomalies({"a": [10000.0, 12900.0]}, MONTH) == []
    assert len(detect_anomalies({"a": [10000.0, 13000.0]}, MONTH)) == 1
    cfg = AnomalyConfig(mom_threshold=0.5, min_base=100)
    assert detect_anomalies({"a": [500.0, 5000.0]}, MONTH, config=cfg)[0].change == 9.0
    with pytest.raises(AnomalyError):
        AnomalyConfig(mom_threshold=0)
    with pytest.raises(AnomalyError):
        detect_anomalies({"a": [1.0, float("nan")]}, MONTH)


@settings(deadline=None, max_examples=150)
@given(st.floats(0, 1e6), st.floats(0, 1e6), st.floats(0.05, 2.0))
def test_flag_iff_move_reaches_threshold(base: float, current: float, threshold: float) -> None:
    cfg = AnomalyConfig(mom_threshold=threshold, min_base=1000)
    found = detect_anomalies({"a": [base, current]}, MONTH, config=cfg)
    if base < 1000:
        assert found == []
        return
    move = abs(current - base) / base
    assume(abs(move - threshold) > 1e-9)
    assert bool(found) == (move > threshold)
    if found:
        assert found[0].direction is (Direction.UP if current > base else Direction.DOWN)


def test_from_purchases_accounts_and_products() -> None:
    lines = [
        PurchaseLine("a", date(2026, 9, 5), 6000, "p1"),
        PurchaseLine("a", date(2026, 9, 20), 4000, "p2"),
        PurchaseLine("a", date(2026, 10, 5), 3000, "p1"),
        PurchaseLine("b", date(2026, 9, 5), 2000, "p2"),
        PurchaseLine("b", date(2026, 10, 5), 2100, "p2"),
    ]
    found = detect_purchase_anomalies(lines, date(2026, 10, 31))
    accounts = anomalies_by_subject(found)
    assert set(accounts) == {"a"}
    products = anomalies_by_subject(found, SubjectKind.PRODUCT)
    assert set(products) == {"p1", "p2"}
    assert products["p2"][0].change == pytest.approx((2100 - 6000) / 6000)
