"""Input of the weekly route optimiser: the working days (shifts) and the visits to place.

Times are whole minutes from midnight of the day they belong to; days are ``datetime.date``.
Nothing here knows about the solver; ``validate.py`` turns these into solver-ready windows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kamdesk.domain.routing.matrix import (
    HaversineMatrixProvider,
    LatLon,
    MatrixProvider,
    TravelMode,
)

MINUTES_PER_DAY = 1440


@dataclass(frozen=True, slots=True)
class TimeInterval:
    """``[start, end)`` in minutes from midnight; ``end`` may be 1440 (midnight)."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start


def _intervals(raw: Iterable[TimeInterval | tuple[int, int]]) -> tuple[TimeInterval, ...]:
    out = [iv if isinstance(iv, TimeInterval) else TimeInterval(iv[0], iv[1]) for iv in raw]
    return tuple(sorted(out, key=lambda iv: (iv.start, iv.end)))


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Opening intervals per weekday (index 0 = Monday ... 6 = Sunday) plus closed dates.

    A weekday with no interval is a closed day; several intervals model a lunch closure.
    """

    by_weekday: tuple[tuple[TimeInterval, ...], ...] = ((),) * 7
    closed_dates: frozenset[date] = frozenset()

    @classmethod
    def from_mapping(
        cls,
        hours: Mapping[int, Iterable[TimeInterval | tuple[int, int]]],
        *,
        closed_dates: Iterable[date] = (),
    ) -> OpeningHours:
        week = tuple(_intervals(hours.get(wd, ())) for wd in range(7))
        return cls(by_weekday=week, closed_dates=frozenset(closed_dates))

    @classmethod
    def every_day(cls, *intervals: TimeInterval | tuple[int, int]) -> OpeningHours:
        return cls.from_mapping(dict.fromkeys(range(7), intervals))

    def on(self, day: date) -> tuple[TimeInterval, ...]:
        """Intervals on that date (empty when closed that weekday or on that date)."""
        if day in self.closed_dates or len(self.by_weekday) != 7:
            return ()
        return self.by_weekday[day.weekday()]


@dataclass(frozen=True, slots=True)
class BreakRule:
    """A break of ``duration`` minutes lying entirely inside ``[earliest_start, latest_end]``.

    It is taken at a stop's location (before or after that stop), never while driving.
    """

    earliest_start: int
    latest_end: int
    duration: int
    name: str = "lunch"


@dataclass(frozen=True, slots=True)
class DayShift:
    """One working day: the vehicle of that day in the solver."""

    day: date
    start: int
    end: int
    start_location: LatLon
    end_location: LatLon
    max_length: int | None = None  # leave-to-back limit in minutes; None = end - start
    breaks: tuple[BreakRule, ...] = ()
    mode: TravelMode = TravelMode.CAR


@dataclass(frozen=True, slots=True)
class PinnedTime:
    """A fixed appointment: service starts exactly at ``start`` on ``day``."""

    day: date
    start: int


@dataclass(frozen=True, slots=True)
class VisitRequest:
    """One visit to place this week.

    ``priority`` is what an optional visit is worth, in minutes of extra travel the planner may
    spend to include it; when the week is too full the lowest-valued optional visits go first.
    ``allowed_days`` (None = any working day) restricts the days; ``pinned`` fixes day and time
    (a pinned visit is always treated as mandatory).
    """

    visit_id: str
    shop_id: str
    location: LatLon
    hours: OpeningHours
    service_minutes: int
    mandatory: bool = False
    priority: int = 30
    allowed_days: frozenset[date] | None = None
    pinned: PinnedTime | None = None

    @property
    def is_mandatory(self) -> bool:
        return self.mandatory or self.pinned is not None


@dataclass(frozen=True, slots=True)
class WeekProblem:
    shifts: tuple[DayShift, ...]
    visits: tuple[VisitRequest, ...]
    travel: MatrixProvider = field(default_factory=HaversineMatrixProvider)

    def shift_on(self, day: date) -> DayShift | None:
        for shift in self.shifts:
            if shift.day == day:
                return shift
        return None

    def visit(self, visit_id: str) -> VisitRequest | None:
        for v in self.visits:
            if v.visit_id == visit_id:
                return v
        return None


class Purpose(StrEnum):
    """What the visit is for, as far as its duration goes."""

    ROUTINE = "routine"
    STOCK_COUNT = "stock_count"
    COLLECTION = "collection"
    COMPLAINT = "complaint"
    NEW_PRODUCT = "new_product"


@dataclass(frozen=True, slots=True)
class ServiceTimeRules:
    """Default service minutes: a base per ABC tier plus extras per purpose (configurable)."""

    by_tier: tuple[tuple[str, int], ...] = (("A", 30), ("B", 20), ("C", 15))
    extra_by_purpose: tuple[tuple[str, int], ...] = ((Purpose.STOCK_COUNT.value, 10),)
    unknown_tier: int = 20

    def minutes(self, tier: str | None, purposes: Iterable[str] = ()) -> int:
        base = dict(self.by_tier).get(str(tier) if tier is not None else "", self.unknown_tier)
        extras = dict(self.extra_by_purpose)
        return base + sum(extras.get(str(p), 0) for p in set(purposes))


def default_service_minutes(
    tier: str | None, purposes: Iterable[str] = (), rules: ServiceTimeRules | None = None
) -> int:
    """``default_service_minutes("A", ["stock_count"]) == 40`` with the default rules."""
    return (rules or ServiceTimeRules()).minutes(tier, purposes)
