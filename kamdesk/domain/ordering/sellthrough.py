"""Weekly sell-through (动销) from deliveries and successive stock counts, for many series.

Between two counts of one product at one shop, sales = previous count + deliveries in
``(previous day, day]`` − current count. A count is the stock at the end of its day, after
that day's deliveries. Sales of an interval are spread evenly over its days and summed into
ISO weeks, so a missed visit just makes a longer interval.

* Miscount: an interval with negative implied sales means the later count is wrong (too high).
  That count is dropped and the interval merged with the next one, so the error does not
  leak into the following week as a fake spike; it is reported as a :class:`CountFlag`. A
  negative last interval is clamped to zero and flagged.
* Stock-out: an interval that ends on a zero count, or starts on one with nothing delivered,
  saw demand it could not serve. Its weeks are marked ``censored``: the sales are a lower
  bound on demand, not low demand.
* Weeks not fully covered by counted intervals are unknown (NaN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kamdesk.domain.ordering.errors import InvalidInputError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

MAX_MERGE_PASSES = 50


@dataclass(frozen=True, slots=True)
class Ledger:
    """Deliveries and counts as columns; days are ``date.toordinal()`` numbers."""

    n_series: int
    delivery_series: IntArray
    delivery_day: IntArray
    delivery_qty: FloatArray
    count_series: IntArray
    count_day: IntArray
    count_qty: FloatArray

    def validate(self) -> None:
        d, c = len(self.delivery_series), len(self.count_series)
        if len(self.delivery_day) != d or len(self.delivery_qty) != d:
            raise InvalidInputError("delivery columns differ in length")
        if len(self.count_day) != c or len(self.count_qty) != c:
            raise InvalidInputError("count columns differ in length")
        if np.any(self.delivery_qty < 0) or not np.isfinite(self.delivery_qty).all():
            raise InvalidInputError("delivered quantities must be finite and >= 0")
        if np.any(self.count_qty < 0) or not np.isfinite(self.count_qty).all():
            raise InvalidInputError("counted quantities must be finite and >= 0")
        for col in (self.delivery_series, self.count_series):
            if len(col) and (col.min() < 0 or col.max() >= self.n_series):
                raise InvalidInputError("series index out of range")


@dataclass(frozen=True, slots=True)
class CountFlag:
    """A count that implied negative sales (a miscount), dropped or clamped."""

    series: int
    day: int  # ordinal
    implied_sales: float
    dropped: bool  # False: last count of the series, interval clamped to zero instead


@dataclass(frozen=True, slots=True)
class SellThrough:
    first_day: int  # ordinal of the Monday of week 0
    sales: FloatArray  # (n, W); NaN where the week is not fully between two counts
    censored: BoolArray  # (n, W)
    delivered: FloatArray  # (n, W) units delivered per week
    last_count_day: IntArray  # (n,) ordinal, -1 without any count
    last_count_qty: FloatArray  # (n,)
    delivered_after_last_count: FloatArray  # (n,) up to and including ``as_of``
    flags: tuple[CountFlag, ...]


class _Deliveries:
    """Cumulative deliveries D(series, day) = units delivered on or before ``day``."""

    def __init__(self, series: IntArray, day: IntArray, qty: FloatArray, stride: int) -> None:
        keys = series * stride + day
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.prefix = np.concatenate([[0.0], np.cumsum(qty[order])])
        self.stride = stride

    def upto(self, series: IntArray, day: IntArray) -> FloatArray:
        hi = np.searchsorted(self.keys, series * self.stride + day, side="right")
        lo = np.searchsorted(self.keys, series * self.stride, side="left")
        out: FloatArray = self.prefix[hi] - self.prefix[lo]
        return out


def sell_through(ledger: Ledger, first_day: int, n_weeks: int, as_of: int) -> SellThrough:
    """Weekly sales for weeks starting at ordinal ``first_day`` (a Monday)."""
    ledger.validate()
    n = ledger.n_series
    lo_day = min(
        first_day,
        int(ledger.count_day.min()) if len(ledger.count_day) else first_day,
        int(ledger.delivery_day.min()) if len(ledger.delivery_day) else first_day,
    )
    hi_day = max(
        as_of,
        int(ledger.count_day.max()) if len(ledger.count_day) else as_of,
        int(ledger.delivery_day.max()) if len(ledger.delivery_day) else as_of,
    )
    stride = hi_day - lo_day + 2
    base = lo_day - 1
    dels = _Deliveries(
        ledger.delivery_series.astype(np.int64),
        ledger.delivery_day.astype(np.int64) - base,
        ledger.delivery_qty.astype(np.float64),
        stride,
    )

    # Counts sorted by (series, day); of two counts on one day the later entry wins.
    c_series = ledger.count_series.astype(np.int64)
    c_day = ledger.count_day.astype(np.int64) - base
    c_qty = ledger.count_qty.astype(np.float64)
    order = np.lexsort((np.arange(len(c_day)), c_day, c_series))
    c_series, c_day, c_qty = c_series[order], c_day[order], c_qty[order]
    last_of_day = np.ones(len(c_day), dtype=bool)
    if len(c_day) > 1:
        last_of_day[:-1] = (c_series[1:] != c_series[:-1]) | (c_day[1:] != c_day[:-1])
    c_series, c_day, c_qty = c_series[last_of_day], c_day[last_of_day], c_qty[last_of_day]
    cum_at_count = dels.upto(c_series, c_day)

    keep = np.ones(len(c_day), dtype=bool)
    flags: list[CountFlag] = []
    for _ in range(MAX_MERGE_PASSES):
        idx = np.nonzero(keep)[0]
        prev, cur = idx[:-1], idx[1:]
        same = c_series[prev] == c_series[cur]
        prev, cur = prev[same], cur[same]
        implied = c_qty[prev] + cum_at_count[cur] - cum_at_count[prev] - c_qty[cur]
        neg = implied < -1e-9
        if not neg.any():
            break
        is_last = np.ones(len(cur), dtype=bool)
        is_last[:-1] = c_series[cur[1:]] != c_series[cur[:-1]]
        # Drop only the first negative count of each series per pass: dropping one changes
        # the next interval, which must be re-judged.
        drop = neg & ~is_last
        first_neg = np.zeros(len(cur), dtype=bool)
        seen: set[int] = set()
        for j in np.nonzero(drop)[0].tolist():
            s = int(c_series[cur[j]])
            if s not in seen:
                seen.add(s)
                first_neg[j] = True
        if not first_neg.any():
            break
        for j in np.nonzero(first_neg)[0].tolist():
            flags.append(
                CountFlag(int(c_series[cur[j]]), int(c_day[cur[j]] + base), float(implied[j]), True)
            )
        keep[cur[first_neg]] = False

    idx = np.nonzero(keep)[0]
    k_series, k_day, k_qty, k_cum = c_series[idx], c_day[idx], c_qty[idx], cum_at_count[idx]
    pair = np.nonzero(k_series[1:] == k_series[:-1])[0]
    prev, cur = pair, pair + 1
    delivered = k_cum[cur] - k_cum[prev]
    implied = k_qty[prev] + delivered - k_qty[cur]
    for j in np.nonzero(implied < -1e-9)[0].tolist():
        flags.append(
            CountFlag(int(k_series[cur[j]]), int(k_day[cur[j]] + base), float(implied[j]), False)
        )
    interval_sales = np.maximum(implied, 0.0)
    interval_censored = (k_qty[cur] <= 0) | ((k_qty[prev] <= 0) & (delivered <= 0))

    # Cumulative sales knots: C = 0 at the first count of a series, then running totals.
    knot_cum = np.zeros(len(idx))
    knot_cum[cur] = interval_sales
    series_start = np.ones(len(idx), dtype=bool)
    series_start[1:] = k_series[1:] != k_series[:-1]
    run = np.cumsum(knot_cum)
    start_run = np.maximum.accumulate(np.where(series_start, np.arange(len(idx)), 0))
    knot_cum = run - run[start_run]

    fd = first_day - base
    bounds = fd - 1 + 7 * np.arange(n_weeks + 1)  # end of the day before each week starts
    cum = _interp_knots(k_series, k_day, knot_cum, n, bounds, stride)
    sales = np.diff(cum, axis=1)

    censored = np.zeros((n, n_weeks), dtype=bool)
    ci = np.nonzero(interval_censored)[0]
    if len(ci):
        w0 = (k_day[prev[ci]] + 1 - fd) // 7
        w1 = (k_day[cur[ci]] - fd) // 7
        w0c, w1c = np.clip(w0, 0, n_weeks), np.clip(w1, -1, n_weeks - 1)
        span = np.maximum(w1c - w0c + 1, 0)
        rows = np.repeat(k_series[ci], span)
        starts = np.repeat(w0c, span)
        offsets = np.arange(int(span.sum())) - np.repeat(np.cumsum(span) - span, span)
        censored[rows, starts + offsets] = True
    censored &= ~np.isnan(sales)

    week_of_delivery = (ledger.delivery_day.astype(np.int64) - first_day) // 7
    in_grid = (week_of_delivery >= 0) & (week_of_delivery < n_weeks)
    weekly_del = np.zeros((n, n_weeks))
    np.add.at(
        weekly_del,
        (ledger.delivery_series[in_grid].astype(np.int64), week_of_delivery[in_grid]),
        ledger.delivery_qty[in_grid],
    )

    last_day = np.full(n, -1, dtype=np.int64)
    last_qty = np.zeros(n)
    if len(idx):
        series_end = np.ones(len(idx), dtype=bool)
        series_end[:-1] = k_series[1:] != k_series[:-1]
        last_day[k_series[series_end]] = k_day[series_end] + base
        last_qty[k_series[series_end]] = k_qty[series_end]
    has = last_day >= 0
    all_series = np.arange(n, dtype=np.int64)
    upto_now = dels.upto(all_series, np.full(n, as_of - base, dtype=np.int64))
    upto_last = dels.upto(all_series, np.where(has, last_day - base, 0))
    after = np.where(has, upto_now - upto_last, upto_now)
    return SellThrough(
        first_day, sales, censored, weekly_del, last_day, last_qty, after, tuple(flags)
    )


def _interp_knots(
    series: IntArray, day: IntArray, cum: FloatArray, n: int, bounds: IntArray, stride: int
) -> FloatArray:
    """Piecewise-linear cumulative sales at ``bounds`` per series; NaN outside counted spans."""
    keys = series * stride + day
    q_series = np.repeat(np.arange(n, dtype=np.int64), len(bounds))
    q_day = np.tile(bounds, n)
    q_keys = q_series * stride + q_day
    right = np.searchsorted(keys, q_keys, side="left")  # first knot at or after the query
    left = right - 1
    exact = (right < len(keys)) & (keys[np.minimum(right, len(keys) - 1)] == q_keys)
    ok_r = right < len(keys)
    r = np.minimum(right, len(keys) - 1)
    l_ = np.maximum(left, 0)
    ok = ok_r & (left >= 0) & (series[r] == q_series) & (series[l_] == q_series)
    span = np.maximum(day[r] - day[l_], 1)
    frac = (q_day - day[l_]) / span
    val = cum[l_] + frac * (cum[r] - cum[l_])
    val = np.where(exact, cum[r], val)
    val = np.where(ok | exact, val, np.nan)
    return val.reshape(n, len(bounds))
