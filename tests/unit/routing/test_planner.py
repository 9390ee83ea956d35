from __future__ import annotations

import random
import threading
from dataclasses import replace

from kamdesk.domain.routing import (
    DropReason,
    OpeningHours,
    PinnedTime,
    SolveOptions,
    StopKind,
    TravelMode,
    WeekProblem,
    check_plan,
    default_service_minutes,
    plan_week,
)
from tests.unit.routing.factories import (
    FAST,
    LUNCH,
    day,
    near,
    random_visits,
    shift,
    visit,
    week,
)


def test_everything_fits_and_passes_the_checker() -> None:
    problem = WeekProblem(week(), random_visits(random.Random(3), 25))
    plan = plan_week(problem, options=FAST)
    assert check_plan(problem, plan) == []
    assert plan.unplaced_mandatory == ()
    mandatory = {v.visit_id for v in problem.visits if v.is_mandatory}
    assert mandatory <= set(plan.planned_visit_ids)
    for d in plan.days:
        if d.visits:
            assert [s.break_name for s in d.stops if s.kind is StopKind.BREAK] == ["lunch"]


def test_lunch_closure_and_closed_weekdays_are_respected() -> None:
    # Open Thu and Fri only, closed 12:00-14:00; service 50 min.
    hours = OpeningHours.from_mapping(
        {3: [(9 * 60, 12 * 60), (14 * 60, 17 * 60)], 4: [(14 * 60, 15 * 60)]}
    )
    v = visit("a", hours=hours, service=50, mandatory=True)
    problem = WeekProblem(week(), (v,))
    plan = plan_week(problem, options=FAST)
    assert check_plan(problem, plan) == []
    assert plan.day_of("a") in (day(3), day(4))
    stop = plan.stop_of("a")
    assert stop is not None
    assert stop.service_start + 50 <= 12 * 60 or stop.service_start >= 14 * 60


def test_pinned_appointment_is_kept_to_the_minute() -> None:
    pinned = visit("p", pinned=PinnedTime(day(2), 15 * 60 + 10))
    others = random_visits(random.Random(5), 12)
    problem = WeekProblem(week(), (pinned, *others))
    plan = plan_week(problem, options=FAST)
    assert check_plan(problem, plan) == []
    assert plan.day_of("p") == day(2)
    stop = plan.stop_of("p")
    assert stop is not None
    assert stop.service_start == 15 * 60 + 10


def test_allowed_days_restrict_the_day() -> None:
    v = visit("r", mandatory=True, allowed_days=frozenset({day(1)}))
    problem = WeekProblem(week(), (v, visit("x", mandatory=True)))
    plan = plan_week(problem, options=FAST)
    assert plan.day_of("r") == day(1)
    assert check_plan(problem, plan) == []


def test_over_capacity_drops_the_lowest_priorities_and_says_why() -> None:
    # One 2-hour day, 8 optional 25-min visits at the same shop-block: only ~4 fit.
    where = near(0.5, 0.0)
    priorities = [10, 80, 20, 70, 30, 60, 40, 50]
    visits = tuple(visit(f"o{p}", where, service=25, priority=p) for p in priorities)
    problem = WeekProblem((shift(0, 9 * 60, 11 * 60, breaks=()),), visits)
    plan = plan_week(problem, options=FAST)
    assert check_plan(problem, plan) == []
    kept = {int(v[1:]) for v in plan.planned_visit_ids}
    dropped = {int(d.visit_id[1:]) for d in plan.dropped}
    assert kept
    assert dropped
    assert min(kept) > max(dropped)
    assert all(d.reason is DropReason.NO_ROOM for d in plan.dropped)


def test_far_low_value_visit_is_not_worth_the_detour() -> None:
    far = visit("far", near(30.0, 0.0), priority=5)
    close = visit("close", near(1.0, 0.0), mandatory=True)
    problem = WeekProblem(week(1), (far, close))
    plan = plan_week(problem, options=FAST)
    assert [d.visit_id for d in plan.dropped] == ["far"]
    assert plan.dropped[0].reason is DropReason.NOT_WORTH_DETOUR
    assert plan.dropped[0].extra_travel_minutes is not None
    assert plan.dropped[0].extra_travel_minutes > 5


def test_too_much_mandatory_work_is_reported_not_dropped() -> None:
    visits = tuple(visit(f"m{i}", near(0.3 * i, 0.0), service=60, mandatory=True) for i in range(8))
    problem = WeekProblem((shift(0, 9 * 60, 13 * 60, breaks=()),), visits)
    plan = plan_week(problem, options=FAST)
    assert check_plan(problem, plan) == []
    assert 1 <= len(plan.unplaced_mandatory) <= 5
    assert len(plan.planned_visit_ids) + len(plan.unplaced_mandatory) == 8
    assert all(u.mandatory and u.reason is DropReason.NO_ROOM for u in plan.unplaced_mandatory)


def test_max_day_length_and_times_are_consistent() -> None:
    problem = WeekProblem(week(2, max_length=5 * 60), random_visits(random.Random(8), 20))
    plan = plan_week(problem, options=FAST)
    assert check_plan(problem, plan) == []
    for d in plan.days:
        assert d.length <= 5 * 60
        for s in d.stops:
            assert s.departure >= s.service_start >= s.arrival
            assert s.slack >= 0


def test_walking_day_is_slower_than_driving() -> None:
    v = visit("w", near(2.0, 0.0), mandatory=True)
    car = plan_week(WeekProblem((shift(0),), (v,)), options=FAST)
    walk = plan_week(WeekProblem((shift(0, mode=TravelMode.WALK),), (v,)), options=FAST)
    assert walk.days[0].travel_minutes > 3 * car.days[0].travel_minutes
    assert walk.days[0].travel_km < car.days[0].travel_km  # walkers cut corners (detour 1.2)


def test_same_seed_and_iterations_give_the_same_plan() -> None:
    problem = WeekProblem(week(3), random_visits(random.Random(11), 30))
    opts = SolveOptions(max_iterations=200, no_improvement=10_000, seed=7)
    a, b = plan_week(problem, options=opts), plan_week(problem, options=opts)
    assert a.days == b.days
    assert a.dropped == b.dropped


def test_progress_is_reported_and_cancel_stops_early() -> None:
    problem = WeekProblem(week(), random_visits(random.Random(2), 30))
    calls: list[tuple[int, int, str]] = []
    plan_week(problem, options=SolveOptions(seconds=0.3), progress=lambda *a: calls.append(a))
    assert calls
    assert calls[-1][2] == "done"
    assert all(0 <= done <= total for done, total, _ in calls)
    cancel = threading.Event()
    cancel.set()
    plan = plan_week(problem, options=SolveOptions(seconds=30), cancel=cancel)
    assert plan.stats.cancelled
    assert plan.stats.runtime_s < 10
    assert check_plan(problem, plan) == []


def test_empty_week_has_no_stops() -> None:
    problem = WeekProblem(week(2), ())
    plan = plan_week(problem, options=FAST)
    assert [d.stops for d in plan.days] == [(), ()]
    assert check_plan(problem, plan) == []


def test_break_fits_around_a_pinned_appointment_over_lunch() -> None:
    pinned = visit("p", service=90, pinned=PinnedTime(day(0), 12 * 60))
    problem = WeekProblem((shift(0, breaks=(replace(LUNCH, latest_end=15 * 60),)),), (pinned,))
    plan = plan_week(problem, options=FAST)
    assert check_plan(problem, plan) == []
    lunch = next(s for s in plan.days[0].stops if s.kind is StopKind.BREAK)
    assert lunch.service_start >= 13 * 60 + 30 or lunch.departure <= 12 * 60


def test_default_service_minutes() -> None:
    assert default_service_minutes("A") == 30
    assert default_service_minutes("B") == 20
    assert default_service_minutes("C", ["stock_count"]) == 25
    assert default_service_minutes(None) == 20


def test_overloaded_mandatory_week_keeps_breaks_and_reports_the_rest() -> None:
    visits = random_visits(random.Random(4), 45, mandatory_share=1.0, open_days=range(2))
    problem = WeekProblem(week(2), visits)
    plan = plan_week(problem, options=SolveOptions(max_iterations=400, seed=2))
    assert check_plan(problem, plan) == []
    assert plan.unplaced_mandatory
    assert len(plan.planned_visit_ids) + len(plan.unplaced_mandatory) == 45
    for d in plan.days:
        assert d.visits > 8
        assert d.missing_breaks == ()


def test_conflicting_appointments_one_is_reported() -> None:
    a = visit("a", near(0.5, 0.0), service=60, pinned=PinnedTime(day(0), 10 * 60))
    b = visit("b", near(-0.5, 0.0), service=30, pinned=PinnedTime(day(0), 10 * 60 + 30))
    problem = WeekProblem((shift(0),), (a, b))
    plan = plan_week(problem, options=FAST)
    assert check_plan(problem, plan) == []
    assert len(plan.planned_visit_ids) == 1
    assert [u.reason for u in plan.unplaced_mandatory] == [DropReason.NO_ROOM]
