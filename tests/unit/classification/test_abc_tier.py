from __future__ import annotations

import random
import time
from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain.classification import (
    AbcConfig,
    AccountValue,
    InvalidConfigError,
    InvalidInputError,
    classify_abc,
    pareto_split,
)
from kamdesk.domain.enums import AbcTier

TIER_INDEX = {AbcTier.A: 0, AbcTier.B: 1, AbcTier.C: 2}

amounts_st = st.lists(
    st.one_of(st.integers(0, 5000), st.floats(0, 1e6, allow_nan=False)), min_size=1, max_size=60
)
shares_st = st.tuples(st.floats(0.05, 1.0), st.floats(0.0, 1.0)).map(
    lambda t: (t[0], t[0] + (1.0 - t[0]) * t[1])
)


def _accounts(amounts: Sequence[float]) -> list[AccountValue]:
    return [AccountValue(f"acc{i:03d}", a) for i, a in enumerate(amounts)]


def _share(amounts: list[float], selected: set[int]) -> float:
    total = sum(a for a in amounts if a > 0)
    return sum(amounts[i] for i in selected) / total


@settings(deadline=None, max_examples=150)
@given(amounts_st, shares_st)
def test_tiers_are_monotone_in_value(amounts: list[float], shares: tuple[float, float]) -> None:
    tiers = pareto_split(amounts, *shares).tiers
    for i, ai in enumerate(amounts):
        for j, aj in enumerate(amounts):
            if ai > aj:
                assert tiers[i] <= tiers[j]
            if ai == aj:
                assert tiers[i] == tiers[j]


@settings(deadline=None, max_examples=150)
@given(amounts_st, shares_st)
def test_a_and_ab_reach_their_share_and_are_minimal(
    amounts: list[float], shares: tuple[float, float]
) -> None:
    a_share, b_share = shares
    tiers = pareto_split(amounts, a_share, b_share).tiers
    if sum(amounts) <= 0:
        assert set(tiers.tolist()) == {2}
        return
    for tier, threshold in ((0, a_share), (1, b_share)):
        group = {i for i, t in enumerate(tiers) if t <= tier}
        assert _share(amounts, group) >= threshold - 1e-9
        # Minimal: dropping the lowest-value tie group falls short of the threshold.
        lowest = min(amounts[i] for i in group)
        smaller = {i for i in group if amounts[i] > lowest}
        assert not smaller or _share(amounts, smaller) < threshold + 1e-9


@settings(deadline=None, max_examples=100)
@given(amounts_st, st.randoms(use_true_random=False))
def test_permutation_invariant(amounts: list[float], rnd: random.Random) -> None:
    accounts = _accounts(amounts)
    shuffled = accounts[:]
    rnd.shuffle(shuffled)
    first = {r.account_id: (r.computed, r.rank) for r in classify_abc(accounts).results}
    second = {r.account_id: (r.computed, r.rank) for r in classify_abc(shuffled).results}
    assert first == second


@settings(deadline=None, max_examples=100)
@given(amounts_st, st.lists(st.sampled_from([None, *AbcTier]), min_size=60, max_size=60))
def test_override_respected_and_does_not_change_computed(
    amounts: list[float], overrides: list[AbcTier | None]
) -> None:
    plain = classify_abc(_accounts(amounts)).by_account()
    with_override = [AccountValue(f"acc{i:03d}", a, overrides[i]) for i, a in enumerate(amounts)]
    for r in classify_abc(with_override).results:
        expected = overrides[int(r.account_id[3:])]
        assert r.computed is plain[r.account_id].computed
        assert r.effective is (expected if expected is not None else r.computed)
        if expected is not None:
            assert f"人工指定为{expected.value}类" in r.explanation.zh
            assert f"computed: {r.computed.value}" in r.explanation.en


def test_zero_buyers_are_c_and_classic_pareto() -> None:
    amounts = [800, 100, 50, 30, 20, 0, 0]
    result = classify_abc(_accounts(amounts)).by_account()
    tiers = [result[f"acc{i:03d}"].computed for i in range(len(amounts))]
    assert tiers == [AbcTier.A, AbcTier.B, AbcTier.B, AbcTier.C, AbcTier.C, AbcTier.C, AbcTier.C]
    assert "无进货" in result["acc005"].explanation.zh


def test_ties_at_the_boundary_share_the_better_tier() -> None:
    # 50 + 50 reaches 100 %, but with a_share 0.5 the first 50 alone suffices: both tied
    # accounts still get A because equal amounts always share a tier.
    result = classify_abc(_accounts([50, 50]), AbcConfig(a_share=0.5)).results
    assert [r.computed for r in result] == [AbcTier.A, AbcTier.A]
    assert [r.rank for r in result] == [1, 2]


def test_explanation_text_and_facts() -> None:
    amounts = [123456.0] + [1000.0 + i for i in range(99)]
    r = classify_abc(_accounts(amounts)).results[0]
    assert r.explanation.zh.startswith("A：前56%的客户贡献了80%的进货额；本户排名第1")
    assert "¥123,456.00" in r.explanation.zh
    assert "ranks 1st with ¥123,456.00" in r.explanation.en
    assert r.explanation.fact("amount") == Decimal("123456.00")
    assert r.explanation.fact("a_count") == 56


def test_many_equal_amounts_share_one_tier() -> None:
    # Equal amounts always share a tier, even when that makes the A tier large.
    result = classify_abc(_accounts([123456.0] + [1000.0] * 99))
    assert result.summary.a_count == 100


def test_bad_input_raises_specific_errors() -> None:
    with pytest.raises(InvalidConfigError):
        AbcConfig(a_share=0.9, b_share=0.8)
    with pytest.raises(InvalidInputError):
        classify_abc([AccountValue("x", 1), AccountValue("x", 2)])
    with pytest.raises(InvalidInputError) as info:
        classify_abc([AccountValue("x", float("nan"))])
    assert info.value.code == "classification.invalid_input"


def test_twenty_thousand_accounts_well_under_a_second() -> None:
    rng = np.random.default_rng(7)
    values = np.round(rng.pareto(1.2, 20_000) * 1000, 2)
    accounts = [AccountValue(f"acc{i:05d}", float(v)) for i, v in enumerate(values)]
    classify_abc(accounts[:100])
    started = time.perf_counter()
    result = classify_abc(accounts)
    elapsed = time.perf_counter() - started
    assert len(result.results) == 20_000
    assert result.summary.a_value_share >= 0.8
    assert elapsed < 2.0, f"took {elapsed:.2f} s"  # generous: CI machines are shared
