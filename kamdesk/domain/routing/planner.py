"""``plan_week``: validate, search, then turn the solver's routes into a timed ``WeekPlan``.

After the search a small repair pass re-times every day with ``schedule.time_day`` (the source
of all times shown), inserts any left-out visit that still fits profitably, and explains every
visit that stays out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kamdesk.domain.routing.matrix import TravelMatrix
from kamdesk.domain.routing.model import WeekProblem
from kamdesk.domain.routing.plan import (
    DayPlan,
    DroppedVisit,
    DropReason,
    SolverStats,
    Stop,
    StopKind,
    WeekPlan,
)
from kamdesk.domain.routing.schedule import (
    COST_PER_MINUTE,
    Item,
    cheapest_insertion,
    route_cost,
    slacks,
    time_day,
)
from kamdesk.domain.routing.solver import (
    ProgressCallback,
    SolveOptions,
    run_search,
)
from kamdesk.domain.routing.validate import Prepared, PreparedDay, PreparedVisit, prepare


@dataclass(slots=True)
class _Draft:
    """Mutable per-day stop lists while repairing."""

    prep: Prepared
    days: dict[int, list[Item]]
    repaired: int = 0

    def matrix(self, day: PreparedDay) -> TravelMatrix:
        return self.prep.matrices[day.shift.mode]


def _visit_item(pv: PreparedVisit, day: int) -> Item:
    v = pv.visit
    return Item(StopKind.VISIT, v.visit_id, pv.loc, pv.windows_on(day), v.service_minutes)


def _removal_victim(draft: _Draft, day: PreparedDay, by_id: dict[str, PreparedVisit]) -> int:
    """Index of the visit to give up first: optional before mandatory, low priority first,
    and among equals the one whose removal saves the most travel."""
    items = draft.days[day.index]
    m = draft.matrix(day)
    base = route_cost(day, items, m)

    def rank(i: int) -> tuple[bool, int, int]:
        v = by_id[items[i].ref].visit
        saving = base - route_cost(day, [*items[:i], *items[i + 1 :]], m)
        return (v.is_mandatory, v.priority, -saving)

    return min((i for i, it in enumerate(items) if it.kind is StopKind.VISIT), key=rank)


def _has_visits(items: list[Item]) -> bool:
    return any(it.kind is StopKind.VISIT for it in items)


def _make_feasible(draft: _Draft, day: PreparedDay, by_id: dict[str, PreparedVisit]) -> None:
    """Drop visits until the day can be timed with all its breaks. Acts only when the solver
    could not fit everything (e.g. too much mandatory work)."""
    items = draft.days[day.index]
    m = draft.matrix(day)
    while _has_visits(items) and time_day(day, items, m) is None:
        del items[_removal_victim(draft, day, by_id)]
        draft.repaired += 1
    if not _has_visits(items):
        items.clear()  # a day without visits needs no break
        return
    for b in day.breaks:
        while _has_visits(items) and not any(
            it.kind is StopKind.BREAK and it.ref == b.rule.name for it in items
        ):
            if not _insert_break(draft, day, b.rule.name):
                del items[_removal_victim(draft, day, by_id)]
                draft.repaired += 1
    if not _has_visits(items):
        items.clear()


def _insert_break(draft: _Draft, day: PreparedDay, name: str) -> bool:
    """Put a missing break at the cheapest feasible place, at a neighbouring stop's location."""
    items = draft.days[day.index]
    m = draft.matrix(day)
    rule = next(b for b in day.breaks if b.rule.name == name)
    best: tuple[int, int, Item] | None = None
    base = route_cost(day, items, m)
    locs = [day.start_loc, *(it.loc for it in items), day.end_loc]
    for pos in range(len(items) + 1):
        for loc in sorted({locs[pos], locs[pos + 1]}):
            new = Item(StopKind.BREAK, name, loc, (rule.window,), rule.rule.duration)
            trial = [*items[:pos], new, *items[pos:]]
            extra = route_cost(day, trial, m) - base
            if (best is None or extra < best[0]) and time_day(day, trial, m) is not None:
                best = (extra, pos, new)
    if best is None:
        return False
    items.insert(best[1], best[2])
    return True


def _insertions(draft: _Draft, pv: PreparedVisit) -> list[tuple[int, int, int]]:
    """Feasible (extra cost, day index, position), the cheapest per day, cheapest first."""
    out: list[tuple[int, int, int]] = []
    for day_index, _ in pv.windows:
        day = draft.prep.days[day_index]
        found = cheapest_insertion(
            day, draft.days[day_index], draft.matrix(day), _visit_item(pv, day_index)
        )
        if found is not None:
            out.append((found[0], day_index, found[1]))
    return sorted(out)


def _apply(draft: _Draft, pv: PreparedVisit, day_index: int, pos: int) -> bool:
    """Insert; a day that had no visits also needs its breaks, else the insertion is undone."""
    items = draft.days[day_index]
    day = draft.prep.days[day_index]
    opened = not _has_visits(items)
    before = list(items)
    items.insert(pos, _visit_item(pv, day_index))
    if opened:
        for b in day.breaks:
            if not _insert_break(draft, day, b.rule.name):
                items[:] = before
                return False
    return True


def _repair(draft: _Draft, served: set[str]) -> list[DroppedVisit]:
    prep = draft.prep
    by_id = {pv.visit.visit_id: pv for pv in prep.visits}
    for day in prep.days:
        _make_feasible(draft, day, by_id)
    served.clear()
    served.update(
        it.ref for items in draft.days.values() for it in items if it.kind is StopKind.VISIT
    )
    missing = [pv for pv in prep.visits if pv.visit.visit_id not in served]
    missing.sort(key=lambda pv: (not pv.visit.is_mandatory, -pv.visit.priority, pv.index))
    out: list[DroppedVisit] = []
    for pv in missing:
        v = pv.visit
        prize = v.priority * COST_PER_MINUTE
        options = _insertions(draft, pv)
        placed = False
        for extra_cost, day_index, pos in options:
            if not v.is_mandatory and extra_cost >= prize:
                break
            if _apply(draft, pv, day_index, pos):
                placed = True
                break
        if placed:
            served.add(v.visit_id)
            draft.repaired += 1
            continue
        if not options:
            reason, detail, extra = (
                DropReason.NO_ROOM,
                "no working day has a feasible slot left",
                None,
            )
        else:
            extra = options[0][0] // COST_PER_MINUTE
            reason = DropReason.NOT_WORTH_DETOUR
            detail = f"fits, but needs about {extra} extra travel minutes (priority {v.priority})"
            if v.is_mandatory:
                reason, detail = DropReason.NO_ROOM, "only fits on a day without room for its break"
        out.append(DroppedVisit(v.visit_id, v.is_mandatory, v.priority, reason, detail, extra))
    return out


def _day_plan(draft: _Draft, day: PreparedDay) -> DayPlan:
    items = draft.days[day.index]
    m = draft.matrix(day)
    timing = time_day(day, items, m)
    if timing is None or not items:
        return DayPlan(day.shift.day, (), day.shift.start, day.shift.start, 0, 0.0, 0, 0.0, 0, 0)
    slack = slacks(day, items, m, timing)
    by_id = {pv.visit.visit_id: pv for pv in draft.prep.visits}
    stops: list[Stop] = []
    prev = day.start_loc
    for i, it in enumerate(items):
        is_visit = it.kind is StopKind.VISIT
        start = timing.starts[i]
        stops.append(
            Stop(
                kind=it.kind,
                visit_id=it.ref if is_visit else None,
                shop_id=by_id[it.ref].visit.shop_id if is_visit else None,
                break_name=None if is_visit else it.ref,
                location=draft.prep.points[it.loc],
                arrival=timing.arrivals[i] - day.offset,
                service_start=start - day.offset,
                departure=start + it.service - day.offset,
                waiting=start - timing.arrivals[i],
                slack=slack[i],
                travel_minutes=int(m.minutes[prev, it.loc]),
                travel_km=int(m.meters[prev, it.loc]) / 1000.0,
            )
        )
        prev = it.loc
    ret_min = int(m.minutes[prev, day.end_loc])
    ret_km = int(m.meters[prev, day.end_loc]) / 1000.0
    present = {s.break_name for s in stops if s.kind is StopKind.BREAK}
    return DayPlan(
        day=day.shift.day,
        stops=tuple(stops),
        leave=timing.leave - day.offset,
        back=timing.back - day.offset,
        return_travel_minutes=ret_min,
        return_travel_km=ret_km,
        travel_minutes=sum(s.travel_minutes for s in stops) + ret_min,
        travel_km=round(sum(s.travel_km for s in stops) + ret_km, 3),
        visits=sum(1 for s in stops if s.kind is StopKind.VISIT),
        length=timing.back - timing.leave,
        missing_breaks=tuple(b.rule.name for b in day.breaks if b.rule.name not in present),
        approximate_travel=m.approximate,
    )


def assemble(
    prep: Prepared,
    routes: dict[int, list[Item]],
    stats: SolverStats,
    extra_dropped: Iterable[DroppedVisit] = (),
) -> WeekPlan:
    """Repair, time and explain: the single path from any day->stops assignment to a plan."""
    seen: set[str] = set()
    days: dict[int, list[Item]] = {}
    for d in prep.days:
        kept: list[Item] = []
        for it in routes.get(d.index, []):
            if it.kind is StopKind.VISIT and it.ref in seen:
                continue
            if it.kind is StopKind.VISIT:
                seen.add(it.ref)
            kept.append(it)
        days[d.index] = kept
    draft = _Draft(prep, days)
    served: set[str] = set()
    dropped = _repair(draft, served)
    dropped.extend(extra_dropped)
    plans = tuple(_day_plan(draft, d) for d in prep.days)
    return WeekPlan(
        days=plans,
        dropped=tuple(d for d in dropped if not d.mandatory),
        unplaced_mandatory=tuple(d for d in dropped if d.mandatory),
        stats=replace(stats, repaired=stats.repaired + draft.repaired),
    )


def solve_prepared(
    prep: Prepared,
    options: SolveOptions,
    *,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    extra_dropped: Iterable[DroppedVisit] = (),
    warm_from: Iterable[DayPlan] = (),
) -> WeekPlan:
    started = time.perf_counter()
    loc_index = {p: i for i, p in enumerate(prep.points)}
    day_index = {d.shift.day: d.index for d in prep.days}
    warm: dict[int, list[tuple[StopKind, str, int]]] = {}
    for dp in warm_from:
        if dp.day in day_index:
            warm[day_index[dp.day]] = [
                (s.kind, s.visit_id or s.break_name or "", loc_index.get(s.location, -1))
                for s in dp.stops
            ]
    routes, result, stop, size = run_search(
        prep, options, cancel=cancel, progress=progress, warm=warm or None
    )
    objective = 0
    if result is not None and result.is_feasible():
        objective = int(result.cost())
    stats = SolverStats(
        runtime_s=round(time.perf_counter() - started, 3),
        iterations=stop.iterations,
        seed=options.seed,
        cancelled=stop.cancelled,
        objective=objective,
        model_clients=size,
        repaired=0,
    )
    # A copy served by another day's vehicle (only in a time-warped, infeasible search result)
    # is left out here; the repair pass re-inserts or reports it.
    items = {day: [c.item for c in clients if c.day == day] for day, clients in routes.items()}
    return assemble(prep, items, stats, extra_dropped)


def plan_week(
    problem: WeekProblem,
    *,
    options: SolveOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> WeekPlan:
    """Plan the week. Raises ``RoutingError`` (with ``code`` and ``visit_id``) on impossible
    input; a cancelled search returns its best plan so far with ``stats.cancelled`` set.
    ``progress(done, total, message)`` is called from the calling thread during the search."""
    prep = prepare(problem)
    return solve_prepared(prep, options or SolveOptions(), progress=progress, cancel=cancel)
