"""Purchase records as the classification rules see them, and calendar-month arithmetic."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from kamdesk.domain.explain import Money, to_decimal

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class PurchaseLine:
    """One purchase (进货) line; lines sharing ``order_id`` (or, without one, the same
    account and day) form one purchase for the VIP single-purchase rule."""

    account_id: str
    day: date
    amount: Money
    product_id: str | None = None
    order_id: str | None = None


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later (negative: earlier), clamped to the target month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from ``earlier``'s month to ``later``'s month."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def trailing_start(as_of: date, months: int = 12) -> date:
    """First day of the trailing window of ``months`` months that ends on ``as_of``."""
    return add_months(as_of, -months) + timedelta(days=1)


def trailing_totals(
    purchases: Iterable[PurchaseLine], as_of: date, months: int = 12
) -> dict[str, Decimal]:
    """Purchase amount per account over ``(as_of - months, as_of]`` (exact, in Decimal)."""
    start = trailing_start(as_of, months)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in purchases:
        if start <= line.day <= as_of:
            totals[line.account_id] += to_decimal(line.amount)
    return dict(totals)


def monthly_amounts(
    purchases: Iterable[PurchaseLine],
    last_month: date,
    months: int,
    key: Callable[[PurchaseLine], str | None] = lambda line: line.account_id,
) -> dict[str, FloatArray]:
    """Calendar-month totals per ``key`` for the ``months`` months ending with ``last_month``.

    Arrays run oldest to newest; months without purchases are 0. Lines whose key is ``None``
    (e.g. no product id when grouping by product) are left out.
    """
    if months < 1:
        raise ValueError("months must be >= 1")
    last = month_start(last_month)
    series: dict[str, FloatArray] = {}
    for line in purchases:
        name = key(line)
        if name is None:
            continue
        offset = months_between(line.day, last)
        if 0 <= offset < months:
            row = series.get(name)
            if row is None:
                row = series[name] = np.zeros(months, dtype=np.float64)
            row[months - 1 - offset] += float(line.amount)
    return series
