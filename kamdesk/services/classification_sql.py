"""Purchase aggregates for the classification rules, computed in SQL (no per-line objects).

One pass over ``purchase_line`` groups by account and calendar month and returns, per group,
the month total, the trailing-window part of it, the number of orders, the largest single
order (for the VIP rule) and the first and last purchase day. Everything the rules need for
20,000 accounts and millions of lines then fits in a few numpy arrays.

Lines of deleted rows are left out, and so is a line that a later correction voids (the
correcting line, which names it in ``voids_id``, replaces it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from kamdesk.db.engine import make_engine
from kamdesk.domain.classification import add_months, trailing_start

IntArray = npt.NDArray[np.int64]
_PARALLEL_FROM = 2000  # accounts; below this one pass is quicker than two connections
FloatArray = npt.NDArray[np.float64]

# Day totals stream out of the (account_id, purchased_on) index without a sort; the outer
# grouping then only sorts one row per account and day. A day holding several orders
# ("mixed") or a voiding line is rare; such accounts are recomputed exactly from their lines.
_MONTHLY_SQL = """
    SELECT account_id,
           substr(day, 1, 7) AS ym,
           SUM(amount) AS total,
           SUM(CASE WHEN day >= :trail_start THEN amount ELSE 0 END) AS trailing,
           SUM(CASE WHEN day >= :trail_start THEN 1 ELSE 0 END) AS orders,
           MAX(CASE WHEN day >= :trail_start THEN amount ELSE 0 END) AS best_order,
           MIN(day) AS first_day,
           MAX(day) AS last_day,
           MAX(mixed) OR MAX(has_void) AS inexact
    FROM (
        SELECT account_id, purchased_on AS day, SUM(amount_fen) AS amount,
               MIN(order_ref) <> MAX(order_ref) AS mixed,
               MAX(voids_id IS NOT NULL) AS has_void
        FROM purchase_line INDEXED BY ix_purchase_line_account_day
        WHERE deleted = 0 AND purchased_on <= :as_of
          AND account_id >= :lo AND (:hi IS NULL OR account_id < :hi)
        GROUP BY account_id, purchased_on
    )
    GROUP BY account_id, ym
"""

_EXACT_SQL = """
    SELECT account_id, purchased_on, order_ref, amount_fen FROM purchase_line
    WHERE deleted = 0 AND purchased_on <= :as_of AND account_id IN ({ids})
      AND id NOT IN (SELECT voids_id FROM purchase_line WHERE voids_id IS NOT NULL)
"""


@dataclass(frozen=True, slots=True)
class PurchaseAggregates:
    """Per-account purchase figures, aligned with ``account_ids`` (amounts in fen)."""

    account_ids: tuple[str, ...]
    as_of: date
    months: tuple[date, ...]  # first days of the complete months, oldest first
    monthly: IntArray  # (accounts, len(months)) month totals
    trailing: IntArray  # total over the trailing 12 months ending on as_of
    trailing_orders: IntArray  # orders in the trailing 12 months
    best_order: IntArray  # largest single purchase in the trailing 12 months
    best_order_month: IntArray  # index into ``scan_months`` of that order, -1 = none
    best_month: IntArray  # largest calendar-month total in the trailing 12 months
    best_month_index: IntArray  # index into ``scan_months``, -1 = none
    scan_months: tuple[date, ...]  # months the VIP scan covered, oldest first
    first_purchase: tuple[date | None, ...]
    last_purchase: tuple[date | None, ...]

    def index(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.account_ids)}


def _month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def purchase_aggregates(
    session: Session, account_ids: Sequence[str], as_of: date, history_months: int = 24
) -> PurchaseAggregates:
    """Aggregate every live purchase up to ``as_of`` for ``account_ids`` in one SQL pass."""
    ids = tuple(account_ids)
    position = {a: i for i, a in enumerate(ids)}
    n = len(ids)
    last_complete = add_months(as_of.replace(day=1), -1)
    months = tuple(add_months(last_complete, -k) for k in range(history_months - 1, -1, -1))
    month_pos = {_month_key(m): j for j, m in enumerate(months)}
    trail_start = trailing_start(as_of, 12)
    # VIP looks at the calendar months the trailing window touches (incl. the current one).
    first_scan = trail_start.replace(day=1)
    scan = [first_scan]
    while scan[-1] < as_of.replace(day=1):
        scan.append(add_months(scan[-1], 1))
    scan_pos = {_month_key(m): j for j, m in enumerate(scan)}

    monthly = np.zeros((n, history_months), dtype=np.int64)
    trailing = np.zeros(n, dtype=np.int64)
    trailing_orders = np.zeros(n, dtype=np.int64)
    best_order = np.zeros(n, dtype=np.int64)
    best_order_month = np.full(n, -1, dtype=np.int64)
    best_month = np.zeros(n, dtype=np.int64)
    best_month_index = np.full(n, -1, dtype=np.int64)
    first: list[str | None] = [None] * n
    last: list[str | None] = [None] * n

    params = {"as_of": as_of.isoformat(), "trail_start": trail_start.isoformat()}
    rows = _monthly_rows(session, ids, params)
    inexact: set[str] = set()
    for account_id, ym, total, trail, orders, best, first_day, last_day, fuzzy in rows:
        i = position.get(account_id)
        if i is None:  # a deleted account's history
            continue
        if fuzzy:
            inexact.add(account_id)
        j = month_pos.get(ym)
        if j is not None:
            monthly[i, j] = total
        if first[i] is None or first_day < first[i]:
            first[i] = first_day
        if last[i] is None or last_day > last[i]:
            last[i] = last_day
        k = scan_pos.get(ym)
        if k is None:
            continue
        # Only the part inside the trailing window counts (the first month straddles it).
        trailing[i] += trail
        trailing_orders[i] += orders
        if best > best_order[i]:
            best_order[i] = best
            best_order_month[i] = k
        if trail > best_month[i]:
            best_month[i] = trail
            best_month_index[i] = k
    if inexact:
        arrays = (monthly, trailing, trailing_orders, best_order, best_order_month)
        more = (best_month, best_month_index)
        for account_id in sorted(inexact):
            i = position[account_id]
            first[i], last[i] = _exact(
                session, account_id, i, params, month_pos, scan_pos, trail_start, *arrays, *more
            )
    return PurchaseAggregates(
        account_ids=ids,
        as_of=as_of,
        months=months,
        monthly=monthly,
        trailing=trailing,
        trailing_orders=trailing_orders,
        best_order=best_order,
        best_order_month=best_order_month,
        best_month=best_month,
        best_month_index=best_month_index,
        scan_months=tuple(scan),
        first_purchase=tuple(_day(d) for d in first),
        last_purchase=tuple(_day(d) for d in last),
    )


def _exact(
    session: Session,
    account_id: str,
    i: int,
    params: dict[str, str],
    month_pos: dict[str, int],
    scan_pos: dict[str, int],
    trail_start: date,
    monthly: IntArray,
    trailing: IntArray,
    trailing_orders: IntArray,
    best_order: IntArray,
    best_order_month: IntArray,
    best_month: IntArray,
    best_month_index: IntArray,
) -> tuple[str | None, str | None]:
    """Recompute one account from its lines: orders by order_ref, voided lines left out."""
    rows = session.execute(
        text(_EXACT_SQL.format(ids=":account_id")), {**params, "account_id": account_id}
    ).all()
    month_totals: dict[str, int] = {}
    trail_months: dict[str, int] = {}
    orders: dict[str, tuple[str, int]] = {}  # order key -> (first day, amount)
    for _acc, day, ref, fen in rows:
        ym = day[:7]
        month_totals[ym] = month_totals.get(ym, 0) + fen
        if day >= trail_start.isoformat():
            trail_months[ym] = trail_months.get(ym, 0) + fen
            key = ref or f"day:{day}"
            seen_day, amount = orders.get(key, (day, 0))
            orders[key] = (min(seen_day, day), amount + fen)
    monthly[i, :] = 0
    for ym, fen in month_totals.items():
        if ym in month_pos:
            monthly[i, month_pos[ym]] = fen
    trailing[i] = sum(trail_months.values())
    trailing_orders[i] = len(orders)
    best_order[i], best_order_month[i] = 0, -1
    for day, amount in orders.values():
        if amount > best_order[i]:
            best_order[i], best_order_month[i] = amount, scan_pos.get(day[:7], -1)
    best_month[i], best_month_index[i] = 0, -1
    for ym, fen in trail_months.items():
        if fen > best_month[i]:
            best_month[i], best_month_index[i] = fen, scan_pos.get(ym, -1)
    days = [row[1] for row in rows]
    return (min(days), max(days)) if days else (None, None)


def _monthly_rows(
    session: Session, ids: Sequence[str], params: dict[str, str]
) -> list[tuple[Any, ...]]:
    """Run the monthly aggregation in two halves of the account-id range on two connections
    at once: SQLite releases the GIL while it works, so both cores decrypt and aggregate. A
    small portfolio (or an in-memory database) takes one pass on the session's connection."""
    bind = session.get_bind()
    if (
        len(ids) < _PARALLEL_FROM
        or not isinstance(bind, Engine)
        or bind.url.database
        in (
            None,
            "",
            ":memory:",
        )
    ):
        with memory_temp_store(session.connection()):
            result = session.execute(text(_MONTHLY_SQL), {**params, "lo": "", "hi": None})
            return [tuple(row) for row in result]
    middle = sorted(ids)[len(ids) // 2]
    ranges = [("", middle), (middle, None)]
    # The store's pool keeps one connection per thread and closes older ones when threads
    # come and go, so the helpers get their own unpooled engine on the same file and key.
    sibling = _sibling_engine(bind)

    def part(bounds: tuple[str, str | None]) -> list[tuple[Any, ...]]:
        with sibling.connect() as conn, memory_temp_store(conn):
            lo, hi = bounds
            result = conn.execute(text(_MONTHLY_SQL), {**params, "lo": lo, "hi": hi})
            return [tuple(row) for row in result]

    try:
        with ThreadPoolExecutor(max_workers=len(ranges)) as pool:
            return [row for rows in pool.map(part, ranges) for row in rows]
    finally:
        sibling.dispose()


def _sibling_engine(bind: Engine) -> Engine:
    password = bind.url.password or ""
    if not (password.startswith("x'") and password.endswith("'")):
        raise ValueError("expected a raw-key SQLCipher engine")
    key = bytes.fromhex(password[2:-1])
    return make_engine(Path(str(bind.url.database)), key, poolclass=NullPool)


@contextmanager
def memory_temp_store(conn: Connection) -> Iterator[None]:
    """Sort in memory: SQLCipher would otherwise encrypt the GROUP BY's temporary B-tree."""
    previous = conn.execute(text("PRAGMA temp_store")).scalar()
    conn.execute(text("PRAGMA temp_store = MEMORY"))
    try:
        yield
    finally:
        conn.execute(text(f"PRAGMA temp_store = {int(previous or 0)}"))


def trailing_amounts(session: Session, as_of: date, months: int = 12) -> dict[str, int]:
    """Purchase amount (fen) per live account over the trailing window; 0 for non-buyers."""
    start = trailing_start(as_of, months)
    rows = session.execute(
        text(
            "SELECT a.id, COALESCE(t.fen, 0), COALESCE(t.has_void, 0) FROM account a LEFT JOIN ("
            "  SELECT account_id, SUM(amount_fen) AS fen, MAX(voids_id IS NOT NULL) AS has_void"
            "  FROM purchase_line INDEXED BY ix_purchase_line_account_day"
            "  WHERE deleted = 0 AND purchased_on >= :start AND purchased_on <= :as_of"
            "  GROUP BY account_id) t ON t.account_id = a.id "
            "WHERE a.deleted = 0"
        ),
        {"start": start.isoformat(), "as_of": as_of.isoformat()},
    ).all()
    totals: dict[str, int] = {}
    for account_id, fen, has_void in rows:
        if has_void:
            exact = session.execute(
                text(_EXACT_SQL.format(ids=":account_id")),
                {"as_of": as_of.isoformat(), "account_id": account_id},
            ).all()
            fen = sum(r[3] for r in exact if r[1] >= start.isoformat())
        totals[account_id] = int(fen)
    return totals


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value[:10])


def last_visits(session: Session, as_of: date, account_id: str | None = None) -> dict[str, date]:
    """Day of the latest completed visit per account (or of one account), up to ``as_of``."""
    one = "AND account_id = :account_id " if account_id is not None else ""
    rows = session.execute(
        text(
            "SELECT account_id, MAX(COALESCE(actual_start, planned_start)) FROM visit "
            "WHERE deleted = 0 AND status = 'done' "
            "AND substr(COALESCE(actual_start, planned_start), 1, 10) <= :as_of "
            f"{one}GROUP BY account_id"
        ),
        {"as_of": as_of.isoformat(), "account_id": account_id},
    ).all()
    out: dict[str, date] = {}
    for account_id, stamp in rows:
        if stamp is not None:
            out[account_id] = _stamp_day(stamp)
    return out


def _stamp_day(value: str | datetime) -> date:
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def data_fingerprint(session: Session) -> tuple[int, int, int]:
    """Cheap change marker: newest purchase and visit rows and the live account count."""
    row = session.execute(
        text(
            "SELECT (SELECT COALESCE(MAX(rowid), 0) FROM purchase_line), "
            "(SELECT COALESCE(MAX(rowid), 0) FROM visit), "
            "(SELECT COUNT(*) FROM account WHERE deleted = 0)"
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])
