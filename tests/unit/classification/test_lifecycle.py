from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kamdesk.domain.classification import (
    InvalidConfigError,
    InvalidInputError,
    LifecycleConfig,
    LifecycleInput,
    infer_lifecycle,
)
from kamdesk.domain.classification.lifecycle import trimmed_level
from kamdesk.domain.enums import LifecycleStage

AS_OF = date(2026, 11, 23)
TREND_ORDER = {LifecycleStage.DECLINE: 0, LifecycleStage.MATURITY: 1, LifecycleStage.GROWTH: 2}


def _item(monthly: list[float], **kw: object) -> LifecycleInput:
    defaults: dict[str, object] = {
        "account_id": "a1",
        "as_of": AS_OF,
        "monthly_amounts": monthly,
        "first_purchase": date(2024, 1, 5),
        "last_purchase": AS_OF - timedelta(days=5),
    }
    defaults.update(kw)
    return LifecycleInput(**defaults)  # type: ignore[arg-type]


@settings(deadline=None, max_examples=150)
@given(
    st.lists(st.floats(0, 1e5), min_size=2, max_size=24, unique=True).map(sorted),
)
def test_strictly_rising_series_never_decline(monthly: list[float]) -> None:
    result = infer_lifecycle(_item(monthly))
    assert result.computed is not LifecycleStage.DECLINE
    assert not result.needs_retention_visit


@settings(deadline=None, max_examples=150)
@given(
    st.lists(st.floats(0, 1e5), min_size=12, max_size=24),
    st.integers(0, 5),
    st.floats(1.0, 10.0),
)
def test_more_recent_sales_never_move_towards_decline(
    monthly: list[float], index: int, factor: float
) -> None:
    before = infer_lifecycle(_item(monthly)).computed
    raised = monthly[:]
    raised[-1 - index] = raised[-1 - index] * factor + 1.0
    after = infer_lifecycle(_item(raised)).computed
    assert TREND_ORDER[after] >= TREND_ORDER[before]


@settings(deadline=None, max_examples=100)
@given(st.lists(st.floats(0, 1e5), min_size=0, max_size=24), st.integers(180, 2000))
def test_long_silence_is_ended(monthly: list[float], silent_days: int) -> None:
    last = AS_OF - timedelta(days=silent_days)
    result = infer_lifecycle(
        _item(monthly, first_purchase=last - timedelta(days=30), last_purchase=last)
    )
    assert result.computed is LifecycleStage.ENDED
    assert result.explanation.fact("days_since_purchase") == silent_days


@pytest.mark.parametrize(
    ("monthly", "expected"),
    [
        ([100.0] * 12, LifecycleStage.MATURITY),
        ([100.0] * 6 + [70.0] * 6, LifecycleStage.DECLINE),
        ([100.0] * 6 + [130.0] * 6, LifecycleStage.GROWTH),
        ([100.0] * 6 + [110.0] * 6, LifecycleStage.MATURITY),
        # one huge stock-up month does not make a growth trend (trimmed mean)
        ([100.0] * 11 + [5000.0], LifecycleStage.MATURITY),
    ],
)
def test_trend_stages(monthly: list[float], expected: LifecycleStage) -> None:
    assert infer_lifecycle(_item(monthly)).computed is expected


def test_rule_order_and_explanations() -> None:
    assert infer_lifecycle(_item([100.0] * 12, closed=True)).computed is LifecycleStage.ENDED
    prospect = infer_lifecycle(_item([], first_purchase=None, last_purchase=None))
    assert prospect.computed is LifecycleStage.PROSPECT
    assert prospect.explanation.zh.startswith("潜在获取期：尚未进货")
    abandoned = infer_lifecycle(
        _item([], first_purchase=None, last_purchase=None, last_visit=date(2025, 1, 1))
    )
    assert abandoned.computed is LifecycleStage.ENDED
    new = infer_lifecycle(_item([500.0], first_purchase=AS_OF - timedelta(days=20)))
    assert new.computed is LifecycleStage.PROSPECT
    young = infer_lifecycle(_item([100.0] * 4, first_purchase=AS_OF - timedelta(days=100)))
    assert young.computed is LifecycleStage.GROWTH
    quiet = infer_lifecycle(_item([100.0] * 12, last_purchase=AS_OF - timedelta(days=75)))
    assert quiet.computed is LifecycleStage.DECLINE
    assert quiet.needs_retention_visit
    assert "75天无进货" in quiet.explanation.zh


def test_trend_explanation_has_numbers() -> None:
    result = infer_lifecycle(_item([100.0] * 6 + [70.0] * 6))
    assert result.explanation.fact("ratio") == pytest.approx(0.7)
    assert "¥70.00" in result.explanation.zh
    assert "ratio 0.70" in result.explanation.en


def test_override_is_kept_and_shown() -> None:
    result = infer_lifecycle(_item([100.0] * 12, override=LifecycleStage.DECLINE))
    assert result.computed is LifecycleStage.MATURITY
    assert result.effective is LifecycleStage.DECLINE
    assert result.needs_retention_visit
    assert "人工指定为衰退期（计算结果为成熟期）" in result.explanation.zh
    assert "Set manually to decline (computed: maturity)" in result.explanation.en


def test_bad_input() -> None:
    with pytest.raises(InvalidInputError):
        infer_lifecycle(_item([1.0], first_purchase=None))
    with pytest.raises(InvalidInputError):
        infer_lifecycle(_item([1.0], last_purchase=AS_OF + timedelta(days=1)))
    with pytest.raises(InvalidInputError):
        infer_lifecycle(_item([float("inf")]))
    with pytest.raises(InvalidConfigError):
        LifecycleConfig(growth_ratio=0.9)


@given(st.lists(st.floats(0, 1e5), min_size=1, max_size=10), st.integers(0, 9), st.floats(0, 1e5))
@settings(deadline=None, max_examples=100)
def test_trimmed_level_is_monotone(values: list[float], index: int, extra: float) -> None:
    assume(index < len(values))
    raised = values[:]
    raised[index] += extra
    assert trimmed_level(raised) >= trimmed_level(values) - 1e-9
