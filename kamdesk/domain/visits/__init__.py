"""Visit rules: who is due a visit this week and why (the planner routes them)."""

from __future__ import annotations

from kamdesk.domain.visits.due import (
    DueVisit,
    VisitCandidate,
    VisitRuleConfig,
    due_reasons,
    due_visits,
    week_bounds,
)
from kamdesk.domain.visits.reasons import (
    DEFAULT_MANDATORY,
    DEFAULT_PRIORITY,
    FREQUENCY_REASONS,
    REASON_PURPOSE,
    DueReason,
    DueReasonCode,
    VisitRuleError,
)

__all__ = [
    "DEFAULT_MANDATORY",
    "DEFAULT_PRIORITY",
    "FREQUENCY_REASONS",
    "REASON_PURPOSE",
    "DueReason",
    "DueReasonCode",
    "DueVisit",
    "VisitCandidate",
    "VisitRuleConfig",
    "VisitRuleError",
    "due_reasons",
    "due_visits",
    "week_bounds",
]
