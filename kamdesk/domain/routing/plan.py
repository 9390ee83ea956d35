"""Output of the weekly route optimiser: plain frozen data, times as minutes from midnight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kamdesk.domain.routing.matrix import LatLon


class StopKind(StrEnum):
    VISIT = "visit"
    BREAK = "break"


@dataclass(frozen=True, slots=True)
class Stop:
    """One stop of a day. ``travel_*`` is the leg from the previous stop (or the day's start).

    ``slack``: minutes the service start could move later without breaking anything after it.
    For a break ``visit_id``/``shop_id`` are None and ``break_name`` is set.
    """

    kind: StopKind
    visit_id: str | None
    shop_id: str | None
    break_name: str | None
    location: LatLon
    arrival: int
    service_start: int
    departure: int
    waiting: int
    slack: int
    travel_minutes: int
    travel_km: float


@dataclass(frozen=True, slots=True)
class DayPlan:
    """``leave``/``back``: departure from the start location and arrival at the end location.

    Totals include the final leg home (``return_travel_*``). A day without visits has no stops.
    """

    day: date
    stops: tuple[Stop, ...]
    leave: int
    back: int
    return_travel_minutes: int
    return_travel_km: float
    travel_minutes: int
    travel_km: float
    visits: int
    length: int
    missing_breaks: tuple[str, ...] = ()  # breaks that could not be fitted (a violation)
    approximate_travel: bool = False

    @property
    def visit_ids(self) -> tuple[str, ...]:
        return tuple(s.visit_id for s in self.stops if s.visit_id is not None)


class DropReason(StrEnum):
    NO_ROOM = "no_room"  # no day has a feasible slot left for it
    NOT_WORTH_DETOUR = "not_worth_detour"  # it fits, but the extra travel exceeds its priority
    SKIPPED = "skipped"  # the user skipped it (re-planning)
    NO_DAY_LEFT = "no_day_left"  # re-planning: none of its allowed open days is still ahead


@dataclass(frozen=True, slots=True)
class DroppedVisit:
    """A visit not in the plan, with why. ``extra_travel_minutes`` is the cheapest feasible
    insertion's extra travel when one exists (NOT_WORTH_DETOUR)."""

    visit_id: str
    mandatory: bool
    priority: int
    reason: DropReason
    detail: str
    extra_travel_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class SolverStats:
    runtime_s: float
    iterations: int
    seed: int
    cancelled: bool
    objective: int  # solver cost (travel cost minus collected prizes, internal units)
    model_clients: int  # size of the solver model (visit copies + break copies)
    repaired: int  # visits inserted or removed by the post-solve repair pass


@dataclass(frozen=True, slots=True)
class WeekPlan:
    days: tuple[DayPlan, ...]
    dropped: tuple[DroppedVisit, ...]  # optional visits left out
    unplaced_mandatory: tuple[DroppedVisit, ...]  # mandatory visits that could not be placed
    stats: SolverStats

    @property
    def travel_minutes(self) -> int:
        return sum(d.travel_minutes for d in self.days)

    @property
    def travel_km(self) -> float:
        return sum(d.travel_km for d in self.days)

    @property
    def planned_visit_ids(self) -> tuple[str, ...]:
        return tuple(v for d in self.days for v in d.visit_ids)

    def day_of(self, visit_id: str) -> date | None:
        for d in self.days:
            if visit_id in d.visit_ids:
                return d.day
        return None

    def stop_of(self, visit_id: str) -> Stop | None:
        for d in self.days:
            for s in d.stops:
                if s.visit_id == visit_id:
                    return s
        return None


@dataclass(frozen=True, slots=True)
class Violation:
    """One rule a plan breaks, found by ``check_plan``; ``code`` is machine-readable."""

    code: str
    message: str
    visit_id: str | None = None
    day: date | None = None
