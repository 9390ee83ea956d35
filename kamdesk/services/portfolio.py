"""The portfolio dashboard's data: Pareto curve, distributions, debt ageing, sales anomalies.

Plain frozen dataclasses only; the view (kamdesk/ui/pages/dashboard.py) draws them. Every
figure is aggregated in SQL so the snapshot stays quick at 20,000 accounts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt
from sqlalchemy import text
from sqlalchemy.orm import Session

from kamdesk.db.engine import Store
from kamdesk.domain.anomalies import (
    AnomalyConfig,
    Comparison,
    SalesAnomaly,
    SubjectKind,
    detect_anomalies,
)
from kamdesk.domain.classification import AbcConfig, add_months, pareto_split
from kamdesk.domain.explain import Explanation
from kamdesk.errors import KamdeskError
from kamdesk.services.classification_sql import memory_temp_store, purchase_aggregates

Progress = Callable[[int, int, str], None]
DEBT_BUCKETS = ("0-30", "31-60", "61-90", ">90")  # days since the purchase
_MAX_CURVE_POINTS = 201
_STEPS = 5


class PortfolioCancelled(KamdeskError):
    code = "portfolio.cancelled"


@dataclass(frozen=True, slots=True)
class ParetoCurve:
    """Cumulative share of value against share of accounts (both 0..1, starting at 0,0)."""

    account_share: tuple[float, ...]
    value_share: tuple[float, ...]
    a_accounts: float  # share of accounts in tier A (the A cut-off on the x axis)
    ab_accounts: float  # ... in A and B together
    a_value: float  # share of value bought by A
    ab_value: float


@dataclass(frozen=True, slots=True)
class Distribution:
    """Accounts per code (tier, business format or lifecycle stage), largest group first."""

    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True, slots=True)
class DebtAgeing:
    buckets: tuple[tuple[str, Decimal], ...]  # (bucket code from DEBT_BUCKETS, outstanding ¥)
    accounts: int  # accounts that owe anything

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.buckets), Decimal(0))


@dataclass(frozen=True, slots=True)
class AnomalyRow:
    kind: SubjectKind
    subject_id: str
    name: str
    comparison: Comparison
    month: date
    current: Decimal
    base: Decimal
    change: float
    special_visit: bool  # an account whose sales swing gets a special visit (特殊拜访)
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class PortfolioSnapshot:
    as_of: date
    month: date  # the complete month the anomalies examine
    accounts: int
    total_value: Decimal  # trailing 12-month purchases of all accounts
    pareto: ParetoCurve
    tiers: Distribution  # effective tiers (manual override wins)
    formats: Distribution
    stages: Distribution  # effective lifecycle stages
    debt: DebtAgeing
    anomalies: tuple[AnomalyRow, ...]


class PortfolioService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def snapshot(
        self,
        as_of: date,
        *,
        abc: AbcConfig | None = None,
        anomaly: AnomalyConfig | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> PortfolioSnapshot:
        abc_cfg = abc or AbcConfig()

        def step(done: int, message: str) -> None:
            if cancel is not None and cancel.is_set():
                raise PortfolioCancelled("The dashboard refresh was cancelled.")
            if progress is not None:
                progress(done, _STEPS, message)

        month = add_months(as_of.replace(day=1), -1)
        with self._store.session() as session:
            step(0, "value")
            ids = [
                str(i) for i in session.scalars(text("SELECT id FROM account WHERE deleted = 0"))
            ]
            # one aggregated pass gives both the trailing value and the monthly series
            agg = purchase_aggregates(session, ids, as_of)
            totals = agg.trailing.tolist()
            pareto = pareto_curve(totals, abc_cfg)
            step(1, "distributions")
            tiers = _distribution(session, "COALESCE(abc_override, abc_tier)")
            formats = _distribution(session, "business_format")
            stages = _distribution(session, "COALESCE(lifecycle_override, lifecycle_stage)")
            step(2, "debt")
            debt = debt_ageing(session, as_of)
            step(3, "anomalies")
            account_series = dict(zip(ids, (agg.monthly[:, -13:] / 100.0), strict=True))
            anomalies = sales_anomalies(session, month, anomaly, account_series)
        if progress is not None:
            progress(_STEPS, _STEPS, "done")
        return PortfolioSnapshot(
            as_of=as_of,
            month=month,
            accounts=len(totals),
            total_value=Decimal(sum(totals)) / 100,
            pareto=pareto,
            tiers=tiers,
            formats=formats,
            stages=stages,
            debt=debt,
            anomalies=anomalies,
        )


def pareto_curve(amounts_fen: list[int], cfg: AbcConfig) -> ParetoCurve:
    """The Lorenz-style curve of value, thinned to at most ~200 points for drawing."""
    n = len(amounts_fen)
    if n == 0:
        return ParetoCurve((0.0, 1.0), (0.0, 0.0), 0.0, 0.0, 0.0, 0.0)
    split = pareto_split(np.asarray(amounts_fen, dtype=np.float64), cfg.a_share, cfg.b_share)
    a = int(np.count_nonzero(split.tiers == 0))
    ab = a + int(np.count_nonzero(split.tiers == 1))
    cum = np.concatenate(([0.0], split.cumulative_share))
    xs = np.arange(n + 1, dtype=np.float64) / n
    picks = np.unique(
        np.concatenate(
            (np.linspace(0, n, min(n + 1, _MAX_CURVE_POINTS)).round().astype(int), [a, ab])
        )
    )
    return ParetoCurve(
        account_share=tuple(float(x) for x in xs[picks]),
        value_share=tuple(float(y) for y in cum[picks]),
        a_accounts=a / n,
        ab_accounts=ab / n,
        a_value=float(cum[a]),
        ab_value=float(cum[ab]),
    )


def _distribution(session: Session, expression: str) -> Distribution:
    rows = session.execute(
        text(
            f"SELECT {expression} AS bucket, COUNT(*) AS n FROM account WHERE deleted = 0 "
            "GROUP BY bucket ORDER BY n DESC, bucket"
        )
    ).all()
    return Distribution(tuple((str(code), int(n)) for code, n in rows))


def debt_ageing(session: Session, as_of: date) -> DebtAgeing:
    """Outstanding amounts by the age of the purchase that left them unpaid."""
    row = session.execute(
        text(
            "SELECT "
            "SUM(CASE WHEN age <= 30 THEN fen ELSE 0 END), "
            "SUM(CASE WHEN age > 30 AND age <= 60 THEN fen ELSE 0 END), "
            "SUM(CASE WHEN age > 60 AND age <= 90 THEN fen ELSE 0 END), "
            "SUM(CASE WHEN age > 90 THEN fen ELSE 0 END), "
            "COUNT(DISTINCT account_id) "
            "FROM (SELECT p.account_id, p.outstanding_fen AS fen, "
            "      julianday(:as_of) - julianday(p.purchased_on) AS age "
            "      FROM purchase_line p JOIN account a ON a.id = p.account_id "
            "      WHERE p.deleted = 0 AND a.deleted = 0 AND p.outstanding_fen > 0 "
            "      AND p.purchased_on <= :as_of)"
        ),
        {"as_of": as_of.isoformat()},
    ).one()
    buckets = tuple(
        (code, Decimal(int(fen or 0)) / 100)
        for code, fen in zip(DEBT_BUCKETS, row[:4], strict=True)
    )
    return DebtAgeing(buckets, int(row[4] or 0))


def sales_anomalies(
    session: Session,
    month: date,
    config: AnomalyConfig | None = None,
    account_series: dict[str, npt.NDArray[np.float64]] | None = None,
) -> tuple[AnomalyRow, ...]:
    """Accounts and products whose ``month`` moved sharply against the month before or the
    same month a year earlier; account anomalies ask for a special visit.

    ``account_series`` (13 monthly totals in yuan ending with ``month``, e.g. from
    ``purchase_aggregates``) saves a pass over the purchases.
    """
    first = add_months(month, -12)
    end = add_months(month, 1)
    months = [add_months(first, k) for k in range(13)]
    pos = {f"{m.year:04d}-{m.month:02d}": k for k, m in enumerate(months)}
    params = {"start": first.isoformat(), "end": end.isoformat()}
    # closed accounts stopped buying on purpose: their drop is no reason for a visit
    live_sql = {
        SubjectKind.ACCOUNT: (
            "SELECT id, name FROM account WHERE deleted = 0 AND status <> 'closed'"
        ),
        SubjectKind.PRODUCT: "SELECT id, name FROM product WHERE deleted = 0",
    }
    names = {
        kind: {str(i): str(n) for i, n in session.execute(text(sql))}
        for kind, sql in live_sql.items()
    }
    if account_series is None:
        account_series = _series(session, "account_id", params, pos)
    series = {
        SubjectKind.ACCOUNT: account_series,
        SubjectKind.PRODUCT: _series(session, "product_id", params, pos),
    }
    result: list[AnomalyRow] = []
    for kind in (SubjectKind.ACCOUNT, SubjectKind.PRODUCT):
        live = {k: v for k, v in series[kind].items() if k in names[kind]}
        for a in detect_anomalies(live, month, kind, config):
            result.append(_row(a, names[kind][a.subject_id]))
    result.sort(key=lambda r: (r.kind is not SubjectKind.ACCOUNT, -abs(r.change), r.name))
    return tuple(result)


def _series(
    session: Session, column: str, params: dict[str, str], pos: dict[str, int]
) -> dict[str, npt.NDArray[np.float64]]:
    """Monthly totals (yuan) per ``column`` value in one full scan: few groups, so a scan
    with an in-memory sort beats walking a date index into random row lookups."""
    with memory_temp_store(session.connection()):
        rows = session.execute(
            text(
                f"SELECT {column}, substr(purchased_on, 1, 7) AS ym, SUM(amount_fen), "
                "MAX(voids_id IS NOT NULL) FROM purchase_line NOT INDEXED "
                "WHERE deleted = 0 AND purchased_on >= :start AND purchased_on < :end "
                f"GROUP BY {column}, ym"
            ),
            params,
        ).all()
    found: dict[str, npt.NDArray[np.float64]] = {}
    any_void = False
    for subject, ym, fen, has_void in rows:
        found.setdefault(subject, np.zeros(13))[pos[ym]] += fen / 100
        any_void = any_void or bool(has_void)
    if any_void:  # rare: take voided lines off again
        kind = SubjectKind.ACCOUNT if column == "account_id" else SubjectKind.PRODUCT
        for subject, ym, fen in _voided(session, params)[kind]:
            if subject in found and ym in pos:
                found[subject][pos[ym]] -= fen / 100
    return found


def _voided(
    session: Session, params: dict[str, str]
) -> dict[SubjectKind, list[tuple[str, str, int]]]:
    """Lines in the window that a later correction voids (their amounts come off again)."""
    rows = session.execute(
        text(
            "SELECT o.account_id, o.product_id, substr(o.purchased_on, 1, 7), o.amount_fen "
            "FROM purchase_line o WHERE o.deleted = 0 "
            "AND o.purchased_on >= :start AND o.purchased_on < :end AND o.id IN "
            "(SELECT voids_id FROM purchase_line WHERE voids_id IS NOT NULL AND deleted = 0)"
        ),
        params,
    ).all()
    return {
        SubjectKind.ACCOUNT: [(acc, ym, fen) for acc, _p, ym, fen in rows],
        SubjectKind.PRODUCT: [(prod, ym, fen) for _a, prod, ym, fen in rows],
    }


def _row(anomaly: SalesAnomaly, name: str) -> AnomalyRow:
    return AnomalyRow(
        kind=anomaly.kind,
        subject_id=anomaly.subject_id,
        name=name,
        comparison=anomaly.comparison,
        month=anomaly.month,
        current=anomaly.current,
        base=anomaly.base,
        change=anomaly.change,
        special_visit=anomaly.kind is SubjectKind.ACCOUNT,
        explanation=anomaly.explanation,
    )
