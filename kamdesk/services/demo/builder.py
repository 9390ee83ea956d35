"""Write a complete demo workspace: built in a temporary file, moved into place only when done.

Demo workspaces never sync, so their rows are seeded in bulk without outbox entries (the
outbox guard is for the user's own edits).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, cast

import numpy as np
from sqlalchemy import JSON, Boolean, Connection, Date, Table

from kamdesk.db import keys
from kamdesk.db.base import Base, UTCDateTime
from kamdesk.db.engine import Store
from kamdesk.db.models import (
    Account,
    AccountNote,
    Complaint,
    Contact,
    Evaluation,
    KnowledgeArticle,
    Product,
    PurchaseLine,
    SalesPlan,
    StockCount,
    Territory,
    User,
    Visit,
)
from kamdesk.domain.search_text import build_search_text
from kamdesk.errors import KamdeskError, StoreError
from kamdesk.ids import uuid7, uuid7_batch
from kamdesk.services.classification import ClassificationService
from kamdesk.services.demo import texts
from kamdesk.services.demo.accounts import DemoAccount, make_accounts
from kamdesk.services.demo.catalog import DemoProduct, demo_products
from kamdesk.services.demo.history import sales_model, simulate
from kamdesk.services.workspace import create_workspace

Progress = Callable[[int, int, str], None]
CST = timezone(timedelta(hours=8))  # China has one time zone and no daylight saving
HISTORY_WEEKS = 78
BATCH = 20_000


class DemoCancelled(KamdeskError):
    code = "demo.cancelled"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    path: Path
    accounts: int
    products: int
    purchase_lines: int
    stock_counts: int
    visits: int
    contacts: int
    seconds: float


def _converter(column: Any) -> Callable[[Any], Any]:
    """Python value -> what SQLAlchemy would store in SQLite, without per-row type machinery."""
    kind = type(column.type)
    if kind is UTCDateTime:
        return lambda v: (
            None if v is None else v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        )
    if kind is Date:
        return lambda v: None if v is None else v.isoformat()
    if kind is JSON:
        return lambda v: json.dumps(v, ensure_ascii=False)
    if kind is Boolean:
        return lambda v: None if v is None else int(v)
    return lambda v: v


class _Writer:
    """Buffers rows per table and bulk-inserts them through the driver (the hot path of seeding).

    Rows are converted exactly as SQLAlchemy's SQLite types store them; a test reads the demo
    back through the ORM to prove it.
    """

    def __init__(self, conn: Connection) -> None:
        self.cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        self.buffers: dict[str, list[tuple[Any, ...]]] = {}
        self.plans: dict[str, tuple[str, list[str], list[Callable[[Any], Any]]]] = {}
        self.counts: dict[str, int] = {}

    def _plan(self, model: type[Base]) -> tuple[str, list[str], list[Callable[[Any], Any]]]:
        table = cast(Table, model.__table__)
        plan = self.plans.get(table.name)
        if plan is None:
            names = [c.name for c in table.columns]
            sql = (
                f"INSERT INTO {table.name} ({', '.join(names)}) "
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            plan = (sql, names, [_converter(c) for c in table.columns])
            self.plans[table.name] = plan
        return plan

    def add(self, model: type[Base], row: dict[str, Any]) -> None:
        _sql, names, converters = self._plan(model)
        values = tuple(conv(row.get(name)) for name, conv in zip(names, converters, strict=True))
        buf = self.buffers.setdefault(model.__tablename__, [])
        buf.append(values)
        if len(buf) >= BATCH:
            self.flush()

    def add_stored(self, model: type[Base], row: dict[str, Any]) -> None:
        """Hot path: ``row`` already holds stored values (ISO dates, 0/1, JSON text)."""
        _sql, names, _converters = self._plan(model)
        buf = self.buffers.setdefault(model.__tablename__, [])
        buf.append(tuple(row[name] for name in names))
        if len(buf) >= BATCH:
            self.flush()

    def flush(self) -> None:
        # all tables, in the order first seen, so parents always land before their children
        for table_name, rows in self.buffers.items():
            if rows:
                self.cursor.executemany(self.plans[table_name][0], rows)
                self.counts[table_name] = self.counts.get(table_name, 0) + len(rows)
                rows.clear()


def _stamp(now: datetime) -> dict[str, Any]:
    return {"id": uuid7(), "srv_seq": 0, "deleted": False, "created_at": now, "updated_at": now}


def _local(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CST) + timedelta(minutes=minute)


def _stock_at_visit(result: Any, a: int, p: int, visit_weekday: int) -> int:
    """Shelf stock on the visit day, consistent with deliveries dated in the same week.

    The week's delivery is dated ``1 + a % 3`` days after Monday (see ``_write_history``);
    sales accrue evenly through the week.
    """
    opening = int(result.opening[a, p])
    delivered = int(result.delivered[a, p]) if 1 + a % 3 <= visit_weekday else 0
    sold_so_far = round(int(result.sold[a, p]) * (visit_weekday + 0.5) / 7)
    return max(0, opening + delivered - min(sold_so_far, opening + delivered))


def _visit_slot(
    acc: DemoAccount, week_start: date, rng: np.random.Generator
) -> tuple[date, int, int] | None:
    hours = acc.fields["opening_hours"]
    for offset in range(7):
        weekday = (acc.visit_weekday + offset) % 7
        if hours[weekday] and weekday < 6:
            open_min, close_min = hours[weekday][0]
            open_min, close_min = max(open_min, 8 * 60), min(close_min, 18 * 60)
            if close_min - open_min >= 60:
                start = int(rng.integers(open_min, close_min - 45))
                return week_start + timedelta(days=weekday), start, int(rng.integers(15, 45))
    return None


def build_demo_workspace(
    path: Path,
    *,
    accounts: int = 300,
    seed: int = 7,
    today: date | None = None,
    passphrase: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> DemoSummary:
    """Create the demo database at ``path``; deterministic for a given seed and ``today``."""
    if accounts < 1 or accounts > 100_000:
        raise KamdeskError("The demo needs between 1 and 100,000 accounts.", code="demo.size")
    path = Path(path)
    if path.exists():
        raise StoreError(f"{path} already exists; refusing to overwrite it.", code="store.exists")
    started = time.perf_counter()
    today = today or date.today()
    building = path.with_name(path.name + ".building")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    keys.forget_key(building)
    store = create_workspace(building, passphrase=passphrase)
    try:
        counts = _populate(store, accounts, seed, today, progress, cancel)
        # realistic tiers, stages and VIP candidates; a pure function of the data, so the
        # demo stays deterministic
        ClassificationService(store).reclassify_all(today, cancel=cancel, seed=True)
        store.close()
        os.replace(building, path)
        os.replace(keys.keyinfo_path(building), keys.keyinfo_path(path))
    except BaseException:
        store.close()
        keys.forget_key(building)
        for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return DemoSummary(
        path=path,
        accounts=accounts,
        products=counts.get("product", 0),
        purchase_lines=counts.get("purchase_line", 0),
        stock_counts=counts.get("stock_count", 0),
        visits=counts.get("visit", 0),
        contacts=counts.get("contact", 0),
        seconds=time.perf_counter() - started,
    )


def _populate(
    store: Store,
    n_accounts: int,
    seed: int,
    today: date,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    now = datetime.now(UTC)
    this_monday = today - timedelta(days=today.weekday())
    week_starts = [this_monday - timedelta(weeks=HISTORY_WEEKS - w) for w in range(HISTORY_WEEKS)]
    large = n_accounts > 2000
    visit_weeks = 26 if large else HISTORY_WEEKS
    count_weeks = 6 if large else 26

    def report(done: int, message: str) -> None:
        if cancel is not None and cancel.is_set():
            raise DemoCancelled("Demo creation was cancelled; nothing was kept.")
        if progress is not None:
            progress(done, HISTORY_WEEKS + 3, message)

    with store.engine.begin() as conn:
        # a half-built demo is thrown away, so durability can wait until the final commit
        conn.exec_driver_sql("PRAGMA synchronous = OFF")
        conn.exec_driver_sql("PRAGMA cache_size = -262144")
        out = _Writer(conn)
        territory_id, manager_id = _write_org(out, now)
        products = demo_products()
        product_ids = _write_products(out, products, now, today)
        report(1, "accounts")
        accs = make_accounts(n_accounts, rng, territory_id)
        account_ids = _write_accounts(out, accs, manager_id, now, rng)
        _write_people_and_history(out, accs, account_ids, now, today, rng)
        _write_knowledge(out, now)
        report(2, "sales history")
        model = sales_model(
            accs, products, rng, order_every=3 if large else 1, assortment=0.55 if large else 1.0
        )
        history = _collect(
            accs,
            model,
            week_starts,
            _visit_periods(accs),
            visit_from=HISTORY_WEEKS - visit_weeks,
            count_from=HISTORY_WEEKS - count_weeks,
            rng=rng,
            report=lambda w: report(3 + w, f"week {week_starts[w].isoformat()}"),
        )
        _write_history(
            out,
            history,
            accs,
            account_ids,
            product_ids,
            products,
            week_starts,
            manager_id=manager_id,
            now=now,
            rng=rng,
        )
        _write_plans(out, accs, account_ids, product_ids, products, model.rates, today, now)
        out.flush()
    return out.counts


def _write_org(out: _Writer, now: datetime) -> tuple[str, str]:
    territory = {**_stamp(now), "code": "HF-SS", "name": "蜀山片区", "city": "合肥市"}
    out.add(Territory, territory)
    manager = {
        **_stamp(now),
        "username": "zhangwei",
        "display_name": "张伟",
        "role": "manager",
        "territory_id": territory["id"],
        "phone": "13905510001",
        "active": True,
    }
    supervisor = {
        **_stamp(now),
        "username": "liming",
        "display_name": "李明",
        "role": "supervisor",
        "territory_id": None,
        "phone": "13905510002",
        "active": True,
    }
    out.add(User, manager)
    out.add(User, supervisor)
    return str(territory["id"]), str(manager["id"])


def _write_products(
    out: _Writer, products: list[DemoProduct], now: datetime, today: date
) -> list[str]:
    ids: list[str] = []
    for p in products:
        row = {
            **_stamp(now),
            "code": p.code,
            "name": p.name,
            "brand": p.brand,
            "manufacturer": p.manufacturer,
            "category": p.category,
            "price_tier": p.price_tier,
            "wholesale_price_fen": p.wholesale_fen,
            "retail_price_fen": p.retail_fen,
            "unit_name": p.unit_name,
            "pack_unit": p.pack_unit,
            "pack_size": p.pack_size,
            "allocation_quota": 2 * p.pack_size if p.price_tier == 1 else None,
            "is_new": p.is_new,
            "launch_date": today - timedelta(days=20) if p.is_new else None,
            "status": "active",
        }
        out.add(Product, row)
        ids.append(str(row["id"]))
    return ids


def _write_accounts(
    out: _Writer,
    accs: list[DemoAccount],
    manager_id: str,
    now: datetime,
    rng: np.random.Generator,
) -> list[str]:
    ids: list[str] = []
    for acc in accs:
        f = acc.fields
        row = {
            **_stamp(now),
            **f,
            "manager_id": manager_id,
            "field_seq": {},
            "lifecycle_stage": "prospect" if acc.prospect else "maturity",
            "abc_tier": "C",
            "vip_state": "none",
            "key_account_state": "none",
            "licence_expiry": now.date() + timedelta(days=int(rng.integers(10, 900))),
            "best_selling_brands": [],
            "tags": [],
            "remarks": "",
            "price_group": "standard",
            "search_text": build_search_text(
                [f["name"], f["code"], f["licence_no"], f["address"], f["owner_name"], f["phone"]]
            ),
        }
        out.add(Account, row)
        ids.append(str(row["id"]))
    return ids


def _write_people_and_history(
    out: _Writer,
    accs: list[DemoAccount],
    account_ids: list[str],
    now: datetime,
    today: date,
    rng: np.random.Generator,
) -> None:
    for acc, account_id in zip(accs, account_ids, strict=True):
        for k in range(int(rng.integers(1, 4))):
            lunar = bool(rng.random() < 0.4)
            out.add(
                Contact,
                {
                    **_stamp(now),
                    "account_id": account_id,
                    "field_seq": {},
                    "name": acc.fields["owner_name"] if k == 0 else texts.person_name(rng),
                    "role": texts.CONTACT_ROLES[min(k, len(texts.CONTACT_ROLES) - 1)],
                    "phone": f"1{int(rng.choice([3, 5, 8]))}{int(rng.integers(0, 10**9)):09d}",
                    "birthday": None
                    if lunar
                    else date(
                        int(rng.integers(1960, 1996)),
                        int(rng.integers(1, 13)),
                        int(rng.integers(1, 29)),
                    ),
                    "birthday_lunar": lunar,
                    "lunar_month": int(rng.integers(1, 13)) if lunar else None,
                    "lunar_day": int(rng.integers(1, 31)) if lunar else None,
                    "lunar_leap": False,
                    "interests": str(rng.choice(texts.INTERESTS)),
                    "family_notes": str(rng.choice(texts.FAMILY)) if k == 0 else "",
                    "is_decision_maker": k == 0,
                },
            )
        if acc.prospect:
            continue
        base = rng.integers(2, 5, size=9)
        for q in range(int(rng.integers(0, 7))):
            drift = rng.integers(-1, 2, size=9)
            scores = np.clip(base + drift, 1, 5)
            out.add(
                Evaluation,
                {
                    **_stamp(now),
                    "account_id": account_id,
                    "evaluated_on": today - timedelta(days=91 * (q + 1)),
                    "evaluator_id": None,
                    "enthusiasm": int(scores[0]),
                    "flexibility": int(scores[1]),
                    "distribution_reach": int(scores[2]),
                    "capital_strength": int(scores[3]),
                    "brands_held": int(scores[4]),
                    "logistics": int(scores[5]),
                    "credit": int(scores[6]),
                    "social_relations": int(scores[7]),
                    "potential": int(scores[8]),
                    "comment": str(rng.choice(texts.EVAL_COMMENTS)),
                },
            )
        if rng.random() < 0.08:
            received = today - timedelta(days=int(rng.integers(3, 300)))
            resolved = rng.random() < 0.7
            category, description, resolution = texts.complaint(rng)
            out.add(
                Complaint,
                {
                    **_stamp(now),
                    "account_id": account_id,
                    "received_on": received,
                    "category": category,
                    "description": description,
                    "status": "resolved" if resolved else "open",
                    "resolution": resolution if resolved else "",
                    "resolved_on": received + timedelta(days=3) if resolved else None,
                },
            )
        for _ in range(int(rng.integers(0, 3))):
            out.add(
                AccountNote,
                {
                    **_stamp(now),
                    "account_id": account_id,
                    "author_id": None,
                    "body": str(rng.choice(texts.NOTES)),
                },
            )


def _visit_periods(accs: list[DemoAccount]) -> np.ndarray:
    scale = np.array([a.scale for a in accs])
    rank = scale.argsort()[::-1].argsort() / max(len(accs) - 1, 1)
    return np.where(rank < 0.2, 1, np.where(rank < 0.5, 2, 4))


@dataclass(frozen=True, slots=True)
class _History:
    orders: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # account, product, qty, week
    visits: list[tuple[int, int, date, int, int, list[tuple[int, int]]]]


def _collect(
    accs: list[DemoAccount],
    model: Any,
    week_starts: list[date],
    visit_period: np.ndarray,
    *,
    visit_from: int,
    count_from: int,
    rng: np.random.Generator,
    report: Callable[[int], None],
) -> _History:
    """Run the simulation and keep orders and visits, to be written account by account.

    Writing account-major keeps every index insert near the end of its B-tree, which makes
    seeding a 20,000-account demo several times faster than writing week by week.
    """
    parts: list[tuple[np.ndarray, ...]] = []
    visits: list[tuple[int, int, date, int, int, list[tuple[int, int]]]] = []
    for result in simulate(accs, model, week_starts, rng):
        w = result.week
        acc_idx, prod_idx, qty = result.orders
        parts.append((acc_idx, prod_idx, qty, np.full(len(qty), w)))
        if w >= visit_from:
            for a, acc in enumerate(accs):
                if acc.prospect and w < HISTORY_WEEKS - 6:
                    continue
                if acc.ended_week is not None and w > acc.ended_week + 2:
                    continue
                if not acc.prospect and (w + a) % int(visit_period[a]):
                    continue
                slot = _visit_slot(acc, result.start, rng)
                if slot is None:
                    continue
                counts: list[tuple[int, int]] = []
                if w >= count_from and not acc.prospect:
                    for p in np.nonzero(result.carried[a])[0].tolist():
                        counted = _stock_at_visit(result, a, p, (slot[0] - result.start).days)
                        if rng.random() < 0.03:  # people miscount now and then
                            counted = max(0, counted + int(rng.choice([-2, -1, 1, 2])))
                        counts.append((p, counted))
                visits.append((a, w, *slot, counts))
        report(w)
    acc_all, prod_all, qty_all, week_all = (np.concatenate(col) for col in zip(*parts, strict=True))
    order = np.lexsort((prod_all, week_all, acc_all))
    visits.sort(key=lambda v: (v[0], v[1]))
    return _History(
        orders=(acc_all[order], prod_all[order], qty_all[order], week_all[order]), visits=visits
    )


def _write_history(
    out: _Writer,
    history: _History,
    accs: list[DemoAccount],
    account_ids: list[str],
    product_ids: list[str],
    products: list[DemoProduct],
    week_starts: list[date],
    *,
    manager_id: str,
    now: datetime,
    rng: np.random.Generator,
) -> None:
    stamp = now.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    acc_idx, prod_idx, qty, weeks = history.orders
    ids = uuid7_batch(len(qty))
    week_codes = [d.strftime("%y%W") for d in week_starts]
    days = [[(d + timedelta(days=1 + k)).isoformat() for k in range(3)] for d in week_starts]
    rows = zip(acc_idx.tolist(), prod_idx.tolist(), qty.tolist(), weeks.tolist(), strict=True)
    for n, (a, p, q, w) in enumerate(rows):
        amount = q * products[p].wholesale_fen
        owing = w >= HISTORY_WEEKS - 4 and a % 9 == 0
        out.add_stored(
            PurchaseLine,
            {
                "id": ids[n],
                "srv_seq": 0,
                "deleted": 0,
                "created_at": stamp,
                "updated_at": stamp,
                "account_id": account_ids[a],
                "product_id": product_ids[p],
                "purchased_on": days[w][a % 3],
                "order_ref": f"PO{week_codes[w]}{a:05d}",
                "quantity": q,
                "amount_fen": amount,
                "settled": 0 if owing else 1,
                "outstanding_fen": amount if owing else 0,
                "voids_id": None,
            },
        )
    for a, _w, day, minute, duration, counts in history.visits:
        acc = accs[a]
        visit_id = uuid7()
        began = _local(day, minute).astimezone(UTC)
        out.add(
            Visit,
            {
                **_stamp(now),
                "id": visit_id,
                "account_id": account_ids[a],
                "user_id": manager_id,
                "visit_plan_id": None,
                "purpose": "prospecting" if acc.prospect else "routine",
                "status": "done",
                "planned_start": began,
                "planned_end": began + timedelta(minutes=duration),
                "actual_start": began,
                "actual_end": began + timedelta(minutes=duration),
                "checklist": texts.checklist(rng),
                "feedback": texts.feedback(rng),
                "summary": str(rng.choice(texts.VISIT_SUMMARIES)),
                "follow_ups": [],
            },
        )
        count_ids = uuid7_batch(len(counts))
        counted_on = day.isoformat()
        for n, (p, counted) in enumerate(counts):
            out.add_stored(
                StockCount,
                {
                    "id": count_ids[n],
                    "srv_seq": 0,
                    "deleted": 0,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "account_id": account_ids[a],
                    "product_id": product_ids[p],
                    "visit_id": visit_id,
                    "counted_on": counted_on,
                    "quantity": counted,
                },
            )


def _write_plans(
    out: _Writer,
    accs: list[DemoAccount],
    account_ids: list[str],
    product_ids: list[str],
    products: list[DemoProduct],
    rates: np.ndarray,
    today: date,
    now: datetime,
) -> None:
    month = today.replace(day=1)
    for a in range(len(accs)):
        top = np.argsort(rates[a])[::-1][:5]
        for p in top.tolist():
            if rates[a, p] <= 0:
                continue
            target = max(1, round(float(rates[a, p]) * 4.3))
            out.add(
                SalesPlan,
                {
                    **_stamp(now),
                    "account_id": account_ids[a],
                    "product_id": product_ids[p],
                    "month": month,
                    "target_quantity": target,
                    "target_amount_fen": target * products[p].wholesale_fen,
                },
            )


def _write_knowledge(out: _Writer, now: datetime) -> None:
    for title, category, body in texts.KNOWLEDGE:
        out.add(
            KnowledgeArticle,
            {**_stamp(now), "title": title, "category": category, "body": body, "tags": []},
        )
