"""Properties of the dashboard's Pareto curve (pure function; no database needed)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain.classification import AbcConfig
from kamdesk.services.portfolio import pareto_curve

amounts = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=600)


@settings(deadline=None, max_examples=80)
@given(amounts)
def test_curve_is_monotone_and_marks_the_cut_offs(values: list[int]) -> None:
    cfg = AbcConfig()
    curve = pareto_curve(values, cfg)
    xs, ys = curve.account_share, curve.value_share
    assert len(xs) == len(ys) <= 203
    assert (xs[0], ys[0]) == (0.0, 0.0)
    assert xs[-1] == 1.0
    assert all(b > a for a, b in itertools.pairwise(xs))
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(ys))
    points = dict(zip(xs, ys, strict=True))
    assert points[curve.a_accounts] == curve.a_value
    assert points[curve.ab_accounts] == curve.ab_value
    assert curve.a_accounts <= curve.ab_accounts
    if sum(values) > 0:
        assert ys[-1] == pytest.approx(1.0)
        assert curve.a_value >= cfg.a_share - 1e-9
        assert curve.ab_value >= cfg.b_share - 1e-9
        # A is the smallest tie-closed group reaching the share: the accounts strictly above
        # its smallest amount fall short of it
        a_count = round(curve.a_accounts * len(values))
        ranked = sorted(values, reverse=True)
        if a_count:
            above = sum(v for v in values if v > ranked[a_count - 1])
            assert above / sum(values) < cfg.a_share
    else:
        assert curve.a_accounts == 0.0
