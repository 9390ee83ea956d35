"""Ordering advice for the territory: database → engine → rows with names and decisions.

``AdviceService.advise`` reads the workspace (see :mod:`advice_load`), runs the ordering
engine and returns an :class:`AdviceSnapshot` of plain data. The engine result is cached per
(today, data version), so opening an account card after the Advice screen costs nothing;
decisions (accept / dismiss) are read fresh on every call and written as insert-only
``advice_decision`` rows through the outbox, each with a snapshot of what was advised.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AdviceDecision
from kamdesk.domain.ordering import (
    AccountAdvice,
    AccountInfo,
    AccountMargin,
    OrderingConfig,
    PanelForecast,
    SellThrough,
    TerritoryAdvice,
    advise_territory_columns,
)
from kamdesk.ids import uuid7
from kamdesk.services.advice_load import (
    AccountLabel,
    AdviceError,
    ProductLabel,
    data_version,
    load_inputs,
)
from kamdesk.services.advice_views import (
    AdviceRow,
    DecisionState,
    OrderLine,
    advice_row,
    changed_materially,
    item_key,
    order_line,
    snapshot_of,
)
from kamdesk.services.outbox import record_mutation

Progress = Callable[[int, int, str], None]

__all__ = [
    "AccountAdviceView",
    "AdviceCancelledError",
    "AdviceError",
    "AdviceRow",
    "AdviceService",
    "AdviceSnapshot",
    "DecisionState",
    "OrderLine",
]

STEPS = 4  # progress: version check, reading, engine, rows


class AdviceCancelledError(AdviceError):
    code = "advice.cancelled"


@dataclass(frozen=True, slots=True)
class EngineRun:
    """One cached engine run with the names it needs (no decisions)."""

    today: date
    version: tuple[object, ...]
    territory: TerritoryAdvice
    accounts: dict[str, AccountLabel]
    products: dict[str, ProductLabel]
    debt_fen: dict[str, int]
    notes: tuple[str, ...]
    db_load_s: float
    engine_s: float
    _by_account: dict[str, AccountAdvice] = field(default_factory=dict)

    def account(self, account_id: str) -> AccountAdvice | None:
        if not self._by_account:
            self._by_account.update({a.account_id: a for a in self.territory.accounts})
        return self._by_account.get(account_id)

    def order_lines(self, account_id: str) -> tuple[OrderLine, ...]:
        acc = self.account(account_id)
        if acc is None:
            return ()
        return tuple(order_line(s, self.products.get(s.product_id)) for s in acc.orders)


@dataclass(frozen=True, slots=True)
class AdviceSnapshot:
    today: date
    rows: tuple[AdviceRow, ...]  # every advice item, most severe first, with decision states
    run: EngineRun

    @property
    def accounts(self) -> dict[str, AccountLabel]:
        return self.run.accounts

    def open_rows(self) -> tuple[AdviceRow, ...]:
        return tuple(r for r in self.rows if r.state is DecisionState.OPEN)


@dataclass(frozen=True, slots=True)
class AccountAdviceView:
    """What the account card's advice panel shows."""

    account_id: str
    account_name: str
    today: date
    rows: tuple[AdviceRow, ...]  # this account's advice, open first
    orders: tuple[OrderLine, ...]  # lines with a need (ordered or capped), by value
    order_value_fen: int
    margin: AccountMargin | None
    debt_fen: int
    advised: bool  # False: the account is not in the advised territory (e.g. a prospect)


@dataclass(frozen=True, slots=True)
class _Decision:
    decision: str
    snapshot: dict[str, Any]


class AdviceService:
    def __init__(
        self,
        store: Store,
        *,
        config: OrderingConfig | None = None,
        actor: str | None = None,
        clock: Callable[[], date] = date.today,
    ) -> None:
        self._store = store
        self._config = config or OrderingConfig()
        self._actor = actor
        self._clock = clock
        self._lock = threading.Lock()
        self._compute_lock = threading.Lock()
        self._cache: dict[date, EngineRun] = {}

    def today(self) -> date:
        return self._clock()

    # -- computing ---------------------------------------------------------------------------
    def run(
        self,
        today: date | None = None,
        account_ids: Sequence[str] | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> EngineRun:
        """The engine result for ``today`` (cached per data version when for every account).

        With ``account_ids`` only those accounts are advised; comparisons with peer accounts
        (missed products, new-product ranking) then see only them too.
        """
        day = today or self.today()

        def step(done: int, message: str) -> None:
            if cancel is not None and cancel.is_set():
                raise AdviceCancelledError("Advice cancelled.")
            if progress is not None:
                progress(done, STEPS, message)

        if account_ids is not None:
            return self._compute(day, account_ids, (), step)
        # one territory run at a time: the card and the Advice screen asking together share it
        with self._compute_lock:
            step(0, "checking data")
            with self._store.session() as session:
                version = data_version(session)
            with self._lock:
                hit = self._cache.get(day)
            if hit is not None and hit.version == version:
                step(STEPS, "done")
                return hit
            result = self._compute(day, None, version, step)
            with self._lock:
                self._cache = {day: result}  # one day is enough; the UI asks for "today"
            return result

    def _compute(
        self,
        day: date,
        account_ids: Sequence[str] | None,
        version: tuple[object, ...],
        step: Callable[[int, str], None],
    ) -> EngineRun:
        step(1, "reading purchases and stock counts")
        t0 = time.perf_counter()
        with self._store.session() as session:
            inputs = load_inputs(session, day, account_ids)
        t1 = time.perf_counter()
        step(2, "forecasting")
        cols = inputs.columns
        if inputs.products and len(cols.delivery_qty) + len(cols.count_qty) + len(cols.order_qty):
            territory = advise_territory_columns(
                inputs.accounts, inputs.products, cols, day, self._config
            )
        else:  # a new workspace: nothing to forecast from (the engine wants some history)
            territory = _empty_territory(day, inputs.accounts, self._config)
        t2 = time.perf_counter()
        step(3, "building the list")
        return EngineRun(
            day,
            version,
            territory,
            inputs.account_labels,
            inputs.product_labels,
            inputs.debt_fen,
            inputs.notes,
            t1 - t0,
            t2 - t1,
        )

    def adopt(self, run: EngineRun) -> None:
        """Reuse a territory run computed on identical data (another copy of the workspace);
        it is still only served while the data version matches."""
        with self._lock:
            self._cache = {run.today: run}

    def cached(self, today: date | None = None) -> EngineRun | None:
        """The cached territory run for ``today`` if any (without checking the data version)."""
        with self._lock:
            return self._cache.get(today or self.today())

    def advise(
        self,
        today: date | None = None,
        account_ids: Sequence[str] | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> AdviceSnapshot:
        """Every advice item with names, suggested order lines and decision states."""
        run = self.run(today, account_ids, progress, cancel)
        snapshot = AdviceSnapshot(run.today, self._rows(run, run.territory.items), run)
        if progress is not None:
            progress(STEPS, STEPS, "done")
        return snapshot

    def account_advice(
        self,
        account_id: str,
        today: date | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> AccountAdviceView:
        """One account's advice, suggested orders and margin (from the territory run)."""
        run = self.run(today, None, progress, cancel)
        acc = run.account(account_id)
        label = run.accounts.get(account_id)
        if acc is None or label is None:
            name = self._account_name(account_id)
            return AccountAdviceView(account_id, name, run.today, (), (), 0, None, 0, False)
        rows = self._rows(run, acc.advice)
        rows = tuple(sorted(rows, key=lambda r: (r.state is not DecisionState.OPEN, r.severity)))
        # lines to order, and lines a cap (quota, credit, delisting, debt) took down to zero
        lines = [ln for ln in run.order_lines(account_id) if ln.working.rounded_qty > 0]
        lines.sort(key=lambda ln: (-ln.value_fen, -ln.qty, ln.product_name))
        return AccountAdviceView(
            account_id,
            label.name,
            run.today,
            rows,
            tuple(lines),
            sum(ln.value_fen for ln in lines),
            acc.margin,
            run.debt_fen.get(account_id, 0),
            True,
        )

    def _account_name(self, account_id: str) -> str:
        with self._store.session() as session:
            acc = session.get(Account, account_id)
            if acc is None or acc.deleted:
                raise AdviceError(f"No account {account_id}.", code="advice.no_account")
            return acc.name

    def _rows(self, run: EngineRun, items: Sequence[Any]) -> tuple[AdviceRow, ...]:
        decisions = self._decisions()
        lines: dict[str, dict[str, OrderLine]] = {}
        rows: list[AdviceRow] = []
        for item in items:
            key = item_key(item.kind.value, item.account_id, item.product_id)
            state = DecisionState.OPEN
            d = decisions.get(key)
            if d is not None and not changed_materially(d.snapshot, item):
                state = DecisionState(d.decision)
            order = None
            if item.product_id is not None:
                per = lines.get(item.account_id)
                if per is None:
                    per = {ln.product_id: ln for ln in run.order_lines(item.account_id)}
                    lines[item.account_id] = per
                order = per.get(item.product_id)
            rows.append(advice_row(item, run.accounts, run.products, state, order))
        return tuple(rows)

    # -- decisions ---------------------------------------------------------------------------
    def _decisions(self) -> dict[str, _Decision]:
        """The latest decision per advice key."""
        with self._store.session() as session:
            rows = session.execute(
                select(
                    AdviceDecision.kind,
                    AdviceDecision.account_id,
                    AdviceDecision.product_id,
                    AdviceDecision.decision,
                    AdviceDecision.snapshot,
                )
                .where(AdviceDecision.deleted.is_(False))
                .order_by(AdviceDecision.created_at, AdviceDecision.id)
            ).all()
        return {
            item_key(kind, acc, prod): _Decision(decision, snap or {})
            for kind, acc, prod, decision, snap in rows
        }

    def decide(
        self, row: AdviceRow, decision: DecisionState, comment: str = "", today: date | None = None
    ) -> AdviceRow:
        """Record accept or dismiss of ``row``; returns the row in its new state."""
        if decision is DecisionState.OPEN:
            raise AdviceError("A decision is accept or dismiss.", code="advice.bad_decision")
        decision_id = uuid7()
        snap = snapshot_of(row, today or self.today())
        fields: dict[str, Any] = {
            "account_id": row.account_id,
            "product_id": row.product_id,
            "kind": row.kind.value,
            "decision": decision.value,
            "decided_by": self._actor,
            "snapshot": snap,
            "comment": comment.strip(),
        }
        with self._store.session() as session:
            _check_account(session, row.account_id)
            session.add(AdviceDecision(id=decision_id, **fields))
            record_mutation(
                session,
                "advice_decision.insert",
                entity_table="advice_decision",
                entity_id=decision_id,
                args={"row": {"id": decision_id, **fields}},
                actor=self._actor,
            )
        return _replace_state(row, decision)

    def history(self, account_id: str | None = None) -> tuple[dict[str, Any], ...]:
        """Past decisions, newest first, as plain dicts (kind, decision, snapshot, when)."""
        with self._store.session() as session:
            query = select(AdviceDecision).where(AdviceDecision.deleted.is_(False))
            if account_id is not None:
                query = query.where(AdviceDecision.account_id == account_id)
            found = session.scalars(
                query.order_by(AdviceDecision.created_at.desc(), AdviceDecision.id.desc())
            ).all()
            return tuple(
                {
                    "id": d.id,
                    "account_id": d.account_id,
                    "product_id": d.product_id,
                    "kind": d.kind,
                    "decision": d.decision,
                    "snapshot": dict(d.snapshot or {}),
                    "comment": d.comment,
                    "decided_at": d.created_at,
                }
                for d in found
            )


def _empty_territory(
    day: date, accounts: Sequence[AccountInfo], config: OrderingConfig
) -> TerritoryAdvice:
    weeks, horizon = config.history_weeks, config.horizon_weeks
    first_monday = day - timedelta(days=day.weekday(), weeks=weeks)
    none = np.zeros((0, horizon))
    forecast = PanelForecast(none, none.copy(), (), np.zeros(0), np.zeros(0), (), ())
    empty_w = np.zeros((0, weeks))
    sell = SellThrough(
        first_monday.toordinal(),
        empty_w,
        np.zeros((0, weeks), dtype=bool),
        empty_w.copy(),
        np.zeros(0, dtype=np.int64),
        np.zeros(0),
        np.zeros(0),
        (),
    )
    per_account = tuple(
        AccountAdvice(a.account_id, (), (), AccountMargin(a.account_id, (), 0.0, 0.0), 0.0)
        for a in accounts
    )
    return TerritoryAdvice(day, first_monday, per_account, (), (), forecast, sell)


def _check_account(session: Session, account_id: str) -> None:
    acc = session.get(Account, account_id)
    if acc is None or acc.deleted:
        raise AdviceError(f"No account {account_id}.", code="advice.no_account")


def _replace_state(row: AdviceRow, state: DecisionState) -> AdviceRow:
    return replace(row, state=state)
