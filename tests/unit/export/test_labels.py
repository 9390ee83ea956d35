"""Wording: every enum member and key has both languages; lunar birthdays; money."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal
from enum import StrEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain.cn_calendar import solar_to_lunar
from kamdesk.domain.enums import (
    AbcTier,
    AccountStatus,
    BusinessFormat,
    ComplaintStatus,
    LifecycleStage,
    Loyalty,
    RelationshipGrade,
    VisitPurpose,
    VisitStatus,
)
from kamdesk.export.dossier_data import AdviceAction, Birthday, ReminderKind
from kamdesk.export.dossier_profile import birthday_text, solar_date_this_year
from kamdesk.export.labels import _TEXT, Labels, Lang

ENUMS: tuple[type[StrEnum], ...] = (
    AbcTier,
    AccountStatus,
    BusinessFormat,
    ComplaintStatus,
    LifecycleStage,
    Loyalty,
    RelationshipGrade,
    VisitPurpose,
    VisitStatus,
    AdviceAction,
    ReminderKind,
)
ZH = Labels(Lang.ZH)
EN = Labels(Lang.EN)


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_enum_member_is_worded_in_both_languages(enum: type[StrEnum]) -> None:
    for member in enum:
        assert ZH.enum(member)
        assert EN.enum(member)


def test_equal_values_of_different_enums_keep_their_own_words() -> None:
    assert LifecycleStage.PROSPECT.value == AccountStatus.PROSPECT.value  # same string...
    assert ZH.enum(LifecycleStage.PROSPECT) == "潜在获取期"  # ...different words
    assert ZH.enum(AccountStatus.PROSPECT) == "潜在客户"
    assert ZH.enum(ReminderKind.PROSPECT) == "潜在客户跟进"
    assert ZH.enum(AbcTier.A) == "A"
    assert ZH.enum(RelationshipGrade.A).startswith("A 信任")


@pytest.mark.parametrize("key", sorted(_TEXT))
def test_both_languages_use_the_same_placeholders(key: str) -> None:
    zh, en = _TEXT[key]
    names_zh = {f[1] for f in string.Formatter().parse(zh) if f[1]}
    names_en = {f[1] for f in string.Formatter().parse(en) if f[1]}
    assert zh
    assert en
    assert names_zh == names_en


@pytest.mark.parametrize(
    ("month", "day", "leap", "expected"),
    [
        (1, 1, False, "农历正月初一"),
        (4, 10, True, "农历闰四月初十"),
        (8, 15, False, "农历八月十五"),
        (11, 20, False, "农历冬月二十"),
        (12, 21, False, "农历腊月廿一"),
        (12, 30, False, "农历腊月三十"),
    ],
)
def test_lunar_dates_in_chinese(month: int, day: int, leap: bool, expected: str) -> None:
    assert ZH.lunar_date(month, day, leap) == expected


def test_birthday_text() -> None:
    as_of = date(2026, 11, 20)
    # An impossible lunar date as typed is shown as given, never a crash.
    assert birthday_text(Birthday(13, 31, lunar=True), as_of, ZH) == "农历 13/31"
    assert birthday_text(Birthday(3, 8, year=1975), as_of, ZH) == "1975-03-08"
    assert birthday_text(Birthday(3, 8), as_of, ZH) == "03-08"
    assert birthday_text(Birthday(8, 15, lunar=True), as_of, EN) == (
        "lunar 8/15（this year 2026-09-25）"
    )


@settings(deadline=None, max_examples=30)
@given(
    month=st.integers(1, 12),
    day=st.integers(1, 30),
    year=st.integers(1950, 2090),
)
def test_lunar_birthday_falls_in_the_requested_solar_year(month: int, day: int, year: int) -> None:
    solar = solar_date_this_year(Birthday(month, day, lunar=True), year)
    _, lunar_month, lunar_day, _ = solar_to_lunar(solar)
    assert lunar_month == month
    assert lunar_day <= day  # day 30 falls back to 29 in short months
    assert solar.year in (year, year + 1)  # next occurrence only when the year has none


def test_money_format() -> None:
    assert ZH.money(Decimal("1234567.895")) == "¥1,234,567.90"
    assert ZH.money(Decimal("-12.5")) == "-¥12.50"
    assert ZH.money(None) == "—"
    assert ZH.money_short(Decimal(25000)) == "2.5万"
    assert EN.money_short(Decimal(25000)) == "25k"
