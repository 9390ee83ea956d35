"""Estimated monthly gross margin of the shops (毛利估算), for the account card and dashboard.

Margin per product = (retail − wholesale price) × estimated monthly sales, where the sales are
the engine's sell-through (mean of the last 8 known weeks, the forecast when none) × 52/12.
Everything is read from the cached advice run, so the card and the dashboard cost nothing
after the Advice screen (or each other) has computed it. Money in integer fen.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from kamdesk.services.advice import AdviceService, EngineRun, Progress
from kamdesk.services.advice_load import AdviceError


@dataclass(frozen=True, slots=True)
class ProductMarginRow:
    product_id: str
    product_name: str
    monthly_units: float
    unit_margin_fen: int  # retail − wholesale per unit
    monthly_margin_fen: int
    monthly_revenue_fen: int


@dataclass(frozen=True, slots=True)
class AccountMarginRow:
    account_id: str
    account_name: str
    monthly_margin_fen: int
    monthly_revenue_fen: int


@dataclass(frozen=True, slots=True)
class MarginSummary:
    """One account (``account_id`` set) or the whole territory (``account_id`` None)."""

    account_id: str | None
    today: date
    monthly_margin_fen: int
    monthly_revenue_fen: int
    products: tuple[ProductMarginRow, ...]  # largest margin first
    accounts: tuple[AccountMarginRow, ...]  # largest margin first (one row for an account)

    @property
    def margin_rate(self) -> float:
        """Gross margin as a share of estimated revenue (0 without revenue)."""
        if self.monthly_revenue_fen <= 0:
            return 0.0
        return self.monthly_margin_fen / self.monthly_revenue_fen


class ProfitabilityService:
    def __init__(self, advice: AdviceService) -> None:
        self._advice = advice

    def monthly_margin(
        self,
        account_id: str | None = None,
        today: date | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> MarginSummary:
        """Estimated monthly margin of one account, or of every advised account when None."""
        run = self._advice.run(today, None, progress, cancel)
        if account_id is None:
            return _summary(run, None, [a.account_id for a in run.territory.accounts])
        if run.account(account_id) is None:
            raise AdviceError(
                f"Account {account_id} has no ordering history to estimate a margin from.",
                code="advice.no_margin",
            )
        return _summary(run, account_id, [account_id])


def _summary(run: EngineRun, scope: str | None, account_ids: list[str]) -> MarginSummary:
    units: dict[str, float] = defaultdict(float)
    margin: dict[str, float] = defaultdict(float)
    unit_margin: dict[str, float] = {}
    revenue_of: dict[str, float] = defaultdict(float)
    accounts: list[AccountMarginRow] = []
    for account_id in account_ids:
        acc = run.account(account_id)
        if acc is None:
            continue
        m = acc.margin
        for line in m.lines:
            units[line.product_id] += line.monthly_units
            margin[line.product_id] += line.monthly_margin
            unit_margin[line.product_id] = line.unit_margin
            label_p = run.products.get(line.product_id)
            retail = label_p.retail_fen / 100.0 if label_p else 0.0
            revenue_of[line.product_id] += line.monthly_units * retail
        label = run.accounts.get(account_id)
        accounts.append(
            AccountMarginRow(
                account_id,
                label.name if label else account_id,
                round(m.monthly_margin * 100),
                round(m.monthly_revenue * 100),
            )
        )
    products = [
        ProductMarginRow(
            pid,
            run.products[pid].name if pid in run.products else pid,
            units[pid],
            round(unit_margin[pid] * 100),
            round(margin[pid] * 100),
            round(revenue_of[pid] * 100),
        )
        for pid in units
        if units[pid] > 0
    ]
    products.sort(key=lambda r: (-r.monthly_margin_fen, r.product_name))
    accounts.sort(key=lambda r: (-r.monthly_margin_fen, r.account_name))
    return MarginSummary(
        scope,
        run.today,
        sum(a.monthly_margin_fen for a in accounts),
        sum(a.monthly_revenue_fen for a in accounts),
        tuple(products),
        tuple(accounts),
    )
