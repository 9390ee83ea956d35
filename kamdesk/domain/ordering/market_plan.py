"""Known future information (planned prices and promotions) as forecast regressors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from kamdesk.domain.ordering.errors import InvalidInputError, UnknownProductError
from kamdesk.domain.ordering.models import MarketPlan, ProductInfo

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def plan_regressors(
    plan: MarketPlan | None,
    acc_pos: Mapping[str, int],
    prod_pos: Mapping[str, int],
    products: Sequence[ProductInfo],
    acc: IntArray,
    prod: IntArray,
    first_monday: date,
    n_weeks: int,
) -> tuple[FloatArray | None, tuple[str, ...]]:
    """(n, weeks, 2): log(price / list price) and the share of the week on promotion."""
    if plan is None or (not plan.promotions and not plan.price_changes):
        return None, ()
    n_prod = len(products)
    week_start = np.array([(first_monday + timedelta(weeks=w)).toordinal() for w in range(n_weeks)])
    price = np.ones((n_prod, n_weeks))
    by_product: dict[int, list[tuple[int, float]]] = {}
    for ch in plan.price_changes:
        p = prod_pos.get(ch.product_id)
        if p is None:
            raise UnknownProductError(f"price change for unknown product {ch.product_id}")
        if ch.retail_price <= 0:
            raise InvalidInputError(f"{ch.product_id}: planned price must be > 0")
        by_product.setdefault(p, []).append((ch.day.toordinal(), ch.retail_price))
    for p, changes in by_product.items():
        base = products[p].retail_price or 1.0
        for day, value in sorted(changes):
            price[p, week_start + 3 >= day] = value / base  # mid-week price
    promo_prod = np.zeros((n_prod, n_weeks))
    promo_acc: dict[tuple[int, int], FloatArray] = {}
    for pr in plan.promotions:
        p = prod_pos.get(pr.product_id)
        if p is None:
            raise UnknownProductError(f"promotion for unknown product {pr.product_id}")
        if pr.end < pr.start:
            raise InvalidInputError(f"{pr.product_id}: promotion ends before it starts")
        lo = np.maximum(week_start, pr.start.toordinal())
        hi = np.minimum(week_start + 6, pr.end.toordinal())
        share = np.clip(hi - lo + 1, 0, 7) / 7.0
        if pr.account_id is None:
            promo_prod[p] = np.maximum(promo_prod[p], share)
        else:
            a = acc_pos.get(pr.account_id)
            if a is None:
                raise InvalidInputError(f"promotion for unknown account {pr.account_id}")
            cur = promo_acc.get((a, p), np.zeros(n_weeks))
            promo_acc[(a, p)] = np.maximum(cur, share)
    promo = promo_prod[prod]
    if promo_acc:
        row_of = {(int(a), int(p)): i for i, (a, p) in enumerate(zip(acc, prod, strict=True))}
        for key, share in promo_acc.items():
            i = row_of.get(key)
            if i is not None:
                promo[i] = np.maximum(promo[i], share)
    cube = np.stack([np.log(price[prod]), promo], axis=2)
    return cube, ("log_price_ratio", "promotion")
