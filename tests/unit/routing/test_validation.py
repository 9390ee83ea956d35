from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kamdesk.domain.routing import (
    BreakRule,
    LatLon,
    OpeningHours,
    PinnedTime,
    RoutingError,
    VisitRequest,
    WeekProblem,
    plan_week,
)
from tests.unit.routing.factories import FAST, MONDAY, day, shift, visit, week


def _code(problem: WeekProblem) -> RoutingError:
    with pytest.raises(RoutingError) as info:
        plan_week(problem, options=FAST)
    return info.value


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (visit("x", hours=OpeningHours.every_day((600, 615)), service=20), "window_too_short"),
        (visit("x", hours=OpeningHours.from_mapping({6: [(600, 900)]})), "no_open_day"),
        (visit("x", hours=OpeningHours.every_day((19 * 60, 22 * 60))), "no_window_in_shift"),
        (visit("x", pinned=PinnedTime(day(5), 600)), "pinned_outside_shift"),
        (visit("x", pinned=PinnedTime(day(1), 7 * 60)), "pinned_outside_shift"),
        (visit("x", pinned=PinnedTime(day(1), 17 * 60 + 50)), "pinned_outside_shift"),
        (
            visit("x", hours=OpeningHours.every_day((600, 700)), pinned=PinnedTime(day(1), 690)),
            "pinned_outside_hours",
        ),
        (
            visit("x", pinned=PinnedTime(day(1), 600), allowed_days=frozenset({day(2)})),
            "pinned_day_not_allowed",
        ),
        (visit("x", allowed_days=frozenset({MONDAY + timedelta(days=9)})), "unknown_day"),
        (visit("x", allowed_days=frozenset()), "no_allowed_day"),
        (visit("x", where=LatLon(95.0, 10.0)), "bad_location"),
        (visit("x", service=-5), "bad_service_time"),
        (visit("x", priority=-1), "bad_priority"),
        (visit("x", hours=OpeningHours.every_day((700, 650))), "bad_opening_hours"),
        (visit("x", hours=OpeningHours.every_day((700, 1500))), "bad_time"),
    ],
)
def test_impossible_visit_raises_specific_error_naming_it(bad: VisitRequest, code: str) -> None:
    err = _code(WeekProblem(week(), (visit("ok"), bad)))
    assert err.code == code
    assert err.visit_id == "x"
    assert "x" in err.message


@pytest.mark.parametrize(
    ("shifts", "code"),
    [
        ((shift(0, 600, 540),), "shift_ends_before_start"),
        ((shift(0, 600, 600),), "shift_ends_before_start"),
        ((shift(0), shift(0)), "duplicate_day"),
        ((shift(0), shift(8)), "week_too_long"),
        ((shift(0, 600, 1500),), "bad_time"),
        ((shift(0, max_length=0),), "bad_max_length"),
        ((shift(0, breaks=(BreakRule(700, 720, 45),)),), "break_window_too_short"),
        ((shift(0, 13 * 60, 18 * 60, breaks=(BreakRule(690, 800, 45),)),), "break_outside_shift"),
        ((shift(0, breaks=(BreakRule(700, 800, 0),)),), "bad_break"),
        ((), "no_shifts"),
    ],
)
def test_impossible_shift_raises_specific_error(shifts: tuple[object, ...], code: str) -> None:
    err = _code(WeekProblem(shifts, (visit("ok"),)))  # type: ignore[arg-type]
    assert err.code == code


def test_duplicate_visit_id() -> None:
    err = _code(WeekProblem(week(), (visit("a"), visit("a"))))
    assert (err.code, err.visit_id) == ("duplicate_visit", "a")


def test_closed_date_counts_as_closed() -> None:
    hours = replace(OpeningHours.every_day((540, 1080)), closed_dates=frozenset({day(0)}))
    err = _code(WeekProblem((shift(0),), (visit("x", hours=hours),)))
    assert err.code == "no_open_day"
