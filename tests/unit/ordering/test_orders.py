from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdesk.domain.enums import AbcTier, BusinessFormat, ProductStatus
from kamdesk.domain.ordering import (
    AccountHistory,
    AccountInfo,
    Cap,
    Delivery,
    MarketPlan,
    OpenOrder,
    ProductInfo,
    Promotion,
    StockCount,
    advise_territory,
)
from kamdesk.domain.ordering.errors import InvalidInputError, UnknownProductError
from kamdesk.domain.ordering.orders import CreditLine, cap_credit, cap_quota, round_to_pack
from kamdesk.domain.ordering.policy import order_up_to

TODAY = date(2025, 6, 11)  # a Wednesday, no holiday within four weeks


@settings(deadline=None, max_examples=200)
@given(
    st.floats(-10, 5000, allow_nan=False),
    st.integers(1, 60),
    st.floats(0, 1),
    st.booleans(),
)
def test_rounding_gives_whole_packs_near_the_need(
    need: float, pack: int, frac: float, urgent: bool
) -> None:
    qty = round_to_pack(need, pack, frac, urgent)
    assert qty % pack == 0
    assert qty >= 0
    if need <= 0:
        assert qty == 0
    else:
        assert qty <= need + pack
        assert qty >= need - pack
        if urgent:
            assert qty >= pack


def test_rounding_threshold() -> None:
    assert round_to_pack(50.0, 50, 0.3, False) == 50
    assert round_to_pack(64.0, 50, 0.3, False) == 50  # 14 < 15 = 0.3 pack
    assert round_to_pack(66.0, 50, 0.3, False) == 100
    assert round_to_pack(10.0, 50, 0.3, False) == 0
    assert round_to_pack(10.0, 50, 0.3, True) == 50
    with pytest.raises(InvalidInputError):
        round_to_pack(10.0, 0, 0.3, False)


@settings(deadline=None, max_examples=200)
@given(st.integers(0, 50), st.integers(1, 50), st.one_of(st.none(), st.integers(0, 2000)))
def test_quota_cap_keeps_whole_packs_not_above_quota(
    packs: int, pack: int, quota: int | None
) -> None:
    qty, hit = cap_quota(packs * pack, pack, quota)
    assert qty % pack == 0
    if quota is not None:
        assert qty <= max(quota, 0)
    assert hit == (quota is not None and packs * pack > quota)


@settings(deadline=None, max_examples=200)
@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(1, 50), st.floats(0.5, 300), st.floats(0, 30)),
        max_size=8,
    ),
    st.one_of(st.none(), st.floats(0, 200_000)),
    st.floats(0, 100_000),
)
def test_credit_cap_never_exceeds_room(
    raw: list[tuple[int, int, float, float]], limit: float | None, debt: float
) -> None:
    lines = [CreditLine(k, p * pk, pk, price, urg) for k, (p, pk, price, urg) in enumerate(raw)]
    out, _, over = cap_credit(lines, limit, debt)
    for ln in lines:
        assert out[ln.key] % ln.pack == 0
        assert 0 <= out[ln.key] <= ln.qty
    if limit is not None:
        total = sum(out[ln.key] * ln.unit_price for ln in lines)
        assert total <= max(limit - debt, 0.0) + 1e-6
        if debt >= limit:
            assert over
            assert all(v == 0 for v in out.values())


def test_credit_goes_to_the_most_urgent_line_first() -> None:
    lines = [CreditLine(0, 10, 10, 100.0, 20.0), CreditLine(1, 10, 10, 100.0, 1.0)]
    out, capped, over = cap_credit(lines, 1500.0, 0.0)
    assert out == {0: 0, 1: 10}
    assert capped
    assert not over


def test_order_up_to_adds_safety_for_the_protection_period() -> None:
    point = np.array([[10.0, 10.0, 10.0]])
    sigma = np.array([[3.0, 3.0, 3.0]])
    demand, safety, target = order_up_to(point, sigma, np.array([1.5]), np.array([0.95]))
    assert demand[0] == pytest.approx(15.0)
    assert safety[0] == pytest.approx(1.6448536 * 3.0 * np.sqrt(1.5), rel=1e-6)
    assert target[0] == pytest.approx(demand[0] + safety[0])


def _steady_history(pid: str, weekly: float, weeks: int, on_hand: float) -> AccountHistory:
    """Weekly counts on Sundays with deliveries topping up; constant sales."""
    first = TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=weeks)
    counts, dels = [], []
    stock = on_hand
    for w in range(weeks + 1):
        day = first + timedelta(weeks=w) - timedelta(days=1)
        if w > 0:
            dels.append(Delivery(day - timedelta(days=3), pid, weekly))
        counts.append(StockCount(day, pid, stock))
    return AccountHistory("A1", tuple(dels), tuple(counts))


def _product(pid: str, **kw: object) -> ProductInfo:
    base: dict[str, object] = {
        "product_id": pid,
        "name": pid,
        "price_tier": 3,
        "pack_size": 10,
        "wholesale_price": 100.0,
        "retail_price": 110.0,
    }
    base.update(kw)
    return ProductInfo(**base)  # type: ignore[arg-type]


def _account(**kw: object) -> AccountInfo:
    base: dict[str, object] = {
        "account_id": "A1",
        "name": "店",
        "business_format": BusinessFormat.GROCERY,
        "abc_tier": AbcTier.B,
        "lead_time_days": 7,
    }
    base.update(kw)
    return AccountInfo(**base)  # type: ignore[arg-type]


def test_territory_order_is_packs_and_shows_its_working() -> None:
    res = advise_territory(
        [_account()], {"A1": _steady_history("P1", 40.0, 20, 10.0)}, [_product("P1")], TODAY
    )
    (sug,) = res.account("A1").orders
    w = sug.working
    assert sug.qty % 10 == 0
    assert w.forecast_weekly[0] == pytest.approx(40.0, rel=0.05)
    assert w.protection_days == 14
    assert w.demand_over_protection == pytest.approx(80.0, rel=0.05)
    assert w.on_hand_est == pytest.approx(max(10.0 - 40.0 * 3 / 7, 0.0), abs=1.0)
    assert w.target_stock == pytest.approx(w.demand_over_protection + w.safety_stock)
    assert w.raw_need == pytest.approx(w.target_stock - w.on_hand_est - w.on_order)
    assert sug.qty == pytest.approx(w.raw_need, abs=10)
    assert "建议订" in sug.reason_zh
    assert "order" in sug.reason_en


def test_open_orders_reduce_the_order() -> None:
    hist = _steady_history("P1", 40.0, 20, 10.0)
    with_open = AccountHistory("A1", hist.deliveries, hist.counts, (OpenOrder("P1", 50.0),))
    a = advise_territory([_account()], {"A1": hist}, [_product("P1")], TODAY)
    b = advise_territory([_account()], {"A1": with_open}, [_product("P1")], TODAY)
    assert b.account("A1").orders[0].qty <= a.account("A1").orders[0].qty - 40


def test_delisted_quota_and_debt_rules() -> None:
    prods = [
        _product("P1", status=ProductStatus.DELISTED),
        _product("P2", allocation_quota=25),
        _product("P3"),
    ]
    hist = {
        "A1": AccountHistory(
            "A1",
            tuple(
                d for p in ("P1", "P2", "P3") for d in _steady_history(p, 60.0, 20, 0.0).deliveries
            ),
            tuple(c for p in ("P1", "P2", "P3") for c in _steady_history(p, 60.0, 20, 0.0).counts),
        )
    }
    res = advise_territory([_account()], hist, prods, TODAY)
    by = {s.product_id: s for s in res.account("A1").orders}
    assert by["P1"].qty == 0
    assert Cap.DELISTED in by["P1"].working.caps
    assert by["P2"].qty == 20
    assert Cap.QUOTA in by["P2"].working.caps
    assert by["P3"].qty > 0

    over = advise_territory(
        [_account(credit_limit=1000.0, outstanding_debt=1500.0)], hist, prods, TODAY
    )
    assert all(s.qty == 0 for s in over.account("A1").orders)
    assert Cap.DEBT_OVER_LIMIT in over.account("A1").orders[2].working.caps

    tight = advise_territory(
        [_account(credit_limit=3000.0, outstanding_debt=500.0)], hist, prods, TODAY
    )
    orders = tight.account("A1").orders
    assert sum(s.value for s in orders) <= 2500.0
    assert all(s.qty % 10 == 0 for s in orders)


def test_bad_input_gets_a_specific_error() -> None:
    hist = {"A1": AccountHistory("A1", (Delivery(TODAY, "NOPE", 1.0),))}
    with pytest.raises(UnknownProductError):
        advise_territory([_account()], hist, [_product("P1")], TODAY)
    future = {"A1": AccountHistory("A1", (Delivery(TODAY + timedelta(days=1), "P1", 1.0),))}
    with pytest.raises(InvalidInputError):
        advise_territory([_account()], future, [_product("P1")], TODAY)
    with pytest.raises(InvalidInputError):
        advise_territory([_account()], {"ZZ": AccountHistory("ZZ")}, [_product("P1")], TODAY)
    with pytest.raises(InvalidInputError):
        _product("P9", price_tier=7)


def test_planned_promotion_raises_the_forecast_for_its_week() -> None:
    weeks = 30
    first_monday = TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=weeks)
    promo_weeks = [3, 9, 14, 20, 26]
    accs, hists = [], {}
    for a in range(8):
        aid = f"A{a}"
        accs.append(_account(account_id=aid))
        stock = 500.0
        counts = [StockCount(first_monday - timedelta(days=1), "P1", stock)]
        dels = []
        for w in range(weeks):
            sales = 40.0 * (2.0 if w in promo_weeks else 1.0) * (1 + 0.05 * ((w * 7 + a) % 3 - 1))
            dels.append(Delivery(first_monday + timedelta(weeks=w, days=2), "P1", sales))
            counts.append(StockCount(first_monday + timedelta(weeks=w, days=6), "P1", stock))
        hists[aid] = AccountHistory(aid, tuple(dels), tuple(counts))
    promos = tuple(
        Promotion(
            "P1", first_monday + timedelta(weeks=w), first_monday + timedelta(weeks=w, days=6)
        )
        for w in [*promo_weeks, weeks + 1]
    )
    res = advise_territory(accs, hists, [_product("P1")], TODAY, plan=MarketPlan(promos))
    working = res.account("A0").orders[0].working
    assert working.method == "price_promo_loglinear"
    week = working.forecast_weekly
    assert week[1] == pytest.approx(2.0 * week[0], rel=0.15)
    without = advise_territory(accs, hists, [_product("P1")], TODAY)
    assert without.account("A0").orders[0].working.method == "damped_trend_es"


@settings(deadline=None, max_examples=15)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 120)), min_size=3, max_size=3),
    st.lists(st.integers(1, 25), min_size=3, max_size=3),
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.one_of(st.none(), st.floats(0, 20_000)),
    st.floats(0, 10_000),
)
def test_every_suggestion_respects_packs_quota_credit_and_delisting(
    quotas: list[int | None],
    packs: list[int],
    delisted: list[bool],
    limit: float | None,
    debt: float,
) -> None:
    pids = ("P1", "P2", "P3")
    prods = [
        _product(
            pid,
            pack_size=packs[i],
            allocation_quota=quotas[i],
            status=ProductStatus.DELISTED if delisted[i] else ProductStatus.ACTIVE,
        )
        for i, pid in enumerate(pids)
    ]
    parts = [_steady_history(p, 30.0 + 20 * i, 12, 5.0) for i, p in enumerate(pids)]
    hist = {
        "A1": AccountHistory(
            "A1",
            tuple(d for h in parts for d in h.deliveries),
            tuple(c for h in parts for c in h.counts),
        )
    }
    acc = _account(credit_limit=limit, outstanding_debt=debt)
    res = advise_territory([acc], hist, prods, TODAY)
    orders = {s.product_id: s for s in res.account("A1").orders}
    for i, pid in enumerate(pids):
        s = orders[pid]
        assert s.qty % packs[i] == 0
        assert s.qty >= 0
        quota = quotas[i]
        if quota is not None:
            assert s.qty <= quota
        if delisted[i]:
            assert s.qty == 0
    total = sum(s.value for s in orders.values())
    if limit is not None:
        assert total <= max(limit - debt, 0.0) + 1e-6
