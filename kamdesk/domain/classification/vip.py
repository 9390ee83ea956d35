"""VIP candidates from purchase size, and the supervisor-approval state machine.

A single purchase (one order; lines without an order id group by account and day) of at least
``single_purchase`` or a calendar-month total of at least ``monthly_total`` makes an account a VIP
candidate; a manager may also propose one. Either way a supervisor approves or rejects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from kamdesk.domain.classification.errors import (
    InvalidConfigError,
    InvalidTransitionError,
    NotAllowedError,
)
from kamdesk.domain.classification.sales import PurchaseLine
from kamdesk.domain.enums import ApprovalState, Role
from kamdesk.domain.explain import Explanation, Money, format_cny, to_decimal


@dataclass(frozen=True, slots=True)
class VipConfig:
    single_purchase: Money = Decimal("10000")
    monthly_total: Money = Decimal("20000")

    def __post_init__(self) -> None:
        if to_decimal(self.single_purchase) <= 0 or to_decimal(self.monthly_total) <= 0:
            raise InvalidConfigError("VIP thresholds must be positive")


class VipTrigger(StrEnum):
    SINGLE_PURCHASE = "single_purchase"
    MONTHLY_TOTAL = "monthly_total"
    MANAGER_PROPOSAL = "manager_proposal"


@dataclass(frozen=True, slots=True)
class VipEvidence:
    trigger: VipTrigger
    amount: Decimal  # the purchase or the month total
    threshold: Decimal
    day: date  # day of the purchase, or the first day of the month
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class VipAssessment:
    account_id: str
    evidence: tuple[VipEvidence, ...]  # largest single purchase, largest month (if they qualify)
    explanation: Explanation

    @property
    def is_candidate(self) -> bool:
        return bool(self.evidence)


def assess_vip(
    purchases: Iterable[PurchaseLine], config: VipConfig | None = None
) -> dict[str, VipAssessment]:
    """VIP assessment of every account that appears in ``purchases`` (pass the period to scan)."""
    cfg = config or VipConfig()
    single_min, month_min = to_decimal(cfg.single_purchase), to_decimal(cfg.monthly_total)
    orders: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    order_day: dict[tuple[str, str], date] = {}
    months: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for line in purchases:
        amount = to_decimal(line.amount)
        order_key = (line.account_id, line.order_id or f"day:{line.day.isoformat()}")
        orders[order_key] += amount
        order_day[order_key] = min(order_day.get(order_key, line.day), line.day)
        months[(line.account_id, line.day.replace(day=1))] += amount
    best_order: dict[str, tuple[Decimal, date]] = {}
    for key, amount in orders.items():
        account, day = key[0], order_day[key]
        if account not in best_order or (amount, day) > best_order[account]:
            best_order[account] = (amount, day)
    best_month: dict[str, tuple[Decimal, date]] = {}
    for (account, month), amount in months.items():
        if account not in best_month or (amount, month) > best_month[account]:
            best_month[account] = (amount, month)
    result: dict[str, VipAssessment] = {}
    for account in sorted(best_order):
        evidence: list[VipEvidence] = []
        order_amount, order_on = best_order[account]
        month_amount, month_on = best_month[account]
        if order_amount >= single_min:
            evidence.append(_single_evidence(order_amount, single_min, order_on))
        if month_amount >= month_min:
            evidence.append(_month_evidence(month_amount, month_min, month_on))
        if evidence:
            explanation = Explanation.join(e.explanation for e in evidence)
        else:
            explanation = Explanation.of(
                f"未达VIP标准：最大单笔 {format_cny(order_amount)}"
                f"（标准 {format_cny(single_min)}），"
                f"最高月进货 {format_cny(month_amount)}（标准 {format_cny(month_min)}）",
                f"Not a VIP candidate: largest purchase {format_cny(order_amount)} "
                f"(threshold {format_cny(single_min)}), best month {format_cny(month_amount)} "
                f"(threshold {format_cny(month_min)})",
                largest_purchase=order_amount,
                best_month_total=month_amount,
            )
        result[account] = VipAssessment(account, tuple(evidence), explanation)
    return result


def _single_evidence(amount: Decimal, threshold: Decimal, day: date) -> VipEvidence:
    text = Explanation.of(
        f"VIP候选：{day.isoformat()} 单笔进货 {format_cny(amount)} ≥ {format_cny(threshold)}",
        f"VIP candidate: single purchase of {format_cny(amount)} on {day.isoformat()} "
        f"≥ {format_cny(threshold)}",
        single_purchase=amount,
        single_threshold=threshold,
        single_day=day,
    )
    return VipEvidence(VipTrigger.SINGLE_PURCHASE, amount, threshold, day, text)


def _month_evidence(amount: Decimal, threshold: Decimal, month: date) -> VipEvidence:
    label = f"{month.year}-{month.month:02d}"
    text = Explanation.of(
        f"VIP候选：{month.year}年{month.month}月进货合计 {format_cny(amount)} ≥ "
        f"{format_cny(threshold)}",
        f"VIP candidate: {label} purchases total {format_cny(amount)} ≥ {format_cny(threshold)}",
        month_total=amount,
        month_threshold=threshold,
        month=month,
    )
    return VipEvidence(VipTrigger.MONTHLY_TOTAL, amount, threshold, month, text)


# --- approval state machine -------------------------------------------------------------------

ALLOWED_TRANSITIONS: dict[ApprovalState, frozenset[ApprovalState]] = {
    ApprovalState.NONE: frozenset({ApprovalState.CANDIDATE}),
    ApprovalState.CANDIDATE: frozenset(
        {ApprovalState.APPROVED, ApprovalState.REJECTED, ApprovalState.NONE}
    ),
    ApprovalState.APPROVED: frozenset({ApprovalState.NONE}),  # revoked
    ApprovalState.REJECTED: frozenset({ApprovalState.CANDIDATE}),  # proposed again
}
_DECIDERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class VipStatus:
    """Where an account stands in VIP approval; the last step's who/when/why is kept."""

    state: ApprovalState = ApprovalState.NONE
    trigger: VipTrigger | None = None
    changed_on: date | None = None
    changed_by: str | None = None
    note: str = ""


def _move(status: VipStatus, target: ApprovalState, *, by: str, on: date, note: str) -> VipStatus:
    if target not in ALLOWED_TRANSITIONS[status.state]:
        raise InvalidTransitionError(
            f"VIP status cannot go from {status.state.value} to {target.value}"
        )
    return replace(status, state=target, changed_on=on, changed_by=by, note=note)


def propose_vip(
    status: VipStatus, trigger: VipTrigger, *, by: str, on: date, note: str = ""
) -> VipStatus:
    """Make the account a candidate (from a purchase rule or a manager's proposal)."""
    return replace(_move(status, ApprovalState.CANDIDATE, by=by, on=on, note=note), trigger=trigger)


def approve_vip(status: VipStatus, *, by: str, role: Role, on: date, note: str = "") -> VipStatus:
    _require_decider(role)
    return _move(status, ApprovalState.APPROVED, by=by, on=on, note=note)


def reject_vip(status: VipStatus, *, by: str, role: Role, on: date, note: str = "") -> VipStatus:
    _require_decider(role)
    return _move(status, ApprovalState.REJECTED, by=by, on=on, note=note)


def withdraw_vip(status: VipStatus, *, by: str, role: Role, on: date, note: str = "") -> VipStatus:
    """Withdraw a pending candidacy, or revoke an approved VIP (supervisors only)."""
    if status.state is ApprovalState.APPROVED:
        _require_decider(role)
    return replace(_move(status, ApprovalState.NONE, by=by, on=on, note=note), trigger=None)


def _require_decider(role: Role) -> None:
    if role not in _DECIDERS:
        raise NotAllowedError(f"only a supervisor may decide on a VIP, not a {role.value}")
