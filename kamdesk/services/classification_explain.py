"""One account's classifications side by side, each with its explanation (for the card).

The ABC rank needs every account's trailing amount (one grouped SQL query); everything else
comes from this account's own purchase lines, visits and evaluation history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kamdesk.db.models import Account, Evaluation, PurchaseLine
from kamdesk.domain.classification import (
    AbcResult,
    AccountState,
    AccountValue,
    EvaluationInput,
    EvaluationScore,
    KeyAccountAssessment,
    KeyAccountInput,
    LifecycleResult,
    ManVerdict,
    RelationshipGuide,
    VipAssessment,
    add_months,
    assess_key_account,
    assess_vip,
    classify_abc,
    infer_lifecycle,
    lifecycle_inputs,
    monthly_amounts,
    qualify_prospect,
    relationship_guide,
    score_history,
    trailing_start,
)
from kamdesk.domain.classification import PurchaseLine as Line
from kamdesk.domain.enums import (
    AbcTier,
    AccountStatus,
    ApprovalState,
    LifecycleStage,
    RelationshipGrade,
)
from kamdesk.domain.explain import Explanation
from kamdesk.errors import NotFoundError
from kamdesk.services.classification_sql import last_visits

if TYPE_CHECKING:
    from kamdesk.services.classification import ClassificationConfig

_STRATEGIC_TAGS = frozenset({"strategic", "战略", "战略客户"})


@dataclass(frozen=True, slots=True)
class VipView:
    state: ApprovalState  # stored approval state
    assessment: VipAssessment  # what the purchase rules say now
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class ScorePoint:
    evaluated_on: date
    total: float


@dataclass(frozen=True, slots=True)
class ManView:
    verdict: ManVerdict
    unknown: tuple[str, ...]  # letters not yet assessed (counted as "no")


@dataclass(frozen=True, slots=True)
class AccountClassification:
    """Everything the card shows about how an account is classified, and why."""

    account_id: str
    name: str
    as_of: date
    abc: AbcResult
    abc_stored: str  # abc_tier column as last written by reclassify_all
    vip: VipView
    key_account: KeyAccountAssessment
    lifecycle: LifecycleResult
    relationship: RelationshipGuide | None
    man: ManView | None  # prospects only
    evaluation: EvaluationScore | None  # the latest evaluation
    evaluation_history: tuple[ScorePoint, ...]  # oldest first


def explain_account(
    session: Session,
    account_id: str,
    as_of: date,
    cfg: ClassificationConfig,
    totals: dict[str, int],
) -> AccountClassification:
    """``totals``: trailing amount (fen) of every live account (see ``trailing_amounts``)."""
    account = session.get(Account, account_id)
    if account is None or account.deleted:
        raise NotFoundError(f"No account {account_id}.", code="account.not_found")
    lines = _lines(session, account_id, as_of)
    abc = _abc(account, totals, {account.id: account.abc_override}, cfg)
    trail_from = trailing_start(as_of, 12)
    recent = [line for line in lines if line.day >= trail_from]
    vip_assessment = (
        assess_vip(recent, cfg.vip).get(account_id)
        or assess_vip([Line(account_id, as_of, 0)], cfg.vip)[account_id]
    )
    state = _approval(account.vip_state)
    vip = VipView(state, vip_assessment, _vip_explanation(state, vip_assessment))
    lifecycle = _lifecycle(session, account, lines, as_of, cfg)
    history = _evaluations(session, account_id, as_of)
    scores = score_history([e for _, e in history], cfg.evaluation)
    overdue = _overdue(session, account, as_of)
    key = _key_account(account, lines, recent, history, overdue, cfg, as_of)
    return AccountClassification(
        account_id=account_id,
        name=account.name,
        as_of=as_of,
        abc=abc,
        abc_stored=account.abc_tier,
        vip=vip,
        key_account=key,
        lifecycle=lifecycle,
        relationship=_relationship(account.relationship_grade),
        man=_man(account),
        evaluation=scores[-1] if scores else None,
        evaluation_history=tuple(
            ScorePoint(day, s.total) for (day, _), s in zip(history, scores, strict=True)
        ),
    )


def _lines(session: Session, account_id: str, as_of: date) -> list[Line]:
    """The account's live lines; a line voided by a later correction of the account is dropped."""
    rows = session.execute(
        select(
            PurchaseLine.id,
            PurchaseLine.voids_id,
            PurchaseLine.purchased_on,
            PurchaseLine.amount_fen,
            PurchaseLine.product_id,
            PurchaseLine.order_ref,
        ).where(
            PurchaseLine.account_id == account_id,
            PurchaseLine.deleted.is_(False),
            PurchaseLine.purchased_on <= as_of,
        )
    ).all()
    voided = {row.voids_id for row in rows if row.voids_id}
    return [
        Line(account_id, day, Decimal(fen) / 100, product, ref or None)
        for line_id, _voids, day, fen, product, ref in rows
        if line_id not in voided
    ]


def _abc(
    account: Account, totals: dict[str, int], overrides: dict[str, str | None], cfg: Any
) -> AbcResult:
    values = [
        AccountValue(i, Decimal(fen) / 100, _tier(overrides.get(i)) if i == account.id else None)
        for i, fen in totals.items()
    ]
    result = classify_abc(values, cfg.abc)
    return next(r for r in result.results if r.account_id == account.id)


def _tier(value: str | None) -> AbcTier | None:
    return AbcTier(value) if value in {"A", "B", "C"} else None


def _approval(value: str) -> ApprovalState:
    try:
        return ApprovalState(value)
    except ValueError:
        return ApprovalState.NONE


_STATE_TEXT = {
    ApprovalState.NONE: ("未申请VIP", "not proposed as VIP"),
    ApprovalState.CANDIDATE: ("VIP候选，待主管审批", "VIP candidate awaiting a supervisor"),
    ApprovalState.APPROVED: ("已批准为VIP", "approved VIP"),
    ApprovalState.REJECTED: ("VIP申请已驳回", "VIP proposal rejected"),
}


def _vip_explanation(state: ApprovalState, assessment: VipAssessment) -> Explanation:
    zh, en = _STATE_TEXT[state]
    head = Explanation.of(zh, en.capitalize(), vip_state=state.value)
    return Explanation.join([head, assessment.explanation])


def _lifecycle(
    session: Session,
    account: Account,
    lines: Sequence[Line],
    as_of: date,
    cfg: ClassificationConfig,
) -> LifecycleResult:
    visits = last_visits(session, as_of, account.id).get(account.id)
    override = LifecycleStage(account.lifecycle_override) if account.lifecycle_override else None
    state = AccountState(account.id, visits, account.status == AccountStatus.CLOSED.value, override)
    (item,) = lifecycle_inputs([state], lines, as_of)
    return infer_lifecycle(item, cfg.lifecycle)


def _evaluations(
    session: Session, account_id: str, as_of: date
) -> list[tuple[date, EvaluationInput]]:
    rows = session.scalars(
        select(Evaluation)
        .where(
            Evaluation.account_id == account_id,
            Evaluation.deleted.is_(False),
            Evaluation.evaluated_on <= as_of,
        )
        .order_by(Evaluation.evaluated_on, Evaluation.id)
    ).all()
    return [
        (
            e.evaluated_on,
            EvaluationInput(
                enthusiasm=e.enthusiasm,
                flexibility=e.flexibility,
                distribution_reach=e.distribution_reach,
                capital=e.capital_strength,
                best_selling_brands=e.brands_held,
                logistics=e.logistics,
                credit=e.credit,
                social_relations=e.social_relations,
                potential=e.potential,
            ),
        )
        for e in rows
    ]


def _key_account(
    account: Account,
    lines: Sequence[Line],
    recent: Sequence[Line],
    history: Sequence[tuple[date, EvaluationInput]],
    overdue: Decimal,
    cfg: ClassificationConfig,
    as_of: date,
) -> KeyAccountAssessment:
    last_month = add_months(as_of.replace(day=1), -1)
    series = monthly_amounts(lines, last_month, 24).get(account.id)
    orders = {line.order_id or f"day:{line.day.isoformat()}" for line in recent}
    latest = history[-1][1] if history else None
    previous = history[-2][1] if len(history) > 1 else None
    tags = {str(t) for t in (account.tags or [])}
    return assess_key_account(
        KeyAccountInput(
            account.id,
            series.tolist() if series is not None else [0.0] * 24,
            len(orders),
            strategic=bool(tags & _STRATEGIC_TAGS),
            potential_score=latest.potential if latest else None,
            credit_score=latest.credit if latest else None,
            previous_credit_score=previous.credit if previous else None,
            overdue_debt=overdue,
        ),
        cfg.key_account,
    )


def _overdue(session: Session, account: Account, as_of: date) -> Decimal:
    """Unpaid amounts of purchases older than the account's credit terms."""
    due_before = as_of - timedelta(days=account.credit_terms_days or 0)
    fen = session.scalar(
        select(func.coalesce(func.sum(PurchaseLine.outstanding_fen), 0)).where(
            PurchaseLine.account_id == account.id,
            PurchaseLine.deleted.is_(False),
            PurchaseLine.outstanding_fen > 0,
            PurchaseLine.purchased_on < due_before,
        )
    )
    return Decimal(int(fen or 0)) / 100


def _relationship(grade: str | None) -> RelationshipGuide | None:
    try:
        return relationship_guide(RelationshipGrade(grade)) if grade else None
    except ValueError:
        return None


def _man(account: Account) -> ManView | None:
    if account.status != AccountStatus.PROSPECT.value:
        return None
    flags = {"M": account.man_money, "A": account.man_authority, "N": account.man_need}
    unknown = tuple(letter for letter, value in flags.items() if value is None)
    verdict = qualify_prospect(
        money=bool(account.man_money),
        authority=bool(account.man_authority),
        need=bool(account.man_need),
    )
    return ManView(verdict, unknown)
