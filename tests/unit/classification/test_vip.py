from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kamdesk.domain.classification import (
    InvalidConfigError,
    InvalidTransitionError,
    NotAllowedError,
    PurchaseLine,
    VipConfig,
    VipStatus,
    VipTrigger,
    approve_vip,
    assess_vip,
    propose_vip,
    reject_vip,
    withdraw_vip,
)
from kamdesk.domain.enums import ApprovalState, Role

D = date(2026, 3, 10)


def test_single_order_of_several_lines_counts_as_one_purchase() -> None:
    lines = [
        PurchaseLine("a", D, Decimal("6000"), "p1", "o1"),
        PurchaseLine("a", D, Decimal("4000"), "p2", "o1"),
        PurchaseLine("b", D, Decimal("9999.99"), "p1", "o2"),
    ]
    result = assess_vip(lines)
    assert result["a"].is_candidate
    assert result["a"].evidence[0].trigger is VipTrigger.SINGLE_PURCHASE
    assert result["a"].evidence[0].amount == Decimal("10000.00")
    assert "¥10,000.00" in result["a"].explanation.zh
    assert not result["b"].is_candidate
    assert "¥9,999.99" in result["b"].explanation.zh


def test_lines_without_order_group_by_day_and_month_total_counts() -> None:
    lines = [PurchaseLine("a", date(2026, 3, d), 5000) for d in (2, 9, 16, 23)]
    lines.append(PurchaseLine("a", date(2026, 4, 1), 5000))
    result = assess_vip(lines)["a"]
    assert [e.trigger for e in result.evidence] == [VipTrigger.MONTHLY_TOTAL]
    assert result.evidence[0].amount == Decimal("20000.00")
    assert result.evidence[0].day == date(2026, 3, 1)
    assert "2026年3月进货合计 ¥20,000.00" in result.explanation.zh


def test_thresholds_configurable() -> None:
    lines = [PurchaseLine("a", D, 3000)]
    assert assess_vip(lines, VipConfig(single_purchase=3000))["a"].is_candidate
    assert not assess_vip(lines)["a"].is_candidate
    with pytest.raises(InvalidConfigError):
        VipConfig(monthly_total=0)


def test_approval_state_machine() -> None:
    status = VipStatus()
    status = propose_vip(status, VipTrigger.MANAGER_PROPOSAL, by="m1", on=D, note="老客户")
    assert status.state is ApprovalState.CANDIDATE
    assert status.trigger is VipTrigger.MANAGER_PROPOSAL
    with pytest.raises(NotAllowedError) as info:
        approve_vip(status, by="m1", role=Role.MANAGER, on=D)
    assert info.value.code == "classification.vip.not_allowed"
    approved = approve_vip(status, by="s1", role=Role.SUPERVISOR, on=D)
    assert approved.state is ApprovalState.APPROVED
    assert approved.changed_by == "s1"
    with pytest.raises(InvalidTransitionError) as err:
        approve_vip(approved, by="s1", role=Role.SUPERVISOR, on=D)
    assert err.value.code == "classification.vip.invalid_transition"
    with pytest.raises(InvalidTransitionError):
        reject_vip(approved, by="s1", role=Role.SUPERVISOR, on=D)
    with pytest.raises(NotAllowedError):
        withdraw_vip(approved, by="m1", role=Role.MANAGER, on=D)
    revoked = withdraw_vip(approved, by="s1", role=Role.SUPERVISOR, on=D)
    assert revoked.state is ApprovalState.NONE


def test_reject_then_propose_again_and_invalid_from_none() -> None:
    status = propose_vip(VipStatus(), VipTrigger.SINGLE_PURCHASE, by="system", on=D)
    rejected = reject_vip(status, by="s1", role=Role.SUPERVISOR, on=D, note="欠款")
    assert rejected.state is ApprovalState.REJECTED
    assert rejected.note == "欠款"
    again = propose_vip(rejected, VipTrigger.MONTHLY_TOTAL, by="system", on=D)
    assert again.state is ApprovalState.CANDIDATE
    with pytest.raises(InvalidTransitionError):
        approve_vip(VipStatus(), by="s1", role=Role.SUPERVISOR, on=D)
    with pytest.raises(InvalidTransitionError):
        propose_vip(again, VipTrigger.MANAGER_PROPOSAL, by="m", on=D)
    # a manager may withdraw a pending candidacy
    assert withdraw_vip(again, by="m", role=Role.MANAGER, on=D).state is ApprovalState.NONE
