"""Who is due this week: the database side. SQL aggregates -> ``VisitCandidate`` per account.

Every fact comes from one grouped query per table (no per-account round trips), so the 300-
account demo territory loads in well under a second. The ABC tier is recomputed here from the
trailing 12 months of purchases (the stored ``abc_tier`` column is a cache that another part of
the app refreshes; the definition is the purchases), with the manual override applied.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kamdesk.db.models import Account, Complaint, Product, PurchaseLine, Visit
from kamdesk.domain.anomalies import AnomalyConfig, SalesAnomaly, detect_anomalies
from kamdesk.domain.classification.abc_tier import pareto_split
from kamdesk.domain.classification.sales import add_months
from kamdesk.domain.enums import AbcTier, BusinessFormat, LifecycleStage
from kamdesk.domain.visits import VisitCandidate

CN_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")  # China has no daylight saving time

# New products go first to shops whose format fits the price tier (domain.md, 新品上市).
_HIGH_PRICE_FORMATS = frozenset(
    {BusinessFormat.TOBACCO_LIQUOR, BusinessFormat.MALL, BusinessFormat.ENTERTAINMENT}
)
_LOW_PRICE_FORMATS = frozenset(
    {BusinessFormat.GROCERY, BusinessFormat.CONVENIENCE, BusinessFormat.SUPERMARKET}
)
NEW_PRODUCT_DAYS = 90  # a product counts as new for this long after its launch


@dataclass(frozen=True, slots=True)
class AccountStopInfo:
    """What the planner and the week view need to know about a shop."""

    account_id: str
    code: str
    name: str
    address: str
    phone: str
    business_format: str
    tier: AbcTier
    latitude: float | None
    longitude: float | None
    opening_hours: tuple[tuple[tuple[int, int], ...], ...]  # Mon..Sun, [(open, close), ...]


@dataclass(frozen=True, slots=True)
class Appointment:
    """A planned ``Visit`` row with a fixed start: pinned to its day and time."""

    visit_row_id: str
    account_id: str
    day: date
    start_minute: int
    purpose: str


@dataclass(frozen=True, slots=True)
class CandidateSet:
    candidates: tuple[VisitCandidate, ...]
    accounts: dict[str, AccountStopInfo]
    appointments: tuple[Appointment, ...]


def local_date(moment: datetime) -> date:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(CN_TZ).date()


def parse_hours(raw: Any) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Stored opening hours -> 7 tuples of intervals; malformed days count as closed."""
    days: list[tuple[tuple[int, int], ...]] = []
    items = raw if isinstance(raw, list) else []
    for wd in range(7):
        day = items[wd] if wd < len(items) and isinstance(items[wd], list) else []
        spans = []
        for iv in day:
            if isinstance(iv, list | tuple) and len(iv) == 2:
                start, end = int(iv[0]), int(iv[1])
                if 0 <= start < end <= 1440:
                    spans.append((start, end))
        days.append(tuple(sorted(spans)))
    return tuple(days)


def _tier(value: str | None) -> AbcTier | None:
    try:
        return AbcTier(value) if value else None
    except ValueError:
        return None


def _lifecycle(account: Any) -> LifecycleStage:
    if account.status == "prospect":
        return LifecycleStage.PROSPECT
    for raw in (account.lifecycle_override, account.lifecycle_stage):
        try:
            return LifecycleStage(raw)
        except ValueError:
            continue
    return LifecycleStage.MATURITY


def _tiers(
    session: Session, ids: list[str], overrides: dict[str, AbcTier | None], monday: date
) -> dict[str, AbcTier]:
    since = monday - timedelta(days=365)
    rows = session.execute(
        select(PurchaseLine.account_id, func.sum(PurchaseLine.amount_fen))
        .where(
            PurchaseLine.deleted.is_(False),
            PurchaseLine.purchased_on >= since,
            PurchaseLine.purchased_on < monday,
        )
        .group_by(PurchaseLine.account_id)
    ).all()
    totals = {aid: float(total or 0) for aid, total in rows}
    split = pareto_split([totals.get(i, 0.0) for i in ids], ids=ids)
    names = (AbcTier.A, AbcTier.B, AbcTier.C)
    out: dict[str, AbcTier] = {}
    for pos, account_id in enumerate(ids):
        out[account_id] = overrides.get(account_id) or names[int(split.tiers[pos])]
    return out


def _last_visits(session: Session, monday: date) -> dict[tuple[str, str], date]:
    """(account, purpose or '*') -> date of the last done visit before the week."""
    cutoff = datetime(monday.year, monday.month, monday.day, tzinfo=CN_TZ)
    rows = session.execute(
        select(Visit.account_id, Visit.purpose, func.max(Visit.actual_start))
        .where(
            Visit.deleted.is_(False),
            Visit.status == "done",
            Visit.actual_start.is_not(None),
            Visit.actual_start < cutoff,
        )
        .group_by(Visit.account_id, Visit.purpose)
    ).all()
    out: dict[tuple[str, str], date] = {}
    for account_id, purpose, last in rows:
        if last is None:
            continue
        day = local_date(last)
        out[(account_id, purpose)] = day
        out[(account_id, "*")] = max(day, out.get((account_id, "*"), day))
    return out


def _debts(session: Session, monday: date) -> dict[str, tuple[Decimal, date]]:
    rows = session.execute(
        select(
            PurchaseLine.account_id,
            func.sum(PurchaseLine.outstanding_fen),
            func.min(PurchaseLine.purchased_on),
            Account.credit_terms_days,
        )
        .join(Account, Account.id == PurchaseLine.account_id)
        .where(
            PurchaseLine.deleted.is_(False),
            PurchaseLine.settled.is_(False),
            PurchaseLine.outstanding_fen > 0,
            PurchaseLine.purchased_on < monday + timedelta(days=7),
        )
        .group_by(PurchaseLine.account_id, Account.credit_terms_days)
    ).all()
    out: dict[str, tuple[Decimal, date]] = {}
    for account_id, fen, oldest, terms in rows:
        # the oldest open purchase falls due after the account's credit terms
        out[account_id] = (Decimal(int(fen or 0)) / 100, oldest + timedelta(days=int(terms or 0)))
    return out


def _complaints(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Complaint.account_id, func.count())
        .where(Complaint.deleted.is_(False), Complaint.status == "open")
        .group_by(Complaint.account_id)
    ).all()
    return {aid: int(n) for aid, n in rows}


def _swings(
    session: Session, ids: list[str], monday: date, config: AnomalyConfig | None
) -> dict[str, tuple[SalesAnomaly, ...]]:
    """Sales anomalies of the last complete month (环比 and 同比) per account."""
    last_month = add_months(monday.replace(day=1), -1)
    first_month = add_months(last_month, -12)
    month_key = func.strftime("%Y-%m", PurchaseLine.purchased_on)
    rows = session.execute(
        select(PurchaseLine.account_id, month_key, func.sum(PurchaseLine.amount_fen))
        .where(
            PurchaseLine.deleted.is_(False),
            PurchaseLine.purchased_on >= first_month,
            PurchaseLine.purchased_on < add_months(last_month, 1),
        )
        .group_by(PurchaseLine.account_id, month_key)
    ).all()
    index = {f"{add_months(first_month, i):%Y-%m}": i for i in range(13)}
    series: dict[str, list[float]] = {aid: [0.0] * 13 for aid in ids}
    for account_id, month, fen in rows:
        if account_id in series and month in index:
            series[account_id][index[month]] = int(fen or 0) / 100
    grouped: dict[str, list[SalesAnomaly]] = defaultdict(list)
    for anomaly in detect_anomalies(series, last_month, config=config):
        grouped[anomaly.subject_id].append(anomaly)
    return {aid: tuple(found) for aid, found in grouped.items()}


def _fits(price_tier: int, fmt: str) -> bool:
    try:
        bf = BusinessFormat(fmt)
    except ValueError:
        return True
    if price_tier <= 2:
        return bf in _HIGH_PRICE_FORMATS
    if price_tier >= 4:
        return bf in _LOW_PRICE_FORMATS
    return True


def _new_products(
    session: Session, formats: dict[str, str], sunday: date
) -> dict[str, tuple[str, ...]]:
    """New products each account should trial: launched, format fits, never bought there."""
    products = session.execute(
        select(Product.id, Product.name, Product.price_tier).where(
            Product.deleted.is_(False),
            Product.status == "active",
            Product.is_new.is_(True),
            (Product.launch_date.is_(None)) | (Product.launch_date <= sunday),
            (Product.launch_date.is_(None))
            | (Product.launch_date > sunday - timedelta(days=NEW_PRODUCT_DAYS)),
        )
    ).all()
    if not products:
        return {}
    bought = set(
        session.execute(
            select(PurchaseLine.account_id, PurchaseLine.product_id)
            .where(
                PurchaseLine.deleted.is_(False),
                PurchaseLine.product_id.in_([p.id for p in products]),
            )
            .distinct()
        ).all()
    )
    out: dict[str, list[str]] = defaultdict(list)
    for account_id, fmt in formats.items():
        for p in products:
            if (account_id, p.id) not in bought and _fits(int(p.price_tier), fmt):
                out[account_id].append(p.name)
    return {aid: tuple(names) for aid, names in out.items()}


def _appointments(session: Session, monday: date) -> tuple[Appointment, ...]:
    start = datetime(monday.year, monday.month, monday.day, tzinfo=CN_TZ)
    rows = session.execute(
        select(Visit.id, Visit.account_id, Visit.planned_start, Visit.purpose).where(
            Visit.deleted.is_(False),
            Visit.status == "planned",
            Visit.visit_plan_id.is_(None),  # rows a plan made itself are not appointments
            Visit.planned_start >= start,
            Visit.planned_start < start + timedelta(days=7),
        )
    ).all()
    out = []
    for row_id, account_id, planned, purpose in rows:
        if planned is None:
            continue
        local = planned.astimezone(CN_TZ)
        minute = local.hour * 60 + local.minute
        out.append(Appointment(row_id, account_id, local.date(), minute, purpose))
    return tuple(sorted(out, key=lambda a: (a.day, a.start_minute, a.account_id)))


def load_candidates(
    session: Session, monday: date, anomaly_config: AnomalyConfig | None = None
) -> CandidateSet:
    """Everything the due-visit rules need about every live account, for the week of
    ``monday`` (facts are taken as of the Monday: visits before it, purchases before it)."""
    accounts = session.execute(
        select(Account).where(Account.deleted.is_(False)).order_by(Account.code, Account.id)
    ).scalars()
    rows = list(accounts)
    ids = [a.id for a in rows]
    tiers = _tiers(session, ids, {a.id: _tier(a.abc_override) for a in rows}, monday)
    last = _last_visits(session, monday)
    debts = _debts(session, monday)
    complaints = _complaints(session)
    swings = _swings(session, ids, monday, anomaly_config)
    sunday = monday + timedelta(days=6)
    news = _new_products(
        session, {a.id: a.business_format for a in rows if a.status == "active"}, sunday
    )
    candidates: list[VisitCandidate] = []
    info: dict[str, AccountStopInfo] = {}
    for a in rows:
        debt, debt_due = debts.get(a.id, (Decimal(0), None))
        candidates.append(
            VisitCandidate(
                account_id=a.id,
                tier=tiers[a.id],
                last_visit=last.get((a.id, "*")),
                lifecycle=_lifecycle(a),
                closed=a.status in ("closed", "suspended"),
                key_account=a.key_account_state == "approved",
                last_senior_visit=last.get((a.id, "senior")),
                outstanding_debt=debt,
                debt_due=debt_due,
                open_complaints=complaints.get(a.id, 0),
                new_products=news.get(a.id, ()),
                sales_swings=swings.get(a.id, ()),
                last_special_visit=last.get((a.id, "special")),
            )
        )
        info[a.id] = AccountStopInfo(
            account_id=a.id,
            code=a.code,
            name=a.name,
            address=a.address,
            phone=a.phone,
            business_format=a.business_format,
            tier=tiers[a.id],
            latitude=a.latitude,
            longitude=a.longitude,
            opening_hours=parse_hours(a.opening_hours),
        )
    return CandidateSet(tuple(candidates), info, _appointments(session, monday))
