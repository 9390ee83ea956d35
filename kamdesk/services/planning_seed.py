"""A quick first week to start the optimiser from: nearest feasible neighbour, day by day.

Each working day starts at the shift's start location and repeatedly goes to the nearest
(road distance) visit it can still serve inside the shop's opening hours, taking lunch when it
is due and coming back before the shift ends; mandatory visits are taken before optional ones.
The optimiser's local search then only has to improve this plan, so it never starts worse
than the greedy tour, however few iterations the machine allows it.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass

from kamdesk.domain.routing import (
    DayPlan,
    DayShift,
    LatLon,
    ProgressCallback,
    SolveOptions,
    SolverStats,
    Stop,
    StopKind,
    TravelMatrix,
    VisitRequest,
    WeekPlan,
    WeekProblem,
    plan_week,
    replan,
)


@dataclass(slots=True)
class _Walk:
    time: int
    here: int  # matrix index: 0 = start, 1 = end, 2.. = candidate visits
    took_break: bool
    stops: list[Stop]


def _start_in_hours(v: VisitRequest, shift: DayShift, arrive: int) -> int | None:
    if v.pinned is not None:
        if v.pinned.day != shift.day or v.pinned.start < arrive:
            return None
        return v.pinned.start
    for iv in v.hours.on(shift.day):
        start = max(arrive, iv.start)
        if start + v.service_minutes <= iv.end:
            return start
    return None


def _try(
    walk: _Walk, v: VisitRequest, j: int, shift: DayShift, m: TravelMatrix, with_break: bool
) -> tuple[int, int] | None:
    """(service start, break start or -1) when ``v`` can come next, else None."""
    rule = shift.breaks[0] if shift.breaks else None
    now, break_at = walk.time, -1
    if with_break:
        assert rule is not None
        break_at = max(now, rule.earliest_start)
        now = break_at + rule.duration
        if now > rule.latest_end:
            return None
    start = _start_in_hours(v, shift, now + int(m.minutes[walk.here, j]))
    if start is None:
        return None
    end = start + v.service_minutes
    lunch_pending = not walk.took_break and not with_break
    if (
        rule is not None
        and lunch_pending
        and max(end, rule.earliest_start) + rule.duration > rule.latest_end
    ):
        return None  # lunch must still fit after this visit
    limit = shift.start + (shift.max_length if shift.max_length is not None else shift.end)
    if end + int(m.minutes[j, 1]) > min(shift.end, limit):
        return None
    return start, break_at


def seed_plan(problem: WeekProblem, visit_ids: Collection[str] | None = None) -> WeekPlan:
    """The greedy week as a ``WeekPlan`` whose stop order (not its timing) seeds a search.
    Only the order, kinds and locations of its stops are meaningful."""
    wanted = {v.visit_id: v for v in problem.visits if visit_ids is None or v.visit_id in visit_ids}
    left = set(wanted)
    days: list[DayPlan] = []
    for shift in sorted(problem.shifts, key=lambda s: s.day):
        ids = sorted(left)
        points = [shift.start_location, shift.end_location, *(wanted[i].location for i in ids)]
        m = problem.travel.matrix(points, shift.mode)
        walk = _Walk(shift.start, 0, not shift.breaks, [])
        while True:
            best: tuple[tuple[bool, int, str], int, tuple[int, int]] | None = None
            for k, vid in enumerate(ids):
                if vid not in left:
                    continue
                v = wanted[vid]
                for with_break in (False, True) if not walk.took_break else (False,):
                    found = _try(walk, v, k + 2, shift, m, with_break)
                    if found is None:
                        continue
                    key = (not v.is_mandatory, int(m.meters[walk.here, k + 2]), vid)
                    if best is None or key < best[0]:
                        best = (key, k + 2, found)
                    break
            if best is None:
                break
            (_, _, vid), j, (start, break_at) = best
            v = wanted[vid]
            if break_at >= 0:
                rule = shift.breaks[0]
                walk.stops.append(_stop(StopKind.BREAK, None, rule.name, points[walk.here]))
                walk.took_break = True
            walk.stops.append(_stop(StopKind.VISIT, vid, None, v.location, v.shop_id))
            walk.time, walk.here = start + v.service_minutes, j
            left.discard(vid)
        if walk.stops and not walk.took_break and shift.breaks:
            last = walk.stops[-1].location
            walk.stops.append(_stop(StopKind.BREAK, None, shift.breaks[0].name, last))
        days.append(
            DayPlan(shift.day, tuple(walk.stops), shift.start, shift.start, 0, 0.0, 0, 0.0, 0, 0)
        )
    return WeekPlan(tuple(days), (), (), SolverStats(0.0, 0, 0, False, 0, 0, 0))


def _stop(
    kind: StopKind,
    visit_id: str | None,
    break_name: str | None,
    location: LatLon,
    shop_id: str | None = None,
) -> Stop:
    return Stop(kind, visit_id, shop_id, break_name, location, 0, 0, 0, 0, 0, 0, 0.0)


def plan_seeded(
    problem: WeekProblem,
    *,
    options: SolveOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> WeekPlan:
    """``plan_week`` started from the greedy week (through ``replan`` from the first day, which
    warm-starts the search from a previous plan and freezes nothing) when that week already
    serves every mandatory visit. Otherwise the search builds its own start: a greedy week that
    leaves mandatory visits out packs the days worse than the search does, and starting there
    measurably cost placed visits when iterations are few."""
    seed = seed_plan(problem) if problem.shifts else None
    mandatory = {v.visit_id for v in problem.visits if v.is_mandatory}
    if seed is None or not mandatory <= set(seed.planned_visit_ids):
        return plan_week(problem, options=options, progress=progress, cancel=cancel)
    first = min(s.day for s in problem.shifts)
    return replan(
        problem,
        seed,
        from_day=first,
        options=options,
        progress=progress,
        cancel=cancel,
    )
