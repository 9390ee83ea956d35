from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain.anomalies import Comparison, SalesAnomaly, SubjectKind
from kamdesk.domain.enums import AbcTier, LifecycleStage, VisitPurpose
from kamdesk.domain.explain import Explanation
from kamdesk.domain.visits import (
    DueReasonCode,
    VisitCandidate,
    VisitRuleConfig,
    VisitRuleError,
    due_visits,
    week_bounds,
)

MONDAY = date(2026, 11, 23)
SUNDAY = MONDAY + timedelta(days=6)
R = DueReasonCode


def _one(candidate: VisitCandidate, config: VisitRuleConfig | None = None) -> list[R]:
    visits = due_visits([candidate], MONDAY + timedelta(days=2), config)
    assert len(visits) <= 1
    return list(visits[0].reason_codes) if visits else []


@pytest.mark.parametrize(("tier", "days"), [(AbcTier.A, 7), (AbcTier.B, 14), (AbcTier.C, 30)])
def test_frequency_boundaries(tier: AbcTier, days: int) -> None:
    def last(due: date) -> VisitCandidate:
        return VisitCandidate("x", tier, due - timedelta(days=days))

    assert _one(last(SUNDAY)) == [R.ROUTINE]
    assert _one(last(MONDAY)) == [R.ROUTINE]
    assert _one(last(SUNDAY + timedelta(days=1))) == []
    assert _one(last(MONDAY - timedelta(days=1))) == [R.OVERDUE]


@settings(deadline=None, max_examples=200)
@given(st.sampled_from(list(AbcTier)), st.integers(-60, 20))
def test_due_iff_frequency_elapsed_by_sunday(tier: AbcTier, offset: int) -> None:
    cfg = VisitRuleConfig()
    last_visit = MONDAY + timedelta(days=offset)
    due = last_visit + timedelta(days=cfg.frequency_days[tier])
    visits = due_visits([VisitCandidate("x", tier, last_visit)], MONDAY)
    assert bool(visits) == (due <= SUNDAY)
    if visits:
        reason = visits[0].reasons[0]
        assert reason.code is (R.OVERDUE if due < MONDAY else R.ROUTINE)
        assert visits[0].due_on == max(due, MONDAY)
        assert visits[0].mandatory == (tier is AbcTier.A)


@pytest.mark.parametrize("tier", list(AbcTier))
def test_only_tier_a_and_key_account_frequency_visits_are_mandatory(tier: AbcTier) -> None:
    overdue = MONDAY - timedelta(days=60)
    (plain,) = due_visits([VisitCandidate("x", tier, overdue)], MONDAY)
    (key,) = due_visits([VisitCandidate("k", tier, overdue, key_account=True)], MONDAY)
    (never,) = due_visits([VisitCandidate("n", tier, None)], MONDAY)
    assert plain.mandatory == never.mandatory == (tier is AbcTier.A)
    assert key.mandatory
    assert ("必访" if plain.mandatory else "可选") in plain.explanation.zh
    assert ("mandatory" if plain.mandatory else "optional") in plain.explanation.en


def test_overdue_optional_visit_gains_priority() -> None:
    a_bit = VisitCandidate("a_bit", AbcTier.C, MONDAY - timedelta(days=32))
    long = VisitCandidate("long", AbcTier.C, MONDAY - timedelta(days=55))
    visits = due_visits([a_bit, long], MONDAY)
    assert [v.account_id for v in visits] == ["long", "a_bit"]
    assert not any(v.mandatory for v in visits)
    assert visits[0].priority - visits[1].priority == 23


@pytest.mark.parametrize("trigger", ["decline", "debt", "new_product", "swing"])
def test_triggered_visits_are_optional_with_a_prize(trigger: str) -> None:
    c = VisitCandidate("x", AbcTier.B, MONDAY - timedelta(days=2))
    if trigger == "decline":
        c = replace(c, lifecycle=LifecycleStage.DECLINE)
    elif trigger == "debt":
        c = replace(c, outstanding_debt=Decimal("500"))
    elif trigger == "new_product":
        c = replace(c, new_products=("新品",))
    else:
        c = replace(c, sales_swings=(_swing(),))
    (visit,) = due_visits([c], MONDAY)
    assert not visit.mandatory
    assert visit.priority > 0
    assert visit.reasons[0].code not in (R.ROUTINE, R.OVERDUE)


def test_complaint_is_mandatory_for_any_tier() -> None:
    c = VisitCandidate("x", AbcTier.C, MONDAY - timedelta(days=2), open_complaints=1)
    (visit,) = due_visits([c], MONDAY)
    assert visit.mandatory and visit.reasons[0].code is R.COMPLAINT


def test_mandatory_tiers_are_configurable() -> None:
    cfg = VisitRuleConfig(mandatory_tiers=frozenset({AbcTier.A, AbcTier.B}))
    (b,) = due_visits([VisitCandidate("b", AbcTier.B, MONDAY - timedelta(days=20))], MONDAY, cfg)
    (c,) = due_visits([VisitCandidate("c", AbcTier.C, MONDAY - timedelta(days=40))], MONDAY, cfg)
    assert b.mandatory and not c.mandatory
    everything = VisitRuleConfig(mandatory=frozenset(DueReasonCode))
    (n,) = due_visits(
        [VisitCandidate("n", AbcTier.C, MONDAY, new_products=("x",))], MONDAY, everything
    )
    assert n.mandatory


def test_overdue_explains_and_ranks_higher() -> None:
    late = VisitCandidate("late", AbcTier.B, MONDAY - timedelta(days=24))
    on_time = VisitCandidate("on_time", AbcTier.B, MONDAY - timedelta(days=12))
    visits = due_visits([on_time, late], MONDAY)
    assert [v.account_id for v in visits] == ["late", "on_time"]
    assert visits[0].explanation.fact("days_overdue") == 10
    assert "已逾期10天" in visits[0].explanation.zh
    assert "Overdue by 10 days" in visits[0].explanation.en


def test_configurable_frequency() -> None:
    cfg = VisitRuleConfig(frequency_days={AbcTier.A: 3, AbcTier.B: 14, AbcTier.C: 60})
    assert _one(VisitCandidate("x", AbcTier.C, MONDAY - timedelta(days=40)), cfg) == []
    with pytest.raises(VisitRuleError):
        VisitRuleConfig(frequency_days={AbcTier.A: 0, AbcTier.B: 14, AbcTier.C: 30})


def _swing() -> SalesAnomaly:
    text = Explanation.of("环比下降 45%", "Down 45% month on month")
    return SalesAnomaly(
        SubjectKind.ACCOUNT,
        "x",
        date(2026, 10, 1),
        Comparison.MONTH_ON_MONTH,
        Decimal("5500"),
        Decimal("10000"),
        -0.45,
        text,
    )


def test_reasons_merge_into_one_visit() -> None:
    candidate = VisitCandidate(
        "x",
        AbcTier.A,
        MONDAY,  # not due by frequency this week
        lifecycle=LifecycleStage.DECLINE,
        outstanding_debt=Decimal("1200.50"),
        open_complaints=1,
        new_products=("黄鹤楼(硬)",),
        sales_swings=(_swing(),),
        key_account=True,
    )
    (visit,) = due_visits([candidate], MONDAY)
    assert set(visit.reason_codes) == {
        R.COMPLAINT,
        R.COLLECTION,
        R.SALES_SWING,
        R.RETENTION,
        R.NEW_PRODUCT,
        R.SENIOR,
    }
    assert visit.reasons[0].code is R.COMPLAINT
    assert visit.purpose is VisitPurpose.COMPLAINT
    assert visit.mandatory
    assert visit.priority > 90 + 20  # best reason + others + A bonus
    assert "¥1,200.50" in visit.explanation.zh
    assert "特殊拜访：销量下滑（环比下降 45%）" in visit.explanation.zh
    assert "Retention visit" in visit.explanation.en


def test_swing_already_looked_into_is_not_due_again() -> None:
    candidate = VisitCandidate(
        "x",
        AbcTier.C,
        MONDAY - timedelta(days=3),
        sales_swings=(_swing(),),
        last_special_visit=date(2026, 11, 2),
    )
    assert _one(candidate) == []


def test_optional_only_visits() -> None:
    new_product = VisitCandidate("x", AbcTier.C, MONDAY, new_products=("新品",))
    (visit,) = due_visits([new_product], MONDAY)
    assert not visit.mandatory
    assert visit.purpose is VisitPurpose.NEW_PRODUCT


def test_prospects_weekly_and_ended_accounts_only_for_debt_or_complaints() -> None:
    prospect = VisitCandidate(
        "p", AbcTier.C, MONDAY - timedelta(days=7), lifecycle=LifecycleStage.PROSPECT
    )
    assert _one(prospect) == [R.PROSPECT]
    fresh = VisitCandidate("p", AbcTier.C, MONDAY, lifecycle=LifecycleStage.PROSPECT)
    assert _one(fresh) == []
    ended = VisitCandidate(
        "e", AbcTier.A, None, lifecycle=LifecycleStage.ENDED, outstanding_debt=Decimal("10")
    )
    assert _one(ended) == [R.COLLECTION]
    closed = VisitCandidate("c", AbcTier.A, None, closed=True)
    assert _one(closed) == []


def test_never_visited_and_future_debt() -> None:
    assert _one(VisitCandidate("n", AbcTier.C, None)) == [R.NEVER_VISITED]
    later = VisitCandidate(
        "d",
        AbcTier.C,
        MONDAY,
        outstanding_debt=Decimal("99"),
        debt_due=SUNDAY + timedelta(days=1),
    )
    assert _one(later) == []


def test_senior_visit_quarterly() -> None:
    recent = VisitCandidate(
        "k", AbcTier.A, MONDAY, key_account=True, last_senior_visit=MONDAY - timedelta(days=60)
    )
    assert _one(recent) == []
    old = VisitCandidate(
        "k", AbcTier.A, MONDAY, key_account=True, last_senior_visit=MONDAY - timedelta(days=91)
    )
    assert _one(old) == [R.SENIOR]


def test_bad_input() -> None:
    with pytest.raises(VisitRuleError):
        due_visits([VisitCandidate("x", AbcTier.A, None)] * 2, MONDAY)
    with pytest.raises(VisitRuleError) as info:
        due_visits([VisitCandidate("x", AbcTier.A, None, open_complaints=-1)], MONDAY)
    assert info.value.code == "visits.invalid_input"


def test_week_bounds() -> None:
    assert week_bounds(date(2026, 11, 29)) == (MONDAY, SUNDAY)
    assert week_bounds(MONDAY) == (MONDAY, SUNDAY)


def test_sorted_by_priority_then_id() -> None:
    candidates = [VisitCandidate(f"a{i}", AbcTier.C, None) for i in range(5)]
    candidates.append(VisitCandidate("top", AbcTier.A, None))
    visits = due_visits(candidates, MONDAY)
    assert visits[0].account_id == "top"
    assert [v.account_id for v in visits[1:]] == [f"a{i}" for i in range(5)]
