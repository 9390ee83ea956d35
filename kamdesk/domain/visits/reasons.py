"""Why a visit is due: reason codes, their default priority and the purpose they serve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kamdesk.domain.enums import VisitPurpose
from kamdesk.domain.explain import Explanation


class VisitRuleError(ValueError):
    """Bad input to the due-visit rules; ``code`` is machine-readable."""

    code: str = "visits.invalid_input"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class DueReasonCode(StrEnum):
    NEVER_VISITED = "never_visited"
    OVERDUE = "overdue"
    ROUTINE = "routine"  # the tier's visit frequency comes round this week
    SALES_SWING = "sales_swing"  # 特殊拜访
    RETENTION = "retention"  # lifecycle in decline
    COLLECTION = "collection"  # unsettled debt
    COMPLAINT = "complaint"  # open complaint to follow up
    NEW_PRODUCT = "new_product"  # new-product trial to place
    PROSPECT = "prospect"  # weekly contact until closed
    SENIOR = "senior"  # senior-manager visit to a key account


REASON_PURPOSE: dict[DueReasonCode, VisitPurpose] = {
    DueReasonCode.NEVER_VISITED: VisitPurpose.ROUTINE,
    DueReasonCode.OVERDUE: VisitPurpose.ROUTINE,
    DueReasonCode.ROUTINE: VisitPurpose.ROUTINE,
    DueReasonCode.SALES_SWING: VisitPurpose.SPECIAL,
    DueReasonCode.RETENTION: VisitPurpose.RETENTION,
    DueReasonCode.COLLECTION: VisitPurpose.COLLECTION,
    DueReasonCode.COMPLAINT: VisitPurpose.COMPLAINT,
    DueReasonCode.NEW_PRODUCT: VisitPurpose.NEW_PRODUCT,
    DueReasonCode.PROSPECT: VisitPurpose.PROSPECTING,
    DueReasonCode.SENIOR: VisitPurpose.SENIOR,
}

DEFAULT_PRIORITY: dict[DueReasonCode, int] = {
    DueReasonCode.COMPLAINT: 90,
    DueReasonCode.COLLECTION: 80,
    DueReasonCode.SALES_SWING: 75,
    DueReasonCode.RETENTION: 70,
    DueReasonCode.NEVER_VISITED: 60,
    DueReasonCode.OVERDUE: 60,
    DueReasonCode.ROUTINE: 50,
    DueReasonCode.PROSPECT: 40,
    DueReasonCode.SENIOR: 35,
    DueReasonCode.NEW_PRODUCT: 30,
}

# Reasons that make a visit mandatory. The frequency reasons (never visited, overdue, routine)
# only count for the tiers in ``VisitRuleConfig.mandatory_tiers`` (A by default) and for key
# accounts: a B or C account that is due or overdue is an optional stop whose priority (its
# prize in the planner) grows with the days overdue. Triggered visits (sales swing, retention,
# collection, new product, prospect, senior) are optional with their priority as prize; an open
# complaint must be followed up. Appointments are pinned and mandatory in the planner.
FREQUENCY_REASONS: frozenset[DueReasonCode] = frozenset(
    {DueReasonCode.NEVER_VISITED, DueReasonCode.OVERDUE, DueReasonCode.ROUTINE}
)

DEFAULT_MANDATORY: frozenset[DueReasonCode] = FREQUENCY_REASONS | {DueReasonCode.COMPLAINT}


@dataclass(frozen=True, slots=True)
class DueReason:
    code: DueReasonCode
    due_on: date
    priority: int
    mandatory: bool
    explanation: Explanation

    @property
    def purpose(self) -> VisitPurpose:
        return REASON_PURPOSE[self.code]
