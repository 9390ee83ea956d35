"""Estimated monthly gross margin of a shop: Σ (retail − wholesale) × estimated sales."""

from __future__ import annotations

from dataclasses import dataclass

WEEKS_PER_MONTH = 52.0 / 12.0


@dataclass(frozen=True, slots=True)
class ProductMargin:
    product_id: str
    monthly_units: float  # estimated sell-through per month
    unit_margin: float  # retail − wholesale price per unit
    monthly_margin: float


@dataclass(frozen=True, slots=True)
class AccountMargin:
    account_id: str
    lines: tuple[ProductMargin, ...]  # largest margin first
    monthly_margin: float
    monthly_revenue: float


def account_margin(account_id: str, rows: list[tuple[str, float, float, float]]) -> AccountMargin:
    """``rows``: (product id, weekly units, retail price, wholesale price)."""
    lines: list[ProductMargin] = []
    revenue = 0.0
    for product_id, weekly, retail, wholesale in rows:
        units = max(weekly, 0.0) * WEEKS_PER_MONTH
        unit_margin = retail - wholesale
        lines.append(ProductMargin(product_id, units, unit_margin, units * unit_margin))
        revenue += units * retail
    lines.sort(key=lambda m: (-m.monthly_margin, m.product_id))
    return AccountMargin(account_id, tuple(lines), sum(m.monthly_margin for m in lines), revenue)
