"""Re-planning during the week: days before ``from_day`` stay as they were, the rest is solved
again around the user's changes (locked stops, skipped stops, shops closed today)."""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

from kamdesk.domain.routing.errors import RoutingError
from kamdesk.domain.routing.model import PinnedTime, VisitRequest, WeekProblem
from kamdesk.domain.routing.plan import DroppedVisit, DropReason, WeekPlan
from kamdesk.domain.routing.planner import solve_prepared
from kamdesk.domain.routing.solver import ProgressCallback, SolveOptions
from kamdesk.domain.routing.validate import prepare


@dataclass(frozen=True, slots=True)
class LockedStop:
    """The user dragged ``visit_id`` to ``day`` (and, when ``start`` is given, to that service
    start time): it becomes mandatory there and the rest is planned around it."""

    visit_id: str
    day: date
    start: int | None = None


def replan_problem(
    problem: WeekProblem,
    *,
    locked: Sequence[LockedStop] = (),
    closed_today: Collection[str] = (),
    from_day: date,
) -> WeekProblem:
    """The problem as changed by the user: what ``replan`` solves and ``check_plan`` checks.

    Locks override allowed days and pins; shops in ``closed_today`` (shop ids) get ``from_day``
    as a closed date, and appointments there that day lose their pin (the visit stays due).
    """
    by_id = {v.visit_id: v for v in problem.visits}
    locks: dict[str, LockedStop] = {}
    for lk in locked:
        if lk.visit_id not in by_id:
            raise RoutingError(
                f"locked visit {lk.visit_id} is not in the problem",
                code="unknown_visit",
                visit_id=lk.visit_id,
            )
        if lk.day < from_day:
            raise RoutingError(
                f"visit {lk.visit_id} cannot be locked to {lk.day}, a day already done",
                code="locked_in_past",
                visit_id=lk.visit_id,
                day=lk.day.isoformat(),
            )
        locks[lk.visit_id] = lk
    closed = set(closed_today)
    visits: list[VisitRequest] = []
    for v in problem.visits:
        if v.shop_id in closed:
            hours = replace(v.hours, closed_dates=v.hours.closed_dates | {from_day})
            v = replace(v, hours=hours)
            if v.pinned is not None and v.pinned.day == from_day:
                v = replace(v, pinned=None, mandatory=True)
        lock = locks.get(v.visit_id)
        if lock is not None:
            pin = PinnedTime(lock.day, lock.start) if lock.start is not None else None
            v = replace(v, mandatory=True, allowed_days=frozenset({lock.day}), pinned=pin)
        visits.append(v)
    return replace(problem, visits=tuple(visits))


def replan(
    problem: WeekProblem,
    previous: WeekPlan,
    *,
    from_day: date,
    locked: Sequence[LockedStop] = (),
    skipped: Collection[str] = (),
    closed_today: Collection[str] = (),
    options: SolveOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> WeekPlan:
    """Re-plan days ``>= from_day``; earlier days of ``previous`` are kept unchanged.

    ``skipped`` visit ids are left out of the rest of the week (listed as SKIPPED); visits whose
    allowed open days all lie before ``from_day`` are listed as NO_DAY_LEFT. Check the result
    with ``check_plan(replan_problem(...), plan)``.
    """
    prepare(problem)  # the original input must be valid on its own
    effective = replan_problem(problem, locked=locked, closed_today=closed_today, from_day=from_day)
    origin = min(s.day for s in problem.shifts)
    frozen = tuple(d for d in previous.days if d.day < from_day)
    done = {vid for d in frozen for vid in d.visit_ids}
    unknown = sorted(done - {v.visit_id for v in problem.visits})
    if unknown:
        raise RoutingError(
            f"the previous plan has visit {unknown[0]}, which is not in the problem",
            code="unknown_visit",
            visit_id=unknown[0],
        )
    locked_ids = {lock.visit_id for lock in locked}
    if done & locked_ids:
        vid = sorted(done & locked_ids)[0]
        raise RoutingError(
            f"visit {vid} was already done on a frozen day", code="locked_done", visit_id=vid
        )
    skip = set(skipped)
    extra: list[DroppedVisit] = []
    remaining: list[VisitRequest] = []
    for v in effective.visits:
        if v.visit_id in done:
            continue
        if v.visit_id in skip:
            extra.append(
                DroppedVisit(
                    v.visit_id,
                    v.is_mandatory,
                    v.priority,
                    DropReason.SKIPPED,
                    "skipped by the user",
                )
            )
        elif v.pinned is not None and v.pinned.day < from_day:
            extra.append(_no_day(v))
        else:
            remaining.append(v)
    shifts = tuple(s for s in effective.shifts if s.day >= from_day)
    if not shifts:
        extra.extend(_no_day(v) for v in remaining)
        return WeekPlan(
            days=frozen,
            dropped=tuple(d for d in extra if not d.mandatory),
            unplaced_mandatory=tuple(d for d in extra if d.mandatory),
            stats=replace(previous.stats, iterations=0, runtime_s=0.0, repaired=0),
        )
    sub = WeekProblem(shifts=shifts, visits=tuple(remaining), travel=effective.travel)
    prep = prepare(sub, lenient_no_day=True, origin=origin)
    for v in prep.no_day_left:
        if v.visit_id in locked_ids:
            lock_day = next(lk.day for lk in locked if lk.visit_id == v.visit_id)
            raise RoutingError(
                f"visit {v.visit_id} cannot be locked to {lock_day}: closed or no shift",
                code="locked_day_closed",
                visit_id=v.visit_id,
                day=lock_day.isoformat(),
            )
        extra.append(_no_day(v))
    plan = solve_prepared(
        prep,
        options or SolveOptions(),
        progress=progress,
        cancel=cancel,
        extra_dropped=extra,
        warm_from=[d for d in previous.days if d.day >= from_day],
    )
    return replace(plan, days=tuple(sorted(frozen + plan.days, key=lambda d: d.day)))


def _no_day(v: VisitRequest) -> DroppedVisit:
    return DroppedVisit(
        v.visit_id,
        v.is_mandatory,
        v.priority,
        DropReason.NO_DAY_LEFT,
        "none of its allowed open days is still ahead this week",
    )
