"""Small weeks for the routing tests: a home in Shanghai and shops a few km around it."""

from __future__ import annotations

import random
from datetime import date, timedelta

from kamdesk.domain.routing import (
    BreakRule,
    DayShift,
    LatLon,
    OpeningHours,
    SolveOptions,
    TravelMode,
    VisitRequest,
)

MONDAY = date(2026, 11, 23)
HOME = LatLon(31.2304, 121.4737)
FAST = SolveOptions(max_iterations=300, no_improvement=150, seed=1)
LUNCH = BreakRule(earliest_start=11 * 60 + 30, latest_end=14 * 60, duration=45)


def day(i: int) -> date:
    return MONDAY + timedelta(days=i)


def near(dx_km: float, dy_km: float) -> LatLon:
    """A point ``dx_km`` east and ``dy_km`` north of HOME (flat-earth, fine at city scale)."""
    return LatLon(HOME.lat + dy_km / 111.2, HOME.lon + dx_km / (111.2 * 0.855))


def shift(
    i: int,
    start: int = 8 * 60 + 30,
    end: int = 18 * 60,
    *,
    breaks: tuple[BreakRule, ...] = (LUNCH,),
    max_length: int | None = None,
    mode: TravelMode = TravelMode.CAR,
) -> DayShift:
    return DayShift(day(i), start, end, HOME, HOME, max_length, breaks, mode)


def week(days: int = 5, **kw: object) -> tuple[DayShift, ...]:
    return tuple(shift(i, **kw) for i in range(days))  # type: ignore[arg-type]


def open_all_week(start: int = 9 * 60, end: int = 21 * 60) -> OpeningHours:
    return OpeningHours.every_day((start, end))


def visit(
    vid: str,
    where: LatLon | None = None,
    *,
    hours: OpeningHours | None = None,
    service: int = 20,
    **kw: object,
) -> VisitRequest:
    return VisitRequest(
        visit_id=vid,
        shop_id=f"shop-{vid}",
        location=where or near(1.0, 1.0),
        hours=hours or open_all_week(),
        service_minutes=service,
        **kw,  # type: ignore[arg-type]
    )


def random_visits(
    rng: random.Random, n: int, *, mandatory_share: float = 0.4, open_days: range = range(5)
) -> tuple[VisitRequest, ...]:
    out = []
    for i in range(n):
        hours: dict[int, list[tuple[int, int]]] = {}
        for wd in range(7):
            if rng.random() < 0.85:
                hours[wd] = (
                    [(9 * 60, 12 * 60), (13 * 60 + 30, 20 * 60)]
                    if rng.random() < 0.5
                    else [(8 * 60, 22 * 60)]
                )
        if not any(wd in hours for wd in open_days):
            hours[rng.choice(open_days)] = [(9 * 60, 18 * 60)]
        out.append(
            visit(
                f"v{i}",
                near(rng.uniform(-6, 6), rng.uniform(-6, 6)),
                hours=OpeningHours.from_mapping(hours),
                service=rng.choice([15, 20, 30, 40]),
                mandatory=rng.random() < mandatory_share,
                priority=rng.randint(5, 120),
            )
        )
    return tuple(out)
