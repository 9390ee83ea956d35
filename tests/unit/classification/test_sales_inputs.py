from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kamdesk.domain.classification import (
    AccountState,
    InvalidInputError,
    PurchaseLine,
    account_values,
    add_months,
    classify_abc,
    infer_lifecycle,
    lifecycle_inputs,
    monthly_amounts,
    trailing_totals,
)
from kamdesk.domain.enums import AbcTier, LifecycleStage
from kamdesk.domain.explain import format_cny, ordinal_en

AS_OF = date(2026, 11, 23)


def test_month_arithmetic() -> None:
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2024, 2, 29), -12) == date(2023, 2, 28)


def test_trailing_window_edges() -> None:
    lines = [
        PurchaseLine("a", date(2025, 11, 23), 100),  # exactly 12 months back: outside
        PurchaseLine("a", date(2025, 11, 24), 200),
        PurchaseLine("a", AS_OF, Decimal("0.10")),
        PurchaseLine("a", date(2026, 11, 24), 999),  # after as_of: outside
    ]
    assert trailing_totals(lines, AS_OF) == {"a": Decimal("200.10")}


def test_monthly_amounts_by_product() -> None:
    lines = [
        PurchaseLine("a", date(2026, 10, 3), 100, "p1"),
        PurchaseLine("b", date(2026, 10, 9), 50, "p1"),
        PurchaseLine("b", date(2026, 9, 9), 70, "p1"),
        PurchaseLine("b", date(2026, 9, 9), 70, None),
    ]
    by_product = monthly_amounts(lines, date(2026, 10, 31), 3, key=lambda x: x.product_id)
    assert by_product["p1"].tolist() == [0.0, 70.0, 150.0]
    assert set(by_product) == {"p1"}
    with pytest.raises(ValueError):
        monthly_amounts(lines, AS_OF, 0)


def test_account_values_include_non_buyers() -> None:
    lines = [PurchaseLine("a", date(2026, 5, 1), 1000), PurchaseLine("b", date(2026, 6, 1), 10)]
    values = account_values(["a", "b", "c"], lines, AS_OF, overrides={"c": AbcTier.B})
    result = classify_abc(values).by_account()
    assert result["a"].computed is AbcTier.A
    assert result["c"].computed is AbcTier.C
    assert result["c"].effective is AbcTier.B
    with pytest.raises(InvalidInputError):
        account_values(["a"], lines, AS_OF)


def test_lifecycle_inputs_from_purchases() -> None:
    lines = [PurchaseLine("a", add_months(date(2026, 10, 15), -i), 1000) for i in range(20)]
    lines += [PurchaseLine("a", date(2026, 12, 1), 5)]  # future, ignored
    states = [AccountState("a"), AccountState("p", last_visit=date(2026, 11, 1))]
    a, p = lifecycle_inputs(states, lines, AS_OF)
    assert a.first_purchase == date(2025, 3, 15)
    assert a.last_purchase == date(2026, 10, 15)
    assert len(a.monthly_amounts) == 24
    assert a.monthly_amounts[-1] == 1000.0
    assert infer_lifecycle(a).computed is LifecycleStage.MATURITY
    assert infer_lifecycle(p).computed is LifecycleStage.PROSPECT
    with pytest.raises(InvalidInputError):
        lifecycle_inputs([AccountState("x")], lines, AS_OF)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (123456, "¥123,456.00"),
        (Decimal("0.005"), "¥0.01"),
        (-1234.5, "-¥1,234.50"),
        (0.1 + 0.2, "¥0.30"),
    ],
)
def test_format_cny(amount: int | float | Decimal, text: str) -> None:
    assert format_cny(amount) == text


def test_ordinals() -> None:
    assert [ordinal_en(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "101st",
        "111th",
    ]
