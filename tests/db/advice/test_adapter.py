"""The database → engine adapter on the demo workspace, checked against plain SQL."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from kamdesk.db.engine import Store
from kamdesk.domain.enums import AbcTier
from kamdesk.domain.ordering import Cap
from kamdesk.ids import uuid7
from kamdesk.services.advice import AdviceCancelledError, AdviceService, EngineRun
from kamdesk.services.advice_load import AdviceError, LoadedInputs, data_version, load_inputs
from kamdesk.services.profitability import ProfitabilityService
from tests.conftest import DEMO_TODAY


def _load(store: Store, account_ids: list[str] | None = None) -> LoadedInputs:
    with store.session() as session:
        return load_inputs(session, DEMO_TODAY, account_ids)


def _sums(
    acc: np.ndarray, prod: np.ndarray, qty: np.ndarray, inputs: LoadedInputs
) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = defaultdict(float)
    for a, p, q in zip(acc.tolist(), prod.tolist(), qty.tolist(), strict=True):
        out[(inputs.accounts[a].account_id, inputs.products[p].product_id)] += q
    return dict(out)


def _sql_sums(
    store: Store, table: str, day_col: str, ids: set[str]
) -> dict[tuple[str, str], float]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                f"SELECT account_id, product_id, SUM(quantity) FROM {table}"
                f" WHERE deleted = 0 AND {day_col} <= :t GROUP BY account_id, product_id"
            ),
            {"t": DEMO_TODAY.isoformat()},
        ).all()
    return {(a, p): float(q) for a, p, q in rows if a in ids}


def test_deliveries_and_counts_equal_sql_sums(template_store: Store) -> None:
    inputs = _load(template_store)
    ids = {a.account_id for a in inputs.accounts}
    assert len(ids) > 250  # the demo's active accounts
    cols = inputs.columns
    got = _sums(cols.delivery_account, cols.delivery_product, cols.delivery_qty, inputs)
    assert got == pytest.approx(_sql_sums(template_store, "purchase_line", "purchased_on", ids))
    got_c = _sums(cols.count_account, cols.count_product, cols.count_qty, inputs)
    assert got_c == pytest.approx(_sql_sums(template_store, "stock_count", "counted_on", ids))
    # days are date ordinals: the earliest delivery is the earliest purchase date
    with template_store.engine.connect() as conn:
        first = conn.execute(text("SELECT MIN(purchased_on) FROM purchase_line")).scalar_one()
    assert date.fromordinal(int(cols.delivery_day.min())) == date.fromisoformat(first)


def test_debt_is_the_sum_of_unsettled_lines(template_store: Store) -> None:
    inputs = _load(template_store)
    with template_store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT account_id, SUM(outstanding_fen) FROM purchase_line"
                " WHERE deleted = 0 AND settled = 0 GROUP BY account_id"
            )
        ).all()
    expected = {a: int(fen) for a, fen in rows if a in inputs.debt_fen}
    assert expected  # the demo has open debts
    assert {a: f for a, f in inputs.debt_fen.items() if f} == expected
    for acc in inputs.accounts:
        assert acc.outstanding_debt == pytest.approx(expected.get(acc.account_id, 0) / 100)


def test_products_map_price_tier_prices_and_quota(template_store: Store) -> None:
    inputs = _load(template_store)
    with template_store.engine.connect() as conn:
        rows = {
            r[0]: r
            for r in conn.execute(
                text(
                    "SELECT id, price_tier, wholesale_price_fen, retail_price_fen, pack_size,"
                    " allocation_quota, is_new FROM product WHERE deleted = 0"
                )
            ).all()
        }
    assert len(inputs.products) == len(rows)
    for p in inputs.products:
        _, tier, whole, retail, pack, quota, new = rows[p.product_id]
        assert p.price_tier == 6 - tier  # stored 1 = dearest, engine 5 = premium
        assert p.wholesale_price == pytest.approx(whole / 100)
        assert p.retail_price == pytest.approx(retail / 100)
        assert (p.pack_size, p.allocation_quota, p.is_new) == (pack, quota, bool(new))


def test_abc_override_and_credit_limit(demo_store: Store) -> None:
    with demo_store.engine.begin() as conn:
        aid, limit = conn.execute(
            text(
                "SELECT id, credit_limit_fen FROM account WHERE status = 'active'"
                " AND abc_tier = 'C' AND credit_limit_fen > 0 ORDER BY code LIMIT 1"
            )
        ).one()
        # test set-up straight in SQL (no service writes the override here)
        conn.execute(text("UPDATE account SET abc_override = 'A' WHERE id = :a"), {"a": aid})
    (acc,) = _load(demo_store, [aid]).accounts
    assert acc.abc_tier is AbcTier.A
    assert acc.credit_limit == pytest.approx(limit / 100)


def test_open_orders_come_from_draft_and_submitted_orders(
    demo_store: Store, template_run: EngineRun
) -> None:
    first = template_run.territory.accounts[0]
    aid, pid = first.account_id, first.orders[0].product_id
    with demo_store.engine.begin() as conn:
        for status, qty in (("draft", 20), ("submitted", 30), ("confirmed", 1000)):
            conn.execute(
                text(
                    "INSERT INTO sales_order (id, srv_seq, deleted, created_at, updated_at,"
                    " account_id, status, status_reason, lines) VALUES (:id, 0, 0,"
                    " '2026-11-20 08:00:00', '2026-11-20 08:00:00', :a, :s, '', :l)"
                ),
                {
                    "id": uuid7(),
                    "a": aid,
                    "s": status,
                    "l": json.dumps([{"product_id": pid, "quantity": qty}]),
                },
            )
    cols = _load(demo_store, [aid]).columns
    assert cols.order_qty.sum() == 50  # the confirmed order is no longer "open"


def test_voided_line_is_replaced_by_its_correction(demo_store: Store) -> None:
    with demo_store.engine.begin() as conn:
        line = conn.execute(
            text(
                "SELECT id, account_id, product_id, purchased_on, quantity, amount_fen"
                " FROM purchase_line ORDER BY purchased_on DESC LIMIT 1"
            )
        ).one()
        conn.execute(
            text(
                "INSERT INTO purchase_line (id, srv_seq, deleted, created_at, updated_at,"
                " account_id, product_id, purchased_on, order_ref, quantity, amount_fen,"
                " settled, outstanding_fen, voids_id) VALUES (:id, 0, 0, '2026-11-22 08:00:00',"
                " '2026-11-22 08:00:00', :a, :p, :d, 'fix', :q, :f, 1, 0, :v)"
            ),
            {
                "id": uuid7(),
                "a": line.account_id,
                "p": line.product_id,
                "d": line.purchased_on,
                "q": line.quantity + 5,
                "f": line.amount_fen,
                "v": line.id,
            },
        )
    with demo_store.engine.connect() as conn:
        before = conn.execute(
            text(
                "SELECT SUM(quantity) FROM purchase_line WHERE account_id = :a"
                " AND product_id = :p AND voids_id IS NULL"
            ),
            {"a": line.account_id, "p": line.product_id},
        ).scalar_one()
    inputs = _load(demo_store, [line.account_id])
    cols = inputs.columns
    got = _sums(cols.delivery_account, cols.delivery_product, cols.delivery_qty, inputs)
    assert got[(line.account_id, line.product_id)] == pytest.approx(before + 5)


def test_delisted_product_gets_no_order(demo_store: Store, template_run: EngineRun) -> None:
    # the product with the largest suggested quantity in the territory
    best = max((s for a in template_run.territory.accounts for s in a.orders), key=lambda s: s.qty)
    assert best.qty > 0
    holders = [
        a.account_id
        for a in template_run.territory.accounts
        if any(s.product_id == best.product_id and s.qty > 0 for s in a.orders)
    ][:15]
    with demo_store.engine.begin() as conn:
        conn.execute(
            text("UPDATE product SET status = 'delisted' WHERE id = :p"), {"p": best.product_id}
        )
    service = AdviceService(demo_store, clock=lambda: DEMO_TODAY)
    run = service.run(DEMO_TODAY, holders)
    lines = [s for a in run.territory.accounts for s in a.orders if s.product_id == best.product_id]
    assert len(lines) == len(holders)
    assert all(s.qty == 0 and Cap.DELISTED in s.working.caps for s in lines)


def test_cache_is_kept_per_data_version(advice_service: AdviceService, demo_store: Store) -> None:
    first = advice_service.run(DEMO_TODAY)
    assert advice_service.run(DEMO_TODAY) is first  # adopted run, same data version
    with demo_store.session() as session:
        version = data_version(session)
    with demo_store.engine.begin() as conn:
        acc, prod = conn.execute(
            text("SELECT account_id, product_id FROM stock_count LIMIT 1")
        ).one()
        conn.execute(
            text(
                "INSERT INTO stock_count (id, srv_seq, deleted, created_at, updated_at,"
                " account_id, product_id, counted_on, quantity) VALUES (:id, 0, 0,"
                " '2026-11-23 08:00:00', '2026-11-23 08:00:00', :a, :p, '2026-11-23', 3)"
            ),
            {"id": uuid7(), "a": acc, "p": prod},
        )
    with demo_store.session() as session:
        assert data_version(session) != version  # the next run() computes afresh


def test_unknown_account_and_cancel_are_reported(template_store: Store) -> None:
    service = AdviceService(template_store, clock=lambda: DEMO_TODAY)
    with pytest.raises(AdviceError) as info:
        service.run(DEMO_TODAY, ["no-such-account"])
    assert info.value.code == "advice.no_account"
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(AdviceCancelledError) as cancelled:
        service.advise(DEMO_TODAY, cancel=cancel)
    assert cancelled.value.code == "advice.cancelled"


def test_new_empty_workspace_gives_empty_advice(tmp_path: Path) -> None:
    from kamdesk.services.workspace import create_workspace

    store = create_workspace(tmp_path / "new.db", passphrase="a passphrase")
    try:
        service = AdviceService(store, clock=lambda: DEMO_TODAY)
        snap = service.advise()
        assert snap.rows == () and snap.run.territory.accounts == ()
        assert ProfitabilityService(service).monthly_margin().monthly_margin_fen == 0
    finally:
        store.close()
