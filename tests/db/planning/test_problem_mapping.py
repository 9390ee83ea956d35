"""The DB -> routing-problem mapping: windows on the right weekday, closed days, service times,
prizes, unroutable visits; and every plan of a mapped problem passes the independent checker."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain.enums import AbcTier
from kamdesk.domain.routing import LatLon, SolveOptions, check_plan, plan_week
from kamdesk.domain.visits import DueVisit, VisitCandidate, due_visits
from kamdesk.services.planning_candidates import AccountStopInfo, Appointment, parse_hours
from kamdesk.services.planning_problem import (
    PlanningConfig,
    StartPlace,
    UnroutableCode,
    build_problem,
)

MONDAY = date(2026, 11, 23)
OFFICE = LatLon(31.8395, 117.2360)
OPEN = ((480, 1260),)


def info(
    i: int,
    hours: tuple[tuple[tuple[int, int], ...], ...] | None = None,
    tier: AbcTier = AbcTier.A,
    lat: float | None = 31.84,
) -> AccountStopInfo:
    return AccountStopInfo(
        account_id=f"a{i}",
        code=f"HF{i:04d}",
        name=f"店{i}",
        address=f"合肥市{i}号",
        phone="",
        business_format="grocery",
        tier=tier,
        latitude=None if lat is None else lat + 0.003 * (i % 7),
        longitude=117.23 + 0.004 * (i % 5),
        opening_hours=hours if hours is not None else (OPEN,) * 7,
    )


def due_for(infos: list[AccountStopInfo], last: date | None = None) -> list[DueVisit]:
    cands = [VisitCandidate(a.account_id, a.tier, last) for a in infos]
    return due_visits(cands, MONDAY)


def test_windows_follow_the_weekday_and_closed_days() -> None:
    # closed on Tuesday, short hours on Wednesday, closed all Sunday
    hours = parse_hours(
        [[[480, 1200]], [], [[600, 660]], [[480, 1200]], [[480, 1200]], [[480, 1200]], []]
    )
    a = info(1, hours)
    build = build_problem(due_for([a]), {a.account_id: a}, MONDAY, PlanningConfig(office=OFFICE))
    (v,) = build.problem.visits
    assert v.hours.on(MONDAY + timedelta(days=1)) == ()
    assert [(iv.start, iv.end) for iv in v.hours.on(MONDAY + timedelta(days=2))] == [(600, 660)]
    assert [s.day.weekday() for s in build.problem.shifts] == [0, 1, 2, 3, 4]
    assert v.mandatory and build.meta[v.visit_id].reasons_zh


def test_service_time_by_tier_and_purpose_and_prize() -> None:
    a, c = info(1, tier=AbcTier.A), info(2, tier=AbcTier.C)
    cands = [
        VisitCandidate("a1", AbcTier.A, None, open_complaints=1),
        VisitCandidate("a2", AbcTier.C, MONDAY - timedelta(days=3), new_products=("玉溪",)),
    ]
    due = due_visits(cands, MONDAY)
    build = build_problem(due, {"a1": a, "a2": c}, MONDAY, PlanningConfig(office=OFFICE))
    by_id = {v.visit_id: v for v in build.problem.visits}
    # A base 20 + stock count 5 + complaint 10; C base 10 + new product 5
    assert by_id["a1"].service_minutes == 35
    assert by_id["a2"].service_minutes == 15
    assert not by_id["a2"].mandatory
    assert by_id["a2"].priority == next(d.priority for d in due if d.account_id == "a2")


def test_unroutable_visits_are_reported_not_dropped() -> None:
    nowhere = info(1, lat=None)
    weekend_only = info(2, ((), (), (), (), (), OPEN[:1], OPEN[:1]))
    tiny = info(3, (((600, 610),),) * 7)
    accounts = {x.account_id: x for x in (nowhere, weekend_only, tiny)}
    build = build_problem(
        due_for(list(accounts.values())), accounts, MONDAY, PlanningConfig(office=OFFICE)
    )
    codes = {u.account_id: u.code for u in build.unroutable}
    assert codes == {
        "a1": UnroutableCode.NO_LOCATION,
        "a2": UnroutableCode.CLOSED_ALL_WEEK,
        "a3": UnroutableCode.NO_FITTING_WINDOW,
    }
    assert build.problem.visits == ()
    assert all(u.zh and u.en for u in build.unroutable)


def test_appointments_are_pinned_or_reported() -> None:
    a, b = info(1), info(2)
    ok = Appointment("v1", "a1", MONDAY + timedelta(days=1), 600, "routine")
    sunday = Appointment("v2", "a2", MONDAY + timedelta(days=6), 600, "routine")
    build = build_problem(
        due_for([a]),
        {"a1": a, "a2": b},
        MONDAY,
        PlanningConfig(office=OFFICE),
        appointments=[ok, sunday],
    )
    (v,) = build.problem.visits
    assert v.pinned is not None and (v.pinned.day, v.pinned.start) == (ok.day, 600)
    assert [(u.account_id, u.code) for u in build.unroutable] == [
        ("a2", UnroutableCode.APPOINTMENT_CONFLICT)
    ]


def test_closures_and_home_start() -> None:
    a = info(1)
    home = LatLon(31.80, 117.20)
    cfg = PlanningConfig(office=OFFICE, home=home, start_at=StartPlace.HOME)
    build = build_problem(due_for([a]), {"a1": a}, MONDAY, cfg, closures={"a1": [MONDAY]})
    (v,) = build.problem.visits
    assert v.hours.on(MONDAY) == ()
    assert build.problem.shifts[0].start_location == home
    assert build.problem.shifts[0].end_location == OFFICE


hours_strategy = st.lists(
    st.one_of(
        st.just(()),
        st.tuples(st.integers(360, 720), st.integers(60, 600)).map(
            lambda t: ((t[0], min(1440, t[0] + t[1])),)
        ),
    ),
    min_size=7,
    max_size=7,
).map(tuple)


@settings(deadline=None, max_examples=12)
@given(
    st.lists(hours_strategy, min_size=3, max_size=14),
    st.lists(st.sampled_from(list(AbcTier)), min_size=14, max_size=14),
)
def test_every_plan_of_a_mapped_problem_passes_the_checker(
    hours: list[tuple[tuple[tuple[int, int], ...], ...]], tiers: list[AbcTier]
) -> None:
    infos = [info(i, h, tiers[i]) for i, h in enumerate(hours)]
    accounts = {a.account_id: a for a in infos}
    due = due_for(infos)
    build = build_problem(due, accounts, MONDAY, PlanningConfig(office=OFFICE))
    routed = {v.visit_id for v in build.problem.visits}
    assert routed | {u.visit_id for u in build.unroutable} == {d.account_id for d in due}
    for v in build.problem.visits:  # a window on a day is exactly that weekday's opening
        for shift in build.problem.shifts:
            expected = accounts[v.shop_id].opening_hours[shift.day.weekday()]
            assert tuple((iv.start, iv.end) for iv in v.hours.on(shift.day)) == expected
    if not build.problem.visits:
        return
    plan = plan_week(build.problem, options=SolveOptions(max_iterations=150, seed=3))
    assert check_plan(build.problem, plan) == []
