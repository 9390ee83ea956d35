"""ABC value tiers by the Pareto rule over trailing purchase amount.

A is the smallest group of the highest-value accounts whose purchases reach ``a_share`` of the
total (80 % by default), B extends the group up to ``b_share`` (95 %), C is the long tail.
Accounts with equal amounts always share a tier (the group is closed under ties, so the result
depends on the amounts only, never on input order or ids); accounts that bought nothing (or net
returns) are C. Ranks break ties by account id so they are deterministic too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from kamdesk.domain.classification.errors import InvalidConfigError, InvalidInputError
from kamdesk.domain.classification.sales import PurchaseLine, trailing_totals
from kamdesk.domain.enums import AbcTier
from kamdesk.domain.explain import (
    Explanation,
    Money,
    format_cny,
    format_pct,
    ordinal_en,
    to_decimal,
)

# Cumulative shares come from a float cumsum; a share this close to the threshold counts.
_EPS = 1e-9
_TIERS = (AbcTier.A, AbcTier.B, AbcTier.C)


@dataclass(frozen=True, slots=True)
class AbcConfig:
    a_share: float = 0.80
    b_share: float = 0.95
    window_months: int = 12

    def __post_init__(self) -> None:
        if not 0.0 < self.a_share <= self.b_share <= 1.0:
            raise InvalidConfigError(
                f"need 0 < a_share <= b_share <= 1, got {self.a_share}, {self.b_share}"
            )
        if self.window_months < 1:
            raise InvalidConfigError("window_months must be >= 1")


@dataclass(frozen=True, slots=True)
class AccountValue:
    """An account's purchase amount over the trailing window, and any manual tier."""

    account_id: str
    amount: Money
    override: AbcTier | None = None


@dataclass(frozen=True, slots=True)
class AbcResult:
    account_id: str
    computed: AbcTier
    override: AbcTier | None
    rank: int  # 1 = highest amount
    amount: Decimal
    cumulative_share: float  # share of total value of this account and all ranked above it
    # Shared sentence templates; the explanation is built on first use (20,000 sentences
    # would otherwise cost more than the classification itself).
    texts: _TierTexts = field(repr=False, compare=False)

    @property
    def effective(self) -> AbcTier:
        return self.override if self.override is not None else self.computed

    @property
    def explanation(self) -> Explanation:
        return self.texts.explain(self.computed, self.override, self.rank, self.amount)


@dataclass(frozen=True, slots=True)
class AbcSummary:
    account_count: int
    total_amount: Decimal
    a_count: int
    b_count: int
    c_count: int
    a_value_share: float  # share of total value bought by the A tier
    ab_value_share: float  # ... by A and B together


@dataclass(frozen=True, slots=True)
class AbcClassification:
    results: tuple[AbcResult, ...]  # in rank order
    summary: AbcSummary

    def by_account(self) -> dict[str, AbcResult]:
        return {r.account_id: r for r in self.results}


@dataclass(frozen=True, slots=True)
class ParetoSplit:
    """The vectorised core: tier index per input position (0=A, 1=B, 2=C) and rank order."""

    tiers: npt.NDArray[np.int8]
    order: npt.NDArray[np.intp]  # input positions sorted by amount desc, then id
    cumulative_share: npt.NDArray[np.float64]  # along ``order``


def pareto_split(
    amounts: npt.ArrayLike,
    a_share: float = 0.80,
    b_share: float = 0.95,
    ids: Sequence[str] | None = None,
) -> ParetoSplit:
    """Split ``amounts`` into A/B/C by cumulative share (see the module docstring)."""
    values = np.asarray(amounts, dtype=np.float64)
    if values.ndim != 1:
        raise InvalidInputError("amounts must be one-dimensional")
    if not np.all(np.isfinite(values)):
        raise InvalidInputError("amounts must be finite numbers")
    positive = np.where(values > 0.0, values, 0.0)
    n = positive.size
    if ids is not None:
        order = np.lexsort((np.asarray(ids, dtype=str), -positive)).astype(np.intp)
    else:
        order = np.argsort(-positive, kind="stable").astype(np.intp)
    ranked = positive[order]
    total = float(ranked.sum())
    tiers = np.full(n, 2, dtype=np.int8)
    if total <= 0.0:
        return ParetoSplit(tiers, order, np.zeros(n, dtype=np.float64))
    cumulative = np.cumsum(ranked) / total
    cut_a = ranked[min(int(np.searchsorted(cumulative, a_share - _EPS, side="left")), n - 1)]
    cut_b = ranked[min(int(np.searchsorted(cumulative, b_share - _EPS, side="left")), n - 1)]
    bought = positive > 0.0
    tiers[bought & (positive >= cut_b)] = 1
    tiers[bought & (positive >= cut_a)] = 0
    return ParetoSplit(tiers, order, cumulative)


def classify_abc(
    accounts: Sequence[AccountValue], config: AbcConfig | None = None
) -> AbcClassification:
    """ABC tier of every account, with rank, cumulative share and an explanation each."""
    cfg = config or AbcConfig()
    ids = [a.account_id for a in accounts]
    if len(set(ids)) != len(ids):
        raise InvalidInputError("an account appears twice in the ABC input")
    amounts = [a.amount if isinstance(a.amount, float | int) else float(a.amount) for a in accounts]
    split = pareto_split(amounts, cfg.a_share, cfg.b_share, ids)
    tiers = split.tiers
    n = len(accounts)
    counts = [int(np.count_nonzero(tiers == t)) for t in range(3)]
    total = to_decimal(math.fsum(a for a in amounts if a > 0))
    ranked_tiers = tiers[split.order]
    cum = split.cumulative_share
    a_value = float(cum[counts[0] - 1]) if counts[0] else 0.0
    ab_value = float(cum[counts[0] + counts[1] - 1]) if counts[0] + counts[1] else 0.0
    summary = AbcSummary(n, total, counts[0], counts[1], counts[2], a_value, ab_value)
    texts = _TierTexts(summary, cfg.window_months)
    results: list[AbcResult] = []
    for rank0, pos in enumerate(split.order.tolist()):
        account = accounts[pos]
        computed = _TIERS[int(ranked_tiers[rank0])]
        amount = to_decimal(account.amount)
        results.append(
            AbcResult(
                account.account_id,
                computed,
                account.override,
                rank0 + 1,
                amount,
                float(cum[rank0]),
                texts,
            )
        )
    return AbcClassification(tuple(results), summary)


class _TierTexts:
    """Sentence templates, with the tier-wide numbers formatted once for all accounts."""

    def __init__(self, summary: AbcSummary, window: int) -> None:
        n = max(summary.account_count, 1)
        self.window = window
        self.a_accounts = format_pct(summary.a_count / n)
        self.ab_accounts = format_pct((summary.a_count + summary.b_count) / n)
        self.a_value = format_pct(summary.a_value_share)
        self.ab_value = format_pct(summary.ab_value_share)
        self.summary = summary

    def explain(
        self, tier: AbcTier, override: AbcTier | None, rank: int, amount: Decimal
    ) -> Explanation:
        money = format_cny(amount)
        w = self.window
        zh_tail = f"本户排名第{rank}，近{w}个月进货 {money}"
        en_tail = f"this one ranks {ordinal_en(rank)} with {money} over {w} months"
        if tier is AbcTier.A:
            zh = f"A：前{self.a_accounts}的客户贡献了{self.a_value}的进货额；{zh_tail}"
            en = f"A: top {self.a_accounts} of accounts make {self.a_value} of value; {en_tail}"
        elif tier is AbcTier.B:
            zh = (
                f"B：A类之后、累计贡献至{self.ab_value}进货额的客户"
                f"（前{self.ab_accounts}）；{zh_tail}"
            )
            en = (
                f"B: after the A tier, accounts up to {self.ab_value} of cumulative value "
                f"(top {self.ab_accounts}); {en_tail}"
            )
        elif amount > 0:
            zh = f"C：长尾客户（累计{self.ab_value}进货额之外）；{zh_tail}"
            en = f"C: long tail (beyond {self.ab_value} of cumulative value); {en_tail}"
        else:
            zh = f"C：近{w}个月无进货；本户排名第{rank}"
            en = f"C: no purchases in the last {w} months; ranks {ordinal_en(rank)}"
        if override is not None:
            zh = f"人工指定为{override.value}类（计算结果为{tier.value}类）。{zh}"
            en = f"Set manually to {override.value} (computed: {tier.value}). {en}"
        return Explanation(
            zh,
            en,
            (
                ("computed", tier.value),
                ("override", override.value if override is not None else None),
                ("rank", rank),
                ("amount", amount),
                ("account_count", self.summary.account_count),
                ("a_count", self.summary.a_count),
                ("a_value_share", self.summary.a_value_share),
            ),
        )


def account_values(
    account_ids: Iterable[str],
    purchases: Iterable[PurchaseLine],
    as_of: date,
    *,
    overrides: Mapping[str, AbcTier] | None = None,
    months: int = 12,
) -> list[AccountValue]:
    """ABC input from raw purchase lines: every listed account (non-buyers too, at zero).

    A purchase or an override for an account that is not listed is an error, not a silent drop.
    """
    ids = list(account_ids)
    known = set(ids)
    lines = list(purchases)
    stray = {line.account_id for line in lines} - known
    stray |= set(overrides or {}) - known
    if stray:
        raise InvalidInputError(
            f"purchases or overrides for unlisted accounts: {sorted(stray)[:5]}"
        )
    totals = trailing_totals(lines, as_of, months)
    chosen = overrides or {}
    return [AccountValue(i, totals.get(i, Decimal(0)), chosen.get(i)) for i in ids]
