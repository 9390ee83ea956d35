from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain import cn_calendar as cal


@pytest.mark.parametrize(
    ("year", "spring", "mid_autumn", "dragon_boat"),
    [
        (2025, date(2025, 1, 29), date(2025, 10, 6), date(2025, 5, 31)),
        (2026, date(2026, 2, 17), date(2026, 9, 25), date(2026, 6, 19)),
        (2027, date(2027, 2, 6), date(2027, 9, 15), date(2027, 6, 9)),
    ],
)
def test_lunar_holidays_fall_on_their_real_dates(
    year: int, spring: date, mid_autumn: date, dragon_boat: date
) -> None:
    assert cal.spring_festival(year) == spring
    assert cal.mid_autumn(year) == mid_autumn
    assert cal.dragon_boat(year) == dragon_boat
    assert cal.qingming(year).month == 4


def test_day_thirty_falls_back_to_the_last_day_of_a_short_month() -> None:
    # lunar 2026 month 2 has 29 days
    assert cal.lunar_to_solar(2026, 2, 30) == cal.lunar_to_solar(2026, 2, 29)


def test_leap_month_date_without_leap_month_uses_the_ordinary_month() -> None:
    assert cal.lunar_to_solar(2026, 6, 1, leap=True) == cal.lunar_to_solar(2026, 6, 1)
    # 2025 has a leap sixth month: the leap date is a month later
    assert cal.lunar_to_solar(2025, 6, 1, leap=True) > cal.lunar_to_solar(2025, 6, 1)


def test_weeks_before_holiday() -> None:
    assert cal.weeks_before_holiday(date(2026, 2, 16), cal.Holiday.SPRING_FESTIVAL) == 0
    assert cal.weeks_before_holiday(date(2026, 2, 1), cal.Holiday.SPRING_FESTIVAL) == 2
    assert cal.weeks_before_holiday(date(2026, 3, 1), cal.Holiday.SPRING_FESTIVAL) == 48


@settings(max_examples=60, deadline=None)
@given(
    month=st.integers(1, 12),
    day=st.integers(1, 30),
    after=st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)),
)
def test_next_lunar_anniversary_is_the_first_on_or_after(month: int, day: int, after: date) -> None:
    found = cal.next_lunar_anniversary(month, day, after)
    assert found >= after
    assert (found - after).days <= 400
    _y, m, _d, _leap = cal.solar_to_lunar(found)
    assert m == month


def test_holidays_are_ordered_and_named() -> None:
    days = cal.holidays(2026)
    assert [h.day for h in days] == sorted(h.day for h in days)
    assert {h.name_zh for h in days} >= {"春节", "中秋节", "国庆节"}
