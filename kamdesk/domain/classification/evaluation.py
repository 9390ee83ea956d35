"""Weighted account evaluation (客户评价): inputs scored 1-5, result 0-100 with its trend.

Enthusiasm (积极性) weighs most; business capability (经营能力) is the mean of five sub-scores;
credit (信誉) is judged on its trend: a fall since the previous evaluation costs extra, a rise
earns a little, because a payer who is slipping is a bigger risk than the level alone shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import StrEnum

from kamdesk.domain.classification.errors import InvalidConfigError, InvalidInputError
from kamdesk.domain.explain import Explanation


class Criterion(StrEnum):
    ENTHUSIASM = "enthusiasm"
    BUSINESS = "business"
    CREDIT = "credit"
    SOCIAL = "social"
    POTENTIAL = "potential"


CRITERION_LABELS: dict[Criterion, tuple[str, str]] = {
    Criterion.ENTHUSIASM: ("积极性", "enthusiasm"),
    Criterion.BUSINESS: ("经营能力", "business capability"),
    Criterion.CREDIT: ("信誉", "credit"),
    Criterion.SOCIAL: ("社会关系", "social relations"),
    Criterion.POTENTIAL: ("发展潜力", "potential"),
}


class Trend(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"
    NEW = "new"  # no previous evaluation


@dataclass(frozen=True, slots=True)
class EvaluationInput:
    """One evaluation, every score 1 (poor) .. 5 (excellent)."""

    enthusiasm: int
    flexibility: int  # 经营方式灵活
    distribution_reach: int  # 下游客户数量、覆盖面
    capital: int  # 资金实力
    best_selling_brands: int  # 畅销品牌数量
    logistics: int  # 仓储、车辆、人员
    credit: int
    social_relations: int
    potential: int

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise InvalidInputError(f"{f.name} must be an integer 1-5, got {value!r}")


@dataclass(frozen=True, slots=True)
class EvaluationWeights:
    enthusiasm: float = 0.30
    business: float = 0.25
    credit: float = 0.20
    social: float = 0.10
    potential: float = 0.15
    # Business sub-weights: flexibility, reach, capital, brands, logistics.
    business_parts: tuple[float, float, float, float, float] = (0.2, 0.2, 0.2, 0.2, 0.2)
    credit_trend_factor: float = 0.5  # credit points added per point of change since last time
    flat_band: float = 2.0  # total changes within ± this many points count as flat

    def __post_init__(self) -> None:
        main = (self.enthusiasm, self.business, self.credit, self.social, self.potential)
        if min(main) < 0 or sum(main) <= 0:
            raise InvalidConfigError("weights must be non-negative with a positive sum")
        if min(self.business_parts) < 0 or sum(self.business_parts) <= 0:
            raise InvalidConfigError("business sub-weights must be non-negative, sum > 0")
        if self.credit_trend_factor < 0 or self.flat_band < 0:
            raise InvalidConfigError("credit_trend_factor and flat_band must be >= 0")

    def of(self, criterion: Criterion) -> float:
        total = self.enthusiasm + self.business + self.credit + self.social + self.potential
        return float(getattr(self, criterion.value)) / total


@dataclass(frozen=True, slots=True)
class ComponentScore:
    criterion: Criterion
    score: float  # 0-100
    weight: float  # normalised, all five sum to 1
    contribution: float  # score * weight


@dataclass(frozen=True, slots=True)
class EvaluationScore:
    total: float  # 0-100
    components: tuple[ComponentScore, ...]
    previous_total: float | None
    change: float | None
    trend: Trend
    explanation: Explanation

    def component(self, criterion: Criterion) -> ComponentScore:
        return next(c for c in self.components if c.criterion is criterion)


def _to_100(points: float) -> float:
    return (min(max(points, 1.0), 5.0) - 1.0) * 25.0


def _components(
    ev: EvaluationInput, previous: EvaluationInput | None, w: EvaluationWeights
) -> tuple[ComponentScore, ...]:
    parts = (ev.flexibility, ev.distribution_reach, ev.capital, ev.best_selling_brands)
    parts_all = (*parts, ev.logistics)
    business = sum(p * s for p, s in zip(w.business_parts, parts_all, strict=True))
    business /= sum(w.business_parts)
    credit = float(ev.credit)
    if previous is not None:
        credit += w.credit_trend_factor * (ev.credit - previous.credit)
    raw = {
        Criterion.ENTHUSIASM: float(ev.enthusiasm),
        Criterion.BUSINESS: business,
        Criterion.CREDIT: credit,
        Criterion.SOCIAL: float(ev.social_relations),
        Criterion.POTENTIAL: float(ev.potential),
    }
    out = []
    for criterion, points in raw.items():
        score = _to_100(points)
        weight = w.of(criterion)
        out.append(ComponentScore(criterion, score, weight, score * weight))
    return tuple(out)


def score_evaluation(
    current: EvaluationInput,
    previous: EvaluationInput | None = None,
    weights: EvaluationWeights | None = None,
    *,
    previous_total: float | None = None,
) -> EvaluationScore:
    """Score ``current``; ``previous`` gives the credit trend and (unless ``previous_total``,
    the stored score of that evaluation, is passed) the total to compare against."""
    w = weights or EvaluationWeights()
    components = _components(current, previous, w)
    total = round(sum(c.contribution for c in components), 1)
    if previous_total is None and previous is not None:
        previous_total = round(sum(c.contribution for c in _components(previous, None, w)), 1)
    change = round(total - previous_total, 1) if previous_total is not None else None
    if change is None:
        trend = Trend.NEW
    elif change > w.flat_band:
        trend = Trend.UP
    elif change < -w.flat_band:
        trend = Trend.DOWN
    else:
        trend = Trend.FLAT
    return EvaluationScore(
        total,
        components,
        previous_total,
        change,
        trend,
        _explain(total, components, change, current, previous),
    )


def score_history(
    evaluations: Sequence[EvaluationInput], weights: EvaluationWeights | None = None
) -> list[EvaluationScore]:
    """Scores of a history (oldest first), each compared with the one before."""
    scores: list[EvaluationScore] = []
    for i, ev in enumerate(evaluations):
        prev = evaluations[i - 1] if i else None
        prev_total = scores[-1].total if scores else None
        scores.append(score_evaluation(ev, prev, weights, previous_total=prev_total))
    return scores


_TREND_TEXT = {
    Trend.UP: ("上升", "up"),
    Trend.DOWN: ("下降", "down"),
    Trend.FLAT: ("持平", "flat"),
}


def _explain(
    total: float,
    components: Sequence[ComponentScore],
    change: float | None,
    current: EvaluationInput,
    previous: EvaluationInput | None,
) -> Explanation:
    parts_zh = "，".join(
        f"{CRITERION_LABELS[c.criterion][0]}{c.score:.0f}×{c.weight:.0%}" for c in components
    )
    parts_en = ", ".join(
        f"{CRITERION_LABELS[c.criterion][1]} {c.score:.0f}×{c.weight:.0%}" for c in components
    )
    zh = f"综合评分 {total:.1f}（{parts_zh}）"
    en = f"Score {total:.1f} ({parts_en})"
    if change is not None:
        trend = Trend.UP if change > 0 else Trend.DOWN if change < 0 else Trend.FLAT
        zh += f"；较上次{_TREND_TEXT[trend][0]} {abs(change):.1f} 分"
        en += f"; {_TREND_TEXT[trend][1]} {abs(change):.1f} points since last time"
    if previous is not None and current.credit != previous.credit:
        zh += f"；信誉由 {previous.credit} 变为 {current.credit}，按趋势调整"
        en += f"; credit moved {previous.credit} → {current.credit}, adjusted for the trend"
    facts = {c.criterion.value: round(c.score, 1) for c in components}
    return Explanation.of(zh, en, total=total, change=change, **facts)
