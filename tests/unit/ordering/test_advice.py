from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, timedelta

import pytest

from kamdesk.domain.cn_calendar import spring_festival
from kamdesk.domain.enums import AbcTier, BusinessFormat, Loyalty
from kamdesk.domain.ordering import (
    AccountHistory,
    AccountInfo,
    AdviceItem,
    AdviceKind,
    Delivery,
    OrderingConfig,
    ProductInfo,
    Severity,
    StockCount,
    UnknownProductError,
    advise_territory,
    advise_territory_columns,
    columns_from_histories,
)
from kamdesk.domain.ordering.advice import format_fit
from kamdesk.domain.ordering.margin import WEEKS_PER_MONTH
from tests.unit.ordering import synthetic

TODAY = date(2025, 6, 11)  # Wednesday; no Spring Festival / Mid-Autumn / National Day near


def weekly(
    account_id: str,
    pid: str,
    sales: list[float],
    start_stock: float,
    deliver: list[float] | None = None,
    today: date = TODAY,
) -> AccountHistory:
    """Counts every Sunday (the last one 3 days before ``today``), deliveries on Thursdays."""
    weeks = len(sales)
    last_sunday = today - timedelta(days=today.weekday() + 1)
    first_sunday = last_sunday - timedelta(weeks=weeks)
    deliver = deliver or [0.0] * weeks
    stock = start_stock
    counts = [StockCount(first_sunday, pid, stock)]
    dels = []
    for w in range(weeks):
        sunday = first_sunday + timedelta(weeks=w + 1)
        if deliver[w]:
            dels.append(Delivery(sunday - timedelta(days=3), pid, deliver[w]))
        stock = stock + deliver[w] - sales[w]
        assert stock >= 0
        counts.append(StockCount(sunday, pid, stock))
    return AccountHistory(account_id, tuple(dels), tuple(counts))


def merge(*parts: AccountHistory) -> AccountHistory:
    return AccountHistory(
        parts[0].account_id,
        tuple(d for p in parts for d in p.deliveries),
        tuple(c for p in parts for c in p.counts),
    )


def product(pid: str, tier: int = 3, **kw: object) -> ProductInfo:
    return ProductInfo(pid, f"烟{pid}", tier, 10, 100.0, 120.0, **kw)  # type: ignore[arg-type]


def account(aid: str, **kw: object) -> AccountInfo:
    base: dict[str, object] = {"business_format": BusinessFormat.GROCERY, "lead_time_days": 7}
    base.update(kw)
    return AccountInfo(aid, f"店{aid}", **base)  # type: ignore[arg-type]


def kinds(items: tuple[AdviceItem, ...], kind: AdviceKind) -> list[AdviceItem]:
    return [i for i in items if i.kind == kind]


def num(item: AdviceItem, key: str) -> float:
    value = item.number(key)
    assert isinstance(value, int | float)
    return float(value)


def test_reorder_now_when_cover_is_below_lead_time() -> None:
    hist = weekly("A1", "P1", [70.0] * 20, 100.0, [70.0] * 19 + [0.0])
    res = advise_territory([account("A1")], {"A1": hist}, [product("P1")], TODAY)
    (item,) = kinds(res.items, AdviceKind.REORDER_NOW)
    assert item.severity == Severity.CRITICAL  # its only product is its best-seller
    assert num(item, "days_of_cover") < 7
    assert "补货" in item.reason_zh
    assert "reorder" in item.reason_en
    assert res.account("A1").orders[0].qty > 0


def test_overstock_stops_ordering_first_in_first_out() -> None:
    hist = weekly("A1", "P1", [10.0] * 20, 1000.0)
    res = advise_territory([account("A1")], {"A1": hist}, [product("P1")], TODAY)
    (item,) = kinds(res.items, AdviceKind.OVERSTOCK)
    assert num(item, "weeks_of_cover") > 6
    assert "先进先出" in item.reason_zh
    assert "first-in-first-out" in item.reason_en
    assert res.account("A1").orders[0].qty == 0


def test_slow_mover_with_stock_and_no_sales() -> None:
    hist = weekly("A1", "P1", [5.0] * 10 + [0.0] * 10, 100.0)
    res = advise_territory([account("A1")], {"A1": hist}, [product("P1")], TODAY)
    (item,) = kinds(res.items, AdviceKind.SLOW_MOVER)
    assert num(item, "weeks_since_sale") == 10
    assert item.severity == Severity.LOW


def test_missed_products_against_comparable_accounts() -> None:
    prods = [product("P1"), product("P2")]
    accs = [account(f"A{i}") for i in range(6)]
    accs.append(account("T1", business_format=BusinessFormat.TOBACCO_LIQUOR))
    hists = {}
    for i in range(4):
        hists[f"A{i}"] = merge(
            weekly(f"A{i}", "P1", [10.0] * 20, 50.0, [10.0] * 20),
            weekly(f"A{i}", "P2", [10.0] * 20, 50.0, [10.0] * 20),
        )
    hists["A4"] = weekly("A4", "P1", [10.0] * 20, 50.0, [10.0] * 20)  # never had P2
    hists["A5"] = merge(  # sold P2, then stopped ordering and sold out
        weekly("A5", "P1", [10.0] * 20, 50.0, [10.0] * 20),
        weekly("A5", "P2", [10.0] * 5 + [0.0] * 15, 50.0, [0.0] * 20),
    )
    res = advise_territory(accs, hists, prods, TODAY)
    missed = {(i.account_id, i.product_id): i for i in kinds(res.items, AdviceKind.MISSED_PRODUCT)}
    assert set(missed) == {("A4", "P2"), ("A5", "P2")}
    assert missed[("A4", "P2")].severity == Severity.MEDIUM
    assert missed[("A5", "P2")].severity == Severity.HIGH
    assert missed[("A5", "P2")].number("stopped") == 1
    assert num(missed[("A4", "P2")], "peer_share") == pytest.approx(0.8)


def test_new_product_goes_to_fitting_formats_loyal_first() -> None:
    assert format_fit(5, BusinessFormat.TOBACCO_LIQUOR) == 2
    assert format_fit(5, BusinessFormat.GROCERY) == 0
    assert format_fit(1, BusinessFormat.GROCERY) == 2
    assert format_fit(3, BusinessFormat.SUPERMARKET) == 1
    prods = [product("P1"), product("NEW", tier=5, is_new=True)]
    accs = [
        account("G1", loyalty=Loyalty.LOYAL),
        account("T1", business_format=BusinessFormat.TOBACCO_LIQUOR),
        account("T2", business_format=BusinessFormat.TOBACCO_LIQUOR, loyalty=Loyalty.LOYAL),
        account(
            "T3",
            business_format=BusinessFormat.TOBACCO_LIQUOR,
            loyalty=Loyalty.LOYAL,
            credit_limit=100.0,
            outstanding_debt=500.0,
        ),
        account("M1", business_format=BusinessFormat.MALL, loyalty=Loyalty.LOYAL),
    ]
    res = advise_territory(accs, {}, prods, TODAY)
    placed = [i for i in res.items if i.kind == AdviceKind.NEW_PRODUCT]
    assert [i.account_id for i in placed] == ["T2", "M1", "T1"]  # sorted by severity, then id
    assert placed[0].severity == Severity.MEDIUM
    scores = {i.account_id: num(i, "score") for i in placed}
    assert scores["T2"] > scores["T1"] > scores["M1"]


def test_pre_holiday_plan_uses_the_learned_uplift() -> None:
    sf = spring_festival(2026)
    today = sf - timedelta(days=20)
    weeks = 70
    last_sunday = today - timedelta(days=today.weekday() + 1)
    first_monday = last_sunday - timedelta(weeks=weeks) + timedelta(days=1)
    sf25_week = (spring_festival(2025) - first_monday).days // 7
    accs, hists = [], {}
    for a in range(12):
        sales = [20.0] * weeks
        for k, f in ((0, 1.5), (1, 2.0), (2, 1.5)):
            sales[sf25_week - k] *= f
        accs.append(account(f"A{a:02d}"))
        hists[f"A{a:02d}"] = weekly(f"A{a:02d}", "P1", sales, 200.0, sales, today=today)
    res = advise_territory(accs, hists, [product("P1")], today)
    plans = kinds(res.items, AdviceKind.HOLIDAY_PLAN)
    assert len(plans) == 12
    plan = plans[0]
    assert plan.number("holiday_day") == sf.isoformat()
    assert plan.number("days_to_holiday") == 20
    assert num(plan, "extra_units") > 10
    assert "春节" in plan.reason_zh
    assert "Spring Festival" in plan.reason_en
    sug = res.account("A00").orders[0]
    assert sug.working.holiday_uplift > 1.3


def test_miscount_raises_a_recount_item() -> None:
    hist = weekly("A1", "P1", [10.0] * 12, 200.0)
    counts = list(hist.counts)
    counts[6] = StockCount(counts[6].day, "P1", 900.0)
    hist = AccountHistory("A1", hist.deliveries, tuple(counts))
    res = advise_territory([account("A1")], {"A1": hist}, [product("P1")], TODAY)
    (item,) = kinds(res.items, AdviceKind.RECOUNT)
    assert item.severity == Severity.INFO
    assert item.number("count_day") == counts[6].day.isoformat()
    assert (
        res.sell_through.sales[0][~(res.sell_through.sales[0] != res.sell_through.sales[0])].max()
        <= 10.0 + 1e-6
    )


def test_margin_is_retail_minus_wholesale_times_sales() -> None:
    hist = merge(
        weekly("A1", "P1", [30.0] * 10, 100.0, [30.0] * 10),
        weekly("A1", "P2", [12.0] * 10, 100.0, [12.0] * 10),
    )
    prods = [product("P1"), ProductInfo("P2", "酒", 4, 6, 200.0, 260.0)]
    res = advise_territory([account("A1")], {"A1": hist}, prods, TODAY)
    m = res.account("A1").margin
    assert [line.product_id for line in m.lines] == ["P2", "P1"]  # largest margin first
    assert m.lines[1].monthly_margin == pytest.approx(20.0 * 30 * WEEKS_PER_MONTH)
    assert m.lines[0].monthly_margin == pytest.approx(60.0 * 12 * WEEKS_PER_MONTH)
    assert m.monthly_margin == pytest.approx(sum(line.monthly_margin for line in m.lines))


def test_advice_is_sorted_and_deterministic_on_a_synthetic_territory() -> None:
    prods = synthetic.products(20)
    accs = synthetic.accounts(40)
    hists = synthetic.histories(accs, prods, TODAY, 30, carried=12)
    t0 = time.perf_counter()
    first = advise_territory(accs, hists, prods, TODAY, OrderingConfig(history_weeks=30))
    elapsed = time.perf_counter() - t0
    second = advise_territory(accs, hists, prods, TODAY, OrderingConfig(history_weeks=30))
    assert first.items == second.items
    sev = [int(i.severity) for i in first.items]
    assert sev == sorted(sev)
    assert all(i.reason_zh and i.reason_en for i in first.items)
    for acc in first.accounts:
        for s in acc.orders:
            assert s.qty % s.working.pack_size == 0
            assert s.qty >= 0
    assert elapsed < 5.0
    assert {a.abc_tier for a in accs} == {AbcTier.A, AbcTier.B, AbcTier.C}


def test_column_fast_path_gives_the_same_advice() -> None:
    prods = synthetic.products(8)
    accs = synthetic.accounts(10)
    hists = synthetic.histories(accs, prods, TODAY, 20, carried=5)
    cfg = OrderingConfig(history_weeks=20)
    cols = columns_from_histories(accs, prods, hists)
    a = advise_territory(accs, hists, prods, TODAY, cfg)
    b = advise_territory_columns(accs, prods, cols, TODAY, cfg)
    assert a.items == b.items
    assert [x.orders for x in a.accounts] == [x.orders for x in b.accounts]
    bad = replace(cols, count_product=cols.count_product + 100)
    with pytest.raises(UnknownProductError):
        advise_territory_columns(accs, prods, bad, TODAY, cfg)
