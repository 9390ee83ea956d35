"""The saved week: a plan as the JSON of its ``VisitPlan`` row, and back.

Each stop keeps its location and timing, each day its totals and the shops found closed, each
left-out visit its reason, so a reopened week is the same plan (re-checked on load).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kamdesk.domain.routing import (
    DayPlan,
    DroppedVisit,
    DropReason,
    LatLon,
    LockedStop,
    SolverStats,
    Stop,
    StopKind,
    WeekPlan,
)
from kamdesk.services.planning_views import PlanState, WeekEdits


def days_json(state: PlanState) -> list[dict[str, Any]]:
    locks = {lk.visit_id: lk for lk in state.edits.locked}
    closed: dict[date, list[str]] = {}
    for account_id, day in state.edits.closures:
        closed.setdefault(day, []).append(account_id)
    out: list[dict[str, Any]] = []
    for d in state.plan.days:
        stops = []
        for s in d.stops:
            meta = state.build.meta.get(s.visit_id or "")
            lock = locks.get(s.visit_id or "")
            stops.append(
                {
                    "kind": s.kind.value,
                    "visit_id": s.visit_id,
                    "account_id": meta.account_id if meta else None,
                    "break": s.break_name,
                    "arrival": s.arrival,
                    "start": s.service_start,
                    "departure": s.departure,
                    "waiting": s.waiting,
                    "slack": s.slack,
                    "travel_minutes": s.travel_minutes,
                    "travel_km": s.travel_km,
                    "purpose": meta.purpose.value if meta else None,
                    "locked": lock is not None,
                    "locked_start": lock.start if lock else None,
                    "lat": s.location.lat,
                    "lon": s.location.lon,
                }
            )
        out.append(
            {
                "day": d.day.isoformat(),
                "leave": d.leave,
                "back": d.back,
                "travel_minutes": d.travel_minutes,
                "travel_km": d.travel_km,
                "visits": d.visits,
                "length": d.length,
                "return_travel_minutes": d.return_travel_minutes,
                "return_travel_km": d.return_travel_km,
                "closed_accounts": sorted(closed.get(d.day, [])),
                "stops": stops,
            }
        )
    return out


def dropped_json(state: PlanState) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for d in (*state.plan.unplaced_mandatory, *state.plan.dropped):
        meta = state.build.meta[d.visit_id]
        rows.append(
            {
                "visit_id": d.visit_id,
                "account_id": meta.account_id,
                "mandatory": d.mandatory,
                "priority": d.priority,
                "reason": d.reason.value,
                "detail": d.detail,
            }
        )
    for u in state.build.unroutable:
        rows.append(
            {
                "visit_id": u.visit_id,
                "account_id": u.account_id,
                "mandatory": u.mandatory,
                "priority": 0,
                "reason": u.code.value,
                "detail": u.en,
            }
        )
    return rows


def _stop(raw: dict[str, Any]) -> Stop:
    return Stop(
        kind=StopKind(raw["kind"]),
        visit_id=raw["visit_id"],
        shop_id=raw["account_id"],
        break_name=raw["break"],
        location=LatLon(float(raw["lat"]), float(raw["lon"])),
        arrival=int(raw["arrival"]),
        service_start=int(raw["start"]),
        departure=int(raw["departure"]),
        waiting=int(raw["waiting"]),
        slack=int(raw["slack"]),
        travel_minutes=int(raw["travel_minutes"]),
        travel_km=float(raw["travel_km"]),
    )


def plan_from_json(
    days: list[dict[str, Any]], dropped: list[dict[str, Any]], routed: set[str]
) -> tuple[WeekPlan, WeekEdits]:
    """The stored plan and the edits it carries. ``routed``: visit ids of the rebuilt problem
    (left-out entries of visits that are no longer routed are not part of the plan).
    Raises ``KeyError``/``ValueError`` on rows written by an older format."""
    day_plans: list[DayPlan] = []
    locks: list[LockedStop] = []
    closures: list[tuple[str, date]] = []
    for d in days:
        day = date.fromisoformat(d["day"])
        stops = tuple(_stop(raw) for raw in d["stops"])
        for raw in d["stops"]:
            if raw.get("locked") and raw["visit_id"]:
                locks.append(LockedStop(raw["visit_id"], day, raw.get("locked_start")))
        closures.extend((account_id, day) for account_id in d.get("closed_accounts", []))
        day_plans.append(
            DayPlan(
                day=day,
                stops=stops,
                leave=int(d["leave"]),
                back=int(d["back"]),
                return_travel_minutes=int(d["return_travel_minutes"]),
                return_travel_km=float(d["return_travel_km"]),
                travel_minutes=int(d["travel_minutes"]),
                travel_km=float(d["travel_km"]),
                visits=int(d["visits"]),
                length=int(d["length"]),
            )
        )
    left: list[DroppedVisit] = []
    skipped: set[str] = set()
    reasons = {r.value for r in DropReason}
    for raw in dropped:
        if raw["reason"] not in reasons or raw["visit_id"] not in routed:
            continue  # unroutable visits are recomputed from the accounts
        if raw["reason"] == DropReason.SKIPPED.value:
            skipped.add(raw["visit_id"])
        left.append(
            DroppedVisit(
                raw["visit_id"],
                bool(raw["mandatory"]),
                int(raw["priority"]),
                DropReason(raw["reason"]),
                str(raw.get("detail", "")),
            )
        )
    plan = WeekPlan(
        days=tuple(day_plans),
        dropped=tuple(v for v in left if not v.mandatory),
        unplaced_mandatory=tuple(v for v in left if v.mandatory),
        stats=SolverStats(0.0, 0, 0, False, 0, 0, 0),
    )
    edits = WeekEdits(locked=tuple(locks), skipped=frozenset(skipped), closures=tuple(closures))
    return plan, edits
