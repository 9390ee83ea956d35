"""Key-account (大客户) criteria: each one judged with its numbers, then an overall verdict.

An account meets the standard when every *required* criterion holds (volume, frequency,
continuity and credit by default) and at least ``min_optional_met`` of the others (strategic
importance, growth potential) do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from kamdesk.domain.classification.errors import InvalidConfigError, InvalidInputError
from kamdesk.domain.explain import Explanation, FactValue, Money, format_cny, format_pct, to_decimal


class KeyCriterion(StrEnum):
    VOLUME = "volume"  # 进货量大
    FREQUENCY = "frequency"  # 进货频次高
    CONTINUITY = "continuity"  # 连续进货1-2年以上
    STRATEGIC = "strategic"  # 战略意义
    GROWTH = "growth"  # 成长潜力
    CREDIT = "credit"  # 信誉良好


CRITERION_NAMES: dict[KeyCriterion, tuple[str, str]] = {
    KeyCriterion.VOLUME: ("进货量", "volume"),
    KeyCriterion.FREQUENCY: ("进货频次", "frequency"),
    KeyCriterion.CONTINUITY: ("连续进货", "continuity"),
    KeyCriterion.STRATEGIC: ("战略意义", "strategic importance"),
    KeyCriterion.GROWTH: ("成长潜力", "growth potential"),
    KeyCriterion.CREDIT: ("信誉", "credit"),
}


@dataclass(frozen=True, slots=True)
class KeyAccountConfig:
    min_amount_12m: Money = Decimal("100000")
    min_orders_12m: int = 24
    min_continuous_months: int = 12
    allowed_gap_months: int = 1  # a single month without orders does not break continuity
    min_growth: float = 0.10  # year-on-year growth that alone shows potential
    min_potential_score: int = 4  # or the evaluation's potential score (1-5)
    max_overdue_debt: Money = Decimal("0")
    min_credit_score: int = 3  # evaluation credit score (1-5), and not falling
    required: frozenset[KeyCriterion] = field(
        default_factory=lambda: frozenset(
            {
                KeyCriterion.VOLUME,
                KeyCriterion.FREQUENCY,
                KeyCriterion.CONTINUITY,
                KeyCriterion.CREDIT,
            }
        )
    )
    min_optional_met: int = 1

    def __post_init__(self) -> None:
        if self.min_orders_12m < 0 or self.min_continuous_months < 0 or self.allowed_gap_months < 0:
            raise InvalidConfigError("key-account thresholds must be non-negative")
        optional = len(KeyCriterion) - len(self.required)
        if not 0 <= self.min_optional_met <= optional:
            raise InvalidConfigError(f"min_optional_met must be within 0..{optional}")


@dataclass(frozen=True, slots=True)
class KeyAccountInput:
    account_id: str
    monthly_amounts: Sequence[float]  # oldest -> newest, ending with the latest full month
    orders_12m: int
    strategic: bool = False
    potential_score: int | None = None  # 1-5 from the latest evaluation
    credit_score: int | None = None  # 1-5 from the latest evaluation
    previous_credit_score: int | None = None
    overdue_debt: Money = Decimal("0")


@dataclass(frozen=True, slots=True)
class CriterionVerdict:
    criterion: KeyCriterion
    met: bool
    required: bool
    value: FactValue
    threshold: FactValue
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class KeyAccountAssessment:
    account_id: str
    meets: bool
    verdicts: tuple[CriterionVerdict, ...]
    explanation: Explanation

    def verdict(self, criterion: KeyCriterion) -> CriterionVerdict:
        return next(v for v in self.verdicts if v.criterion is criterion)


def continuous_months(monthly: Sequence[float], allowed_gap: int = 1) -> int:
    """Months, counted back from the newest, of purchasing without a gap longer than allowed."""
    span = 0
    gap = 0
    started = False
    for amount in reversed(monthly):
        if amount > 0:
            span += (gap if started else 0) + 1  # leading empty months do not count
            started = True
            gap = 0
        else:
            gap += 1
            if gap > allowed_gap:
                break
    return span if started else 0


def assess_key_account(
    item: KeyAccountInput, config: KeyAccountConfig | None = None
) -> KeyAccountAssessment:
    cfg = config or KeyAccountConfig()
    if item.orders_12m < 0:
        raise InvalidInputError("orders_12m must be >= 0")
    for score in (item.potential_score, item.credit_score, item.previous_credit_score):
        if score is not None and not 1 <= score <= 5:
            raise InvalidInputError(f"evaluation scores run 1-5, got {score}")
    months = [float(x) for x in item.monthly_amounts]
    last12 = to_decimal(sum(months[-12:]))
    prev12 = to_decimal(sum(months[-24:-12])) if len(months) > 12 else Decimal(0)
    verdicts = [
        _volume(last12, to_decimal(cfg.min_amount_12m)),
        _frequency(item.orders_12m, cfg.min_orders_12m),
        _continuity(continuous_months(months, cfg.allowed_gap_months), cfg.min_continuous_months),
        _strategic(item.strategic),
        _growth(last12, prev12, item.potential_score, cfg),
        _credit(item, cfg),
    ]
    verdicts = [_with_required(v, v.criterion in cfg.required) for v in verdicts]
    required_ok = all(v.met for v in verdicts if v.required)
    optional_met = sum(1 for v in verdicts if not v.required and v.met)
    meets = required_ok and optional_met >= cfg.min_optional_met
    met_names_zh = "、".join(CRITERION_NAMES[v.criterion][0] for v in verdicts if v.met) or "无"
    met_names_en = ", ".join(CRITERION_NAMES[v.criterion][1] for v in verdicts if v.met) or "none"
    head = Explanation.of(
        ("符合大客户标准" if meets else "未达大客户标准") + f"（满足：{met_names_zh}）",
        ("Meets the key-account standard" if meets else "Does not meet the key-account standard")
        + f" (met: {met_names_en})",
        meets=meets,
        optional_met=optional_met,
    )
    explanation = Explanation.join([head, *(v.explanation for v in verdicts)])
    return KeyAccountAssessment(item.account_id, meets, tuple(verdicts), explanation)


def _with_required(v: CriterionVerdict, required: bool) -> CriterionVerdict:
    return CriterionVerdict(v.criterion, v.met, required, v.value, v.threshold, v.explanation)


def _mark(met: bool) -> str:
    return "✓" if met else "✗"


def _volume(amount: Decimal, threshold: Decimal) -> CriterionVerdict:
    met = amount >= threshold
    text = Explanation.of(
        f"{_mark(met)}进货量：近12个月 {format_cny(amount)}（标准 {format_cny(threshold)}）",
        f"{_mark(met)} volume: {format_cny(amount)} in 12 months "
        f"(standard {format_cny(threshold)})",
        amount_12m=amount,
    )
    return CriterionVerdict(KeyCriterion.VOLUME, met, True, amount, threshold, text)


def _frequency(orders: int, threshold: int) -> CriterionVerdict:
    met = orders >= threshold
    text = Explanation.of(
        f"{_mark(met)}频次：近12个月进货{orders}次（标准 {threshold}次）",
        f"{_mark(met)} frequency: {orders} orders in 12 months (standard {threshold})",
        orders_12m=orders,
    )
    return CriterionVerdict(KeyCriterion.FREQUENCY, met, True, orders, threshold, text)


def _continuity(months: int, threshold: int) -> CriterionVerdict:
    met = months >= threshold
    text = Explanation.of(
        f"{_mark(met)}连续进货：{months}个月（标准 {threshold}个月）",
        f"{_mark(met)} continuity: {months} months of steady purchasing (standard {threshold})",
        continuous_months=months,
    )
    return CriterionVerdict(KeyCriterion.CONTINUITY, met, True, months, threshold, text)


def _strategic(flag: bool) -> CriterionVerdict:
    text = Explanation.of(
        f"{_mark(flag)}战略意义：{'已标记' if flag else '未标记'}",
        f"{_mark(flag)} strategic: {'flagged' if flag else 'not flagged'}",
        strategic=flag,
    )
    return CriterionVerdict(KeyCriterion.STRATEGIC, flag, False, flag, True, text)


def _growth(
    last12: Decimal, prev12: Decimal, potential: int | None, cfg: KeyAccountConfig
) -> CriterionVerdict:
    growth = float((last12 - prev12) / prev12) if prev12 > 0 else None
    by_trend = growth is not None and growth >= cfg.min_growth
    by_score = potential is not None and potential >= cfg.min_potential_score
    met = by_trend or by_score
    growth_zh = format_pct(growth, 1) if growth is not None else "无上年数据"
    growth_en = format_pct(growth, 1) if growth is not None else "no prior year"
    score = potential if potential is not None else "-"
    text = Explanation.of(
        f"{_mark(met)}成长潜力：同比 {growth_zh}（标准 {format_pct(cfg.min_growth)}），"
        f"潜力评分 {score}（标准 {cfg.min_potential_score}）",
        f"{_mark(met)} growth: {growth_en} year on year (standard {format_pct(cfg.min_growth)}), "
        f"potential score {score} (standard {cfg.min_potential_score})",
        growth=growth,
        potential_score=potential,
    )
    return CriterionVerdict(KeyCriterion.GROWTH, met, False, growth, cfg.min_growth, text)


def _credit(item: KeyAccountInput, cfg: KeyAccountConfig) -> CriterionVerdict:
    overdue = to_decimal(item.overdue_debt)
    limit = to_decimal(cfg.max_overdue_debt)
    score, previous = item.credit_score, item.previous_credit_score
    falling = score is not None and previous is not None and score < previous
    score_ok = score is None or score >= cfg.min_credit_score
    met = overdue <= limit and score_ok and not falling
    trend_zh = "（下降）" if falling else ""
    trend_en = " (falling)" if falling else ""
    shown = score if score is not None else "-"
    text = Explanation.of(
        f"{_mark(met)}信誉：逾期欠款 {format_cny(overdue)}（上限 {format_cny(limit)}），"
        f"信誉评分 {shown}{trend_zh}",
        f"{_mark(met)} credit: overdue debt {format_cny(overdue)} (limit {format_cny(limit)}), "
        f"credit score {shown}{trend_en}",
        overdue_debt=overdue,
        credit_score=score,
        credit_falling=falling,
    )
    return CriterionVerdict(KeyCriterion.CREDIT, met, True, overdue, limit, text)
