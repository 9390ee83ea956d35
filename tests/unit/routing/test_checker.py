from __future__ import annotations

import random
from dataclasses import replace

from kamdesk.domain.routing import WeekPlan, WeekProblem, check_plan, plan_week
from tests.unit.routing.factories import FAST, random_visits, week


def _solved() -> tuple[WeekProblem, WeekPlan]:
    problem = WeekProblem(week(3), random_visits(random.Random(21), 18, mandatory_share=0.5))
    plan = plan_week(problem, options=FAST)
    assert check_plan(problem, plan) == []
    return problem, plan


def _codes(problem: WeekProblem, plan: WeekPlan) -> set[str]:
    return {v.code for v in check_plan(problem, plan)}


def _busy_day(plan: WeekPlan) -> int:
    return next(i for i, d in enumerate(plan.days) if d.visits >= 2)


def test_moved_service_time_is_caught() -> None:
    problem, plan = _solved()
    i = _busy_day(plan)
    d = plan.days[i]
    s = replace(d.stops[0], service_start=d.stops[0].service_start + 1)
    bad = replace(
        plan, days=(*plan.days[:i], replace(d, stops=(s, *d.stops[1:])), *plan.days[i + 1 :])
    )
    assert {"waiting", "service_time"} & _codes(problem, bad)


def test_visit_planned_twice_is_caught() -> None:
    problem, plan = _solved()
    i = _busy_day(plan)
    d = plan.days[i]
    first_visit = next(s for s in d.stops if s.visit_id is not None)
    stops = (*d.stops, first_visit)
    bad = replace(plan, days=(*plan.days[:i], replace(d, stops=stops), *plan.days[i + 1 :]))
    assert "visit_twice" in _codes(problem, bad)


def test_silently_removed_visit_is_caught() -> None:
    problem, plan = _solved()
    i = _busy_day(plan)
    d = plan.days[i]
    removed = next(s for s in d.stops if s.visit_id is not None)
    stops = tuple(s for s in d.stops if s is not removed)
    bad = replace(plan, days=(*plan.days[:i], replace(d, stops=stops), *plan.days[i + 1 :]))
    codes = _codes(problem, bad)
    assert codes & {"mandatory_missing", "silently_dropped"}
    assert "arrival" in codes or "travel" in codes or "back" in codes or "totals" in codes


def test_wrong_travel_and_totals_are_caught() -> None:
    problem, plan = _solved()
    i = _busy_day(plan)
    d = plan.days[i]
    s = replace(d.stops[1], travel_minutes=d.stops[1].travel_minutes + 3)
    bad = replace(
        plan,
        days=(*plan.days[:i], replace(d, stops=(d.stops[0], s, *d.stops[2:])), *plan.days[i + 1 :]),
    )
    assert "travel" in _codes(problem, bad)


def test_missing_day_and_unknown_day() -> None:
    problem, plan = _solved()
    bad = replace(plan, days=plan.days[1:])
    assert "day_missing" in _codes(problem, bad)
    other = replace(plan.days[0], day=plan.days[0].day.replace(year=2030))
    assert "unknown_day" in _codes(problem, replace(plan, days=(other, *plan.days[1:])))


def test_break_removed_is_caught() -> None:
    problem, plan = _solved()
    i = _busy_day(plan)
    d = plan.days[i]
    stops = tuple(s for s in d.stops if s.break_name is None)
    bad = replace(plan, days=(*plan.days[:i], replace(d, stops=stops), *plan.days[i + 1 :]))
    assert "break_missing" in _codes(problem, bad)


def test_stop_at_the_wrong_place_is_caught() -> None:
    problem, plan = _solved()
    i = _busy_day(plan)
    d = plan.days[i]
    k = next(j for j, s in enumerate(d.stops) if s.visit_id is not None)
    moved = replace(
        d.stops[k], location=replace(d.stops[k].location, lat=d.stops[k].location.lat + 0.01)
    )
    stops = (*d.stops[:k], moved, *d.stops[k + 1 :])
    bad = replace(plan, days=(*plan.days[:i], replace(d, stops=stops), *plan.days[i + 1 :]))
    assert "location" in _codes(problem, bad)
