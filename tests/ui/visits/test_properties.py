"""Properties of the pure pieces: the notification throttle and the count parser."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.ui.models.stock_count import MAX_UNITS, parse_units
from kamdesk.ui.notifications import MIN_INTERVAL, NotificationThrottle
from tests.ui.visits.conftest import NOW

steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=180),  # minutes until the next check
        st.frozensets(st.sampled_from("abcdefgh"), max_size=5),  # what is due then
    ),
    max_size=30,
)


@settings(deadline=None, max_examples=200)
@given(steps)
def test_throttle_spaces_notifications_and_never_repeats_old_news(
    checks: list[tuple[int, frozenset[str]]],
) -> None:
    clock = [NOW]
    throttle = NotificationThrottle(lambda: clock[0])
    shown_at: list[datetime] = []
    seen: set[str] = set()
    news_waiting = False
    for minutes, due in checks:
        clock[0] += timedelta(minutes=minutes)
        news_waiting = news_waiting or bool(due - seen)
        seen |= due
        if throttle.should_notify(due):
            assert due and news_waiting
            news_waiting = False
            shown_at.append(clock[0])
    for earlier, later in pairwise(shown_at):
        assert later - earlier >= MIN_INTERVAL


@settings(deadline=None, max_examples=200)
@given(st.integers(min_value=-10, max_value=MAX_UNITS * 2))
def test_parse_units_accepts_exactly_the_valid_counts(value: int) -> None:
    try:
        parsed = parse_units(str(value))
    except ValueError:
        assert not 0 <= value <= MAX_UNITS
    else:
        assert parsed == value and 0 <= value <= MAX_UNITS
    assert parse_units("  ") is None
