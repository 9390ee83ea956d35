"""What the Today panel reads besides reminders: today's planned stops, an account's heading,
and reorder alerts turned from ordering advice into reminder inputs.

Read-only helpers returning plain frozen data; the week planner owns the ``VisitPlan`` rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, VisitPlan
from kamdesk.domain.ordering.advice import AdviceKind
from kamdesk.domain.reminders import ReorderItem
from kamdesk.errors import NotFoundError
from kamdesk.services.advice import AdviceService
from kamdesk.services.advice_views import AdviceRow, DecisionState


@dataclass(frozen=True, slots=True)
class PlannedStop:
    """One visit of today's saved week plan (minutes from midnight for the start)."""

    plan_id: str
    visit_id: str
    account_id: str
    account_code: str
    account_name: str
    day: date
    start_minute: int
    purpose: str


@dataclass(frozen=True, slots=True)
class AccountHeading:
    account_id: str
    code: str
    name: str


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def planned_stops(store: Store, day: date) -> list[PlannedStop]:
    """The visits planned for ``day`` in the saved plan of its ISO week, in route order."""
    with store.session() as session:
        plan = session.scalars(
            select(VisitPlan).where(
                VisitPlan.iso_week == _iso_week(day), VisitPlan.deleted.is_(False)
            )
        ).first()
        if plan is None:
            return []
        plan_id, days = plan.id, list(plan.days or [])
        raw: list[dict[str, Any]] = []
        for entry in days:
            if isinstance(entry, dict) and entry.get("day") == day.isoformat():
                raw = [
                    s
                    for s in entry.get("stops", [])
                    if isinstance(s, dict) and s.get("kind") == "visit" and s.get("account_id")
                ]
        ids = [str(s["account_id"]) for s in raw]
        names = {
            aid: (code, name)
            for aid, code, name in session.execute(
                select(Account.id, Account.code, Account.name).where(Account.id.in_(ids))
            )
        }
    return [
        PlannedStop(
            plan_id,
            str(s.get("visit_id") or ""),
            str(s["account_id"]),
            names.get(str(s["account_id"]), ("", ""))[0],
            names.get(str(s["account_id"]), ("", ""))[1],
            day,
            int(s.get("start") or 0),
            str(s.get("purpose") or "routine"),
        )
        for s in raw
        if str(s["account_id"]) in names
    ]


def account_heading(store: Store, account_id: str) -> AccountHeading:
    with store.session() as session:
        row = session.execute(
            select(Account.code, Account.name).where(
                Account.id == account_id, Account.deleted.is_(False)
            )
        ).first()
    if row is None:
        raise NotFoundError(f"No account {account_id}.")
    return AccountHeading(account_id, row[0], row[1])


def reorder_items(rows: Iterable[AdviceRow], today: date) -> list[ReorderItem]:
    """Open "reorder now" advice as reorder reminders due today (one per account and product)."""
    items: dict[tuple[str, str], ReorderItem] = {}
    for row in rows:
        if row.kind != AdviceKind.REORDER_NOW or row.product_id is None:
            continue
        if row.state != DecisionState.OPEN:
            continue
        order = row.order
        items.setdefault(
            (row.account_id, row.product_id),
            ReorderItem(
                row.account_id,
                row.product_id,
                row.product_name,
                today,
                row.account_name,
                # a capped line (quota reached) has no quantity worth repeating
                order.qty if order is not None and order.qty > 0 else None,
                (order.unit_name if order is not None else "") or "条",
            ),
        )
    return list(items.values())


def advice_reorders(advice: AdviceService) -> Callable[[date], list[ReorderItem]]:
    """A reorder source for the Today panel that reuses an existing advice service (and its
    cache), so the engine is not run twice when the Advice page already computed today."""

    def source(today: date) -> list[ReorderItem]:
        return reorder_items(advice.advise(today).rows, today)

    return source


__all__ = [
    "AccountHeading",
    "PlannedStop",
    "account_heading",
    "advice_reorders",
    "planned_stops",
    "reorder_items",
]
