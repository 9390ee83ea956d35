from __future__ import annotations

import random

import pytest

from kamdesk.domain.routing import (
    DropReason,
    LockedStop,
    PinnedTime,
    RoutingError,
    SolveOptions,
    WeekPlan,
    WeekProblem,
    check_plan,
    plan_week,
    replan,
    replan_problem,
)
from tests.unit.routing.factories import FAST, day, random_visits, visit, week


def _base() -> tuple[WeekProblem, WeekPlan]:
    problem = WeekProblem(week(), random_visits(random.Random(31), 24))
    return problem, plan_week(problem, options=FAST)


def test_past_days_are_frozen_and_rest_is_valid() -> None:
    problem, plan = _base()
    new = replan(problem, plan, from_day=day(2), options=FAST)
    assert new.days[:2] == plan.days[:2]
    assert [d.day for d in new.days] == [d.day for d in plan.days]
    assert check_plan(replan_problem(problem, from_day=day(2)), new) == []


def test_dragged_stop_stays_where_it_was_put() -> None:
    problem, plan = _base()
    vid = next(v for d in plan.days[2:] for v in d.visit_ids)
    target = day(4) if plan.day_of(vid) != day(4) else day(3)
    locks = [LockedStop(vid, target)]
    new = replan(problem, plan, from_day=day(2), locked=locks, options=FAST)
    assert new.day_of(vid) == target
    assert check_plan(replan_problem(problem, locked=locks, from_day=day(2)), new) == []


def test_lock_with_time_pins_the_stop() -> None:
    problem = WeekProblem(week(), (visit("a", mandatory=True), visit("b", mandatory=True)))
    plan = plan_week(problem, options=FAST)
    locks = [LockedStop("a", day(3), 16 * 60)]
    new = replan(problem, plan, from_day=day(1), locked=locks, options=FAST)
    stop = new.stop_of("a")
    assert new.day_of("a") == day(3)
    assert stop is not None
    assert stop.service_start == 16 * 60
    assert check_plan(replan_problem(problem, locked=locks, from_day=day(1)), new) == []


def test_skipped_and_closed_today() -> None:
    problem, plan = _base()
    busy = next(i for i, d in enumerate(plan.days) if i >= 1 and d.visits >= 2)
    today = day(busy)
    todays = plan.days[busy].visit_ids
    skipped, closed_visit = todays[0], todays[1]
    closed_shop = next(v.shop_id for v in problem.visits if v.visit_id == closed_visit)
    new = replan(
        problem, plan, from_day=today, skipped=[skipped], closed_today=[closed_shop], options=FAST
    )
    eff = replan_problem(problem, closed_today=[closed_shop], from_day=today)
    assert check_plan(eff, new) == []
    assert skipped not in new.planned_visit_ids
    assert any(
        d.visit_id == skipped and d.reason is DropReason.SKIPPED
        for d in (*new.dropped, *new.unplaced_mandatory)
    )
    assert new.day_of(closed_visit) != today


def test_appointment_in_the_past_has_no_day_left() -> None:
    pinned = visit("p", pinned=PinnedTime(day(0), 10 * 60))
    problem = WeekProblem(week(), (pinned,))
    empty = replace_days_empty(plan_week(problem, options=FAST))
    new = replan(problem, empty, from_day=day(1), options=FAST)
    assert [(u.visit_id, u.reason) for u in new.unplaced_mandatory] == [
        ("p", DropReason.NO_DAY_LEFT)
    ]


def replace_days_empty(plan: WeekPlan) -> WeekPlan:
    from dataclasses import replace

    return replace(plan, days=tuple(replace(d, stops=(), visits=0) for d in plan.days))


@pytest.mark.parametrize(
    ("lock", "code"),
    [
        (LockedStop("v0", day(0)), "locked_in_past"),
        (LockedStop("nope", day(3)), "unknown_visit"),
        (LockedStop("v0", day(6)), "locked_day_closed"),
        (LockedStop("v0", day(3), 6 * 60), "pinned_outside_shift"),
    ],
)
def test_bad_locks_raise(lock: LockedStop, code: str) -> None:
    problem, plan = _base()
    with pytest.raises(RoutingError) as info:
        replan(problem, plan, from_day=day(1), locked=[lock], options=FAST)
    assert info.value.code == code


def test_unchanged_replan_starts_from_the_previous_plan() -> None:
    problem, plan = _base()
    new = replan(problem, plan, from_day=day(1), options=SolveOptions(max_iterations=0))
    assert [d.visit_ids for d in new.days] == [d.visit_ids for d in plan.days]
    assert check_plan(replan_problem(problem, from_day=day(1)), new) == []
