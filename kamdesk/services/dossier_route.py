"""The route brief (线路拜访简报) from a week's stored ``VisitPlan``: stop order and arrival
times as saved, why each shop is due (the planning rules, re-evaluated for that week), the last
visit, the stock trend of its main products, the open advice and the open tasks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kamdesk.db.models import Account, Product, StockCount, Territory, Visit, VisitPlan
from kamdesk.domain.enums import BusinessFormat
from kamdesk.domain.visits import due_visits
from kamdesk.export import Lang
from kamdesk.export import dossier_data as dd
from kamdesk.services import dossier_sections as sections
from kamdesk.services.planning import PLANNING_ANOMALIES, iso_week
from kamdesk.services.planning_candidates import CN_TZ, load_candidates

if TYPE_CHECKING:
    from kamdesk.services.dossier import DossierService

TREND_PRODUCTS = 3  # products per stop whose stock counts are shown
TREND_COUNTS = 4  # counts per product, oldest first
STOP_ADVICE = 4
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def week_monday(week: str | date) -> date:
    """Monday of ``2026-W48`` (or of the ISO week containing a date)."""
    if isinstance(week, date):
        return week - timedelta(days=week.weekday())
    match = _WEEK.match(week.strip())
    if match is None:
        from kamdesk.services.dossier import DossierError

        raise DossierError(
            f"{week!r} is not an ISO week such as 2026-W48.", code="dossier.bad_week"
        )
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        from kamdesk.services.dossier import DossierError

        raise DossierError(f"{week} does not exist.", code="dossier.bad_week") from None


def build_route_brief(
    service: DossierService, week: str | date, lang: Lang, *, day: date | None = None
) -> dd.RouteBriefData:
    from kamdesk.services.dossier import DossierError, account_card, order_advice

    monday = week_monday(week)
    label = iso_week(monday)
    if day is not None and not monday <= day <= monday + timedelta(days=6):
        raise DossierError(f"{day} is not in {label}.", code="dossier.day_outside_week")
    store = service.store
    with store.session() as session:
        plan = session.scalars(
            select(VisitPlan)
            .where(VisitPlan.iso_week == label, VisitPlan.deleted.is_(False))
            .order_by(VisitPlan.updated_at.desc())
        ).first()
        if plan is None:
            raise DossierError(
                f"No visit plan is saved for {label}: plan the week first.",
                code="dossier.no_plan",
                week=label,
            )
        plan_days = [d for d in plan.days or [] if _day_of(d) is not None]
        if day is not None:
            plan_days = [d for d in plan_days if _day_of(d) == day]
        ids = sorted({s["account_id"] for d in plan_days for s in _visit_stops(d)})
        accounts = {
            a.id: a for a in session.scalars(select(Account).where(Account.id.in_(ids))).all()
        }
        names = sections.user_names(session)
        why = _why_due(session, monday, lang, set(ids))
        last = _last_visits(session, ids, monday)
        trends = _stock_trends(session, ids, monday)
        reminders = sections.open_reminders(session, ids)
        territory = session.get(Territory, plan.territory_id)
        manager = names.get(plan.user_id or "", "") or service.manager_name()
        cards = {i: account_card(session, a, names) for i, a in accounts.items()}
    # today's advice for a coming week (the latest knowledge), the Monday's for a past one
    lookup = service.advice_lookup(min(service.today(), monday), many=True)
    days: list[dd.RouteDay] = []
    for entry in plan_days:
        stops: list[dd.RouteStop] = []
        for seq, stop in enumerate(_visit_stops(entry), start=1):
            account_id = str(stop["account_id"])
            card = cards.get(account_id)
            if card is None or card.location is None:
                continue  # deleted since planning, or no coordinates: nothing to draw
            on, summary = last.get(account_id, (None, ""))
            open_tasks = [r.text for r in reminders.get(account_id, ())]
            stops.append(
                dd.RouteStop(
                    sequence=seq,
                    account_code=card.code,
                    account_name=card.name,
                    address=card.address,
                    location=card.location,
                    arrival=_clock(stop.get("start", stop.get("arrival"))),
                    departure=_clock(stop.get("departure")) if "departure" in stop else None,
                    business_format=card.business_format
                    if isinstance(card.business_format, BusinessFormat)
                    else None,
                    phone=card.phone,
                    opening_hours=card.opening_hours,
                    why_due=why.get(account_id, ()),
                    last_visit_on=on,
                    last_visit_summary=summary,
                    stock_trend=trends.get(account_id, ()),
                    advice=order_advice(*lookup(account_id), lang)[:STOP_ADVICE],
                    open_tasks=tuple(open_tasks),
                )
            )
        the_day = _day_of(entry)
        if stops and the_day is not None:
            leave, back = entry.get("leave"), entry.get("back")
            days.append(
                dd.RouteDay(
                    day=the_day,
                    stops=tuple(stops),
                    distance_km=_float(entry.get("travel_km")),
                    duration_minutes=int(back) - int(leave)
                    if isinstance(leave, int) and isinstance(back, int)
                    else None,
                )
            )
    if not days:
        where = f"{day}" if day is not None else label
        raise DossierError(
            f"The plan of {label} has no stops on {where}.", code="dossier.empty_plan", week=label
        )
    return dd.RouteBriefData(
        manager_name=manager,
        days=tuple(days),
        territory=territory.name if territory is not None else "",
    )


def _day_of(entry: Any) -> date | None:
    try:
        return date.fromisoformat(str(entry["day"]))
    except (KeyError, TypeError, ValueError):
        return None


def _visit_stops(entry: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [
        s
        for s in entry.get("stops", [])
        if isinstance(s, Mapping) and s.get("account_id") and s.get("visit_id")
    ]


def _clock(minute: Any) -> time:
    value = max(0, min(int(minute or 0), 24 * 60 - 1))
    return time(value // 60, value % 60)


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _why_due(
    session: Session, monday: date, lang: Lang, ids: set[str]
) -> dict[str, tuple[str, ...]]:
    """Why each shop is due that week: the planning rules' reasons, in the document language."""
    found = load_candidates(session, monday, PLANNING_ANOMALIES)
    out: dict[str, tuple[str, ...]] = {}
    for due in due_visits([c for c in found.candidates if c.account_id in ids], monday):
        out[due.account_id] = tuple(
            r.explanation.zh if lang is Lang.ZH else r.explanation.en for r in due.reasons
        )
    return out


def _last_visits(session: Session, ids: Sequence[str], monday: date) -> dict[str, tuple[date, str]]:
    """The latest visit before the week, per account."""
    cutoff = datetime(monday.year, monday.month, monday.day, tzinfo=CN_TZ).astimezone(UTC)
    when = func.coalesce(Visit.actual_start, Visit.planned_start)
    ranked = (
        select(
            Visit.account_id,
            when.label("at"),
            Visit.summary,
            func.row_number()
            .over(partition_by=Visit.account_id, order_by=(when.desc(), Visit.id.desc()))
            .label("rank"),
        )
        .where(
            Visit.account_id.in_(ids),
            Visit.deleted.is_(False),
            Visit.status == "done",
            when < cutoff,
        )
        .subquery()
    )
    out: dict[str, tuple[date, str]] = {}
    for account_id, at, summary in session.execute(
        select(ranked.c.account_id, ranked.c.at, ranked.c.summary).where(ranked.c.rank == 1)
    ):
        moment = sections.local(_as_datetime(at))
        if moment is not None:
            out[str(account_id)] = (moment.date(), str(summary or ""))
    return out


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _stock_trends(
    session: Session, ids: Sequence[str], monday: date
) -> dict[str, tuple[dd.StockTrend, ...]]:
    """The last few counts of each shop's most-counted products before the week."""
    ranked = (
        select(
            StockCount.account_id,
            StockCount.product_id,
            StockCount.counted_on,
            StockCount.quantity,
            func.row_number()
            .over(
                partition_by=(StockCount.account_id, StockCount.product_id),
                order_by=(StockCount.counted_on.desc(), StockCount.id.desc()),
            )
            .label("rank"),
        )
        .where(
            StockCount.account_id.in_(ids),
            StockCount.deleted.is_(False),
            StockCount.counted_on < monday,
        )
        .subquery()
    )
    rows = session.execute(
        select(
            ranked.c.account_id,
            Product.name,
            Product.unit_name,
            Product.price_tier,
            ranked.c.counted_on,
            ranked.c.quantity,
        )
        .join(Product, Product.id == ranked.c.product_id)
        .where(ranked.c.rank <= TREND_COUNTS)
    ).all()
    per: dict[str, dict[tuple[int, str, str], list[tuple[date, Decimal]]]] = {}
    for account_id, name, unit, tier, day, quantity in rows:
        counted = sections.as_date(day)
        if counted is None:
            continue
        key = (int(tier), str(name), str(unit))
        per.setdefault(str(account_id), {}).setdefault(key, []).append(
            (counted, Decimal(int(quantity)))
        )
    out: dict[str, tuple[dd.StockTrend, ...]] = {}
    for account_id, products in per.items():
        # the products counted most recently and most often, higher tiers first on ties
        chosen = sorted(products.items(), key=lambda kv: (-max(kv[1])[0].toordinal(), kv[0]))
        out[account_id] = tuple(
            dd.StockTrend(name, unit, tuple(sorted(counts)))
            for (_, name, unit), counts in chosen[:TREND_PRODUCTS]
        )
    return out
