"""Sales anomalies: accounts and products whose monthly sales moved sharply.

A month is compared with the month before (环比, month on month) and with the same month a year
earlier (同比, year on year). A move of at least the threshold (±30 % by default) is an anomaly,
unless the base month is below ``min_base`` (a jump from ¥50 to ¥500 means nothing). Evaluate
complete months only: a half-finished month always looks like a drop. Anomalies feed the
special-visit trigger (特殊拜访) and the dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from kamdesk.domain.classification.sales import PurchaseLine, add_months, monthly_amounts
from kamdesk.domain.explain import Explanation, Money, format_cny, format_pct, to_decimal


class AnomalyError(ValueError):
    code: str = "anomaly.invalid_input"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class SubjectKind(StrEnum):
    ACCOUNT = "account"
    PRODUCT = "product"


class Comparison(StrEnum):
    MONTH_ON_MONTH = "mom"  # 环比
    YEAR_ON_YEAR = "yoy"  # 同比


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class AnomalyConfig:
    mom_threshold: float = 0.30
    yoy_threshold: float = 0.30
    min_base: Money = Decimal("1000")

    def __post_init__(self) -> None:
        if self.mom_threshold <= 0 or self.yoy_threshold <= 0 or to_decimal(self.min_base) < 0:
            raise AnomalyError(
                "thresholds must be positive and min_base >= 0", code="anomaly.config"
            )


@dataclass(frozen=True, slots=True)
class SalesAnomaly:
    kind: SubjectKind
    subject_id: str
    month: date  # first day of the month examined
    comparison: Comparison
    current: Decimal
    base: Decimal  # the month compared against
    change: float  # (current - base) / base, e.g. -0.45
    explanation: Explanation

    @property
    def direction(self) -> Direction:
        return Direction.UP if self.change > 0 else Direction.DOWN


def detect_anomalies(
    series: Mapping[str, Sequence[float] | npt.NDArray[np.float64]],
    month: date,
    kind: SubjectKind = SubjectKind.ACCOUNT,
    config: AnomalyConfig | None = None,
) -> list[SalesAnomaly]:
    """Anomalies in the last entry of each series (monthly totals, oldest first, ending with
    ``month``). Series shorter than 2 (13) months get no month-on-month (year-on-year) check.
    Sorted by subject id, month-on-month before year-on-year."""
    cfg = config or AnomalyConfig()
    month = month.replace(day=1)
    min_base = float(to_decimal(cfg.min_base))
    checks = (
        (Comparison.MONTH_ON_MONTH, 1, cfg.mom_threshold),
        (Comparison.YEAR_ON_YEAR, 12, cfg.yoy_threshold),
    )
    found: list[SalesAnomaly] = []
    for subject in sorted(series):
        values = np.asarray(series[subject], dtype=np.float64)
        if values.ndim != 1 or not np.all(np.isfinite(values)):
            raise AnomalyError(f"series for {subject!r} must be finite monthly amounts")
        for comparison, lag, threshold in checks:
            if values.size <= lag:
                continue
            current, base = float(values[-1]), float(values[-1 - lag])
            if base <= 0 or base < min_base:
                continue
            change = (current - base) / base
            if abs(change) + 1e-12 >= threshold:
                found.append(_anomaly(kind, subject, month, comparison, current, base, change, lag))
    return found


def detect_purchase_anomalies(
    purchases: Iterable[PurchaseLine], month: date, config: AnomalyConfig | None = None
) -> list[SalesAnomaly]:
    """Account and product anomalies for ``month`` straight from purchase lines."""
    lines = list(purchases)
    by_account = monthly_amounts(lines, month, 13)
    by_product = monthly_amounts(lines, month, 13, key=lambda line: line.product_id)
    return detect_anomalies(by_account, month, SubjectKind.ACCOUNT, config) + detect_anomalies(
        by_product, month, SubjectKind.PRODUCT, config
    )


def anomalies_by_subject(
    anomalies: Iterable[SalesAnomaly], kind: SubjectKind = SubjectKind.ACCOUNT
) -> dict[str, list[SalesAnomaly]]:
    grouped: dict[str, list[SalesAnomaly]] = {}
    for anomaly in anomalies:
        if anomaly.kind is kind:
            grouped.setdefault(anomaly.subject_id, []).append(anomaly)
    return grouped


def _anomaly(
    kind: SubjectKind,
    subject: str,
    month: date,
    comparison: Comparison,
    current: float,
    base: float,
    change: float,
    lag: int,
) -> SalesAnomaly:
    base_month = add_months(month, -lag)
    cur_d, base_d = to_decimal(current), to_decimal(base)
    up = change > 0
    pct = format_pct(abs(change))
    what_zh = "环比" if comparison is Comparison.MONTH_ON_MONTH else "同比"
    what_en = "month on month" if comparison is Comparison.MONTH_ON_MONTH else "year on year"
    label = f"{month.year}-{month.month:02d}"
    base_label = f"{base_month.year}-{base_month.month:02d}"
    explanation = Explanation.of(
        f"{what_zh}{'增长' if up else '下降'} {pct}：{month.year}年{month.month}月 "
        f"{format_cny(cur_d)}，{base_month.year}年{base_month.month}月 {format_cny(base_d)}",
        f"{'Up' if up else 'Down'} {pct} {what_en}: {format_cny(cur_d)} in {label} "
        f"vs {format_cny(base_d)} in {base_label}",
        current=cur_d,
        base=base_d,
        change=round(change, 4),
        month=month,
        base_month=base_month,
    )
    return SalesAnomaly(kind, subject, month, comparison, cur_d, base_d, change, explanation)
