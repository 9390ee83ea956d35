"""Recording a visit: times, purpose, checks, feedback, stock counts and follow-ups, as one unit.

A visit and its stock lines travel as one ``visit.record`` mutation, so neither the server nor
this laptop can ever hold a visit without its counts (or counts without their visit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, Product, Reminder, StockCount, Visit
from kamdesk.domain.enums import VisitPurpose, VisitStatus
from kamdesk.domain.fields import FOLLOW_UP_TITLE_MAX_LEN, VISIT_TEXT_MAX_LEN, clean_text
from kamdesk.errors import NotFoundError, ValidationError
from kamdesk.ids import uuid7
from kamdesk.services.outbox import record_mutation

CHINA = timezone(timedelta(hours=8))
CHECKLIST_KEYS = ("display_ok", "price_compliant", "out_of_channel", "counterfeit")
FEEDBACK_KEYS = ("sell_through", "repurchase", "consumer_comments")
MAX_TEXT = VISIT_TEXT_MAX_LEN


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Something to do after the visit; becomes a reminder on ``due_on``."""

    title: str
    due_on: date


@dataclass(frozen=True, slots=True)
class VisitInput:
    account_id: str
    started_at: datetime
    finished_at: datetime
    purpose: str = VisitPurpose.ROUTINE.value
    checklist: Mapping[str, bool] = field(default_factory=dict)
    feedback: Mapping[str, str] = field(default_factory=dict)
    summary: str = ""
    stock_counts: Mapping[str, int] = field(default_factory=dict)  # product id -> units
    follow_ups: Sequence[FollowUp] = ()
    visit_plan_id: str | None = None


@dataclass(frozen=True, slots=True)
class CountLine:
    """One row of the stock-count grid: the product and what was counted last time."""

    product_id: str
    code: str
    name: str
    unit_name: str
    previous_quantity: int | None
    previous_counted_on: date | None


def _validate(visit: VisitInput) -> None:
    if visit.started_at.tzinfo is None or visit.finished_at.tzinfo is None:
        raise ValidationError("Visit times need a time zone.", field="started_at")
    if visit.finished_at < visit.started_at:
        raise ValidationError(
            "结束时间早于开始时间 / The visit cannot end before it starts",
            field="finished_at",
            code="validation.visit_times",
        )
    if visit.finished_at - visit.started_at > timedelta(hours=12):
        raise ValidationError(
            "拜访时长超过12小时 / A visit cannot last more than 12 hours",
            field="finished_at",
            code="validation.visit_times",
        )
    if visit.purpose not in {p.value for p in VisitPurpose}:
        raise ValidationError(
            f"Unknown visit purpose {visit.purpose}", field="purpose", code="validation.choice"
        )
    if set(visit.checklist) - set(CHECKLIST_KEYS):
        raise ValidationError("Unknown checklist item", field="checklist")
    if set(visit.feedback) - set(FEEDBACK_KEYS):
        raise ValidationError("Unknown feedback item", field="feedback")
    clean_text("summary", "拜访小结", "Summary", visit.summary, MAX_TEXT)
    for key, answer in visit.feedback.items():
        clean_text("feedback", "客户反馈", f"Feedback ({key})", answer, MAX_TEXT)
    for product_id, quantity in visit.stock_counts.items():
        if (
            isinstance(quantity, bool)
            or not isinstance(quantity, int)
            or not 0 <= quantity <= 100_000
        ):
            raise ValidationError(
                f"库存数量须为0-100000的整数 / Stock of {product_id} must be 0-100000 units",
                field="stock_counts",
                code="validation.stock",
            )
    for follow_up in visit.follow_ups:
        title = clean_text(
            "follow_ups", "跟进事项", "Follow-up", follow_up.title, FOLLOW_UP_TITLE_MAX_LEN
        )
        if not title.strip():
            raise ValidationError(
                "跟进事项不能为空 / A follow-up needs a title",
                field="follow_ups",
                code="validation.required",
            )


class VisitService:
    def __init__(self, store: Store, actor_id: str | None = None) -> None:
        self._store = store
        self._actor = actor_id

    def count_sheet(self, account_id: str) -> list[CountLine]:
        """Active products, with this shop's last count of each (for the count grid)."""
        with self._store.session() as session:
            last_day = (
                select(StockCount.product_id, func.max(StockCount.counted_on).label("day"))
                .where(StockCount.account_id == account_id, StockCount.deleted.is_(False))
                .group_by(StockCount.product_id)
                .subquery()
            )
            previous = {
                pid: (qty, day)
                for pid, qty, day in session.execute(
                    select(StockCount.product_id, StockCount.quantity, StockCount.counted_on)
                    .join(
                        last_day,
                        (last_day.c.product_id == StockCount.product_id)
                        & (last_day.c.day == StockCount.counted_on),
                    )
                    .where(StockCount.account_id == account_id)
                )
            }
            products = session.execute(
                select(Product.id, Product.code, Product.name, Product.unit_name)
                .where(Product.status == "active", Product.deleted.is_(False))
                .order_by(Product.price_tier, Product.code)
            ).all()
        lines = [
            CountLine(pid, code, name, unit, *previous.get(pid, (None, None)))
            for pid, code, name, unit in products
        ]
        # products this shop carries (has been counted) first, then the rest
        return sorted(lines, key=lambda line: line.previous_quantity is None)

    def record(self, visit: VisitInput) -> str:
        """Save a finished visit with its counts and follow-ups in one transaction."""
        _validate(visit)
        visit_id = uuid7()
        counted_on = visit.finished_at.astimezone(CHINA).date()
        with self._store.session() as session:
            account = session.get(Account, visit.account_id)
            if account is None or account.deleted:
                raise NotFoundError(f"No account {visit.account_id}.")
            known = set(
                session.scalars(select(Product.id).where(Product.id.in_(list(visit.stock_counts))))
            )
            unknown = set(visit.stock_counts) - known
            if unknown:
                raise ValidationError(
                    f"Unknown product(s): {', '.join(sorted(unknown))}",
                    field="stock_counts",
                    code="validation.unknown_product",
                )
            row: dict[str, Any] = {
                "id": visit_id,
                "account_id": visit.account_id,
                "user_id": self._actor,
                "visit_plan_id": visit.visit_plan_id,
                "purpose": visit.purpose,
                "status": VisitStatus.DONE.value,
                "actual_start": visit.started_at,
                "actual_end": visit.finished_at,
                "checklist": dict(visit.checklist),
                "feedback": dict(visit.feedback),
                "summary": visit.summary,
                "follow_ups": [
                    {"title": f.title, "due_on": f.due_on.isoformat()} for f in visit.follow_ups
                ],
            }
            counts = [
                {
                    "id": uuid7(),
                    "account_id": visit.account_id,
                    "product_id": pid,
                    "visit_id": visit_id,
                    "counted_on": counted_on,
                    "quantity": qty,
                }
                for pid, qty in sorted(visit.stock_counts.items())
            ]
            reminders = [
                {
                    "id": uuid7(),
                    "account_id": visit.account_id,
                    "contact_id": None,
                    "kind": "follow_up",
                    "due_on": f.due_on,
                    "title": f.title.strip(),
                    "body": "",
                    "dedup_key": f"follow_up:{visit_id}:{n}",
                }
                for n, f in enumerate(visit.follow_ups)
            ]
            record_mutation(
                session,
                "visit.record",
                entity_table="visit",
                entity_id=visit_id,
                args={"visit": row, "stock_counts": counts, "reminders": reminders},
                covers=[("stock_count", str(c["id"])) for c in counts]
                + [("reminder", str(r["id"])) for r in reminders],
                actor=self._actor,
            )
            session.add(Visit(**row))
            session.add_all(StockCount(**c) for c in counts)
            session.add_all(Reminder(**r) for r in reminders)
        return visit_id
