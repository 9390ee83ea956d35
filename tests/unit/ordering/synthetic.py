"""Synthetic territories for tests and timing: consistent counts, deliveries and sales."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from kamdesk.domain.enums import AbcTier, BusinessFormat, Loyalty, ProductStatus
from kamdesk.domain.ordering.models import (
    AccountHistory,
    AccountInfo,
    Delivery,
    ProductInfo,
    StockCount,
)

FORMATS = (BusinessFormat.TOBACCO_LIQUOR, BusinessFormat.GROCERY, BusinessFormat.CONVENIENCE)


def products(n: int, *, new: int = 2) -> list[ProductInfo]:
    out = []
    for p in range(n):
        tier = 1 + p % 5
        wholesale = 50.0 + 40.0 * tier
        out.append(
            ProductInfo(
                product_id=f"P{p:03d}",
                name=f"品规{p:03d}",
                price_tier=tier,
                pack_size=10 if p % 3 else 1,
                wholesale_price=wholesale,
                retail_price=wholesale * 1.12,
                status=ProductStatus.DELISTED if p == n - 1 and n > 3 else ProductStatus.ACTIVE,
                is_new=p < new,
                allocation_quota=200 if p % 7 == 3 else None,
            )
        )
    return out


def accounts(n: int, seed: int = 0) -> list[AccountInfo]:
    rng = np.random.default_rng(seed)
    out = []
    for a in range(n):
        tier = AbcTier.A if a % 5 == 0 else (AbcTier.B if a % 5 in (1, 2) else AbcTier.C)
        out.append(
            AccountInfo(
                account_id=f"A{a:04d}",
                name=f"客户{a:04d}",
                business_format=FORMATS[a % len(FORMATS)],
                abc_tier=tier,
                loyalty=(Loyalty.LOYAL, Loyalty.SWITCHING, Loyalty.NONE)[int(rng.integers(3))],
                lead_time_days=int(rng.choice([2, 3, 7])),
                credit_limit=50_000.0 if a % 10 else 1_000.0,
                outstanding_debt=float(rng.uniform(0, 20_000)) if a % 10 else 2_000.0,
            )
        )
    return out


def histories(
    accs: list[AccountInfo],
    prods: list[ProductInfo],
    today: date,
    weeks: int,
    *,
    carried: int = 30,
    seed: int = 1,
) -> dict[str, AccountHistory]:
    """Each account carries ``carried`` products; visits (and counts) every 1, 2 or 4 weeks
    by ABC tier, deliveries topping the stock up at each visit."""
    rng = np.random.default_rng(seed)
    start = today - timedelta(weeks=weeks)
    days = (today - start).days
    out: dict[str, AccountHistory] = {}
    regular = [p for p in range(len(prods)) if not prods[p].is_new]
    for a, acc in enumerate(accs):
        every = {AbcTier.A: 7, AbcTier.B: 14, AbcTier.C: 28}[acc.abc_tier]
        offset = a % every
        visits = np.arange(offset, days, every)
        chosen = rng.choice(regular, size=min(carried, len(regular)), replace=False)
        rates = rng.gamma(2.0, 5.0, size=len(chosen))  # units per day
        sparse = rng.random(len(chosen)) < 0.2
        demand = rng.poisson(rates[:, None] * np.ones(days)[None, :])
        demand = np.where(sparse[:, None] & (rng.random((len(chosen), days)) < 0.85), 0, demand)
        dels: list[Delivery] = []
        counts: list[StockCount] = []
        for j, p in enumerate(chosen.tolist()):
            pid = prods[p].product_id
            stock = float(rates[j] * every * 1.5)
            target = rates[j] * every * 1.5
            v = 0
            for d in range(days):
                stock -= min(stock, float(demand[j, d]))
                if v < len(visits) and visits[v] == d:
                    v += 1
                    day = start + timedelta(days=d)
                    order = float(max(round(target - stock), 0))
                    if order > 0:
                        dels.append(Delivery(day, pid, order))
                        stock += order
                    counts.append(StockCount(day, pid, stock))
        out[acc.account_id] = AccountHistory(acc.account_id, tuple(dels), tuple(counts))
    return out
