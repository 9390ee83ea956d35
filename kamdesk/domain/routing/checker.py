"""Independent plan checker: recomputes every rule from the raw ``WeekProblem``.

It deliberately shares no code with the planner's validation or timing (only the matrix
provider, whose numbers define travel), so a bug there cannot hide a broken plan here.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from kamdesk.domain.routing.model import DayShift, VisitRequest, WeekProblem
from kamdesk.domain.routing.plan import DayPlan, StopKind, Violation, WeekPlan

KM_TOLERANCE = 0.0015


def _check_accounting(problem: WeekProblem, plan: WeekPlan, out: list[Violation]) -> None:
    visits = {v.visit_id: v for v in problem.visits}
    placed = Counter(s.visit_id for d in plan.days for s in d.stops if s.visit_id is not None)
    unplaced = Counter(d.visit_id for d in plan.unplaced_mandatory)
    dropped = Counter(d.visit_id for d in plan.dropped)
    for vid, n in placed.items():
        if vid not in visits:
            out.append(Violation("unknown_visit", f"stop for unknown visit {vid}", vid))
        elif n > 1:
            out.append(Violation("visit_twice", f"visit {vid} is planned {n} times", vid))
    for vid in (unplaced + dropped).keys() - visits.keys():
        out.append(Violation("unknown_visit", f"dropped entry for unknown visit {vid}", vid))
    for vid, v in visits.items():
        listed = unplaced[vid] + dropped[vid]
        if placed[vid] and listed:
            out.append(Violation("planned_and_dropped", f"visit {vid} is planned and dropped", vid))
        if not placed[vid] and listed != 1:
            code = "mandatory_missing" if v.is_mandatory else "silently_dropped"
            out.append(Violation(code, f"visit {vid} is neither planned nor listed once", vid))
        if v.is_mandatory and dropped[vid]:
            out.append(Violation("mandatory_as_optional", f"mandatory {vid} in dropped", vid))
        if not v.is_mandatory and unplaced[vid]:
            out.append(Violation("optional_as_mandatory", f"optional {vid} in unplaced", vid))


def _in_hours(v: VisitRequest, day: date, start: int) -> bool:
    if day in v.hours.closed_dates:
        return False
    intervals = v.hours.by_weekday[day.weekday()]
    return any(iv.start <= start and start + v.service_minutes <= iv.end for iv in intervals)


def _check_day(problem: WeekProblem, shift: DayShift, dp: DayPlan, out: list[Violation]) -> None:
    day = shift.day
    visits = {v.visit_id: v for v in problem.visits}
    rules = {b.name: b for b in shift.breaks}

    def bad(code: str, msg: str, vid: str | None = None) -> None:
        out.append(Violation(code, f"{day}: {msg}", vid, day))

    if not dp.stops:
        if dp.visits or dp.travel_minutes:
            bad("totals", "empty day with non-zero totals")
        return
    points = [shift.start_location, *(s.location for s in dp.stops), shift.end_location]
    m = problem.travel.matrix(points, shift.mode)
    if dp.leave < shift.start:
        bad("shift_start", f"leaves at {dp.leave} before the shift starts at {shift.start}")
    t = dp.leave
    breaks_seen: Counter[str] = Counter()
    for i, s in enumerate(dp.stops, start=1):
        ref = s.visit_id or s.break_name
        leg = int(m.minutes[i - 1, i])
        if (
            s.travel_minutes != leg
            or abs(s.travel_km - int(m.meters[i - 1, i]) / 1000) > KM_TOLERANCE
        ):
            bad(
                "travel",
                f"{ref}: travel {s.travel_minutes} min/{s.travel_km} km vs matrix {leg}",
                s.visit_id,
            )
        if s.arrival != t + leg:
            bad("arrival", f"{ref}: arrival {s.arrival} != {t} + {leg}", s.visit_id)
        if s.service_start < s.arrival or s.waiting != s.service_start - s.arrival:
            bad(
                "waiting",
                f"{ref}: service {s.service_start} / waiting {s.waiting} inconsistent",
                s.visit_id,
            )
        if s.slack < 0:
            bad("slack", f"{ref}: negative slack", s.visit_id)
        if s.kind is StopKind.VISIT:
            v = visits.get(s.visit_id or "")
            if v is None:
                continue  # reported by the accounting check
            if s.departure - s.service_start != v.service_minutes:
                bad(
                    "service_time",
                    f"{v.visit_id}: service lasts {s.departure - s.service_start}",
                    v.visit_id,
                )
            if v.allowed_days is not None and day not in v.allowed_days:
                bad("day_not_allowed", f"{v.visit_id} is not allowed on this day", v.visit_id)
            if not _in_hours(v, day, s.service_start):
                bad(
                    "outside_hours",
                    f"{v.visit_id} at {s.service_start} outside opening hours",
                    v.visit_id,
                )
            if v.pinned is not None and (v.pinned.day != day or v.pinned.start != s.service_start):
                bad(
                    "pin_moved",
                    f"{v.visit_id} pinned to {v.pinned.day} {v.pinned.start}",
                    v.visit_id,
                )
            if s.location != v.location:
                bad("location", f"{v.visit_id}: stop is not at the shop's location", v.visit_id)
            if s.shop_id != v.shop_id:
                bad("shop_mismatch", f"{v.visit_id}: shop {s.shop_id} != {v.shop_id}", v.visit_id)
        else:
            rule = rules.get(s.break_name or "")
            if rule is None:
                bad("unknown_break", f"break {s.break_name!r} is not defined for this day")
                continue
            breaks_seen[rule.name] += 1
            if s.departure - s.service_start != rule.duration:
                bad("break_duration", f"break {rule.name} lasts {s.departure - s.service_start}")
            if s.service_start < rule.earliest_start or s.departure > rule.latest_end:
                bad(
                    "break_window",
                    f"break {rule.name} at {s.service_start}-{s.departure} outside its window",
                )
        t = s.departure
    ret = int(m.minutes[len(points) - 2, len(points) - 1])
    if dp.back != t + ret or dp.return_travel_minutes != ret:
        bad("back", f"back at {dp.back}, expected {t + ret}")
    if dp.back > shift.end:
        bad("shift_end", f"back at {dp.back} after the shift ends at {shift.end}")
    limit = shift.max_length if shift.max_length is not None else shift.end - shift.start
    if dp.length != dp.back - dp.leave or dp.length > limit:
        bad("day_length", f"day length {dp.length} (limit {limit})")
    for name in rules:
        if breaks_seen[name] != 1:
            bad("break_missing", f"break {name} taken {breaks_seen[name]} times")
    total_min = sum(s.travel_minutes for s in dp.stops) + dp.return_travel_minutes
    total_km = sum(s.travel_km for s in dp.stops) + dp.return_travel_km
    n_visits = sum(1 for s in dp.stops if s.kind is StopKind.VISIT)
    if (
        dp.travel_minutes != total_min
        or abs(dp.travel_km - total_km) > KM_TOLERANCE
        or dp.visits != n_visits
    ):
        bad("totals", "day totals do not add up")


def check_plan(problem: WeekProblem, plan: WeekPlan) -> list[Violation]:
    """Every rule the plan breaks (empty list = valid). Unplaced mandatory visits that the plan
    reports are not violations; unreported missing ones are."""
    out: list[Violation] = []
    shifts = {s.day: s for s in problem.shifts}
    days = Counter(d.day for d in plan.days)
    for d, n in days.items():
        if d not in shifts:
            out.append(Violation("unknown_day", f"plan has a day {d} without a shift", day=d))
        elif n > 1:
            out.append(Violation("duplicate_day", f"day {d} appears {n} times", day=d))
    for d in shifts.keys() - days.keys():
        out.append(Violation("day_missing", f"working day {d} is missing from the plan", day=d))
    _check_accounting(problem, plan, out)
    for dp in plan.days:
        if dp.day in shifts:
            _check_day(problem, shifts[dp.day], dp, out)
    return out
