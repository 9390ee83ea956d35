"""Chinese calendar facts the product needs: lunar dates and the public holidays.

Every lunar computation goes through ``lunar_python`` (6tail/lunar-python, MIT), a maintained
calendar library; nothing here hard-codes holiday dates, so any year 1900-2099 works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from lunar_python import Lunar, LunarYear, Solar


class Holiday(StrEnum):
    """Holidays that move retail demand or call for a greeting."""

    NEW_YEAR = "new_year"  # 元旦
    SPRING_FESTIVAL = "spring_festival"  # 春节
    QINGMING = "qingming"  # 清明
    LABOUR_DAY = "labour_day"  # 劳动节
    DRAGON_BOAT = "dragon_boat"  # 端午
    MID_AUTUMN = "mid_autumn"  # 中秋
    NATIONAL_DAY = "national_day"  # 国庆


HOLIDAY_NAMES_ZH: dict[Holiday, str] = {
    Holiday.NEW_YEAR: "元旦",
    Holiday.SPRING_FESTIVAL: "春节",
    Holiday.QINGMING: "清明节",
    Holiday.LABOUR_DAY: "劳动节",
    Holiday.DRAGON_BOAT: "端午节",
    Holiday.MID_AUTUMN: "中秋节",
    Holiday.NATIONAL_DAY: "国庆节",
}

HOLIDAY_NAMES_EN: dict[Holiday, str] = {
    Holiday.NEW_YEAR: "New Year's Day",
    Holiday.SPRING_FESTIVAL: "Spring Festival",
    Holiday.QINGMING: "Qingming Festival",
    Holiday.LABOUR_DAY: "Labour Day",
    Holiday.DRAGON_BOAT: "Dragon Boat Festival",
    Holiday.MID_AUTUMN: "Mid-Autumn Festival",
    Holiday.NATIONAL_DAY: "National Day",
}


@dataclass(frozen=True, slots=True)
class HolidayDate:
    holiday: Holiday
    day: date

    @property
    def name_zh(self) -> str:
        return HOLIDAY_NAMES_ZH[self.holiday]

    @property
    def name_en(self) -> str:
        return HOLIDAY_NAMES_EN[self.holiday]


def _solar(s: Solar) -> date:
    return date(s.getYear(), s.getMonth(), s.getDay())


def lunar_to_solar(year: int, month: int, day: int, *, leap: bool = False) -> date:
    """Solar date of lunar ``year``/``month``/``day``.

    A day 30 in a 29-day month falls back to the month's last day, and a leap-month date in a
    year without that leap month falls back to the ordinary month: this is how birthdays given
    by the lunar calendar are observed in practice.
    """
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"no lunar date {month}/{day}")
    lunar_year = LunarYear.fromYear(year)
    signed_month = month
    if leap and lunar_year.getLeapMonth() == month:
        signed_month = -month
    days_in_month = lunar_year.getMonth(signed_month).getDayCount()
    return _solar(Lunar.fromYmd(year, signed_month, min(day, days_in_month)).getSolar())


def solar_to_lunar(day: date) -> tuple[int, int, int, bool]:
    """(lunar year, month, day, is_leap_month) of a solar date."""
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    month = lunar.getMonth()
    return lunar.getYear(), abs(month), lunar.getDay(), month < 0


def next_lunar_anniversary(month: int, day: int, after: date, *, leap: bool = False) -> date:
    """The first solar date on or after ``after`` on which lunar ``month``/``day`` falls."""
    for year in (after.year - 1, after.year, after.year + 1):
        candidate = lunar_to_solar(year, month, day, leap=leap)
        if candidate >= after:
            return candidate
    raise AssertionError("unreachable: a lunar date recurs every solar year")


def spring_festival(year: int) -> date:
    return lunar_to_solar(year, 1, 1)


def mid_autumn(year: int) -> date:
    return lunar_to_solar(year, 8, 15)


def dragon_boat(year: int) -> date:
    return lunar_to_solar(year, 5, 5)


def qingming(year: int) -> date:
    # Qingming is a solar term; the lunar year that starts in ``year`` contains it.
    table = Lunar.fromYmd(year, 3, 1).getJieQiTable()
    return _solar(table["清明"])


@lru_cache(maxsize=256)
def holidays(year: int) -> tuple[HolidayDate, ...]:
    """The first day of each public holiday in ``year``, in date order."""
    days = [
        HolidayDate(Holiday.NEW_YEAR, date(year, 1, 1)),
        HolidayDate(Holiday.SPRING_FESTIVAL, spring_festival(year)),
        HolidayDate(Holiday.QINGMING, qingming(year)),
        HolidayDate(Holiday.LABOUR_DAY, date(year, 5, 1)),
        HolidayDate(Holiday.DRAGON_BOAT, dragon_boat(year)),
        HolidayDate(Holiday.MID_AUTUMN, mid_autumn(year)),
        HolidayDate(Holiday.NATIONAL_DAY, date(year, 10, 1)),
    ]
    return tuple(sorted(days, key=lambda h: h.day))


def holidays_between(start: date, end: date) -> list[HolidayDate]:
    """Holidays whose first day lies in ``[start, end]``."""
    found: list[HolidayDate] = []
    for year in range(start.year, end.year + 1):
        found.extend(h for h in holidays(year) if start <= h.day <= end)
    return found


def weeks_before_holiday(day: date, holiday: Holiday) -> int | None:
    """Whole weeks from ``day`` to the next occurrence of ``holiday`` (0 = within 7 days).

    ``None`` when the holiday is more than a year away (never, for annual holidays) or
    already past this year and next year's occurrence is > 52 weeks away.
    """
    for year in (day.year, day.year + 1):
        for h in holidays(year):
            if h.holiday == holiday and h.day >= day:
                return (h.day - day).days // 7
    return None


def iso_week_monday(year: int, week: int) -> date:
    return date.fromisocalendar(year, week, 1)


def week_days(monday: date, count: int = 7) -> list[date]:
    return [monday + timedelta(days=i) for i in range(count)]
