"""The demo workspace is realistic, internally consistent, deterministic and built atomically."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kamdesk.cli import DEMO_PASSPHRASE
from kamdesk.db.engine import Store
from kamdesk.db.keys import keyinfo_path
from kamdesk.db.models import SYNCED_MODELS, Account, Product, PurchaseLine, StockCount
from kamdesk.domain.cn_calendar import spring_festival
from kamdesk.services.demo import build_demo_workspace
from kamdesk.services.demo.builder import DemoCancelled
from kamdesk.services.workspace import open_workspace
from tests.conftest import DEMO_TODAY


def test_demo_has_a_plausible_territory(demo_store: Store) -> None:
    with demo_store.session() as session:
        accounts = session.scalars(select(Account)).all()
        assert len(accounts) == 300
        formats = Counter(a.business_format for a in accounts)
        assert set(formats) == {
            "tobacco_liquor",
            "grocery",
            "convenience",
            "supermarket",
            "mall",
            "entertainment",
        }
        assert formats.most_common(1)[0][0] == "tobacco_liquor"
        for account in accounts:
            assert 31.7 < (account.latitude or 0) < 31.95
            assert 117.1 < (account.longitude or 0) < 117.4
            assert account.address.startswith("合肥市")
            assert len(account.opening_hours) == 7
        products = session.scalars(select(Product)).all()
        assert 50 <= len(products) <= 70
        assert {p.price_tier for p in products} == {1, 2, 3, 4, 5}
        lines = session.scalar(select(func.count()).select_from(PurchaseLine))
        assert lines is not None and lines > 50_000
        first = session.scalar(select(func.min(PurchaseLine.purchased_on)))
        assert first is not None and (DEMO_TODAY - first).days > 500  # ~18 months


def test_every_model_reads_back_through_the_orm(demo_store: Store) -> None:
    # the seeder writes through the driver; reading every table via the ORM proves the encoding
    with demo_store.session() as session:
        for model in SYNCED_MODELS:
            for row in session.scalars(select(model).limit(50)):
                assert row.id
                assert row.created_at.tzinfo is not None


def test_sales_climb_before_spring_festival(demo_store: Store) -> None:
    festival = spring_festival(2026)
    with demo_store.session() as session:
        weekly = dict(
            session.execute(
                select(
                    func.strftime("%Y-%W", PurchaseLine.purchased_on),
                    func.sum(PurchaseLine.quantity),
                ).group_by(func.strftime("%Y-%W", PurchaseLine.purchased_on))
            ).all()
        )
    before = [weekly.get((festival - timedelta(days=d)).strftime("%Y-%W"), 0) for d in (7, 14)]
    typical = sorted(weekly.values())[len(weekly) // 2]
    assert min(before) > 1.2 * typical


def test_stock_counts_agree_with_deliveries(demo_store: Store) -> None:
    """sales = previous count + deliveries - current count is rarely negative (miscounts)."""
    with demo_store.session() as session:
        counts = session.execute(
            select(
                StockCount.account_id,
                StockCount.product_id,
                StockCount.counted_on,
                StockCount.quantity,
            )
            .order_by(StockCount.account_id, StockCount.product_id, StockCount.counted_on)
            .limit(5_000)
        ).all()
        pairs = {(c[0], c[1]) for c in counts}
        deliveries: dict[tuple[str, str], list[tuple[date, int]]] = {}
        for acc, prod, day, qty in session.execute(
            select(
                PurchaseLine.account_id,
                PurchaseLine.product_id,
                PurchaseLine.purchased_on,
                PurchaseLine.quantity,
            ).where(PurchaseLine.account_id.in_({a for a, _ in pairs}))
        ):
            deliveries.setdefault((acc, prod), []).append((day, qty))
    negative = checked = 0
    for prev, cur in itertools.pairwise(counts):
        if (prev[0], prev[1]) != (cur[0], cur[1]):
            continue
        delivered = sum(
            q for d, q in deliveries.get((prev[0], prev[1]), []) if prev[2] < d <= cur[2]
        )
        checked += 1
        negative += prev[3] + delivered - cur[3] < 0
    assert checked >= 1000
    assert negative / checked < 0.05  # only the deliberate ~3 % miscounts


def _fingerprint(path: Path) -> tuple[object, ...]:
    store = open_workspace(path, passphrase=DEMO_PASSPHRASE)
    with store.session() as session:
        accounts = session.execute(
            select(Account.code, Account.name, Account.latitude, Account.opening_hours).order_by(
                Account.code
            )
        ).all()
        sales = session.execute(
            select(Account.code, func.sum(PurchaseLine.quantity), func.count())
            .join(PurchaseLine, PurchaseLine.account_id == Account.id)
            .group_by(Account.code)
            .order_by(Account.code)
        ).all()
    store.close()
    return tuple(map(tuple, accounts)), tuple(map(tuple, sales))


def test_same_seed_same_data_and_other_seed_differs(tmp_path: Path) -> None:
    paths = [tmp_path / f"d{i}.db" for i in range(3)]
    for path, seed in zip(paths, (11, 11, 12), strict=True):
        build_demo_workspace(
            path, accounts=25, seed=seed, today=DEMO_TODAY, passphrase=DEMO_PASSPHRASE
        )
    first, second, third = (_fingerprint(p) for p in paths)
    assert first == second
    assert first != third


def test_cancel_leaves_nothing_behind(tmp_path: Path) -> None:
    cancel = threading.Event()
    path = tmp_path / "demo.db"

    def progress(done: int, _total: int, _message: str) -> None:
        if done >= 3:
            cancel.set()

    with pytest.raises(DemoCancelled):
        build_demo_workspace(
            path,
            accounts=25,
            today=DEMO_TODAY,
            passphrase=DEMO_PASSPHRASE,
            progress=progress,
            cancel=cancel,
        )
    assert list(tmp_path.iterdir()) == []
    assert not keyinfo_path(path).exists()
