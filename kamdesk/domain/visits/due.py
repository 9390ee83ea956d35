"""Which accounts are due a visit in a given ISO week (Monday–Sunday), and why.

Frequency comes from the ABC tier (A weekly, B fortnightly, C monthly by default), counted
from the last visit; on top of that come triggered visits (sales swing, decline, debt,
complaint, new-product trial, prospect contact, senior visit). Mandatory are: frequency visits of
tier-A (``mandatory_tiers``) and key accounts, and complaint follow-ups; everything else is
optional, and the planner drops the least valuable optional stops when the week is full.
All reasons for one account merge into one due visit whose priority is the best reason's plus
a quarter of the others' (several reasons make a stop more worth it) plus a tier bonus; the
planner uses it as the prize for optional stops.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from kamdesk.domain.anomalies import Direction, SalesAnomaly
from kamdesk.domain.enums import AbcTier, LifecycleStage, VisitPurpose
from kamdesk.domain.explain import Explanation, FactValue, Money, format_cny, to_decimal
from kamdesk.domain.visits.reasons import (
    DEFAULT_MANDATORY,
    DEFAULT_PRIORITY,
    FREQUENCY_REASONS,
    DueReason,
    DueReasonCode,
    VisitRuleError,
)

R = DueReasonCode


def _default_frequency() -> dict[AbcTier, int]:
    return {AbcTier.A: 7, AbcTier.B: 14, AbcTier.C: 30}


def _default_bonus() -> dict[AbcTier, int]:
    return {AbcTier.A: 20, AbcTier.B: 10, AbcTier.C: 0}


@dataclass(frozen=True)
class VisitRuleConfig:
    frequency_days: Mapping[AbcTier, int] = field(default_factory=_default_frequency)
    tier_bonus: Mapping[AbcTier, int] = field(default_factory=_default_bonus)
    prospect_days: int = 7
    senior_days: int = 91  # a senior manager sees each key account about once a quarter
    min_collection: Money = Decimal("0.00")  # debts above this are collected
    max_overdue_bonus: int = 30  # overdue priority grows one point a day up to this
    priority: Mapping[DueReasonCode, int] = field(default_factory=lambda: dict(DEFAULT_PRIORITY))
    mandatory: frozenset[DueReasonCode] = DEFAULT_MANDATORY
    # frequency reasons in ``mandatory`` only make a visit mandatory for these tiers (and for
    # key accounts); elsewhere they are optional stops with a priority prize
    mandatory_tiers: frozenset[AbcTier] = frozenset({AbcTier.A})

    def __post_init__(self) -> None:
        days = [*self.frequency_days.values(), self.prospect_days, self.senior_days]
        if set(self.frequency_days) != set(AbcTier) or min(days) < 1:
            raise VisitRuleError(
                "every tier needs a visit frequency of at least one day", code="visits.config"
            )
        if set(self.priority) != set(DueReasonCode) or set(self.tier_bonus) != set(AbcTier):
            raise VisitRuleError(
                "priority and tier_bonus must cover every key", code="visits.config"
            )


@dataclass(frozen=True, slots=True)
class VisitCandidate:
    """What the rules need to know about one account."""

    account_id: str
    tier: AbcTier  # the effective tier (override applied)
    last_visit: date | None
    lifecycle: LifecycleStage = LifecycleStage.MATURITY  # effective stage
    closed: bool = False
    key_account: bool = False
    last_senior_visit: date | None = None
    outstanding_debt: Money = Decimal("0")
    debt_due: date | None = None  # None: already payable
    open_complaints: int = 0
    new_products: tuple[str, ...] = ()  # names of new products to place here
    sales_swings: tuple[SalesAnomaly, ...] = ()
    last_special_visit: date | None = None  # swings before this were already looked into


@dataclass(frozen=True, slots=True)
class DueVisit:
    account_id: str
    due_on: date
    priority: int
    mandatory: bool
    purpose: VisitPurpose  # of the highest-priority reason
    reasons: tuple[DueReason, ...]  # best first
    explanation: Explanation

    @property
    def reason_codes(self) -> tuple[DueReasonCode, ...]:
        return tuple(r.code for r in self.reasons)


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of ``day``'s ISO week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def due_visits(
    candidates: Iterable[VisitCandidate], week_of: date, config: VisitRuleConfig | None = None
) -> list[DueVisit]:
    """Due visits for the ISO week containing ``week_of``, highest priority first."""
    cfg = config or VisitRuleConfig()
    monday, sunday = week_bounds(week_of)
    seen: set[str] = set()
    visits: list[DueVisit] = []
    for candidate in candidates:
        if candidate.account_id in seen:
            raise VisitRuleError(f"account {candidate.account_id!r} listed twice")
        seen.add(candidate.account_id)
        reasons = due_reasons(candidate, monday, sunday, cfg)
        if reasons:
            visits.append(_merge(candidate, reasons, cfg))
    visits.sort(key=lambda v: (-v.priority, v.due_on, v.account_id))
    return visits


def due_reasons(
    c: VisitCandidate, monday: date, sunday: date, cfg: VisitRuleConfig
) -> list[DueReason]:
    """Every reason ``c`` is due in the week ``monday``..``sunday`` (unsorted)."""
    if c.open_complaints < 0 or to_decimal(c.outstanding_debt) < 0:
        raise VisitRuleError(f"account {c.account_id!r}: negative complaints or debt")
    out: list[DueReason] = []
    add = _Adder(out, monday, cfg, c.tier in cfg.mandatory_tiers or c.key_account)
    inactive = c.closed or c.lifecycle is LifecycleStage.ENDED
    if c.lifecycle is LifecycleStage.PROSPECT and not inactive:
        _prospect(c, monday, sunday, cfg, add)
    elif not inactive:
        _frequency(c, monday, sunday, cfg, add)
    debt = to_decimal(c.outstanding_debt)
    if debt > to_decimal(cfg.min_collection) and (c.debt_due is None or c.debt_due <= sunday):
        due = max(c.debt_due or monday, monday)
        add(
            R.COLLECTION,
            f"收款：未结欠款 {format_cny(debt)}",
            f"Collection: {format_cny(debt)} unsettled",
            due,
            debt=debt,
            debt_due=c.debt_due,
        )
    if c.open_complaints:
        add(
            R.COMPLAINT,
            f"投诉跟进：{c.open_complaints}件投诉未结",
            f"Complaint follow-up: {c.open_complaints} open",
            monday,
            open_complaints=c.open_complaints,
        )
    if inactive:
        return out
    if c.lifecycle is LifecycleStage.DECLINE:
        add(
            R.RETENTION,
            "挽留拜访：客户处于衰退期",
            "Retention visit: the account is in decline",
            monday,
        )
    for swing in c.sales_swings:
        if c.last_special_visit is not None and c.last_special_visit >= swing.month:
            continue
        word_zh = "增长" if swing.direction is Direction.UP else "下滑"
        word_en = "rise" if swing.direction is Direction.UP else "drop"
        add(
            R.SALES_SWING,
            f"特殊拜访：销量{word_zh}（{swing.explanation.zh}）",
            f"Special visit: sales {word_en} ({swing.explanation.en})",
            monday,
            swing_change=round(swing.change, 4),
            swing_comparison=swing.comparison.value,
        )
    if c.new_products:
        names = "、".join(c.new_products)
        add(
            R.NEW_PRODUCT,
            f"新品试销：{names}",
            f"New-product trial: {', '.join(c.new_products)}",
            monday,
            new_products=names,
        )
    if c.key_account:
        last = c.last_senior_visit
        if last is None or last + timedelta(days=cfg.senior_days) <= sunday:
            since_zh = f"上次 {last.isoformat()}" if last else "尚无记录"
            since_en = f"last {last.isoformat()}" if last else "none yet"
            add(
                R.SENIOR,
                f"高层拜访：大客户每{cfg.senior_days}天一次（{since_zh}）",
                f"Senior-manager visit: key accounts every {cfg.senior_days} days ({since_en})",
                monday if last is None else max(monday, last + timedelta(days=cfg.senior_days)),
                last_senior_visit=last,
            )
    return out


class _Adder:
    def __init__(
        self, out: list[DueReason], monday: date, cfg: VisitRuleConfig, frequency_mandatory: bool
    ) -> None:
        self.out, self.monday, self.cfg = out, monday, cfg
        self.frequency_mandatory = frequency_mandatory

    def __call__(
        self,
        code: DueReasonCode,
        zh: str,
        en: str,
        due_on: date,
        *,
        bonus: int = 0,
        **facts: FactValue,
    ) -> None:
        priority = self.cfg.priority[code] + bonus
        mandatory = code in self.cfg.mandatory and (
            self.frequency_mandatory or code not in FREQUENCY_REASONS
        )
        explanation = Explanation.of(zh, en, reason=code.value, **facts)
        self.out.append(DueReason(code, due_on, priority, mandatory, explanation))


def _frequency(
    c: VisitCandidate, monday: date, sunday: date, cfg: VisitRuleConfig, add: _Adder
) -> None:
    every = cfg.frequency_days[c.tier]
    if c.last_visit is None:
        add(
            R.NEVER_VISITED,
            f"{c.tier.value}类客户尚无拜访记录",
            f"{c.tier.value} account never visited",
            monday,
            bonus=cfg.max_overdue_bonus,
            frequency_days=every,
        )
        return
    due = c.last_visit + timedelta(days=every)
    if due > sunday:
        return
    rule_zh = f"{c.tier.value}类客户每{every}天拜访一次，上次 {c.last_visit.isoformat()}"
    rule_en = f"{c.tier.value} accounts every {every} days, last {c.last_visit.isoformat()}"
    if due < monday:
        late = (monday - due).days
        add(
            R.OVERDUE,
            f"已逾期{late}天：{rule_zh}，应于 {due.isoformat()} 拜访",
            f"Overdue by {late} days: {rule_en}, was due {due.isoformat()}",
            monday,
            bonus=min(late, cfg.max_overdue_bonus),
            days_overdue=late,
            frequency_days=every,
            last_visit=c.last_visit,
        )
    else:
        add(
            R.ROUTINE,
            f"例行拜访：{rule_zh}，本周 {due.isoformat()} 到期",
            f"Routine: {rule_en}, due {due.isoformat()}",
            due,
            frequency_days=every,
            last_visit=c.last_visit,
        )


def _prospect(
    c: VisitCandidate, monday: date, sunday: date, cfg: VisitRuleConfig, add: _Adder
) -> None:
    last = c.last_visit
    if last is not None and last + timedelta(days=cfg.prospect_days) > sunday:
        return
    since_zh = f"上次联系 {last.isoformat()}" if last else "尚未联系"
    since_en = f"last contact {last.isoformat()}" if last else "not contacted yet"
    due = monday if last is None else max(monday, last + timedelta(days=cfg.prospect_days))
    add(
        R.PROSPECT,
        f"潜在客户每{cfg.prospect_days}天联系一次，直至成交（{since_zh}）",
        f"Prospects are contacted every {cfg.prospect_days} days until closed ({since_en})",
        due,
        last_visit=last,
    )


def _merge(c: VisitCandidate, reasons: list[DueReason], cfg: VisitRuleConfig) -> DueVisit:
    ordered = tuple(sorted(reasons, key=lambda r: (-r.priority, r.code.value)))
    best = ordered[0]
    priority = best.priority + sum(r.priority for r in ordered[1:]) // 4 + cfg.tier_bonus[c.tier]
    mandatory = any(r.mandatory for r in ordered)
    due_on = min(r.due_on for r in ordered)
    kind_zh = "必访" if mandatory else "可选"
    kind_en = "mandatory" if mandatory else "optional"
    head = Explanation.of(
        f"{kind_zh}，优先级 {priority}",
        f"{kind_en}, priority {priority}",
        priority=priority,
        mandatory=mandatory,
        tier=c.tier.value,
    )
    explanation = Explanation.join([head, *(r.explanation for r in ordered)])
    return DueVisit(c.account_id, due_on, priority, mandatory, best.purpose, ordered, explanation)
