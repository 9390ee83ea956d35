"""Weekly visit planning: who is due, the optimised week, re-planning, and the saved plan.

Use case flow: ``load_candidates`` (SQL aggregates) -> ``domain.visits.due_visits`` ->
``planning_problem.build_problem`` (routing adapter) -> ``domain.routing.plan_week`` /
``replan`` -> ``check_plan`` (independent checker) -> a ``VisitPlan`` row (outbox mutation).

Planned ``Visit`` rows are deliberately NOT written: the plan changes many times a week, and
each change would be a synced insert/delete pair per stop. The ``VisitPlan`` row holds the
ordered stops; a visit row is made when the manager records the visit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, Territory, VisitPlan
from kamdesk.domain.anomalies import AnomalyConfig
from kamdesk.domain.routing import (
    DropReason,
    LatLon,
    LockedStop,
    RoutingError,
    SolveOptions,
    StopKind,
    WeekPlan,
    check_plan,
    replan,
    replan_problem,
)
from kamdesk.domain.visits import DueVisit, due_visits, week_bounds
from kamdesk.errors import NotFoundError
from kamdesk.ids import uuid7
from kamdesk.services.outbox import record_mutation
from kamdesk.services.planning_candidates import load_candidates
from kamdesk.services.planning_edits import locks_first, moved_plan
from kamdesk.services.planning_problem import (
    PlanningConfig,
    PlanningError,
    build_problem,
)
from kamdesk.services.planning_seed import plan_seeded
from kamdesk.services.planning_store import days_json, dropped_json, plan_from_json
from kamdesk.services.planning_views import (
    DROP_TEXT,
    DayView,
    LeftOutView,
    PlanState,
    StopView,
    WeekEdits,
    WeekOutcome,
)

Progress = Callable[[int, int, str], None]

# The domain's +-30 % flags about two thirds of the demo's shops every month (a month of four
# or five order weeks alone moves a weekly buyer by 25 %); a special visit is for real swings.
PLANNING_ANOMALIES = AnomalyConfig(mom_threshold=0.5, yoy_threshold=0.5, min_base=Decimal(5000))


def iso_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _noop(_done: int, _total: int, _message: str) -> None:
    return None


class PlanningService:
    def __init__(
        self,
        store: Store,
        config: PlanningConfig,
        *,
        actor_id: str | None = None,
        options: SolveOptions | None = None,
        anomaly_config: AnomalyConfig | None = None,
    ) -> None:
        self._store = store
        self.config = config
        self._actor = actor_id
        self.options = options or SolveOptions(seconds=6.0, no_improvement=2000)
        self._anomaly = anomaly_config or PLANNING_ANOMALIES

    # -- who is due ------------------------------------------------------------------------
    def due_visits(self, week_monday: date) -> list[DueVisit]:
        """Due visits of the ISO week containing ``week_monday``, highest priority first."""
        monday, _ = week_bounds(week_monday)
        with self._store.session() as session:
            found = load_candidates(session, monday, self._anomaly)
        return due_visits(found.candidates, monday, self.config.visit_rules)

    # -- the optimised week ----------------------------------------------------------------
    def plan_week(
        self,
        week_monday: date,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> WeekOutcome:
        """Plan the week from scratch and save it (a ``VisitPlan`` row per ISO week)."""
        report = progress or _noop
        monday, _ = week_bounds(week_monday)
        report(0, 100, "loading accounts")
        with self._store.session() as session:
            found = load_candidates(session, monday, self._anomaly)
        due = tuple(due_visits(found.candidates, monday, self.config.visit_rules))
        build = build_problem(
            due, found.accounts, monday, self.config, appointments=found.appointments
        )
        report(5, 100, f"{len(build.problem.visits)} visits to route")
        plan = self._routed(
            lambda p: plan_seeded(build.problem, options=self.options, progress=p, cancel=cancel),
            report,
        )
        state = PlanState(monday, self.config, due, found.accounts, found.appointments, build, plan)
        state = self._save(state)
        report(100, 100, "done")
        return self.outcome(state)

    def move_stop(
        self,
        state: PlanState,
        visit_id: str,
        day: date,
        position: int | None = None,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> WeekOutcome:
        """The manager dragged a stop to ``day`` (at ``position`` among that day's stops):
        it is locked there, and the rest of the week is re-optimised around the locked stops.
        A position becomes a fixed start time when it is feasible, else the day alone is kept.
        """
        if state.build.problem.visit(visit_id) is None:
            raise NotFoundError(
                f"no visit {visit_id} in this week's plan", code="planning.no_visit"
            )
        start = self._start_at(state, visit_id, day, position) if position is not None else None
        locks = [lk for lk in state.edits.locked if lk.visit_id != visit_id]
        edits = replace(state.edits, locked=(*locks, LockedStop(visit_id, day, start)))
        # Start the search from the plan as the manager sees it after the drag: in a full week a
        # search warm-started from the old plan does not find room for the moved stop itself.
        warm = moved_plan(state.plan, visit_id, day, position or 0, state.build.problem)
        if start is not None:
            # an exact time is the strictest lock; when the search cannot keep it, keep the day
            try:
                result = self._replan(state, edits, state.monday, progress, cancel, warm=warm)
                if result.state.plan.day_of(visit_id) == day:
                    return result
            except PlanningError:
                pass
        day_only = replace(edits, locked=(*locks, LockedStop(visit_id, day, None)))
        result = self._replan(state, day_only, state.monday, progress, cancel, warm=warm)
        if result.state.plan.day_of(visit_id) == day:
            return result
        # last resort: a search from scratch (it may still find no room in an overloaded week;
        # the stop is then listed as not planned, never silently lost)
        cold = replace(state.plan, days=tuple(replace(d, stops=()) for d in state.plan.days))
        return self._replan(state, day_only, state.monday, progress, cancel, warm=cold)

    def skip_stop(
        self,
        state: PlanState,
        visit_id: str,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> WeekOutcome:
        """Skip a visit this week; the days from its day on are re-planned."""
        day = self._day_of(state, visit_id)
        locks = tuple(lk for lk in state.edits.locked if lk.visit_id != visit_id)
        edits = replace(state.edits, locked=locks, skipped=state.edits.skipped | {visit_id})
        return self._replan(state, edits, day, progress, cancel)

    def mark_closed(
        self,
        state: PlanState,
        visit_id: str,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> WeekOutcome:
        """The shop of ``visit_id`` is closed on its planned day: that day and the rest of the
        week are re-planned with the shop closed that day (the visit moves to a later day)."""
        day = self._day_of(state, visit_id)
        meta = state.build.meta[visit_id]
        locks = tuple(lk for lk in state.edits.locked if lk.visit_id != visit_id)
        edits = replace(
            state.edits, locked=locks, closures=(*state.edits.closures, (meta.account_id, day))
        )
        return self._replan(state, edits, day, progress, cancel)

    # -- internals ---------------------------------------------------------------------------
    def _day_of(self, state: PlanState, visit_id: str) -> date:
        day = state.plan.day_of(visit_id)
        if day is None:
            raise NotFoundError(
                f"visit {visit_id} is not planned on any day", code="planning.not_planned"
            )
        return day

    def _routed(self, run: Callable[[Progress], WeekPlan], report: Progress) -> WeekPlan:
        def solver_progress(done: int, total: int, message: str) -> None:
            report(5 + int(90 * done / max(total, 1)), 100, message)

        try:
            return run(solver_progress)
        except RoutingError as exc:
            raise _planning_error(exc, self) from exc

    def _replan(
        self,
        state: PlanState,
        edits: WeekEdits,
        from_day: date,
        progress: Progress | None,
        cancel: threading.Event | None,
        *,
        warm: WeekPlan | None = None,
    ) -> WeekOutcome:
        report = progress or _noop
        build = build_problem(
            state.due,
            state.accounts,
            state.monday,
            state.config,
            appointments=state.appointments,
            closures=edits.closures_by_account(),
        )
        locks = [lk for lk in edits.locked if lk.day >= from_day]
        build = locks_first(build, {lk.visit_id for lk in locks})
        skipped = [v for v in edits.skipped if build.problem.visit(v) is not None]
        report(5, 100, "re-planning")
        plan = self._routed(
            lambda p: replan(
                build.problem,
                warm or state.plan,
                from_day=from_day,
                locked=locks,
                skipped=skipped,
                options=self.options,
                progress=p,
                cancel=cancel,
            ),
            report,
        )
        new_state = replace(state, build=build, plan=plan, edits=edits)
        new_state = self._save(new_state)
        report(100, 100, "done")
        return self.outcome(new_state, from_day=from_day)

    def _start_at(self, state: PlanState, visit_id: str, day: date, position: int) -> int | None:
        """The service start the dragged stop would have at ``position`` of ``day``'s visits,
        or None when that is not inside the shop's opening hours and the working day."""
        request = state.build.problem.visit(visit_id)
        shift = state.build.problem.shift_on(day)
        day_plan = next((d for d in state.plan.days if d.day == day), None)
        if request is None or shift is None or day_plan is None:
            return None
        others = [s for s in day_plan.stops if s.visit_id != visit_id]
        visit_positions = [i for i, s in enumerate(others) if s.kind is StopKind.VISIT]
        if position <= 0 or not visit_positions:
            prev_loc, ready = shift.start_location, shift.start
        else:
            prev = others[visit_positions[min(position, len(visit_positions)) - 1]]
            prev_loc, ready = prev.location, prev.departure
        m = state.config.travel.matrix([prev_loc, request.location], shift.mode)
        arrive = ready + int(m.minutes[0, 1])
        for iv in request.hours.on(day):
            start = max(arrive, iv.start)
            if start + request.service_minutes <= min(iv.end, shift.end) and start >= shift.start:
                return start
        return None

    def outcome(self, state: PlanState, *, from_day: date | None = None) -> WeekOutcome:
        """The plan as the week view shows it, checked by the routing module's checker."""
        problem = state.build.problem
        if from_day is not None:
            locks = [lk for lk in state.edits.locked if lk.day >= from_day]
            problem = replan_problem(problem, locked=locks, from_day=from_day)
        violations = tuple(v.message for v in check_plan(problem, state.plan))
        locked = {lk.visit_id for lk in state.edits.locked}
        days = tuple(self._day_view(state, d, locked) for d in state.plan.days)
        left: list[LeftOutView] = []
        for dropped in (*state.plan.unplaced_mandatory, *state.plan.dropped):
            meta = state.build.meta[dropped.visit_id]
            info = state.accounts[meta.account_id]
            zh, en = DROP_TEXT.get(DropReason(dropped.reason), (dropped.detail, dropped.detail))
            left.append(
                LeftOutView(
                    dropped.visit_id,
                    meta.account_id,
                    info.code,
                    info.name,
                    dropped.mandatory,
                    dropped.priority,
                    dropped.reason.value,
                    zh,
                    en,
                )
            )
        for u in state.build.unroutable:
            info = state.accounts[u.account_id]
            left.append(
                LeftOutView(
                    u.visit_id,
                    u.account_id,
                    info.code,
                    info.name,
                    u.mandatory,
                    0,
                    u.code.value,
                    u.zh,
                    u.en,
                )
            )
        left.sort(key=lambda v: (not v.mandatory, -v.priority, v.code))
        shifts = problem.shifts
        return WeekOutcome(
            state=state,
            days=days,
            left_out=tuple(left),
            start=shifts[0].start_location,
            end=shifts[0].end_location,
            violations=violations,
            due_count=len(state.due),
            runtime_s=state.plan.stats.runtime_s,
        )

    def _day_view(self, state: PlanState, d: Any, locked: set[str]) -> DayView:
        stops: list[StopView] = []
        for s in d.stops:
            timing = {
                "arrival": s.arrival,
                "start": s.service_start,
                "departure": s.departure,
                "waiting": s.waiting,
                "slack": s.slack,
                "travel_minutes": s.travel_minutes,
                "travel_km": s.travel_km,
            }
            if s.visit_id is None:
                stops.append(
                    StopView(
                        None,
                        None,
                        "",
                        s.break_name or "lunch",
                        "",
                        "",
                        "",
                        s.location.lat,
                        s.location.lon,
                        **timing,
                    )
                )
                continue
            meta = state.build.meta[s.visit_id]
            info = state.accounts[meta.account_id]
            stops.append(
                StopView(
                    s.visit_id,
                    meta.account_id,
                    info.code,
                    info.name,
                    info.address,
                    info.phone,
                    info.tier.value,
                    s.location.lat,
                    s.location.lon,
                    **timing,
                    purpose=meta.purpose.value,
                    priority=meta.priority,
                    mandatory=meta.mandatory,
                    reasons_zh=meta.reasons_zh,
                    reasons_en=meta.reasons_en,
                    locked=s.visit_id in locked,
                )
            )
        return DayView(
            d.day, tuple(stops), d.leave, d.back, d.travel_minutes, d.travel_km, d.visits
        )

    # -- persistence ---------------------------------------------------------------------------
    def _save(self, state: PlanState) -> PlanState:
        """Create or update the week's ``VisitPlan`` row through the outbox."""
        days = days_json(state)
        dropped = dropped_json(state)
        week = iso_week(state.monday)
        with self._store.session() as session:
            row = None
            if state.plan_row_id is not None:
                row = session.get(VisitPlan, state.plan_row_id)
            if row is None:
                row = session.scalars(
                    select(VisitPlan).where(
                        VisitPlan.iso_week == week, VisitPlan.deleted.is_(False)
                    )
                ).first()
            if row is None:
                territory = (
                    session.scalars(
                        select(Account.territory_id).where(Account.deleted.is_(False)).limit(1)
                    ).first()
                    or session.scalars(select(Territory.id).limit(1)).first()
                )
                if territory is None:
                    raise PlanningError(
                        "there is no territory to plan for", code="planning.no_territory"
                    )
                row_id = uuid7()
                fields = {
                    "user_id": self._actor,
                    "territory_id": territory,
                    "iso_week": week,
                    "status": "draft",
                    "days": days,
                    "dropped": dropped,
                }
                session.add(VisitPlan(id=row_id, **fields))
                record_mutation(
                    session,
                    "visit_plan.create",
                    entity_table="visit_plan",
                    entity_id=row_id,
                    args={"fields": fields},
                    actor=self._actor,
                )
                return replace(state, plan_row_id=row_id)
            changed = {"days": days, "dropped": dropped}
            base = {k: int(row.srv_seq) for k in changed}
            row.days, row.dropped = days, dropped
            record_mutation(
                session,
                "visit_plan.update_fields",
                entity_table="visit_plan",
                entity_id=row.id,
                args={"fields": changed},
                base=base,
                actor=self._actor,
            )
            return replace(state, plan_row_id=row.id)

    def open_week(self, week_monday: date) -> WeekOutcome | None:
        """The saved plan of that week, rebuilt against today's data; None when there is none
        or when it no longer passes the checker (accounts changed: plan again)."""
        monday, _ = week_bounds(week_monday)
        saved = self.saved_plan(monday)
        if saved is None:
            return None
        with self._store.session() as session:
            found = load_candidates(session, monday, self._anomaly)
        due = tuple(due_visits(found.candidates, monday, self.config.visit_rules))
        try:
            probe = build_problem(due, found.accounts, monday, self.config)
            routed = {v.visit_id for v in probe.problem.visits}
            plan, edits = plan_from_json(saved["days"], saved["dropped"], routed)
            build = build_problem(
                due,
                found.accounts,
                monday,
                self.config,
                appointments=found.appointments,
                closures=edits.closures_by_account(),
            )
            build = locks_first(build, {lk.visit_id for lk in edits.locked})
        except (KeyError, ValueError, TypeError, PlanningError):
            return None
        state = PlanState(
            monday,
            self.config,
            due,
            found.accounts,
            found.appointments,
            build,
            plan,
            edits,
            plan_row_id=str(saved["id"]),
        )
        outcome = self.outcome(state, from_day=monday)
        return None if outcome.violations else outcome

    def saved_plan(self, week_monday: date) -> dict[str, Any] | None:
        """The stored plan of that ISO week as plain JSON (days, dropped), if any."""
        monday, _ = week_bounds(week_monday)
        with self._store.session() as session:
            row = session.scalars(
                select(VisitPlan).where(
                    VisitPlan.iso_week == iso_week(monday), VisitPlan.deleted.is_(False)
                )
            ).first()
            if row is None:
                return None
            return {
                "id": row.id,
                "iso_week": row.iso_week,
                "days": row.days,
                "dropped": row.dropped,
            }


def _planning_error(exc: RoutingError, service: PlanningService) -> PlanningError:
    """A routing input error in words the manager can act on (the code says which)."""
    return (
        PlanningError(
            f"the week cannot be planned: {exc.message}",
            code=f"planning.{exc.code}",
        )
        if exc.visit_id is None
        else PlanningError(
            f"the week cannot be planned because of visit {exc.visit_id}: {exc.message}",
            code=f"planning.{exc.code}",
        )
    )


def week_monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


__all__: Sequence[str] = ("PlanningService", "iso_week", "week_monday_of")


def territory_centre(store: Store) -> LatLon | None:
    """The mean position of the live shops: a stand-in office until the user sets one."""
    with store.session() as session:
        lat, lon = session.execute(
            select(func.avg(Account.latitude), func.avg(Account.longitude)).where(
                Account.deleted.is_(False), Account.latitude.is_not(None)
            )
        ).one()
    return None if lat is None or lon is None else LatLon(float(lat), float(lon))
