"""How a manager's drag is handed to the optimiser: the stop placed where it was dropped (room
made on a full day, breaks kept at a neighbouring stop) seeds the search, and locked stops are
worth more than any stop the optimiser chose itself."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kamdesk.domain.routing import Stop, StopKind, WeekPlan, WeekProblem
from kamdesk.services.planning_problem import ProblemBuild


def moved_plan(
    plan: WeekPlan, visit_id: str, day: date, position: int, problem: WeekProblem
) -> WeekPlan:
    """``plan`` with the stop moved to ``position`` among ``day``'s visits, and as many of that
    day's lowest-priority unlocked visits taken out as its service time needs (times are left
    untouched: only the order seeds the search, which re-times and refills the days)."""
    stop = plan.stop_of(visit_id)
    request = problem.visit(visit_id)
    if stop is None or request is None:
        return plan
    days = []
    for d in plan.days:
        stops = [s for s in d.stops if s.visit_id != visit_id]
        if d.day == day:
            if d.day != plan.day_of(visit_id):
                stops = _make_room(stops, request.service_minutes + 10, problem)
            visit_rows = [i for i, s in enumerate(stops) if s.kind is StopKind.VISIT]
            at = visit_rows[position] if position < len(visit_rows) else len(stops)
            stops.insert(at, stop)
        if len(stops) != len(d.stops) or d.day == day:
            stops = _breaks_at_neighbours(stops)
        days.append(replace(d, stops=tuple(stops)))
    return replace(plan, days=tuple(days))


def _breaks_at_neighbours(stops: list[Stop]) -> list[Stop]:
    """A break is taken at a neighbouring stop's location; after a move that neighbour may be
    gone (or no longer allowed on that day), so move each break to its current neighbour."""
    out = list(stops)
    for i, s in enumerate(out):
        if s.kind is not StopKind.BREAK:
            continue
        before = next((o for o in reversed(out[:i]) if o.kind is StopKind.VISIT), None)
        after = next((o for o in out[i + 1 :] if o.kind is StopKind.VISIT), None)
        near = before or after
        if near is not None:
            out[i] = replace(s, location=near.location)
    return out


def _make_room(stops: list[Stop], minutes: int, problem: WeekProblem) -> list[Stop]:
    def worth(s: Stop) -> tuple[bool, int]:
        v = problem.visit(s.visit_id or "")
        return (v is None or v.pinned is not None, v.priority if v else 0)

    candidates = sorted((s for s in stops if s.kind is StopKind.VISIT), key=worth)
    freed, out = 0, set()
    for s in candidates:
        if freed >= minutes or worth(s)[0]:
            break
        out.add(s.visit_id)
        freed += s.departure - s.service_start + s.travel_minutes
    return [s for s in stops if s.visit_id not in out]


# In an overloaded week every mandatory visit competes for room on the same soft prize; a stop
# the manager placed by hand must win over the optimiser's own choices (worth two prizes).
LOCK_BONUS = 4 * 1440


def locks_first(build: ProblemBuild, locked: set[str]) -> ProblemBuild:
    if not locked:
        return build
    visits = tuple(
        replace(v, priority=v.priority + LOCK_BONUS) if v.visit_id in locked else v
        for v in build.problem.visits
    )
    return replace(build, problem=replace(build.problem, visits=visits))
