"""Plain, frozen input for the PDF exports: the caller fills these from the database.

Nothing here knows about storage or layout. Free text (reasons, summaries, notes) arrives already
in the language the document is made in; fixed vocabulary arrives as enums and is worded by
:mod:`kamdesk.export.labels`. Money is ``Decimal`` in CNY; dates are local dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from enum import StrEnum

from kamdesk.domain.enums import (
    AbcTier,
    AccountStatus,
    BusinessFormat,
    ComplaintStatus,
    LifecycleStage,
    Loyalty,
    RelationshipGrade,
    VisitPurpose,
    VisitStatus,
)


class AdviceAction(StrEnum):
    """What the ordering advice says to do with one product."""

    ORDER_MORE = "order_more"  # 建议增订
    ORDER_LESS = "order_less"  # 建议减订
    KEEP = "keep"  # 保持
    REORDER_NOW = "reorder_now"  # 畅销品库存偏低，及时补货
    FIFO = "fifo"  # 库存偏高，先进先出消化
    MISSED = "missed"  # 漏订
    NEW_PRODUCT = "new_product"  # 新品上市
    HOLIDAY_STOCK = "holiday_stock"  # 节前备货


class ReminderKind(StrEnum):
    CALLBACK = "callback"  # 回访
    BIRTHDAY = "birthday"
    HOLIDAY = "holiday"
    REORDER = "reorder"
    DEBT = "debt"
    PROSPECT = "prospect"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class GeoPoint:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """One weekday (0 = Monday … 6 = Sunday); ``opens``/``closes`` both None means closed."""

    weekday: int
    opens: time | None
    closes: time | None


@dataclass(frozen=True, slots=True)
class AccountCard:
    """Header and 客户基本信息卡 of one retailer."""

    code: str
    name: str
    business_format: BusinessFormat
    status: AccountStatus
    manager_name: str
    abc_tier: AbcTier | None = None
    is_vip: bool = False
    is_key_account: bool = False
    lifecycle: LifecycleStage | None = None
    relationship_grade: RelationshipGrade | None = None
    loyalty: Loyalty | None = None
    licence_no: str = ""
    owner_name: str = ""
    phone: str = ""
    address: str = ""
    territory: str = ""
    location: GeoPoint | None = None
    opening_hours: tuple[OpeningHours, ...] = ()
    area_m2: float | None = None
    credit_limit: Decimal | None = None
    credit_terms_days: int | None = None


@dataclass(frozen=True, slots=True)
class BusinessCapability:
    """经营与能力: reach, assets and what the shop sells."""

    downstream_customers: int | None = None
    coverage: str = ""
    warehouse_m2: float | None = None
    vehicles: int | None = None
    staff: int | None = None
    capital: Decimal | None = None
    best_selling_brands: tuple[str, ...] = ()
    consumer_groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Birthday:
    """A birthday as the contact gives it; lunar ones are shown with this year's solar date."""

    month: int
    day: int
    lunar: bool = False
    leap_month: bool = False
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    role: str
    phone: str = ""
    birthday: Birthday | None = None
    interests: str = ""
    family: str = ""
    is_decision_maker: bool = False


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One scoring of the account (客户评价), every criterion and the total on 0–100."""

    evaluated_on: date
    enthusiasm: float
    capability: float
    credit: float
    social_relations: float
    potential: float
    total: float
    evaluator: str = ""
    comment: str = ""


@dataclass(frozen=True, slots=True)
class MonthlyPurchase:
    """Purchase amount of one price tier in one month (``month`` is the month's first day)."""

    month: date
    price_tier: str
    amount: Decimal
    quantity: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class ProductShare:
    product_name: str
    quantity: Decimal
    unit: str
    amount: Decimal
    share: float  # of the account's purchase amount over the same period, 0–1
    price_tier: str = ""


@dataclass(frozen=True, slots=True)
class StockLine:
    product_name: str
    on_hand: Decimal
    unit: str
    counted_on: date
    weekly_sales: Decimal | None = None
    weeks_of_cover: float | None = None


@dataclass(frozen=True, slots=True)
class OrderAdvice:
    product_name: str
    action: AdviceAction
    reasons: tuple[str, ...]
    suggested_quantity: Decimal | None = None
    unit: str = ""


@dataclass(frozen=True, slots=True)
class DebtItem:
    """One invoice and how much of it is paid (欠款与结算)."""

    invoiced_on: date
    reference: str
    amount: Decimal
    paid: Decimal
    due_on: date | None = None

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


@dataclass(frozen=True, slots=True)
class VisitRecord:
    visited_on: date
    purpose: VisitPurpose
    status: VisitStatus
    summary: str = ""
    started_at: time | None = None
    ended_at: time | None = None
    follow_up: str = ""
    visitor: str = ""


@dataclass(frozen=True, slots=True)
class ComplaintRecord:
    raised_on: date
    subject: str
    status: ComplaintStatus
    resolution: str = ""
    resolved_on: date | None = None


@dataclass(frozen=True, slots=True)
class ReminderItem:
    due_on: date
    kind: ReminderKind
    text: str


@dataclass(frozen=True, slots=True)
class NoteEntry:
    written_on: date
    text: str
    author: str = ""


@dataclass(frozen=True, slots=True)
class DossierData:
    """Everything one account dossier (客户档案) shows. Empty tuples print "暂无…" lines."""

    account: AccountCard
    capability: BusinessCapability | None = None
    contacts: tuple[Contact, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()
    purchases: tuple[MonthlyPurchase, ...] = ()
    price_tiers: tuple[str, ...] = ()  # display order of tiers, high to low; default: as met
    top_products: tuple[ProductShare, ...] = ()
    stock: tuple[StockLine, ...] = ()
    advice: tuple[OrderAdvice, ...] = ()
    debts: tuple[DebtItem, ...] = ()  # unpaid ones are listed, settled ones summed
    visits: tuple[VisitRecord, ...] = ()
    complaints: tuple[ComplaintRecord, ...] = ()  # all of them, open and resolved
    reminders: tuple[ReminderItem, ...] = ()  # open ones only: the caller filters
    notes: tuple[NoteEntry, ...] = ()
    as_of: date | None = None  # "today" for the 18-month window and birthdays; default: export day


@dataclass(frozen=True, slots=True)
class StockTrend:
    """Stock counts of one product at recent visits, oldest first."""

    product_name: str
    unit: str
    counts: tuple[tuple[date, Decimal], ...]


@dataclass(frozen=True, slots=True)
class RouteStop:
    """One stop of a day's route, in visit order (``sequence`` starts at 1)."""

    sequence: int
    account_code: str
    account_name: str
    address: str
    location: GeoPoint
    arrival: time
    departure: time | None = None
    business_format: BusinessFormat | None = None
    phone: str = ""
    opening_hours: tuple[OpeningHours, ...] = ()
    why_due: tuple[str, ...] = ()
    last_visit_on: date | None = None
    last_visit_summary: str = ""
    stock_trend: tuple[StockTrend, ...] = ()
    advice: tuple[OrderAdvice, ...] = ()
    open_tasks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RouteDay:
    day: date
    stops: tuple[RouteStop, ...]
    start: GeoPoint | None = None  # depot or home; drawn as a square on the map
    start_label: str = ""
    distance_km: float | None = None
    duration_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class RouteBriefData:
    """A planned day or week: one cover per day with its map, then one page per stop."""

    manager_name: str
    days: tuple[RouteDay, ...]
    territory: str = ""
