"""Properties on random small weeks: plans always check clean, impossible input always raises
its specific error, optional drops follow priority, replan keeps locked stops."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamdesk.domain.routing import (
    LockedStop,
    OpeningHours,
    RoutingError,
    SolveOptions,
    WeekProblem,
    check_plan,
    plan_week,
    replan,
    replan_problem,
)
from tests.unit.routing.factories import near, random_visits, shift, visit

OPTS = SolveOptions(max_iterations=200, no_improvement=100, seed=3)
SETTINGS = settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def weeks(draw: st.DrawFn) -> WeekProblem:
    seed = draw(st.integers(0, 10_000))
    n_days = draw(st.integers(1, 5))
    n_visits = draw(st.integers(0, 24))
    rng = random.Random(seed)
    shifts = tuple(
        shift(
            i,
            start=rng.choice([480, 510, 540]),
            end=rng.choice([960, 1020, 1080]),
            max_length=rng.choice([None, 420]),
        )
        for i in range(n_days)
    )
    visits = random_visits(rng, n_visits, mandatory_share=0.5, open_days=range(n_days))
    return WeekProblem(shifts, visits)


@SETTINGS
@given(weeks())
def test_every_plan_passes_the_checker(problem: WeekProblem) -> None:
    plan = plan_week(problem, options=OPTS)
    assert check_plan(problem, plan) == []
    listed = len(plan.dropped) + len(plan.unplaced_mandatory)
    assert len(plan.planned_visit_ids) + listed == len(problem.visits)


@SETTINGS
@given(service=st.integers(21, 120), length=st.integers(1, 20), n=st.integers(0, 4))
def test_window_shorter_than_service_always_raises(service: int, length: int, n: int) -> None:
    bad = visit(
        "bad", hours=OpeningHours.every_day((600, 600 + min(length, service - 1))), service=service
    )
    others = tuple(visit(f"ok{i}") for i in range(n))
    problem = WeekProblem((shift(0), shift(1)), (*others, bad))
    with pytest.raises(RoutingError) as info:
        plan_week(problem, options=OPTS)
    assert (info.value.code, info.value.visit_id) == ("window_too_short", "bad")


@SETTINGS
@given(st.lists(st.integers(1, 500), min_size=4, max_size=9, unique=True))
def test_over_capacity_drops_lower_prizes(priorities: list[int]) -> None:
    where = near(0.4, 0.3)
    visits = tuple(visit(f"o{p}", where, service=30, priority=p) for p in priorities)
    # 9:00-11:00 with ~2x2 min travel fits three 30-minute visits.
    problem = WeekProblem((shift(0, 540, 660, breaks=()),), visits)
    plan = plan_week(problem, options=OPTS)
    assert check_plan(problem, plan) == []
    kept = [int(v[1:]) for v in plan.planned_visit_ids]
    dropped = [int(d.visit_id[1:]) for d in plan.dropped]
    assert len(kept) == 3
    assert min(kept) > max(dropped)


@SETTINGS
@given(weeks(), st.integers(0, 10_000))
def test_replan_keeps_locked_stops(problem: WeekProblem, pick: int) -> None:
    plan = plan_week(problem, options=OPTS)
    rng = random.Random(pick)
    days = [s.day for s in problem.shifts]
    from_day = rng.choice(days)
    ahead = [d for d in days if d >= from_day]
    done = {v for d in plan.days if d.day < from_day for v in d.visit_ids}
    candidates = [
        v for v in problem.visits if v.visit_id not in done and any(v.hours.on(d) for d in ahead)
    ]
    locks: list[LockedStop] = []
    for v in candidates[:2]:
        target = rng.choice([d for d in ahead if v.hours.on(d)])
        locks.append(LockedStop(v.visit_id, target))
    new = replan(problem, plan, from_day=from_day, locked=locks, options=OPTS)
    eff = replan_problem(problem, locked=locks, from_day=from_day)
    assert check_plan(eff, new) == []
    assert [d for d in new.days if d.day < from_day] == [d for d in plan.days if d.day < from_day]
    unplaced = {u.visit_id for u in new.unplaced_mandatory}
    for lk in locks:
        assert new.day_of(lk.visit_id) == lk.day or lk.visit_id in unplaced
