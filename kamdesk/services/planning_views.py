"""Plain frozen data the week view shows: days, ordered stops with names, what was left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kamdesk.domain.routing import DropReason, LatLon, LockedStop, WeekPlan
from kamdesk.domain.visits import DueVisit
from kamdesk.services.planning_candidates import AccountStopInfo, Appointment
from kamdesk.services.planning_problem import PlanningConfig, ProblemBuild


@dataclass(frozen=True, slots=True)
class StopView:
    """One stop; times in minutes from midnight. A lunch break has ``visit_id`` None."""

    visit_id: str | None
    account_id: str | None
    code: str
    name: str
    address: str
    phone: str
    tier: str
    lat: float
    lon: float
    arrival: int
    start: int
    departure: int
    waiting: int
    slack: int
    travel_minutes: int
    travel_km: float
    purpose: str = ""
    priority: int = 0
    mandatory: bool = False
    reasons_zh: tuple[str, ...] = ()
    reasons_en: tuple[str, ...] = ()
    locked: bool = False

    @property
    def is_break(self) -> bool:
        return self.visit_id is None


@dataclass(frozen=True, slots=True)
class DayView:
    day: date
    stops: tuple[StopView, ...]
    leave: int
    back: int
    travel_minutes: int
    travel_km: float
    visits: int

    @property
    def visit_stops(self) -> tuple[StopView, ...]:
        return tuple(s for s in self.stops if not s.is_break)


@dataclass(frozen=True, slots=True)
class LeftOutView:
    """A due visit that is not in the plan, with why (zh and en)."""

    visit_id: str
    account_id: str
    code: str
    name: str
    mandatory: bool
    priority: int
    reason: str  # a DropReason or UnroutableCode value
    zh: str
    en: str


DROP_TEXT: dict[DropReason, tuple[str, str]] = {
    DropReason.NO_ROOM: ("本周没有可行的时段", "no working day has a feasible slot left"),
    DropReason.NOT_WORTH_DETOUR: (
        "可排入，但绕路的时间超过其优先级",
        "fits, but the detour costs more than the visit is worth",
    ),
    DropReason.SKIPPED: ("已被跳过", "skipped by you"),
    DropReason.NO_DAY_LEFT: (
        "本周余下的日子里没有营业日",
        "none of its open days is left this week",
    ),
}


@dataclass(frozen=True, slots=True)
class WeekEdits:
    """The manager's changes, re-applied on every re-plan."""

    locked: tuple[LockedStop, ...] = ()
    skipped: frozenset[str] = frozenset()
    closures: tuple[tuple[str, date], ...] = ()  # (account id, day the shop was found closed)

    def closures_by_account(self) -> dict[str, tuple[date, ...]]:
        out: dict[str, list[date]] = {}
        for account_id, day in self.closures:
            out.setdefault(account_id, []).append(day)
        return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class PlanState:
    """Everything needed to re-plan without going back to the database (opaque to widgets)."""

    monday: date
    config: PlanningConfig
    due: tuple[DueVisit, ...]
    accounts: dict[str, AccountStopInfo]
    appointments: tuple[Appointment, ...]
    build: ProblemBuild
    plan: WeekPlan
    edits: WeekEdits = field(default_factory=WeekEdits)
    plan_row_id: str | None = None


@dataclass(frozen=True)
class WeekOutcome:
    state: PlanState
    days: tuple[DayView, ...]
    left_out: tuple[LeftOutView, ...]
    start: LatLon
    end: LatLon
    violations: tuple[str, ...]  # from the independent checker: empty for a valid plan
    due_count: int
    runtime_s: float

    @property
    def monday(self) -> date:
        return self.state.monday

    @property
    def travel_km(self) -> float:
        return round(sum(d.travel_km for d in self.days), 3)

    @property
    def travel_minutes(self) -> int:
        return sum(d.travel_minutes for d in self.days)

    @property
    def visit_count(self) -> int:
        return sum(d.visits for d in self.days)

    @property
    def mandatory_unplaced(self) -> tuple[LeftOutView, ...]:
        return tuple(v for v in self.left_out if v.mandatory and v.reason != "skipped")

    def stop(self, visit_id: str) -> tuple[DayView, int] | None:
        for d in self.days:
            for i, s in enumerate(d.stops):
                if s.visit_id == visit_id:
                    return d, i
        return None
