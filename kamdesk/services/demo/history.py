"""Eighteen months of weekly demand, orders and stock for every demo shop, vectorised over shops.

Each shop carries an assortment that fits its format (high price tiers in 烟酒店, low in 食杂店),
sells Poisson demand with the material's seasonality (sales climb in the 2-3 weeks before
Spring Festival and Mid-Autumn, on real lunar dates), follows its own growth or decline, and
reorders with a periodic (s, S) policy. Stock counts are what was on the shelf at each visit,
so sell-through = previous count + deliveries - current count holds in the demo data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from kamdesk.domain.cn_calendar import Holiday, weeks_before_holiday
from kamdesk.services.demo.accounts import CARRY_BY_TIER, DemoAccount
from kamdesk.services.demo.catalog import DemoProduct

# multiplier by whole weeks before the holiday (0 = the week leading into it)
_UPLIFT: dict[Holiday, dict[int, float]] = {
    Holiday.SPRING_FESTIVAL: {0: 1.9, 1: 1.7, 2: 1.35},
    Holiday.MID_AUTUMN: {0: 1.45, 1: 1.35, 2: 1.15},
    Holiday.NATIONAL_DAY: {0: 1.2, 1: 1.1},
}


def season_factor(week_start: date) -> float:
    factor = 1.0
    for holiday, by_week in _UPLIFT.items():
        ahead = weeks_before_holiday(week_start, holiday)
        if ahead is not None and ahead in by_week:
            factor = max(factor, by_week[ahead])
    # the Spring Festival holiday week itself and the one after are quiet
    for back in (7, 14):
        if weeks_before_holiday(week_start - timedelta(days=back), Holiday.SPRING_FESTIVAL) == 0:
            factor = min(factor, 0.65 if back == 7 else 0.8)
    return factor


@dataclass(frozen=True, slots=True)
class WeekResult:
    week: int
    start: date
    orders: tuple[np.ndarray, np.ndarray, np.ndarray]  # account idx, product idx, quantity
    stock: np.ndarray  # stock on hand at the end of the week (accounts x products)
    opening: np.ndarray  # stock on hand at the start of the week, before its delivery
    sold: np.ndarray  # units sold during the week
    delivered: np.ndarray  # units delivered this week (accounts x products)
    carried: np.ndarray  # boolean (accounts x products)


@dataclass(frozen=True, slots=True)
class SalesModel:
    rates: np.ndarray  # base weekly demand (accounts x products)
    period: np.ndarray  # weeks between order opportunities per account
    phase: np.ndarray


def sales_model(
    accounts: Sequence[DemoAccount],
    products: Sequence[DemoProduct],
    rng: np.random.Generator,
    *,
    order_every: int = 1,
    assortment: float = 1.0,
) -> SalesModel:
    """``order_every`` stretches the ordering cycle and ``assortment`` thins what shops carry
    (scale demos: fewer, larger orders over narrower ranges)."""
    n_acc, n_prod = len(accounts), len(products)
    tiers = np.array([p.price_tier for p in products]) - 1
    liquor = np.array([p.category == "liquor" for p in products])
    carry_p = np.array([[CARRY_BY_TIER[a.fmt][t] for t in tiers] for a in accounts])
    carry_p[:, liquor] *= 0.6
    carry_p *= assortment
    # bigger shops carry a wider range
    size_rank = np.array([a.scale for a in accounts]).argsort().argsort() / max(n_acc - 1, 1)
    carry_p *= (0.45 + 0.75 * size_rank)[:, None]
    carried = rng.random((n_acc, n_prod)) < carry_p
    carried[np.array([a.prospect for a in accounts])] = False
    popularity = np.array([p.popularity for p in products])
    scale = np.array([a.scale for a in accounts])
    rates = scale[:, None] * popularity[None, :] * rng.uniform(0.5, 1.5, (n_acc, n_prod))
    rates = np.where(carried, rates, 0.0)
    big = scale >= np.quantile(scale, 0.6)
    period = np.where(big, 1, 2) * order_every
    phase = rng.integers(0, 2 * order_every, n_acc) % period
    return SalesModel(rates=rates, period=period, phase=phase)


def simulate(
    accounts: Sequence[DemoAccount],
    model: SalesModel,
    week_starts: Sequence[date],
    rng: np.random.Generator,
) -> Iterator[WeekResult]:
    n_weeks = len(week_starts)
    rates, period, phase = model.rates, model.period, model.phase
    carried = rates > 0
    trend = np.array([a.trend for a in accounts])
    ended = np.array([a.ended_week if a.ended_week is not None else n_weeks + 1 for a in accounts])
    season = np.array([season_factor(d) for d in week_starts] + [1.0])
    stock = np.ceil(rates * 2.0)
    for w, start in enumerate(week_starts):
        level = np.exp(trend * (w - (n_weeks - 1)) / n_weeks)[:, None]
        active = (w < ended)[:, None]
        lam = rates * season[w] * level * active
        lam_next = rates * season[w + 1] * level * active
        demand = rng.poisson(lam)
        ordering = (((w + phase) % period) == 0)[:, None] & active & carried
        reorder_at = lam * (period[:, None] + 0.5)
        order_up_to = np.ceil(lam_next * (period[:, None] + 2.5))
        qty = np.where(ordering & (stock <= reorder_at), np.maximum(order_up_to - stock, 0), 0)
        opening = stock
        stock = stock + qty
        sold = np.minimum(demand, stock)  # a stock-out censors demand
        stock = stock - sold
        acc_idx, prod_idx = np.nonzero(qty)
        yield WeekResult(
            week=w,
            start=start,
            orders=(acc_idx, prod_idx, qty[acc_idx, prod_idx].astype(np.int64)),
            stock=stock.astype(np.int64),
            opening=opening.astype(np.int64),
            sold=sold.astype(np.int64),
            delivered=qty.astype(np.int64),
            carried=carried,
        )
