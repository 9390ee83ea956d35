"""SQL for the dossier's sections: one small query per section, every row turned into the
export layer's plain data (money from integer fen to ``Decimal`` yuan, UTC moments to local
China dates and clock times).

Purchases are aggregated in SQL (month x price tier, product totals, invoices) so a dossier reads
a few hundred rows, never the account's whole purchase history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from kamdesk.db.models import (
    AccountNote,
    Complaint,
    Contact,
    Evaluation,
    Product,
    PurchaseLine,
    Reminder,
    StockCount,
    User,
    Visit,
)
from kamdesk.domain.classification import EvaluationInput, score_history
from kamdesk.domain.classification.evaluation import Criterion
from kamdesk.domain.enums import ComplaintStatus, VisitPurpose, VisitStatus
from kamdesk.export import Lang
from kamdesk.export import dossier_data as dd
from kamdesk.services.planning_candidates import CN_TZ

PURCHASE_MONTHS = 18  # the renderer's purchase chart covers this window
TOP_PRODUCT_DAYS = 365  # top products and their share: the trailing year
TOP_PRODUCTS = 10
SALES_RATE_WEEKS = 12  # weekly sales behind "weeks of cover": purchases of the last 12 weeks
VISIT_LIMIT = 60  # newest visits listed (about 18 months for a weekly account)

_TIER_ZH = {1: "一类", 2: "二类", 3: "三类", 4: "四类", 5: "五类"}
_REMINDER_KIND = {
    "follow_up": dd.ReminderKind.CALLBACK,
    "callback": dd.ReminderKind.CALLBACK,
    "birthday": dd.ReminderKind.BIRTHDAY,
    "holiday": dd.ReminderKind.HOLIDAY,
    "reorder": dd.ReminderKind.REORDER,
    "debt": dd.ReminderKind.DEBT,
    "collection": dd.ReminderKind.DEBT,
    "prospect": dd.ReminderKind.PROSPECT,
}


def yuan(fen: int | None) -> Decimal:
    return (Decimal(int(fen or 0)) / 100).quantize(Decimal("0.01"))


def tier_label(tier: int, lang: Lang) -> str:
    """Price tier 1 (highest) .. 5 as the dossier names it (一类 … / Tier 1 …)."""
    if lang is Lang.ZH:
        return _TIER_ZH.get(tier, f"{tier}类")
    return f"Tier {tier}"


def tier_order(lang: Lang) -> tuple[str, ...]:
    return tuple(tier_label(t, lang) for t in range(1, 6))


def as_date(value: object) -> date | None:
    """SQLite hands back aggregates of date columns as text."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(CN_TZ)


def month_start(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def user_names(session: Session) -> dict[str, str]:
    return {str(i): str(n) for i, n in session.execute(select(User.id, User.display_name))}


# -- the people -------------------------------------------------------------------------------
def contacts(session: Session, account_id: str) -> tuple[dd.Contact, ...]:
    rows = session.scalars(
        select(Contact)
        .where(Contact.account_id == account_id, Contact.deleted.is_(False))
        .order_by(Contact.is_decision_maker.desc(), Contact.name)
    ).all()
    return tuple(
        dd.Contact(
            name=c.name,
            role=c.role,
            phone=c.phone,
            birthday=_birthday(c),
            interests=c.interests,
            family=c.family_notes,
            is_decision_maker=bool(c.is_decision_maker),
        )
        for c in rows
    )


def _birthday(c: Contact) -> dd.Birthday | None:
    if c.birthday_lunar and c.lunar_month and c.lunar_day:
        year = c.birthday.year if c.birthday is not None else None
        return dd.Birthday(c.lunar_month, c.lunar_day, True, bool(c.lunar_leap), year)
    if c.birthday is not None:
        return dd.Birthday(c.birthday.month, c.birthday.day, False, False, c.birthday.year)
    return None


def evaluations(
    session: Session, account_id: str, names: Mapping[str, str]
) -> tuple[dd.Evaluation, ...]:
    """Evaluation history scored 0-100 by the classification rules (oldest first)."""
    rows = session.scalars(
        select(Evaluation)
        .where(Evaluation.account_id == account_id, Evaluation.deleted.is_(False))
        .order_by(Evaluation.evaluated_on, Evaluation.id)
    ).all()
    inputs = [
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
        )
        for e in rows
    ]
    out: list[dd.Evaluation] = []
    for e, score in zip(rows, score_history(inputs), strict=True):
        part = {c.criterion: round(c.score, 1) for c in score.components}
        out.append(
            dd.Evaluation(
                evaluated_on=e.evaluated_on,
                enthusiasm=part[Criterion.ENTHUSIASM],
                capability=part[Criterion.BUSINESS],
                credit=part[Criterion.CREDIT],
                social_relations=part[Criterion.SOCIAL],
                potential=part[Criterion.POTENTIAL],
                total=round(score.total, 1),
                evaluator=names.get(e.evaluator_id or "", ""),
                comment=e.comment,
            )
        )
    return tuple(out)


# -- purchases, stock, debt -------------------------------------------------------------------
def monthly_purchases(
    session: Session, account_id: str, as_of: date, lang: Lang
) -> tuple[dd.MonthlyPurchase, ...]:
    """Amount and quantity per month x price tier over the last 18 months (SQL aggregate)."""
    since = month_start(as_of, PURCHASE_MONTHS - 1)
    month = func.substr(cast(PurchaseLine.purchased_on, String), 1, 7)
    rows = session.execute(
        select(
            month,
            Product.price_tier,
            func.sum(PurchaseLine.amount_fen),
            func.sum(PurchaseLine.quantity),
        )
        .join(Product, Product.id == PurchaseLine.product_id)
        .where(
            PurchaseLine.account_id == account_id,
            PurchaseLine.deleted.is_(False),
            PurchaseLine.purchased_on >= since,
            PurchaseLine.purchased_on <= as_of,
        )
        .group_by(month, Product.price_tier)
        .order_by(month, Product.price_tier)
    ).all()
    return tuple(
        dd.MonthlyPurchase(
            date.fromisoformat(f"{m}-01"), tier_label(int(t), lang), yuan(a), Decimal(int(q))
        )
        for m, t, a, q in rows
    )


def top_products(
    session: Session, account_id: str, as_of: date, lang: Lang
) -> tuple[dd.ProductShare, ...]:
    since = as_of - timedelta(days=TOP_PRODUCT_DAYS)
    live = (
        PurchaseLine.account_id == account_id,
        PurchaseLine.deleted.is_(False),
        PurchaseLine.purchased_on > since,
        PurchaseLine.purchased_on <= as_of,
    )
    total = int(
        session.scalar(select(func.coalesce(func.sum(PurchaseLine.amount_fen), 0)).where(*live))
        or 0
    )
    if total <= 0:
        return ()
    amount = func.sum(PurchaseLine.amount_fen)
    rows = session.execute(
        select(Product.name, Product.unit_name, Product.price_tier, func.sum(PurchaseLine.quantity))
        .add_columns(amount)
        .join(Product, Product.id == PurchaseLine.product_id)
        .where(*live)
        .group_by(Product.id)
        .order_by(amount.desc(), Product.name)
        .limit(TOP_PRODUCTS)
    ).all()
    return tuple(
        dd.ProductShare(
            product_name=str(name),
            quantity=Decimal(int(qty)),
            unit=str(unit),
            amount=yuan(int(fen)),
            share=int(fen) / total,
            price_tier=tier_label(int(tier), lang),
        )
        for name, unit, tier, qty, fen in rows
    )


def stock(session: Session, account_id: str, as_of: date) -> tuple[dd.StockLine, ...]:
    """The latest count per product, with weekly sales from the last 12 weeks' purchases."""
    counts = (
        select(
            StockCount.product_id,
            StockCount.quantity,
            StockCount.counted_on,
            func.row_number()
            .over(
                partition_by=StockCount.product_id,
                order_by=(StockCount.counted_on.desc(), StockCount.created_at.desc()),
            )
            .label("rank"),
        )
        .where(
            StockCount.account_id == account_id,
            StockCount.deleted.is_(False),
            StockCount.counted_on <= as_of,
        )
        .subquery()
    )
    rows = session.execute(
        select(Product.id, Product.name, Product.unit_name, counts.c.quantity, counts.c.counted_on)
        .join(counts, counts.c.product_id == Product.id)
        .where(counts.c.rank == 1)
        .order_by(Product.price_tier, Product.name)
    ).all()
    if not rows:
        return ()
    since = as_of - timedelta(weeks=SALES_RATE_WEEKS)
    sold = dict(
        session.execute(
            select(PurchaseLine.product_id, func.sum(PurchaseLine.quantity))
            .where(
                PurchaseLine.account_id == account_id,
                PurchaseLine.deleted.is_(False),
                PurchaseLine.purchased_on > since,
                PurchaseLine.purchased_on <= as_of,
            )
            .group_by(PurchaseLine.product_id)
        ).all()
    )
    out: list[dd.StockLine] = []
    for product_id, name, unit, quantity, counted_on in rows:
        weekly = Decimal(int(sold.get(product_id) or 0)) / SALES_RATE_WEEKS
        weekly = weekly.quantize(Decimal("0.1"))
        cover = float(quantity) / float(weekly) if weekly > 0 else None
        out.append(
            dd.StockLine(
                product_name=str(name),
                on_hand=Decimal(int(quantity)),
                unit=str(unit),
                counted_on=as_date(counted_on) or as_of,
                weekly_sales=weekly if weekly > 0 else None,
                weeks_of_cover=None if cover is None else round(cover, 1),
            )
        )
    return tuple(out)


def debts(
    session: Session, account_id: str, as_of: date, terms_days: int
) -> tuple[dd.DebtItem, ...]:
    """Invoices (purchase lines grouped by order reference): every one still unpaid, and the
    settled ones of the last 18 months (the renderer sums those)."""
    since = month_start(as_of, PURCHASE_MONTHS - 1)
    reference = func.coalesce(func.nullif(PurchaseLine.order_ref, ""), PurchaseLine.id)
    outstanding = func.sum(PurchaseLine.outstanding_fen)
    rows = session.execute(
        select(
            reference,
            func.min(PurchaseLine.purchased_on),
            func.sum(PurchaseLine.amount_fen),
            outstanding,
        )
        .where(
            PurchaseLine.account_id == account_id,
            PurchaseLine.deleted.is_(False),
            PurchaseLine.purchased_on <= as_of,
        )
        .group_by(reference)
        .having((outstanding > 0) | (func.min(PurchaseLine.purchased_on) >= since))
        .order_by(func.min(PurchaseLine.purchased_on))
    ).all()
    out: list[dd.DebtItem] = []
    for ref, day, amount, owed in rows:
        invoiced = as_date(day) or as_of
        total = yuan(amount)
        out.append(
            dd.DebtItem(
                invoiced_on=invoiced,
                reference=str(ref),
                amount=total,
                paid=total - yuan(owed),
                due_on=invoiced + timedelta(days=max(terms_days, 0)),
            )
        )
    return tuple(out)


# -- what happened ----------------------------------------------------------------------------
def visits(
    session: Session, account_id: str, as_of: date, names: Mapping[str, str]
) -> tuple[dd.VisitRecord, ...]:
    when = func.coalesce(Visit.actual_start, Visit.planned_start)
    upto = datetime(as_of.year, as_of.month, as_of.day, tzinfo=CN_TZ) + timedelta(days=1)
    rows = session.scalars(
        select(Visit)
        .where(
            Visit.account_id == account_id,
            Visit.deleted.is_(False),
            when.is_not(None),
            when < upto,
        )
        .order_by(when.desc(), Visit.id.desc())
        .limit(VISIT_LIMIT)
    ).all()
    out: list[dd.VisitRecord] = []
    for v in rows:
        start = local(v.actual_start or v.planned_start)
        end = local(v.actual_end or v.planned_end)
        if start is None:
            continue
        out.append(
            dd.VisitRecord(
                visited_on=start.date(),
                purpose=_enum(VisitPurpose, v.purpose, VisitPurpose.ROUTINE),
                status=_enum(VisitStatus, v.status, VisitStatus.DONE),
                summary=v.summary,
                started_at=_clock(start),
                ended_at=_clock(end),
                follow_up="；".join(_follow_up_titles(v.follow_ups)),
                visitor=names.get(v.user_id or "", ""),
            )
        )
    return tuple(out)


def _clock(moment: datetime | None) -> time | None:
    return None if moment is None else moment.time().replace(second=0, microsecond=0)


def _follow_up_titles(items: Iterable[Any]) -> list[str]:
    titles: list[str] = []
    for item in items or ():
        if isinstance(item, Mapping) and item.get("title"):
            titles.append(str(item["title"]))
        elif isinstance(item, str) and item:
            titles.append(item)
    return titles


def _enum(kind: Any, value: str, default: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        return default


def complaints(session: Session, account_id: str) -> tuple[dd.ComplaintRecord, ...]:
    rows = session.scalars(
        select(Complaint)
        .where(Complaint.account_id == account_id, Complaint.deleted.is_(False))
        .order_by(Complaint.received_on.desc(), Complaint.id)
    ).all()
    return tuple(
        dd.ComplaintRecord(
            raised_on=c.received_on,
            subject=f"{c.category}：{c.description}" if c.category else c.description,
            status=_enum(ComplaintStatus, c.status, ComplaintStatus.OPEN),
            resolution=c.resolution,
            resolved_on=c.resolved_on,
        )
        for c in rows
    )


def open_reminders(
    session: Session, account_ids: Sequence[str]
) -> dict[str, list[dd.ReminderItem]]:
    """Reminders not done yet, per account, soonest first."""
    out: dict[str, list[dd.ReminderItem]] = {}
    if not account_ids:
        return out
    rows = session.execute(
        select(Reminder.account_id, Reminder.due_on, Reminder.kind, Reminder.title, Reminder.body)
        .where(
            Reminder.account_id.in_(account_ids),
            Reminder.deleted.is_(False),
            Reminder.done_at.is_(None),
        )
        .order_by(Reminder.due_on, Reminder.title)
    ).all()
    for account_id, due_on, kind, title, body in rows:
        text = f"{title}：{body}" if body else str(title)
        item = dd.ReminderItem(due_on, _REMINDER_KIND.get(str(kind), dd.ReminderKind.OTHER), text)
        out.setdefault(str(account_id), []).append(item)
    return out


def notes(session: Session, account_id: str, names: Mapping[str, str]) -> tuple[dd.NoteEntry, ...]:
    rows = session.execute(
        select(AccountNote.created_at, AccountNote.body, AccountNote.author_id)
        .where(AccountNote.account_id == account_id, AccountNote.deleted.is_(False))
        .order_by(AccountNote.created_at.desc(), AccountNote.id.desc())
    ).all()
    out: list[dd.NoteEntry] = []
    for created, body, author in rows:
        moment = local(created)
        if moment is not None and body:
            out.append(dd.NoteEntry(moment.date(), str(body), names.get(author or "", "")))
    return tuple(out)
