"""Database → ordering engine: accounts, products and histories as numpy columns, from SQL.

No ORM objects and no per-record dataclasses: each history table is read with one grouped
query whose rows go straight into numpy columns (days as ``date.toordinal()`` numbers computed
by SQLite's ``julianday``). Conventions of the stored data the engine does not share:

* ``product.price_tier`` is 1 = most expensive .. 5 = cheapest; the engine's tier is the other
  way round (5 = premium), so it gets ``6 − tier``.
* A purchase line that a later correction voids (named in ``voids_id``) is left out; the
  correcting line replaces it. Lines of one day are summed; a day whose net quantity is
  negative (a return larger than the day's purchases) counts as nothing received and is
  reported in ``LoadedInputs.notes``.
* ``credit_limit_fen`` ≤ 0 means no credit line was set: no credit rule (cash customers).
* Open orders are the lines of draft and submitted ``sales_order`` rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import text
from sqlalchemy.orm import Session

from kamdesk.domain.enums import AbcTier, BusinessFormat, Loyalty, ProductStatus
from kamdesk.domain.ordering import AccountInfo, HistoryColumns, ProductInfo
from kamdesk.errors import KamdeskError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# julianday('0001-01-01') = 1721425.5 and date(1, 1, 1).toordinal() = 1
_ORDINAL = "CAST(julianday({col}) - 1721424.5 AS INTEGER)"


class AdviceError(KamdeskError):
    code = "advice"


@dataclass(frozen=True, slots=True)
class ProductLabel:
    product_id: str
    code: str
    name: str
    unit_name: str
    pack_unit: str
    wholesale_fen: int
    retail_fen: int


@dataclass(frozen=True, slots=True)
class AccountLabel:
    account_id: str
    code: str
    name: str
    business_format: str
    abc_tier: str


@dataclass(frozen=True, slots=True)
class LoadedInputs:
    accounts: tuple[AccountInfo, ...]
    products: tuple[ProductInfo, ...]
    columns: HistoryColumns
    account_labels: dict[str, AccountLabel]
    product_labels: dict[str, ProductLabel]
    debt_fen: dict[str, int]  # Σ outstanding_fen of unsettled lines per account
    notes: tuple[str, ...]  # data the loader had to interpret (returns, unknown order lines)


def _products(session: Session) -> tuple[list[ProductInfo], dict[str, ProductLabel]]:
    rows = session.execute(
        text(
            "SELECT id, code, name, price_tier, pack_size, wholesale_price_fen, retail_price_fen,"
            " status, is_new, launch_date, allocation_quota, unit_name, pack_unit"
            " FROM product WHERE deleted = 0 ORDER BY code, id"
        )
    ).all()
    infos: list[ProductInfo] = []
    labels: dict[str, ProductLabel] = {}
    for pid, code, name, tier, pack, whole, retail, status, new, launch, quota, unit, pu in rows:
        try:
            infos.append(
                ProductInfo(
                    product_id=pid,
                    name=name,
                    price_tier=6 - int(tier),  # stored 1 = dearest; engine 5 = premium
                    pack_size=int(pack),
                    wholesale_price=whole / 100.0,
                    retail_price=retail / 100.0,
                    status=(ProductStatus.ACTIVE if status == "active" else ProductStatus.DELISTED),
                    is_new=bool(new),
                    launch_date=date.fromisoformat(launch) if launch else None,
                    allocation_quota=None if quota is None else int(quota),
                )
            )
        except (ValueError, KamdeskError) as exc:
            raise AdviceError(
                f"Product {code} cannot be used for ordering advice: {exc}",
                code="advice.bad_product",
                product_id=pid,
            ) from exc
        labels[pid] = ProductLabel(pid, code, name, unit, pu, int(whole), int(retail))
    return infos, labels


def _account_rows(session: Session, account_ids: Sequence[str] | None) -> list[Any]:
    where = "deleted = 0 AND status = 'active'"
    params: dict[str, object] = {}
    if account_ids is not None:
        # explicitly named accounts are advised whatever their status
        where = "deleted = 0 AND id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = json.dumps(list(account_ids))
    rows = session.execute(
        text(
            "SELECT id, code, name, business_format, COALESCE(abc_override, abc_tier), loyalty,"
            f" lead_time_days, credit_limit_fen FROM account WHERE {where} ORDER BY code, id"
        ),
        params,
    ).all()
    if account_ids is not None:
        missing = set(account_ids) - {r[0] for r in rows}
        if missing:
            raise AdviceError(
                f"No account {sorted(missing)[0]}.", code="advice.no_account", missing=missing
            )
    return list(rows)


def _accounts(
    rows: list[Any], debt_fen: dict[str, int]
) -> tuple[list[AccountInfo], dict[str, AccountLabel]]:
    infos: list[AccountInfo] = []
    labels: dict[str, AccountLabel] = {}
    for aid, code, name, fmt, tier, loyalty, lead, limit in rows:
        try:
            info = AccountInfo(
                account_id=aid,
                name=name,
                business_format=BusinessFormat(fmt),
                abc_tier=AbcTier(tier) if tier in AbcTier.__members__ else AbcTier.C,
                loyalty=Loyalty(loyalty) if loyalty else Loyalty.NONE,
                lead_time_days=int(lead),
                credit_limit=limit / 100.0 if limit and limit > 0 else None,
                outstanding_debt=debt_fen.get(aid, 0) / 100.0,
            )
        except (ValueError, KamdeskError) as exc:
            raise AdviceError(
                f"Account {code} cannot be used for ordering advice: {exc}",
                code="advice.bad_account",
                account_id=aid,
            ) from exc
        infos.append(info)
        labels[aid] = AccountLabel(aid, code, name, fmt, info.abc_tier.value)
    return infos, labels


def _floats(joined: str | None) -> FloatArray:
    return np.array(joined.split(","), dtype=np.float64) if joined else np.zeros(0)


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _ordinals(joined: str | None) -> IntArray:
    """'YYYY-MM-DD,...' → ``date.toordinal()`` numbers (numpy parses the dates in C)."""
    if not joined:
        return np.zeros(0, np.int64)
    days = np.array(joined.split(","), dtype="datetime64[D]").astype(np.int64)
    out: IntArray = days + _EPOCH_ORDINAL
    return out


def _lookup(joined: str | None, pos: dict[str, int]) -> IntArray:
    """Comma-joined ids → positions (-1 for ids outside ``pos``)."""
    if not joined:
        return np.zeros(0, np.int64)
    ids = joined.split(",")
    return np.fromiter((pos.get(x, -1) for x in ids), dtype=np.int64, count=len(ids))


# One scan of each history table, each column folded into one comma-joined string: 130,000
# rows then cost a few string splits instead of 130,000 Python row objects. group_concat
# skips NULLs, so the debt and void columns list only the few lines that have them.
_PURCHASES_SQL = """
    SELECT group_concat(account_id), group_concat(product_id), group_concat(purchased_on),
           group_concat(quantity),
           group_concat(CASE WHEN settled = 0 AND outstanding_fen > 0
                             THEN account_id || ':' || outstanding_fen END),
           group_concat(voids_id)
    FROM purchase_line WHERE deleted = 0 AND purchased_on <= :today
"""
_VOIDED_SQL = """
    SELECT account_id, product_id, purchased_on, quantity FROM purchase_line
    WHERE deleted = 0 AND id IN (SELECT value FROM json_each(:ids))
"""
_COUNTS_SQL = """
    SELECT group_concat(account_id), group_concat(product_id), group_concat(counted_on),
           group_concat(quantity)
    FROM stock_count WHERE deleted = 0 AND counted_on <= :today
"""


@dataclass(frozen=True, slots=True)
class _Purchases:
    acc: IntArray
    prod: IntArray
    day: IntArray
    qty: FloatArray
    debt_fen: dict[str, int]


def _purchases(
    session: Session,
    today: date,
    acc_pos: dict[str, int],
    prod_pos: dict[str, int],
    notes: list[str],
) -> _Purchases:
    accs, prods, days, qtys, debts, voids = session.execute(
        text(_PURCHASES_SQL), {"today": today.isoformat()}
    ).one()
    a, p, d, q = _lookup(accs, acc_pos), _lookup(prods, prod_pos), _ordinals(days), _floats(qtys)
    debt_fen: dict[str, int] = {}
    for entry in debts.split(",") if debts else ():
        account_id, fen = entry.rsplit(":", 1)
        debt_fen[account_id] = debt_fen.get(account_id, 0) + int(fen)
    if voids:
        # a voided line is replaced by its correcting line: take its quantity off again
        rows = session.execute(text(_VOIDED_SQL), {"ids": json.dumps(voids.split(","))}).all()
        a = np.concatenate([a, np.array([acc_pos.get(r[0], -1) for r in rows], np.int64)])
        p = np.concatenate([p, np.array([prod_pos.get(r[1], -1) for r in rows], np.int64)])
        d = np.concatenate(
            [d, np.array([date.fromisoformat(r[2]).toordinal() for r in rows], np.int64)]
        )
        q = np.concatenate([q, np.array([-float(r[3]) for r in rows])])
    keep = (a >= 0) & (p >= 0)
    a, p, d, q = a[keep], p[keep], d[keep], q[keep]
    if (q < 0).any():
        a, p, d, q = _net_by_day(a, p, d, q, notes)
    return _Purchases(a, p, d, q, debt_fen)


def _net_by_day(
    a: IntArray, p: IntArray, d: IntArray, q: FloatArray, notes: list[str]
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Sum lines per account, product and day; a negative day total counts as nothing received."""
    keys = np.stack([a, p, d])
    uniq, inverse = np.unique(keys, axis=1, return_inverse=True)
    summed = np.bincount(inverse.ravel(), weights=q, minlength=uniq.shape[1])
    negative = summed < -1e-9
    if negative.any():
        notes.append(f"{int(negative.sum())} account-days with net returns read as no delivery")
    net: FloatArray = np.maximum(summed, 0.0).astype(np.float64)
    out: IntArray = uniq.astype(np.int64)
    return out[0], out[1], out[2], net


def load_inputs(
    session: Session, today: date, account_ids: Sequence[str] | None = None
) -> LoadedInputs:
    """Everything ``advise_territory_columns`` needs, as of ``today`` (later records ignored).

    ``account_ids`` = None: every active account; otherwise exactly those accounts.
    """
    products, product_labels = _products(session)
    rows = _account_rows(session, account_ids)
    acc_pos = {r[0]: i for i, r in enumerate(rows)}
    prod_pos = {p.product_id: i for i, p in enumerate(products)}
    notes: list[str] = []
    bought = _purchases(session, today, acc_pos, prod_pos, notes)
    accounts, account_labels = _accounts(rows, bought.debt_fen)
    accs, prods, days, qtys = session.execute(text(_COUNTS_SQL), {"today": today.isoformat()}).one()
    ca, cp = _lookup(accs, acc_pos), _lookup(prods, prod_pos)
    cd, cq = _ordinals(days), _floats(qtys)
    keep = (ca >= 0) & (cp >= 0)
    ca, cp, cd, cq = ca[keep], cp[keep], cd[keep], cq[keep]
    if (cq < 0).any():
        notes.append(f"{int((cq < 0).sum())} negative stock counts read as zero")
        cq = np.maximum(cq, 0.0)
    oa, op, oq = _open_orders(session, acc_pos, prod_pos, notes)
    columns = HistoryColumns(
        bought.acc, bought.prod, bought.day, bought.qty, ca, cp, cd, cq, oa, op, oq
    )
    return LoadedInputs(
        tuple(accounts),
        tuple(products),
        columns,
        account_labels,
        product_labels,
        {a: bought.debt_fen.get(a, 0) for a in acc_pos},
        tuple(notes),
    )


def _open_orders(
    session: Session, acc_pos: dict[str, int], prod_pos: dict[str, int], notes: list[str]
) -> tuple[IntArray, IntArray, FloatArray]:
    rows = session.execute(
        text(
            "SELECT account_id, lines FROM sales_order WHERE deleted = 0"
            " AND status IN ('draft', 'submitted')"
        )
    ).all()
    acc: list[int] = []
    prod: list[int] = []
    qty: list[float] = []
    unreadable = 0
    for account_id, lines in rows:
        a = acc_pos.get(account_id)
        if a is None:
            continue
        parsed = json.loads(lines) if isinstance(lines, str) else lines
        for line in parsed or ():
            try:
                p = prod_pos[str(line["product_id"])]
                q = float(line["quantity"])
            except (KeyError, TypeError, ValueError):
                unreadable += 1
                continue
            if q > 0:
                acc.append(a)
                prod.append(p)
                qty.append(q)
    if unreadable:
        notes.append(f"{unreadable} open order lines without a known product or quantity")
    return (
        np.asarray(acc, dtype=np.int64),
        np.asarray(prod, dtype=np.int64),
        np.asarray(qty, dtype=np.float64),
    )


def data_version(session: Session) -> tuple[object, ...]:
    """Cheap fingerprint of everything the advice reads (the cache key).

    History tables are insert-only (corrections are new rows), so their row count and largest
    rowid move on every change; the small tables are read whole for their latest update time.
    """
    parts: list[object] = []
    for table in ("purchase_line", "stock_count"):
        parts.extend(session.execute(text(f"SELECT COUNT(*), MAX(rowid) FROM {table}")).one())
    for table in ("account", "product", "sales_order"):
        parts.extend(session.execute(text(f"SELECT COUNT(*), MAX(updated_at) FROM {table}")).one())
    return tuple(parts)
