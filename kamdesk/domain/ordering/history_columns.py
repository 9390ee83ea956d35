"""Histories as parallel columns: the fast path from the database to the ordering core.

Building a million ``Delivery``/``StockCount`` objects costs more than all the maths after it,
so the database layer may hand in :class:`HistoryColumns` (one numpy column per field) and call
``advise_territory_columns``; :func:`columns_from_histories` converts the dataclass form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from kamdesk.domain.ordering.errors import InvalidInputError, UnknownProductError
from kamdesk.domain.ordering.models import (
    AccountHistory,
    AccountInfo,
    Delivery,
    ProductInfo,
    StockCount,
)
from kamdesk.domain.ordering.sellthrough import Ledger

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_PID = attrgetter("product_id")
_DAY = attrgetter("day")
_QTY = attrgetter("qty")


@dataclass(frozen=True, slots=True)
class HistoryColumns:
    """Accounts and products are positions in the lists given alongside; days are
    ``date.toordinal()`` numbers."""

    delivery_account: IntArray
    delivery_product: IntArray
    delivery_day: IntArray
    delivery_qty: FloatArray
    count_account: IntArray
    count_product: IntArray
    count_day: IntArray
    count_qty: FloatArray
    order_account: IntArray  # open (undelivered) orders
    order_product: IntArray
    order_qty: FloatArray


def positions(
    accounts: Sequence[AccountInfo], products: Sequence[ProductInfo]
) -> tuple[dict[str, int], dict[str, int]]:
    acc_pos: dict[str, int] = {}
    for i, a in enumerate(accounts):
        if a.account_id in acc_pos:
            raise InvalidInputError(f"account {a.account_id} given twice")
        acc_pos[a.account_id] = i
    prod_pos: dict[str, int] = {}
    for i, p in enumerate(products):
        if p.product_id in prod_pos:
            raise InvalidInputError(f"product {p.product_id} given twice")
        prod_pos[p.product_id] = i
    return acc_pos, prod_pos


def _record_columns(
    account_id: str,
    recs: Sequence[Delivery] | Sequence[StockCount],
    prod_pos: dict[str, int],
) -> tuple[IntArray, IntArray, FloatArray]:
    pids = list(map(_PID, recs))
    unknown = set(pids).difference(prod_pos)
    if unknown:
        raise UnknownProductError(f"{account_id}: unknown product {sorted(unknown)[0]}")
    n = len(pids)
    prod = np.fromiter(map(prod_pos.__getitem__, pids), dtype=np.int64, count=n)
    days = np.fromiter(map(date.toordinal, map(_DAY, recs)), dtype=np.int64, count=n)
    qty = np.fromiter(map(_QTY, recs), dtype=np.float64, count=n)
    return prod, days, qty


def columns_from_histories(
    accounts: Sequence[AccountInfo],
    products: Sequence[ProductInfo],
    histories: Mapping[str, AccountHistory],
) -> HistoryColumns:
    acc_pos, prod_pos = positions(accounts, products)
    cols: dict[str, list[npt.NDArray[np.generic]]] = {k: [] for k in ("da", "dp", "dd", "dq")}
    cols.update({k: [] for k in ("ca", "cp", "cd", "cq", "oa", "op", "oq")})
    for account_id, hist in histories.items():
        a = acc_pos.get(account_id)
        if a is None or hist.account_id != account_id:
            raise InvalidInputError(f"history for unknown account {account_id}")
        for prefix, recs in (("d", hist.deliveries), ("c", hist.counts)):
            p, d, q = _record_columns(account_id, recs, prod_pos)
            cols[prefix + "a"].append(np.full(len(p), a, dtype=np.int64))
            cols[prefix + "p"].append(p)
            cols[prefix + "d"].append(d)
            cols[prefix + "q"].append(q)
        for o in hist.open_orders:
            p_ = prod_pos.get(o.product_id)
            if p_ is None:
                raise UnknownProductError(f"{account_id}: unknown product {o.product_id}")
            cols["oa"].append(np.array([a], dtype=np.int64))
            cols["op"].append(np.array([p_], dtype=np.int64))
            cols["oq"].append(np.array([o.qty], dtype=np.float64))

    def ints(key: str) -> IntArray:
        parts = cols[key]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)

    def floats(key: str) -> FloatArray:
        parts = cols[key]
        return np.concatenate(parts).astype(np.float64) if parts else np.zeros(0)

    return HistoryColumns(
        ints("da"), ints("dp"), ints("dd"), floats("dq"),
        ints("ca"), ints("cp"), ints("cd"), floats("cq"),
        ints("oa"), ints("op"), floats("oq"),
    )  # fmt: skip


def series_ledger(
    cols: HistoryColumns, n_accounts: int, n_products: int, today: date
) -> tuple[Ledger, IntArray, IntArray, FloatArray]:
    """Ledger over (account, product) series, each series' account and product, open orders."""
    groups = (
        (cols.delivery_account, cols.delivery_product, cols.delivery_day, cols.delivery_qty),
        (cols.count_account, cols.count_product, cols.count_day, cols.count_qty),
        (cols.order_account, cols.order_product, None, cols.order_qty),
    )
    limit = today.toordinal()
    for acc, prod, day, qty in groups:
        if not len(acc) == len(prod) == len(qty) or (day is not None and len(day) != len(acc)):
            raise InvalidInputError("history columns differ in length")
        if len(acc) and (acc.min() < 0 or acc.max() >= n_accounts):
            raise InvalidInputError("account position out of range")
        if len(prod) and (prod.min() < 0 or prod.max() >= n_products):
            raise UnknownProductError("product position out of range")
        if len(qty) and (not np.isfinite(qty).all() or qty.min() < 0):
            raise InvalidInputError("quantities must be finite and >= 0")
        if day is not None and len(day) and day.max() > limit:
            raise InvalidInputError(f"a record is dated after today ({today})")
    n_prod = max(n_products, 1)
    keys_all = np.concatenate([g[0].astype(np.int64) * n_prod + g[1] for g in groups])
    keys, inverse = np.unique(keys_all, return_inverse=True)
    n_d, n_c = len(cols.delivery_account), len(cols.count_account)
    pending = np.bincount(
        inverse[n_d + n_c :], weights=cols.order_qty.astype(np.float64), minlength=len(keys)
    ).astype(np.float64)
    ledger = Ledger(
        len(keys),
        inverse[:n_d].astype(np.int64),
        cols.delivery_day.astype(np.int64),
        cols.delivery_qty.astype(np.float64),
        inverse[n_d : n_d + n_c].astype(np.int64),
        cols.count_day.astype(np.int64),
        cols.count_qty.astype(np.float64),
    )
    return ledger, keys // n_prod, keys % n_prod, pending
