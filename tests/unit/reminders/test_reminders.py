from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunar_python import LunarYear

from kamdesk.domain.cn_calendar import next_lunar_anniversary, solar_to_lunar
from kamdesk.domain.reminders import (
    ContactBirthday,
    ContactCadence,
    DebtItem,
    Licence,
    LunarDate,
    ReminderConfig,
    ReminderError,
    ReminderInputs,
    ReminderKind,
    ReorderItem,
    VisitRecord,
    birthdays_between,
    generate_reminders,
    lunar_date_zh,
    solar_anniversary,
)

K = ReminderKind


def _lunar_birthday(month: int, day: int, leap: bool = False) -> ContactBirthday:
    return ContactBirthday("c1", "a1", "王老板", lunar=LunarDate(month, day, leap))


def test_known_lunar_birthdays_across_years() -> None:
    leap_sixth = _lunar_birthday(6, 10, leap=True)
    days = list(birthdays_between(leap_sixth, date(2025, 1, 1), date(2027, 12, 31)))
    # 2025 has a leap sixth month; 2026 and 2027 do not, so the ordinary sixth month is used.
    assert days[0] == date(2025, 8, 3)
    assert [d.year for d in days] == [2025, 2026, 2027]
    assert solar_to_lunar(days[1])[1:] == (6, 10, False)
    # 腊月三十 in a year whose twelfth month has 29 days falls on its last day (除夕).
    new_year_eve = list(
        birthdays_between(_lunar_birthday(12, 30), date(2026, 1, 1), date(2026, 3, 1))
    )
    assert new_year_eve == [date(2026, 2, 16)]
    spring = list(birthdays_between(_lunar_birthday(1, 1), date(2026, 1, 1), date(2027, 12, 31)))
    assert spring == [date(2026, 2, 17), date(2027, 2, 6)]


@settings(deadline=None, max_examples=60)
@given(
    st.integers(1, 12),
    st.integers(1, 30),
    st.booleans(),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 1, 1)),
    st.integers(1, 4),
)
def test_lunar_birthday_conversion_round_trips(
    month: int, day: int, leap: bool, first: date, years: int
) -> None:
    last = first + timedelta(days=365 * years)
    found = list(birthdays_between(_lunar_birthday(month, day, leap), first, last))
    assert years - 1 <= len(found) <= years + 1
    assert found == sorted(found)
    assert all(first <= d <= last for d in found)
    for a, b in itertools.pairwise(found):
        assert 320 <= (b - a).days <= 420
    for solar in found:
        lunar_year, lunar_month, lunar_day, is_leap = solar_to_lunar(solar)
        assert lunar_month == month
        if leap and not is_leap:  # only when that lunar year has no such leap month
            assert LunarYear.fromYear(lunar_year).getLeapMonth() != month
        assert not is_leap or leap
        if lunar_day != day:
            # only a day 30 in a 29-day month moves, to the month's last day
            assert (day, lunar_day) == (30, 29)
            assert solar_to_lunar(solar + timedelta(days=1))[2] == 1


@settings(deadline=None, max_examples=15)
@given(
    st.integers(1, 12),
    st.integers(1, 30),
    st.booleans(),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 1, 1)),
)
def test_lunar_birthdays_agree_with_next_lunar_anniversary(
    month: int, day: int, leap: bool, first: date
) -> None:
    last = first + timedelta(days=800)
    found = birthdays_between(_lunar_birthday(month, day, leap), first, last)
    cursor = first
    for solar in found:
        assert next_lunar_anniversary(month, day, cursor, leap=leap) == solar
        cursor = solar + timedelta(days=1)
    assert next_lunar_anniversary(month, day, cursor, leap=leap) > last


def test_solar_birthday_feb_29() -> None:
    assert solar_anniversary(date(1988, 2, 29), 2027) == date(2027, 2, 28)
    assert solar_anniversary(date(1988, 2, 29), 2028) == date(2028, 2, 29)


def test_lunar_labels() -> None:
    assert lunar_date_zh(4, 8) == "四月初八"
    assert lunar_date_zh(6, 10, leap=True) == "闰六月初十"
    assert lunar_date_zh(12, 30) == "腊月三十"
    assert lunar_date_zh(1, 21) == "正月廿一"
    assert lunar_date_zh(11, 20) == "冬月二十"


def test_birthday_reminder_day_before_with_stable_key() -> None:
    inputs = ReminderInputs(birthdays=(_lunar_birthday(1, 1),), holidays=False)
    (reminder,) = generate_reminders(inputs, date(2026, 2, 1), date(2026, 2, 28))
    assert reminder.kind is K.BIRTHDAY
    assert reminder.due_on == date(2026, 2, 16)
    assert reminder.subject_on == date(2026, 2, 17)
    assert reminder.dedup_key == "birthday:c1:2026-02-17"
    assert "农历正月初一" in reminder.title_zh
    assert reminder.contact_id == "c1"


def test_holidays_greetings_and_stock_planning() -> None:
    found = generate_reminders(ReminderInputs(), date(2027, 1, 1), date(2027, 2, 28))
    stock = [r for r in found if r.kind is K.HOLIDAY_STOCK]
    assert [(r.due_on, r.subject_on) for r in stock] == [(date(2027, 1, 16), date(2027, 2, 6))]
    assert stock[0].dedup_key == "holiday_stock:spring_festival:2027"
    greetings = {r.dedup_key: r.due_on for r in found if r.kind is K.HOLIDAY_GREETING}
    assert greetings == {"holiday_greeting:spring_festival:2027": date(2027, 2, 5)}
    mid_autumn = generate_reminders(ReminderInputs(), date(2026, 9, 1), date(2026, 9, 30))
    assert [r.due_on for r in mid_autumn if r.kind is K.HOLIDAY_STOCK] == [date(2026, 9, 4)]


def test_callbacks_licences_debts_reorders() -> None:
    inputs = ReminderInputs(
        visits=(
            VisitRecord("v1", "a1", date(2026, 11, 20), "好运烟酒店"),
            VisitRecord("v2", "a2", date(2026, 11, 20), callback_on=date(2026, 11, 27)),
        ),
        licences=(Licence("a1", "烟草专卖零售许可证", "L-001", date(2026, 12, 10), "好运烟酒店"),),
        debts=(
            DebtItem("d1", "a1", Decimal("1234.5"), date(2026, 11, 1)),
            DebtItem("d2", "a2", 0, date(2026, 11, 25)),
        ),
        reorders=(ReorderItem("a1", "p1", "中华(硬)", date(2026, 11, 24), quantity=5),),
        holidays=False,
    )
    found = generate_reminders(inputs, date(2026, 11, 23), date(2026, 11, 29))
    by_key = {r.dedup_key: r for r in found}
    assert by_key["callback:v1"].due_on == date(2026, 11, 23)
    assert "回访好运烟酒店" in by_key["callback:v1"].title_zh
    assert by_key["callback:v2"].due_on == date(2026, 11, 27)
    licence = by_key["licence:a1:L-001:2026-12-10"]
    assert licence.due_on == date(2026, 11, 23)  # caught up: nominal date was 11-10
    assert "17天后" in licence.title_zh
    debt = by_key["debt:d1"]
    assert debt.amount == Decimal("1234.50")
    assert "¥1,234.50" in debt.title_zh
    assert "已逾期" in debt.title_zh
    assert "debt:d2" not in by_key  # settled
    assert "中华(硬) 5条" in by_key["reorder:a1:2026-11-24"].title_zh
    assert [r.due_on for r in found] == sorted(r.due_on for r in found)


def test_contact_cadence() -> None:
    inputs = ReminderInputs(
        cadences=(
            ContactCadence("p", True, date(2026, 11, 20)),
            ContactCadence("c", False, date(2026, 10, 15)),
        ),
        holidays=False,
    )
    found = generate_reminders(inputs, date(2026, 11, 1), date(2026, 12, 31))
    prospect = [r.due_on for r in found if r.kind is K.PROSPECT_CONTACT]
    assert prospect[0] == date(2026, 11, 27)
    assert all((b - a).days == 7 for a, b in itertools.pairwise(prospect))
    customer = [r.due_on for r in found if r.kind is K.CUSTOMER_CONTACT]
    assert customer == [date(2026, 11, 15), date(2026, 12, 15)]


def _everything() -> ReminderInputs:
    return ReminderInputs(
        visits=tuple(
            VisitRecord(f"v{i}", "a1", date(2026, 1, 1) + timedelta(days=9 * i)) for i in range(40)
        ),
        birthdays=(
            _lunar_birthday(6, 10, leap=True),
            ContactBirthday("c2", "a2", "李姐", solar=date(1980, 2, 29)),
        ),
        licences=(Licence("a1", "许可证", "L1", date(2026, 6, 30)),),
        debts=(DebtItem("d1", "a1", 500, date(2026, 3, 3)),),
        cadences=(
            ContactCadence("p", True, date(2026, 1, 3)),
            ContactCadence("c", False, None),
        ),
    )


@settings(deadline=None, max_examples=40)
@given(st.integers(0, 363), st.integers(0, 364))
def test_regenerating_over_split_periods_never_duplicates(cut: int, length: int) -> None:
    start = date(2026, 1, 1)
    end = start + timedelta(days=364)
    mid = start + timedelta(days=cut)
    whole = generate_reminders(_everything(), start, end)
    keys = [r.dedup_key for r in whole]
    assert len(keys) == len(set(keys))
    first = generate_reminders(_everything(), start, mid)
    second = generate_reminders(_everything(), mid + timedelta(days=1), end)
    assert set(keys) == {r.dedup_key for r in first} | {r.dedup_key for r in second}
    again = generate_reminders(_everything(), start, min(end, start + timedelta(days=length)))
    assert {r.dedup_key for r in again} <= set(keys)


def test_bad_input() -> None:
    with pytest.raises(ReminderError) as info:
        generate_reminders(ReminderInputs(), date(2026, 2, 1), date(2026, 1, 1))
    assert info.value.code == "reminders.period"
    with pytest.raises(ReminderError):
        ContactBirthday("c", "a", "n")
    with pytest.raises(ReminderError):
        LunarDate(13, 1)
    with pytest.raises(ReminderError):
        ReminderConfig(prospect_contact_weeks=0)


def test_reorders_are_one_reminder_per_account_and_day() -> None:
    products = ("中华(硬)", "黄山(红方印)", "利群(新版)", "玉溪(软)", "芙蓉王(硬)")
    inputs = ReminderInputs(
        reorders=(
            *(
                ReorderItem("a1", f"p{i}", name, date(2026, 11, 23), "好运烟酒店", quantity=i + 1)
                for i, name in enumerate(products)
            ),
            ReorderItem("a2", "p0", "中华(硬)", date(2026, 11, 23), "福来便利"),
        ),
        holidays=False,
    )
    found = generate_reminders(inputs, date(2026, 11, 23), date(2026, 11, 29))
    by_key = {r.dedup_key: r for r in found}
    assert sorted(by_key) == ["reorder:a1:2026-11-23", "reorder:a2:2026-11-23"]
    five = by_key["reorder:a1:2026-11-23"].title_zh
    assert five.startswith("提醒好运烟酒店补货：中华(硬) 1条、黄山(红方印) 2条、利群(新版) 3条")
    assert five.endswith("等5个品种") and "玉溪" not in five
    assert by_key["reorder:a1:2026-11-23"].title_en.endswith("and 2 more")
    assert by_key["reorder:a2:2026-11-23"].title_zh == "提醒福来便利补货：中华(硬)"
