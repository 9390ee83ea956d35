from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain.ordering.errors import InvalidInputError
from kamdesk.domain.ordering.sellthrough import Ledger, sell_through

MONDAY = date(2024, 1, 1).toordinal()  # a Monday


def ledger(
    deliveries: list[tuple[int, float]], counts: list[tuple[int, float]], series: int = 1
) -> Ledger:
    """Days are offsets from MONDAY (series 0 only)."""
    return Ledger(
        series,
        np.zeros(len(deliveries), dtype=np.int64),
        np.array([MONDAY + d for d, _ in deliveries], dtype=np.int64),
        np.array([q for _, q in deliveries], dtype=np.float64),
        np.zeros(len(counts), dtype=np.int64),
        np.array([MONDAY + d for d, _ in counts], dtype=np.int64),
        np.array([q for _, q in counts], dtype=np.float64),
    )


def test_sales_are_previous_count_plus_deliveries_minus_count() -> None:
    # Counts on Sundays (end of each week); deliveries mid-week.
    st_ = sell_through(
        ledger([(2, 30.0), (9, 10.0)], [(-1, 20.0), (6, 15.0), (13, 5.0)]), MONDAY, 2, MONDAY + 14
    )
    np.testing.assert_allclose(st_.sales[0], [35.0, 20.0])
    assert not st_.censored.any()
    assert st_.flags == ()
    np.testing.assert_allclose(st_.delivered[0], [30.0, 10.0])
    assert st_.last_count_day[0] == MONDAY + 13
    assert st_.last_count_qty[0] == 5.0


def test_missed_visit_spreads_sales_over_the_interval() -> None:
    st_ = sell_through(ledger([], [(-1, 100.0), (13, 30.0)]), MONDAY, 2, MONDAY + 14)
    np.testing.assert_allclose(st_.sales[0], [35.0, 35.0])


def test_weeks_outside_counted_span_are_unknown() -> None:
    st_ = sell_through(ledger([], [(6, 10.0), (13, 4.0)]), MONDAY, 3, MONDAY + 20)
    assert np.isnan(st_.sales[0, 0])
    assert st_.sales[0, 1] == pytest.approx(6.0)
    assert np.isnan(st_.sales[0, 2])


def test_miscount_is_flagged_dropped_and_not_propagated() -> None:
    # True stock path 50 -> 40 -> 30 -> 20; the middle count says 90 (typo).
    st_ = sell_through(
        ledger([], [(-1, 50.0), (6, 40.0), (13, 90.0), (20, 20.0)]), MONDAY, 3, MONDAY + 21
    )
    assert len(st_.flags) == 1
    flag = st_.flags[0]
    assert flag.dropped
    assert flag.day == MONDAY + 13
    assert flag.implied_sales == pytest.approx(-50.0)
    # Weeks 2 and 3 share the merged interval (40 -> 20): no negative week, no spike.
    np.testing.assert_allclose(st_.sales[0], [10.0, 10.0, 10.0])


def test_negative_last_interval_is_clamped_and_flagged() -> None:
    st_ = sell_through(ledger([], [(-1, 10.0), (6, 25.0)]), MONDAY, 1, MONDAY + 7)
    assert st_.sales[0, 0] == 0.0
    assert len(st_.flags) == 1
    assert not st_.flags[0].dropped


def test_zero_count_marks_the_interval_censored() -> None:
    st_ = sell_through(
        ledger([(8, 10.0)], [(-1, 10.0), (6, 0.0), (13, 2.0), (20, 0.0), (27, 0.0)]),
        MONDAY,
        4,
        MONDAY + 28,
    )
    np.testing.assert_allclose(st_.sales[0], [10.0, 8.0, 2.0, 0.0])
    # Week 0 ended empty, week 2 ended empty, week 3 started empty without deliveries.
    assert st_.censored[0].tolist() == [True, False, True, True]


def test_bad_quantities_are_rejected() -> None:
    with pytest.raises(InvalidInputError):
        sell_through(ledger([(1, -5.0)], [(-1, 1.0)]), MONDAY, 1, MONDAY + 7)
    with pytest.raises(InvalidInputError):
        sell_through(ledger([], [(-1, float("nan"))]), MONDAY, 1, MONDAY + 7)


@st.composite
def consistent_history(draw: st.DrawFn) -> tuple[Ledger, int, list[float], list[int]]:
    weeks = draw(st.integers(2, 10))
    days = 7 * weeks
    demand = draw(st.lists(st.integers(0, 20), min_size=days, max_size=days))
    deliveries = draw(
        st.lists(st.tuples(st.integers(0, days - 1), st.integers(1, 60)), max_size=12)
    )
    start = draw(st.integers(0, 40))
    # Count on every Sunday, or only some of them (missed visits); first and last always.
    keep = draw(st.lists(st.booleans(), min_size=weeks - 1, max_size=weeks - 1))
    count_days = [-1] + [7 * (w + 1) - 1 for w in range(weeks - 1) if keep[w]] + [days - 1]
    stock = float(start)
    delivered_on = dict.fromkeys(range(days), 0.0)
    for d, q in deliveries:
        delivered_on[d] += q
    counts: list[tuple[int, float]] = [(-1, stock)]
    total_sales = 0.0
    for d in range(days):
        stock += delivered_on[d]
        sold = min(stock, float(demand[d]))
        stock -= sold
        total_sales += sold
        if d in count_days:
            counts.append((d, stock))
    led = ledger([(d, float(q)) for d, q in deliveries], counts)
    zero_weeks = [d // 7 for d, q in counts if q == 0 and d >= 0]
    return led, weeks, [total_sales, float(start), stock], zero_weeks


@settings(deadline=None, max_examples=60)
@given(consistent_history())
def test_conservation_and_censoring_on_consistent_histories(
    case: tuple[Ledger, int, list[float], list[int]],
) -> None:
    led, weeks, (total_sales, first, last), zero_weeks = case
    st_ = sell_through(led, MONDAY, weeks, MONDAY + 7 * weeks)
    assert not np.isnan(st_.sales).any()
    assert (st_.sales >= -1e-9).all()
    assert st_.flags == ()
    # Deliveries = sales + change in stock over the fully counted span.
    assert float(led.delivery_qty.sum()) == pytest.approx(
        float(st_.sales.sum()) + (last - first), abs=1e-6
    )
    assert float(st_.sales.sum()) == pytest.approx(total_sales, abs=1e-6)
    for w in zero_weeks:
        assert st_.censored[0, w]


@settings(deadline=None, max_examples=60)
@given(
    st.lists(st.tuples(st.integers(0, 55), st.integers(0, 100)), min_size=2, max_size=12),
    st.lists(st.tuples(st.integers(0, 55), st.integers(0, 40)), max_size=8),
)
def test_arbitrary_counts_never_give_negative_or_nan_inside_the_span(
    counts: list[tuple[int, int]], deliveries: list[tuple[int, int]]
) -> None:
    led = ledger([(d, float(q)) for d, q in deliveries], [(d, float(q)) for d, q in counts])
    st_ = sell_through(led, MONDAY, 8, MONDAY + 56)
    known = ~np.isnan(st_.sales)
    assert (st_.sales[known] >= -1e-9).all()
    assert not (st_.censored & ~known).any()
    for flag in st_.flags:
        assert flag.implied_sales < 0
