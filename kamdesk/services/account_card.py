"""Everything the account card shows, as plain frozen dataclasses (one read, no ORM in widgets).

Purchases are aggregated in SQL over the (account_id, purchased_on) index, so opening a card
stays fast with millions of purchase lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kamdesk.db.engine import Store
from kamdesk.db.models import (
    Account,
    AccountNote,
    Attachment,
    Complaint,
    Contact,
    Evaluation,
    Product,
    PurchaseLine,
    StockCount,
    Territory,
    Visit,
)
from kamdesk.domain.cn_calendar import next_lunar_anniversary
from kamdesk.domain.fields import ACCOUNT_FIELDS
from kamdesk.errors import NotFoundError
from kamdesk.services import write_scope
from kamdesk.services.accounts import SCORE_FIELDS

RECENT_LINES = 30
RECENT_VISITS = 30


@dataclass(frozen=True, slots=True)
class ContactView:
    id: str
    name: str
    role: str
    phone: str
    birthday: date | None
    birthday_lunar: bool
    lunar_month: int | None
    lunar_day: int | None
    lunar_leap: bool
    interests: str
    family_notes: str
    is_decision_maker: bool
    birthday_this_year: date | None  # the solar date this year (lunar birthdays converted)


@dataclass(frozen=True, slots=True)
class EvaluationView:
    id: str
    evaluated_on: date
    scores: Mapping[str, int]
    comment: str

    @property
    def average(self) -> float:
        return sum(self.scores.values()) / max(len(self.scores), 1)


@dataclass(frozen=True, slots=True)
class PurchaseView:
    purchased_on: date
    product: str
    quantity: int
    amount_fen: int
    settled: bool
    outstanding_fen: int


@dataclass(frozen=True, slots=True)
class ProductTotal:
    product: str
    quantity: int
    amount_fen: int


@dataclass(frozen=True, slots=True)
class PurchaseSummary:
    amount_12m_fen: int
    lines_12m: int
    last_purchase: date | None
    outstanding_fen: int
    monthly: tuple[tuple[str, int], ...]  # ("2026-11", amount_fen), oldest first
    top_products: tuple[ProductTotal, ...]
    recent: tuple[PurchaseView, ...]


@dataclass(frozen=True, slots=True)
class StockView:
    product: str
    quantity: int
    counted_on: date


@dataclass(frozen=True, slots=True)
class VisitView:
    id: str
    when: datetime | None
    purpose: str
    status: str
    summary: str


@dataclass(frozen=True, slots=True)
class ComplaintView:
    id: str
    received_on: date
    category: str
    description: str
    status: str
    resolution: str
    resolved_on: date | None


@dataclass(frozen=True, slots=True)
class AttachmentView:
    id: str
    kind: str
    filename: str
    mime_type: str
    size_bytes: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NoteView:
    id: str
    created_at: datetime
    body: str


@dataclass(frozen=True, slots=True)
class AccountCard:
    id: str
    territory_id: str
    fields: Mapping[str, Any]  # every editable field of ACCOUNT_FIELDS
    abc_tier: str
    lifecycle_stage: str
    vip_state: str
    key_account_state: str
    contacts: tuple[ContactView, ...]
    evaluations: tuple[EvaluationView, ...]  # newest first
    purchases: PurchaseSummary
    stock: tuple[StockView, ...]
    visits: tuple[VisitView, ...]  # newest first
    complaints: tuple[ComplaintView, ...]
    attachments: tuple[AttachmentView, ...]
    notes: tuple[NoteView, ...]  # newest first


@lru_cache(maxsize=4096)
def _lunar_this_year(month: int, day: int, leap: bool, year: int) -> date | None:
    # lunar_python takes tens of milliseconds per conversion; cards repeat the same dates
    try:
        return next_lunar_anniversary(month, day, date(year, 1, 1), leap=leap)
    except Exception:  # a stored lunar day 30 may not exist this year: show no date
        return None


def birthday_this_year(contact: Contact, today: date) -> date | None:
    if contact.birthday_lunar and contact.lunar_month and contact.lunar_day:
        return _lunar_this_year(
            contact.lunar_month, contact.lunar_day, bool(contact.lunar_leap), today.year
        )
    if contact.birthday is not None:
        try:
            return contact.birthday.replace(year=today.year)
        except ValueError:  # 29 February in a common year
            return date(today.year, 3, 1)
    return None


class AccountCardService:
    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
        self._store = store
        self._today = today

    def can_write(self, account_id: str) -> bool:
        """False on a supervisor's laptop for another territory's account (read-only card)."""
        return write_scope.can_write_account(self._store, account_id)

    def load(self, account_id: str) -> AccountCard:
        today = self._today()
        with self._store.session() as session:
            account = session.get(Account, account_id)
            if account is None or account.deleted:
                raise NotFoundError(f"No account {account_id}.", code="accounts.not_found")
            return AccountCard(
                id=account.id,
                territory_id=account.territory_id,
                fields={name: getattr(account, name) for name in ACCOUNT_FIELDS},
                abc_tier=account.abc_tier,
                lifecycle_stage=account.lifecycle_stage,
                vip_state=account.vip_state,
                key_account_state=account.key_account_state,
                contacts=_contacts(session, account_id, today),
                evaluations=_evaluations(session, account_id),
                purchases=_purchases(session, account_id, today),
                stock=_stock(session, account_id),
                visits=_visits(session, account_id),
                complaints=_complaints(session, account_id),
                attachments=_attachments(session, account_id),
                notes=_notes(session, account_id),
            )

    def default_territory(self) -> str | None:
        """The territory new accounts go to: the one most accounts are in."""
        with self._store.session() as session:
            row = session.execute(
                select(Account.territory_id, func.count())
                .where(Account.deleted.is_(False))
                .group_by(Account.territory_id)
                .order_by(func.count().desc())
                .limit(1)
            ).first()
            if row is not None:
                return str(row[0])
            return session.scalar(select(Territory.id).limit(1))


def _contacts(session: Session, account_id: str, today: date) -> tuple[ContactView, ...]:
    rows = session.scalars(
        select(Contact)
        .where(Contact.account_id == account_id, Contact.deleted.is_(False))
        .order_by(Contact.is_decision_maker.desc(), Contact.name)
    ).all()
    return tuple(
        ContactView(
            id=c.id,
            name=c.name,
            role=c.role,
            phone=c.phone,
            birthday=c.birthday,
            birthday_lunar=bool(c.birthday_lunar),
            lunar_month=c.lunar_month,
            lunar_day=c.lunar_day,
            lunar_leap=bool(c.lunar_leap),
            interests=c.interests,
            family_notes=c.family_notes,
            is_decision_maker=bool(c.is_decision_maker),
            birthday_this_year=birthday_this_year(c, today),
        )
        for c in rows
    )


def _evaluations(session: Session, account_id: str) -> tuple[EvaluationView, ...]:
    rows = session.scalars(
        select(Evaluation)
        .where(Evaluation.account_id == account_id, Evaluation.deleted.is_(False))
        .order_by(Evaluation.evaluated_on.desc(), Evaluation.id.desc())
    ).all()
    return tuple(
        EvaluationView(
            id=e.id,
            evaluated_on=e.evaluated_on,
            scores={name: int(getattr(e, name)) for name in SCORE_FIELDS},
            comment=e.comment,
        )
        for e in rows
    )


def _purchases(session: Session, account_id: str, today: date) -> PurchaseSummary:
    live = (PurchaseLine.account_id == account_id, PurchaseLine.deleted.is_(False))
    since = today - timedelta(days=365)
    amount, lines = session.execute(
        select(func.coalesce(func.sum(PurchaseLine.amount_fen), 0), func.count()).where(
            *live, PurchaseLine.purchased_on > since
        )
    ).one()
    last, outstanding = session.execute(
        select(
            func.max(PurchaseLine.purchased_on),
            func.coalesce(func.sum(PurchaseLine.outstanding_fen), 0),
        ).where(*live)
    ).one()
    month = func.strftime("%Y-%m", PurchaseLine.purchased_on)
    monthly = session.execute(
        select(month, func.sum(PurchaseLine.amount_fen))
        .where(*live, PurchaseLine.purchased_on > since)
        .group_by(month)
        .order_by(month)
    ).all()
    top = session.execute(
        select(Product.name, func.sum(PurchaseLine.quantity), func.sum(PurchaseLine.amount_fen))
        .join(Product, Product.id == PurchaseLine.product_id)
        .where(*live, PurchaseLine.purchased_on > since)
        .group_by(Product.id)
        .order_by(func.sum(PurchaseLine.amount_fen).desc())
        .limit(10)
    ).all()
    recent = session.execute(
        select(
            PurchaseLine.purchased_on,
            Product.name,
            PurchaseLine.quantity,
            PurchaseLine.amount_fen,
            PurchaseLine.settled,
            PurchaseLine.outstanding_fen,
        )
        .join(Product, Product.id == PurchaseLine.product_id)
        .where(*live)
        .order_by(PurchaseLine.purchased_on.desc())
        .limit(RECENT_LINES)
    ).all()
    return PurchaseSummary(
        amount_12m_fen=int(amount),
        lines_12m=int(lines),
        last_purchase=last if isinstance(last, date) else _parse_date(last),
        outstanding_fen=int(outstanding),
        monthly=tuple((str(m), int(a)) for m, a in monthly),
        top_products=tuple(ProductTotal(str(n), int(q), int(a)) for n, q, a in top),
        recent=tuple(
            PurchaseView(d, str(n), int(q), int(a), bool(s), int(o)) for d, n, q, a, s, o in recent
        ),
    )


def _parse_date(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def _stock(session: Session, account_id: str) -> tuple[StockView, ...]:
    latest = (
        select(StockCount.product_id, func.max(StockCount.counted_on).label("day"))
        .where(StockCount.account_id == account_id, StockCount.deleted.is_(False))
        .group_by(StockCount.product_id)
        .subquery()
    )
    rows = session.execute(
        select(Product.name, StockCount.quantity, StockCount.counted_on)
        .join(
            latest,
            (latest.c.product_id == StockCount.product_id)
            & (latest.c.day == StockCount.counted_on),
        )
        .join(Product, Product.id == StockCount.product_id)
        .where(StockCount.account_id == account_id, StockCount.deleted.is_(False))
        .order_by(Product.name)
    ).all()
    seen: dict[str, StockView] = {}
    for name, quantity, day in rows:
        seen[str(name)] = StockView(str(name), int(quantity), day)
    return tuple(seen.values())


def _visits(session: Session, account_id: str) -> tuple[VisitView, ...]:
    when = func.coalesce(Visit.actual_start, Visit.planned_start)
    rows = session.scalars(
        select(Visit)
        .where(Visit.account_id == account_id, Visit.deleted.is_(False))
        .order_by(when.desc())
        .limit(RECENT_VISITS)
    ).all()
    return tuple(
        VisitView(v.id, v.actual_start or v.planned_start, v.purpose, v.status, v.summary)
        for v in rows
    )


def _complaints(session: Session, account_id: str) -> tuple[ComplaintView, ...]:
    rows = session.scalars(
        select(Complaint)
        .where(Complaint.account_id == account_id, Complaint.deleted.is_(False))
        .order_by(Complaint.received_on.desc())
    ).all()
    return tuple(
        ComplaintView(
            c.id, c.received_on, c.category, c.description, c.status, c.resolution, c.resolved_on
        )
        for c in rows
    )


def _attachments(session: Session, account_id: str) -> tuple[AttachmentView, ...]:
    rows = session.execute(
        select(
            Attachment.id,
            Attachment.kind,
            Attachment.filename,
            Attachment.mime_type,
            Attachment.size_bytes,
            Attachment.created_at,
        )
        .where(Attachment.account_id == account_id, Attachment.deleted.is_(False))
        .order_by(Attachment.created_at.desc())
    ).all()
    return tuple(AttachmentView(*row) for row in rows)


def _notes(session: Session, account_id: str) -> tuple[NoteView, ...]:
    rows = session.execute(
        select(AccountNote.id, AccountNote.created_at, AccountNote.body)
        .where(AccountNote.account_id == account_id, AccountNote.deleted.is_(False))
        .order_by(AccountNote.created_at.desc(), AccountNote.id.desc())
    ).all()
    return tuple(NoteView(*row) for row in rows)
