"""The PyVRP model around the search: warm starts and the granular neighbourhood."""

from __future__ import annotations

import random

from kamdesk.domain.routing import OpeningHours, SolveOptions, StopKind, WeekProblem, check_plan
from kamdesk.domain.routing.solver import _warm_solution, model_data, neighbours
from kamdesk.domain.routing.validate import prepare
from kamdesk.services.planning_seed import plan_seeded, seed_plan
from tests.unit.routing.factories import near, random_visits, shift, visit, week

SPLIT = OpeningHours.every_day((9 * 60, 10 * 60), (14 * 60, 18 * 60))


def test_warm_start_takes_the_copy_whose_window_the_arrival_fits() -> None:
    # "a" opens only in the afternoon, "b" in the morning and the afternoon: after "a", the
    # warm start must use b's afternoon copy (its first, morning copy would be time-warped).
    a = visit("a", near(1.0, 0.0), hours=OpeningHours.every_day((14 * 60, 18 * 60)))
    b = visit("b", near(1.5, 0.0), hours=SPLIT)
    prep = prepare(WeekProblem((shift(0, breaks=()),), (a, b)))
    data, meta = model_data(prep)
    assert data is not None
    loc = {pv.visit.visit_id: pv.loc for pv in prep.visits}
    warm = {0: [(StopKind.VISIT, "a", loc["a"]), (StopKind.VISIT, "b", loc["b"])]}
    sol = _warm_solution(prep, data, meta, warm)
    assert sol is not None
    assert sol.num_clients() == 2
    assert sol.time_warp() == 0 and sol.is_feasible()
    b_copy = next(act.idx for r in sol.routes() for act in r if meta[act.idx].item.ref == "b")
    assert data.client(b_copy).tw_early >= 14 * 60


def test_seeded_plan_keeps_every_mandatory_visit_of_a_feasible_week() -> None:
    # Split opening hours everywhere: the greedy week places every mandatory visit, so the
    # search starts from a feasible week and must not lose any of them.
    rng = random.Random(11)
    visits = tuple(
        visit(
            f"v{i}",
            near(rng.uniform(-4, 4), rng.uniform(-4, 4)),
            hours=SPLIT,
            service=15,
            mandatory=i % 2 == 0,
            priority=rng.randint(10, 60),
        )
        for i in range(60)
    )
    problem = WeekProblem(week(3), visits)
    mandatory = {v.visit_id for v in visits if v.is_mandatory}
    assert mandatory <= set(seed_plan(problem).planned_visit_ids)
    plan = plan_seeded(problem, options=SolveOptions(max_iterations=200, seed=3))
    assert plan.unplaced_mandatory == ()
    assert mandatory <= set(plan.planned_visit_ids)
    assert check_plan(problem, plan) == []


def test_neighbourhood_reaches_other_shops_not_the_visits_own_copies() -> None:
    problem = WeekProblem(week(), random_visits(random.Random(2), 30))
    prep = prepare(problem)
    data, meta = model_data(prep)
    assert data is not None
    nb = neighbours(prep, meta, places=10)
    assert len(nb) == len(meta)
    for act, near_ones in nb.items():
        me = meta[act.idx]
        others = [meta[o.idx] for o in near_ones]
        assert act.idx not in {o.idx for o in near_ones}
        for o in others:
            if o.visit_index is None or me.visit_index is None:
                assert o.day == me.day  # lunch copies only meet their own day
            if o.visit_index is not None and o.visit_index == me.visit_index:
                assert o.day == me.day  # never the visit's own copy on another day
        if me.visit_index is not None:
            shops = {o.visit_index for o in others if o.visit_index not in (None, me.visit_index)}
            same_day = {
                o.visit_index for o in others if o.day == me.day and o.visit_index is not None
            }
            assert len(shops) >= 8  # ~10 other shops, not nine copies of three
            assert same_day
