from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain.classification import (
    Criterion,
    EvaluationInput,
    EvaluationWeights,
    InvalidConfigError,
    InvalidInputError,
    KeyAccountConfig,
    KeyAccountInput,
    KeyCriterion,
    Trend,
    assess_key_account,
    continuous_months,
    score_evaluation,
    score_history,
)


def _key(**kw: object) -> KeyAccountInput:
    base: dict[str, object] = {
        "account_id": "k1",
        "monthly_amounts": [8000.0] * 12 + [10000.0] * 12,
        "orders_12m": 40,
        "strategic": False,
        "potential_score": 3,
        "credit_score": 4,
    }
    base.update(kw)
    return KeyAccountInput(**base)  # type: ignore[arg-type]


def test_key_account_meets_with_each_verdict() -> None:
    result = assess_key_account(_key())
    assert result.meets
    assert result.verdict(KeyCriterion.VOLUME).value == Decimal("120000.00")
    assert result.verdict(KeyCriterion.CONTINUITY).value == 24
    growth = result.verdict(KeyCriterion.GROWTH)
    assert growth.met
    assert growth.value == pytest.approx(0.25)
    assert not result.verdict(KeyCriterion.STRATEGIC).met
    assert result.explanation.zh.startswith("符合大客户标准")
    assert "¥120,000.00" in result.explanation.zh


def test_key_account_fails_on_credit_trend_and_debt() -> None:
    falling = assess_key_account(_key(previous_credit_score=5))
    assert not falling.meets
    assert not falling.verdict(KeyCriterion.CREDIT).met
    assert "(falling)" in falling.explanation.en
    debt = assess_key_account(_key(overdue_debt=Decimal("500")))
    assert not debt.meets
    assert debt.verdict(KeyCriterion.CREDIT).value == Decimal("500.00")


def test_key_account_needs_an_optional_criterion() -> None:
    flat = _key(monthly_amounts=[10000.0] * 24)
    assert not assess_key_account(flat).meets
    assert assess_key_account(_key(monthly_amounts=[10000.0] * 24, strategic=True)).meets
    relaxed = KeyAccountConfig(min_optional_met=0)
    assert assess_key_account(flat, relaxed).meets
    with pytest.raises(InvalidConfigError):
        KeyAccountConfig(min_optional_met=3)
    with pytest.raises(InvalidInputError):
        assess_key_account(_key(credit_score=6))


def test_continuous_months() -> None:
    assert continuous_months([1, 1, 0, 0, 1, 1, 0, 1], allowed_gap=1) == 4
    assert continuous_months([1, 1, 1, 0], allowed_gap=1) == 3
    assert continuous_months([0, 0, 0]) == 0
    assert continuous_months([1, 0, 1, 0, 1], allowed_gap=0) == 1


NAMES = (
    "enthusiasm",
    "flexibility",
    "distribution_reach",
    "capital",
    "best_selling_brands",
    "logistics",
    "credit",
    "social_relations",
    "potential",
)


def _ev(**kw: int) -> EvaluationInput:
    return EvaluationInput(**{**dict.fromkeys(NAMES, 3), **kw})


def test_score_range_and_weights() -> None:
    assert score_evaluation(_ev()).total == 50.0
    top = _ev(**dict.fromkeys(NAMES, 5))
    assert score_evaluation(top).total == 100.0
    enthusiastic = score_evaluation(_ev(enthusiasm=5))
    social = score_evaluation(_ev(social_relations=5))
    assert enthusiastic.total > social.total  # enthusiasm weighs most
    assert enthusiastic.component(Criterion.ENTHUSIASM).score == 100.0
    assert enthusiastic.trend is Trend.NEW


def test_credit_is_judged_on_its_trend() -> None:
    steady = score_evaluation(_ev(credit=4), _ev(credit=4))
    slipping = score_evaluation(_ev(credit=4), _ev(credit=5))
    assert slipping.component(Criterion.CREDIT).score < steady.component(Criterion.CREDIT).score
    assert "信誉由 5 变为 4" in slipping.explanation.zh


def test_history_trend() -> None:
    scores = score_history([_ev(), _ev(enthusiasm=5, potential=5), _ev(enthusiasm=1)])
    assert [s.trend for s in scores] == [Trend.NEW, Trend.UP, Trend.DOWN]
    assert scores[1].change == pytest.approx(scores[1].total - scores[0].total, abs=0.11)
    assert "较上次上升" in scores[1].explanation.zh


def test_bad_evaluation_input() -> None:
    with pytest.raises(InvalidInputError):
        _ev(capital=0)
    with pytest.raises(InvalidInputError):
        _ev(capital=True)
    with pytest.raises(InvalidConfigError):
        EvaluationWeights(enthusiasm=-1)


@settings(deadline=None, max_examples=100)
@given(st.lists(st.integers(1, 5), min_size=9, max_size=9), st.integers(1, 5))
def test_score_bounded_and_monotone(scores: list[int], prev_credit: int) -> None:
    names = NAMES
    ev = EvaluationInput(**dict(zip(names, scores, strict=True)))
    result = score_evaluation(ev, _ev(credit=prev_credit))
    assert 0.0 <= result.total <= 100.0
    if ev.enthusiasm < 5:
        better = EvaluationInput(
            **{**dict(zip(names, scores, strict=True)), "enthusiasm": ev.enthusiasm + 1}
        )
        assert score_evaluation(better, _ev(credit=prev_credit)).total > result.total
