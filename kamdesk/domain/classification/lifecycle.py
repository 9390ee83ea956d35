"""Lifecycle stage (潜在获取期 → 成长期 → 成熟期 → 衰退期 → 终止期) from sales and visits.

Rules, in order (first match wins):

1. closed account → ended;
2. never bought: prospect, or ended when not even visited for ``prospect_abandon_days``;
3. no purchase for ``ended_after_days`` → ended;
4. first purchase within ``acquisition_days`` → prospect (acquisition);
5. no purchase for ``silence_decline_days`` → decline;
6. trend: the trimmed mean of the last ``window_months`` months against the window before
   (shorter windows for young accounts): ≥ ``growth_ratio`` → growth, ≤ ``decline_ratio`` →
   decline, else maturity. The trimmed mean ignores one best and one worst month per window,
   so a single stock-up order neither makes nor breaks a trend, and it is monotone: more
   recent sales never push an account towards decline.

A manual override is kept beside the computed stage; decline asks for a retention visit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from kamdesk.domain.classification.errors import InvalidConfigError, InvalidInputError
from kamdesk.domain.classification.sales import (
    PurchaseLine,
    add_months,
    monthly_amounts,
    months_between,
)
from kamdesk.domain.enums import LIFECYCLE_ZH, LifecycleStage
from kamdesk.domain.explain import Explanation, FactValue, format_cny

LIFECYCLE_EN: dict[LifecycleStage, str] = {
    LifecycleStage.PROSPECT: "prospect/acquisition",
    LifecycleStage.GROWTH: "growth",
    LifecycleStage.MATURITY: "maturity",
    LifecycleStage.DECLINE: "decline",
    LifecycleStage.ENDED: "ended",
}


@dataclass(frozen=True, slots=True)
class LifecycleConfig:
    acquisition_days: int = 90
    silence_decline_days: int = 60
    ended_after_days: int = 180
    prospect_abandon_days: int = 365
    window_months: int = 6
    growth_ratio: float = 1.2
    decline_ratio: float = 0.8

    def __post_init__(self) -> None:
        if not 0 < self.decline_ratio < 1 < self.growth_ratio:
            raise InvalidConfigError("need 0 < decline_ratio < 1 < growth_ratio")
        if not 0 < self.silence_decline_days <= self.ended_after_days:
            raise InvalidConfigError("need 0 < silence_decline_days <= ended_after_days")
        if self.window_months < 1 or self.acquisition_days < 0:
            raise InvalidConfigError("window_months must be >= 1, acquisition_days >= 0")


@dataclass(frozen=True, slots=True)
class LifecycleInput:
    account_id: str
    as_of: date
    # Calendar-month purchase totals, oldest -> newest; the last entry is the month before
    # ``as_of``'s month (the latest complete one). 12-24 months is plenty.
    monthly_amounts: Sequence[float]
    first_purchase: date | None
    last_purchase: date | None
    last_visit: date | None = None
    closed: bool = False
    override: LifecycleStage | None = None


@dataclass(frozen=True, slots=True)
class LifecycleResult:
    account_id: str
    computed: LifecycleStage
    override: LifecycleStage | None
    explanation: Explanation

    @property
    def effective(self) -> LifecycleStage:
        return self.override if self.override is not None else self.computed

    @property
    def needs_retention_visit(self) -> bool:
        return self.effective is LifecycleStage.DECLINE


def trimmed_level(values: Sequence[float] | np.ndarray) -> float:
    """Mean after dropping the single highest and lowest value (plain mean below 4 values)."""
    arr = np.sort(np.asarray(values, dtype=np.float64))
    if arr.size == 0:
        return 0.0
    if arr.size >= 4:
        arr = arr[1:-1]
    return float(arr.mean())


def infer_lifecycle(item: LifecycleInput, config: LifecycleConfig | None = None) -> LifecycleResult:
    cfg = config or LifecycleConfig()
    computed, explanation = _infer(item, cfg)
    if item.override is not None and item.override is not computed:
        explanation = Explanation(
            f"人工指定为{LIFECYCLE_ZH[item.override]}（计算结果为{LIFECYCLE_ZH[computed]}）。"
            + explanation.zh,
            f"Set manually to {LIFECYCLE_EN[item.override]} "
            f"(computed: {LIFECYCLE_EN[computed]}). " + explanation.en,
            (*explanation.facts, ("override", item.override.value)),
        )
    return LifecycleResult(item.account_id, computed, item.override, explanation)


def _infer(item: LifecycleInput, cfg: LifecycleConfig) -> tuple[LifecycleStage, Explanation]:
    first, last, today = item.first_purchase, item.last_purchase, item.as_of
    if (first is None) != (last is None) or (first and last and first > last):
        raise InvalidInputError("first_purchase and last_purchase must both be set, in order")
    if last is not None and last > today:
        raise InvalidInputError("last_purchase is after as_of")
    monthly = np.asarray(item.monthly_amounts, dtype=np.float64)
    if monthly.ndim != 1 or not np.all(np.isfinite(monthly)):
        raise InvalidInputError("monthly_amounts must be a list of finite numbers")

    stage = LifecycleStage
    if item.closed:
        return stage.ENDED, _text(stage.ENDED, "客户已关闭", "account is closed", closed=True)
    if first is None or last is None:
        idle = (today - item.last_visit).days if item.last_visit else None
        if idle is not None and idle >= cfg.prospect_abandon_days:
            return stage.ENDED, _text(
                stage.ENDED,
                f"从未进货，且已{idle}天未拜访",
                f"never bought and not visited for {idle} days",
                days_since_visit=idle,
            )
        return stage.PROSPECT, _text(
            stage.PROSPECT, "尚未进货", "no purchases yet", days_since_visit=idle
        )
    silent = (today - last).days
    if silent >= cfg.ended_after_days:
        return stage.ENDED, _text(
            stage.ENDED,
            f"已{silent}天无进货（≥{cfg.ended_after_days}天）",
            f"no purchases for {silent} days (≥ {cfg.ended_after_days})",
            days_since_purchase=silent,
        )
    age = (today - first).days
    if age < cfg.acquisition_days:
        return stage.PROSPECT, _text(
            stage.PROSPECT,
            f"首次进货在{age}天前（{first.isoformat()}），仍在获取期",
            f"first purchase {age} days ago ({first.isoformat()}), still being acquired",
            days_since_first_purchase=age,
        )
    if silent >= cfg.silence_decline_days:
        return stage.DECLINE, _text(
            stage.DECLINE,
            f"已{silent}天无进货（≥{cfg.silence_decline_days}天）",
            f"no purchases for {silent} days (≥ {cfg.silence_decline_days})",
            days_since_purchase=silent,
        )
    return _trend(monthly, months_between(first, today), cfg)


def _trend(
    monthly: np.ndarray, active_months: int, cfg: LifecycleConfig
) -> tuple[LifecycleStage, Explanation]:
    usable = min(monthly.size, active_months)
    window = min(cfg.window_months, usable // 2)
    if window < 2:
        return LifecycleStage.GROWTH, _text(
            LifecycleStage.GROWTH,
            "新客户，历史不足以判断趋势，按成长期处理",
            "young account, too little history for a trend; treated as growth",
            months_of_history=usable,
        )
    recent = trimmed_level(monthly[-window:])
    previous = trimmed_level(monthly[-2 * window : -window])
    ratio = recent / previous if previous > 0 else (float("inf") if recent > 0 else 1.0)
    if ratio >= cfg.growth_ratio:
        result = LifecycleStage.GROWTH
    elif ratio <= cfg.decline_ratio:
        result = LifecycleStage.DECLINE
    else:
        result = LifecycleStage.MATURITY
    shown = f"{ratio:.2f}" if np.isfinite(ratio) else "∞"
    return result, _text(
        result,
        f"近{window}个月月均 {format_cny(recent)}，前{window}个月 {format_cny(previous)}，"
        f"比值 {shown}（成长≥{cfg.growth_ratio}，衰退≤{cfg.decline_ratio}）",
        f"last {window} months average {format_cny(recent)} vs {format_cny(previous)} before, "
        f"ratio {shown} (growth ≥ {cfg.growth_ratio}, decline ≤ {cfg.decline_ratio})",
        window_months=window,
        recent_level=recent,
        previous_level=previous,
        ratio=ratio if np.isfinite(ratio) else None,
    )


def _text(stage: LifecycleStage, zh: str, en: str, **facts: FactValue) -> Explanation:
    return Explanation.of(
        f"{LIFECYCLE_ZH[stage]}：{zh}",
        f"{LIFECYCLE_EN[stage].capitalize()}: {en}",
        stage=stage.value,
        **facts,
    )


@dataclass(frozen=True, slots=True)
class AccountState:
    """What lifecycle inference needs besides purchases."""

    account_id: str
    last_visit: date | None = None
    closed: bool = False
    override: LifecycleStage | None = None


def lifecycle_inputs(
    accounts: Iterable[AccountState],
    purchases: Iterable[PurchaseLine],
    as_of: date,
    months: int = 24,
) -> list[LifecycleInput]:
    """Lifecycle inputs from raw purchase lines (one pass; lines after ``as_of`` are ignored).

    Monthly totals cover the ``months`` complete months before ``as_of``'s month.
    """
    states = list(accounts)
    known = {s.account_id for s in states}
    lines = [line for line in purchases if line.day <= as_of]
    stray = {line.account_id for line in lines} - known
    if stray:
        raise InvalidInputError(f"purchases for unlisted accounts: {sorted(stray)[:5]}")
    first: dict[str, date] = {}
    last: dict[str, date] = {}
    for line in lines:
        a = line.account_id
        if line.day < first.get(a, date.max):
            first[a] = line.day
        if line.day > last.get(a, date.min):
            last[a] = line.day
    series = monthly_amounts(lines, add_months(as_of.replace(day=1), -1), months)
    empty = np.zeros(months, dtype=np.float64)
    return [
        LifecycleInput(
            s.account_id,
            as_of,
            series.get(s.account_id, empty).tolist(),
            first.get(s.account_id),
            last.get(s.account_id),
            s.last_visit,
            s.closed,
            s.override,
        )
        for s in states
    ]
