"""Input checks and the week's absolute time axis.

Day ``d`` of the week (counted from the first shift's date) covers minutes
``[d * 1440, (d + 1) * 1440)``; a visit's feasible service-start windows are computed per
working day from the shop's opening hours on that weekday, clipped to the shift. Impossible
input raises ``RoutingError`` with a specific ``code`` instead of being dropped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NoReturn

from kamdesk.domain.routing.errors import RoutingError
from kamdesk.domain.routing.matrix import LatLon, TravelMatrix, TravelMode
from kamdesk.domain.routing.model import (
    MINUTES_PER_DAY,
    BreakRule,
    DayShift,
    VisitRequest,
    WeekProblem,
)

Window = tuple[int, int]  # absolute (earliest, latest) service start


@dataclass(frozen=True, slots=True)
class PreparedBreak:
    rule: BreakRule
    window: Window  # absolute earliest/latest start


@dataclass(frozen=True, slots=True)
class PreparedDay:
    index: int
    shift: DayShift
    offset: int  # absolute minute of this day's midnight
    start: int  # absolute shift start / end
    end: int
    max_length: int
    start_loc: int
    end_loc: int
    breaks: tuple[PreparedBreak, ...]


@dataclass(frozen=True, slots=True)
class PreparedVisit:
    index: int
    visit: VisitRequest
    loc: int
    windows: tuple[tuple[int, tuple[Window, ...]], ...]  # (day index, windows on that day)

    def windows_on(self, day_index: int) -> tuple[Window, ...]:
        for d, ws in self.windows:
            if d == day_index:
                return ws
        return ()


@dataclass(frozen=True, slots=True)
class Prepared:
    origin: date
    days: tuple[PreparedDay, ...]
    visits: tuple[PreparedVisit, ...]  # only visits with at least one window
    no_day_left: tuple[VisitRequest, ...]  # lenient mode: visits with no window ahead
    points: tuple[LatLon, ...]
    matrices: dict[TravelMode, TravelMatrix]


def _fail(
    code: str, message: str, *, visit_id: str | None = None, day: date | None = None
) -> NoReturn:
    raise RoutingError(message, code=code, visit_id=visit_id, day=day.isoformat() if day else None)


def _check_minute(
    value: int, what: str, *, visit_id: str | None = None, day: date | None = None
) -> None:
    if not 0 <= value <= MINUTES_PER_DAY:
        _fail(
            "bad_time",
            f"{'visit ' + visit_id + ': ' if visit_id else ''}{what} {value} "
            f"is not a minute of the day (0..1440){' on ' + day.isoformat() if day else ''}",
            visit_id=visit_id,
            day=day,
        )


def _check_shift(shift: DayShift) -> None:
    d = shift.day
    _check_minute(shift.start, "shift start", day=d)
    _check_minute(shift.end, "shift end", day=d)
    if shift.end <= shift.start:
        _fail(
            "shift_ends_before_start",
            f"shift on {d} ends ({shift.end}) before it starts ({shift.start})",
            day=d,
        )
    if shift.max_length is not None and shift.max_length <= 0:
        _fail("bad_max_length", f"maximum day length on {d} must be positive", day=d)
    for loc in (shift.start_location, shift.end_location):
        if not loc.valid:
            _fail("bad_location", f"shift on {d} has an invalid location {loc}", day=d)
    for rule in shift.breaks:
        if rule.duration <= 0:
            _fail("bad_break", f"break {rule.name!r} on {d} has no duration", day=d)
        if rule.latest_end - rule.earliest_start < rule.duration:
            _fail(
                "break_window_too_short",
                f"break {rule.name!r} on {d} does not fit its window",
                day=d,
            )
        lo, hi = max(rule.earliest_start, shift.start), min(rule.latest_end, shift.end)
        if hi - lo < rule.duration:
            _fail(
                "break_outside_shift",
                f"break {rule.name!r} on {d} does not fit in the shift",
                day=d,
            )


def _check_visit(v: VisitRequest, first: date, last: date) -> None:
    vid = v.visit_id
    if v.service_minutes < 0:
        _fail("bad_service_time", f"visit {vid}: negative service time", visit_id=vid)
    if v.priority < 0:
        _fail("bad_priority", f"visit {vid}: negative priority", visit_id=vid)
    if not v.location.valid:
        _fail("bad_location", f"visit {vid}: invalid location {v.location}", visit_id=vid)
    if len(v.hours.by_weekday) != 7:
        _fail("bad_opening_hours", f"visit {vid}: opening hours need 7 weekdays", visit_id=vid)
    for day_hours in v.hours.by_weekday:
        for iv in day_hours:
            _check_minute(iv.start, "opening", visit_id=vid)
            _check_minute(iv.end, "closing", visit_id=vid)
            if iv.end <= iv.start:
                _fail("bad_opening_hours", f"visit {vid}: interval {iv} is empty", visit_id=vid)
    for d in sorted(v.allowed_days or ()):
        if not first <= d <= last:
            _fail(
                "unknown_day",
                f"visit {vid}: allowed day {d} is outside the week",
                visit_id=vid,
                day=d,
            )
    if v.allowed_days is not None and not v.allowed_days:
        _fail("no_allowed_day", f"visit {vid}: the set of allowed days is empty", visit_id=vid)


def _pinned_window(
    v: VisitRequest, days: dict[date, PreparedDay]
) -> tuple[int, tuple[Window, ...]]:
    assert v.pinned is not None
    pin, vid = v.pinned, v.visit_id
    _check_minute(pin.start, "pinned start", visit_id=vid, day=pin.day)
    pday = days.get(pin.day)
    if pday is None:
        _fail(
            "pinned_outside_shift",
            f"visit {vid}: pinned to {pin.day}, which is not a working day",
            visit_id=vid,
            day=pin.day,
        )
    if v.allowed_days is not None and pin.day not in v.allowed_days:
        _fail(
            "pinned_day_not_allowed",
            f"visit {vid}: pinned day {pin.day} is not an allowed day",
            visit_id=vid,
            day=pin.day,
        )
    shift = pday.shift
    if pin.start < shift.start or pin.start + v.service_minutes > shift.end:
        _fail(
            "pinned_outside_shift",
            f"visit {vid}: pinned at {pin.start} outside the shift {shift.start}-{shift.end}",
            visit_id=vid,
            day=pin.day,
        )
    if not any(
        iv.start <= pin.start and pin.start + v.service_minutes <= iv.end
        for iv in v.hours.on(pin.day)
    ):
        _fail(
            "pinned_outside_hours",
            f"visit {vid}: pinned at {pin.start} on {pin.day} outside the shop's opening hours",
            visit_id=vid,
            day=pin.day,
        )
    start = pday.offset + pin.start
    return pday.index, ((start, start),)


def _windows(
    v: VisitRequest, days: tuple[PreparedDay, ...]
) -> tuple[tuple[int, tuple[Window, ...]], ...]:
    out: list[tuple[int, tuple[Window, ...]]] = []
    for pday in days:
        if v.allowed_days is not None and pday.shift.day not in v.allowed_days:
            continue
        ws: list[Window] = []
        for iv in v.hours.on(pday.shift.day):
            early = max(iv.start, pday.shift.start)
            late = min(iv.end, pday.shift.end) - v.service_minutes
            if late >= early:
                ws.append((pday.offset + early, pday.offset + late))
        if ws:
            out.append((pday.index, tuple(ws)))
    return tuple(out)


def _explain_no_window(v: VisitRequest, days: tuple[PreparedDay, ...]) -> NoReturn:
    eligible = [d for d in days if v.allowed_days is None or d.shift.day in v.allowed_days]
    intervals = [(d, iv) for d in eligible for iv in v.hours.on(d.shift.day)]
    vid = v.visit_id
    if not intervals:
        _fail(
            "no_open_day",
            f"visit {vid}: the shop is closed on every working day it may be visited",
            visit_id=vid,
        )
    if all(iv.length < v.service_minutes for _, iv in intervals):
        _fail(
            "window_too_short",
            f"visit {vid}: every opening interval is shorter than its "
            f"{v.service_minutes}-minute service",
            visit_id=vid,
        )
    _fail(
        "no_window_in_shift",
        f"visit {vid}: the shop's opening hours never overlap a shift long enough",
        visit_id=vid,
    )


def prepare(
    problem: WeekProblem, *, lenient_no_day: bool = False, origin: date | None = None
) -> Prepared:
    """Validate ``problem`` and compute windows, points and travel matrices.

    ``lenient_no_day`` (used by re-planning) lists visits without any window left in
    ``no_day_left`` instead of raising.
    """
    if not problem.shifts:
        _fail("no_shifts", "no working day in the week")
    shifts = sorted(problem.shifts, key=lambda s: s.day)
    for a, b in itertools.pairwise(shifts):
        if a.day == b.day:
            _fail("duplicate_day", f"two shifts on {a.day}", day=a.day)
    first = origin if origin is not None else shifts[0].day
    last = first + timedelta(days=6)
    if shifts[-1].day > last or shifts[0].day < first:
        _fail("week_too_long", f"shifts span more than one week from {first}", day=shifts[-1].day)
    for s in shifts:
        _check_shift(s)
    seen: set[str] = set()
    for v in problem.visits:
        if v.visit_id in seen:
            _fail("duplicate_visit", f"visit id {v.visit_id} appears twice", visit_id=v.visit_id)
        seen.add(v.visit_id)
        _check_visit(v, first, last)

    points: list[LatLon] = []
    index: dict[LatLon, int] = {}

    def loc(p: LatLon) -> int:
        if p not in index:
            index[p] = len(points)
            points.append(p)
        return index[p]

    days = tuple(
        PreparedDay(
            index=i,
            shift=s,
            offset=(s.day - first).days * MINUTES_PER_DAY,
            start=(s.day - first).days * MINUTES_PER_DAY + s.start,
            end=(s.day - first).days * MINUTES_PER_DAY + s.end,
            max_length=min(s.max_length or s.end - s.start, s.end - s.start),
            start_loc=loc(s.start_location),
            end_loc=loc(s.end_location),
            breaks=tuple(
                PreparedBreak(
                    rule=b,
                    window=(
                        (s.day - first).days * MINUTES_PER_DAY + max(b.earliest_start, s.start),
                        (s.day - first).days * MINUTES_PER_DAY
                        + min(b.latest_end, s.end)
                        - b.duration,
                    ),
                )
                for b in s.breaks
            ),
        )
        for i, s in enumerate(shifts)
    )
    by_date = {d.shift.day: d for d in days}
    visits: list[PreparedVisit] = []
    no_day: list[VisitRequest] = []
    for v in problem.visits:
        windows = (_pinned_window(v, by_date),) if v.pinned is not None else _windows(v, days)
        if not windows:
            if lenient_no_day:
                no_day.append(v)
                continue
            _explain_no_window(v, days)
        visits.append(
            PreparedVisit(index=len(visits), visit=v, loc=loc(v.location), windows=windows)
        )
    modes = sorted({s.mode for s in shifts})
    matrices = {m: problem.travel.matrix(points, m) for m in modes}
    return Prepared(
        origin=first,
        days=days,
        visits=tuple(visits),
        no_day_left=tuple(no_day),
        points=tuple(points),
        matrices=matrices,
    )
