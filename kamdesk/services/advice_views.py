"""Plain data the advice screens show: rows with names, order lines, decision states.

Built from the engine's :class:`TerritoryAdvice` plus the names the loader read; widgets see
only these frozen dataclasses (and the engine's own frozen ``OrderWorking``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from kamdesk.domain.ordering import AdviceItem, AdviceKind, Cap, OrderSuggestion, OrderWorking
from kamdesk.domain.ordering.advice import Number
from kamdesk.services.advice_load import AccountLabel, ProductLabel


class DecisionState(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One suggested order line of an account, with the working behind it."""

    account_id: str
    product_id: str
    product_name: str
    unit_name: str  # 条, 瓶 ...
    pack_unit: str  # 件, 箱 ...
    qty: int
    packs: int
    value_fen: int
    days_of_cover: float
    usual_qty: float
    working: OrderWorking
    suggestion: OrderSuggestion

    # sentences are formatted on demand, as in the engine
    @property
    def reason_zh(self) -> str:
        blocked = self._blocked()
        if blocked is Cap.QUOTA:
            return f"受货源投放限量限制，本期无法订货（按需应订{self.working.rounded_qty}）"
        if blocked is Cap.CREDIT:
            return f"信用额度已用完，本期无法订货（按需应订{self.working.rounded_qty}）"
        return self.suggestion.reason_zh

    @property
    def reason_en(self) -> str:
        blocked = self._blocked()
        if blocked is Cap.QUOTA:
            return (
                f"the allocation quota is below one pack: no order this time "
                f"(need {self.working.rounded_qty})"
            )
        if blocked is Cap.CREDIT:
            return f"no credit room left: no order this time (need {self.working.rounded_qty})"
        return self.suggestion.reason_en

    def _blocked(self) -> Cap | None:
        """A cap that took a needed order down to zero (the engine's sentence would read
        "enough stock" there, contradicting a reorder-now item)."""
        if self.qty > 0 or self.working.rounded_qty <= 0:
            return None
        for cap in (Cap.QUOTA, Cap.CREDIT):
            if cap in self.working.caps:
                return cap
        return None


@dataclass(frozen=True, slots=True)
class AdviceRow:
    key: str  # kind|account|product: what a decision is about
    kind: AdviceKind
    severity: int  # Severity value: 0 critical .. 4 info
    account_id: str
    account_code: str
    account_name: str
    product_id: str | None
    product_name: str
    reason_zh: str
    reason_en: str
    numbers: tuple[tuple[str, Number], ...]
    state: DecisionState = DecisionState.OPEN
    order: OrderLine | None = None  # the suggested order line for this account and product

    def number(self, name: str) -> Number:
        return dict(self.numbers).get(name)


def item_key(kind: str, account_id: str, product_id: str | None) -> str:
    return f"{kind}|{account_id}|{product_id or ''}"


def order_line(s: OrderSuggestion, label: ProductLabel | None) -> OrderLine:
    return OrderLine(
        s.account_id,
        s.product_id,
        label.name if label else s.product_id,
        label.unit_name if label else "",
        label.pack_unit if label else "",
        s.qty,
        s.packs,
        round(s.value * 100),
        s.days_of_cover,
        s.usual_qty,
        s.working,
        s,
    )


def advice_row(
    item: AdviceItem,
    accounts: Mapping[str, AccountLabel],
    products: Mapping[str, ProductLabel],
    state: DecisionState,
    order: OrderLine | None,
) -> AdviceRow:
    acc = accounts.get(item.account_id)
    prod = products.get(item.product_id) if item.product_id else None
    return AdviceRow(
        item_key(item.kind.value, item.account_id, item.product_id),
        item.kind,
        int(item.severity),
        item.account_id,
        acc.code if acc else "",
        acc.name if acc else item.account_id,
        item.product_id,
        prod.name if prod else "",
        item.reason_zh,
        item.reason_en,
        item.numbers,
        state,
        order,
    )


# -- "changed materially" -------------------------------------------------------------------
# A decided item stays decided while the advice says about the same thing. Per kind, the
# numbers that matter and how far each may move (relative share, absolute floor) before the
# item counts as new advice; text numbers (dates) must match exactly; a more severe item is
# always new.
MATERIAL: dict[AdviceKind, tuple[tuple[str, float, float], ...]] = {
    AdviceKind.REORDER_NOW: (("days_of_cover", 0.3, 1.0),),
    AdviceKind.OVERSTOCK: (("weeks_of_cover", 0.3, 1.0),),
    AdviceKind.MISSED_PRODUCT: (("stopped", 0.0, 0.5), ("peer_share", 0.0, 0.15)),
    AdviceKind.NEW_PRODUCT: (),
    AdviceKind.HOLIDAY_PLAN: (("holiday_day", 0.0, 0.0), ("planned_units", 0.3, 5.0)),
    AdviceKind.SLOW_MOVER: (("on_hand", 0.3, 2.0),),
    AdviceKind.RECOUNT: (("count_day", 0.0, 0.0),),
}


def changed_materially(snapshot: Mapping[str, Any], item: AdviceItem) -> bool:
    """Whether ``item`` differs enough from the advice recorded in ``snapshot`` to show again."""
    try:
        if int(item.severity) < int(snapshot["severity"]):
            return True
        old = dict(snapshot.get("numbers") or {})
    except (KeyError, TypeError, ValueError):
        return True  # an unreadable snapshot: show the advice rather than hide it
    new = dict(item.numbers)
    for name, share, floor in MATERIAL[item.kind]:
        a, b = old.get(name), new.get(name)
        if isinstance(a, int | float) and isinstance(b, int | float):
            if abs(float(b) - float(a)) > max(share * abs(float(a)), floor):
                return True
        elif a != b:
            return True
    return False


def snapshot_of(row: AdviceRow, today: date) -> dict[str, Any]:
    """What was advised, stored with a decision (JSON-ready)."""
    snap: dict[str, Any] = {
        "today": today.isoformat(),
        "kind": row.kind.value,
        "severity": row.severity,
        "product_id": row.product_id,
        "reason_zh": row.reason_zh,
        "reason_en": row.reason_en,
        "numbers": dict(row.numbers),
    }
    if row.order is not None:
        w = row.order.working
        snap["order"] = {
            "qty": row.order.qty,
            "packs": row.order.packs,
            "value_fen": row.order.value_fen,
            "target_stock": round(w.target_stock, 2),
            "safety_stock": round(w.safety_stock, 2),
            "on_hand_est": round(w.on_hand_est, 2),
            "forecast_weekly": [round(x, 2) for x in w.forecast_weekly],
            "caps": [c.value for c in w.caps],
        }
    return snap
