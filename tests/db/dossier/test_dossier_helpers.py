"""Properties of the small pure helpers behind the dossier: stored opening hours, ISO weeks,
batch file names, money conversion."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.services.dossier import DossierError, opening_hours, parse_lang
from kamdesk.services.dossier_export import _unique, route_brief_filename
from kamdesk.services.dossier_route import week_monday
from kamdesk.services.dossier_sections import month_start, yuan
from kamdesk.services.planning import iso_week

minutes = st.integers(min_value=0, max_value=24 * 60 - 1)
span = st.tuples(minutes, minutes).map(sorted).map(list)
day_entry: st.SearchStrategy[object] = st.one_of(
    st.just([]), span, st.lists(span, min_size=1, max_size=3)
)


@settings(deadline=None, max_examples=150)
@given(st.lists(day_entry, min_size=7, max_size=7))
def test_opening_hours_one_entry_per_weekday(stored: list[object]) -> None:
    hours = opening_hours(stored)
    assert [h.weekday for h in hours] == list(range(7))
    for entry, h in zip(stored, hours, strict=True):
        assert (h.opens is None) == (entry == [])
        assert (h.opens is None) == (h.closes is None)


def test_opening_hours_garbage_is_no_hours() -> None:
    assert opening_hours(None) == () and opening_hours("8-22") == () and opening_hours([]) == ()


@settings(deadline=None, max_examples=200)
@given(st.dates(min_value=date(2000, 1, 3), max_value=date(2099, 12, 28)))
def test_week_labels_round_trip(day: date) -> None:
    monday = week_monday(day)
    assert monday.weekday() == 0 and monday <= day < monday + timedelta(days=7)
    label = iso_week(monday)
    assert week_monday(label) == monday == week_monday(label.lower().replace("-", ""))


@pytest.mark.parametrize("bad", ["2026-W00", "2026-W54", "W48", "2026/48", ""])
def test_bad_week_labels(bad: str) -> None:
    with pytest.raises(DossierError) as error:
        week_monday(bad)
    assert error.value.code == "dossier.bad_week"


@settings(deadline=None, max_examples=100)
@given(st.lists(st.sampled_from(["A.pdf", "a.pdf", "B.pdf", "A (2).pdf"]), max_size=12))
def test_batch_names_never_collide(names: list[str]) -> None:
    used: set[str] = set()
    chosen = [_unique(n, used) for n in names]
    assert len({c.casefold() for c in chosen}) == len(chosen)
    assert all(c.endswith(".pdf") for c in chosen)


@settings(deadline=None, max_examples=200)
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_fen_to_yuan_is_exact(fen: int) -> None:
    assert yuan(fen) * 100 == Decimal(fen)


@settings(deadline=None, max_examples=200)
@given(st.dates(min_value=date(2001, 1, 1)), st.integers(min_value=0, max_value=36))
def test_month_start_counts_back_whole_months(day: date, back: int) -> None:
    start = month_start(day, back)
    assert start.day == 1
    assert (day.year - start.year) * 12 + day.month - start.month == back


def test_languages_and_route_file_names() -> None:
    assert parse_lang("EN").value == "en" and parse_lang("zh").value == "zh"
    assert route_brief_filename("2026-W48") == "2026-W48_线路拜访简报.pdf"
    assert route_brief_filename(date(2026, 11, 25), date(2026, 11, 25), "en") == (
        "2026-W48_2026-11-25_route_brief.pdf"
    )
