"""Weekly route optimiser (PyVRP): plan a week of shop visits, check and re-plan it."""

from __future__ import annotations

from kamdesk.domain.routing.checker import check_plan
from kamdesk.domain.routing.errors import RoutingError
from kamdesk.domain.routing.matrix import (
    CachingMatrixProvider,
    HaversineMatrixProvider,
    LatLon,
    MatrixProvider,
    ModeProfile,
    TravelMatrix,
    TravelMode,
)
from kamdesk.domain.routing.model import (
    BreakRule,
    DayShift,
    OpeningHours,
    PinnedTime,
    Purpose,
    ServiceTimeRules,
    TimeInterval,
    VisitRequest,
    WeekProblem,
    default_service_minutes,
)
from kamdesk.domain.routing.osrm import OsrmMatrixProvider
from kamdesk.domain.routing.plan import (
    DayPlan,
    DroppedVisit,
    DropReason,
    SolverStats,
    Stop,
    StopKind,
    Violation,
    WeekPlan,
)
from kamdesk.domain.routing.planner import plan_week
from kamdesk.domain.routing.replan import LockedStop, replan, replan_problem
from kamdesk.domain.routing.solver import ProgressCallback, SolveOptions

__all__ = [
    "BreakRule",
    "CachingMatrixProvider",
    "DayPlan",
    "DayShift",
    "DropReason",
    "DroppedVisit",
    "HaversineMatrixProvider",
    "LatLon",
    "LockedStop",
    "MatrixProvider",
    "ModeProfile",
    "OpeningHours",
    "OsrmMatrixProvider",
    "PinnedTime",
    "ProgressCallback",
    "Purpose",
    "RoutingError",
    "ServiceTimeRules",
    "SolveOptions",
    "SolverStats",
    "Stop",
    "StopKind",
    "TimeInterval",
    "TravelMatrix",
    "TravelMode",
    "Violation",
    "VisitRequest",
    "WeekPlan",
    "WeekProblem",
    "check_plan",
    "default_service_minutes",
    "plan_week",
    "replan",
    "replan_problem",
]
