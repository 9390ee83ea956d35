"""Plain input records of the ordering core (what the database layer hands in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kamdesk.domain.enums import AbcTier, BusinessFormat, Loyalty, ProductStatus
from kamdesk.domain.ordering.errors import InvalidInputError


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """A product as ordering sees it; quantities are in selling units (e.g. 条 cartons)."""

    product_id: str
    name: str
    price_tier: int  # 1 (cheapest) .. 5 (premium)
    pack_size: int  # order pack in selling units (e.g. 50 cartons per 件 case)
    wholesale_price: float  # per selling unit, what the shop pays
    retail_price: float  # per selling unit, what the shop charges
    status: ProductStatus = ProductStatus.ACTIVE
    is_new: bool = False
    launch_date: date | None = None
    allocation_quota: int | None = None  # max units per order window (货源投放 quota)

    def __post_init__(self) -> None:
        if not 1 <= self.price_tier <= 5:
            raise InvalidInputError(f"{self.product_id}: price tier {self.price_tier} not in 1..5")
        if self.pack_size < 1:
            raise InvalidInputError(f"{self.product_id}: pack size must be >= 1")
        if self.wholesale_price < 0 or self.retail_price < 0:
            raise InvalidInputError(f"{self.product_id}: prices must be >= 0")
        if self.allocation_quota is not None and self.allocation_quota < 0:
            raise InvalidInputError(f"{self.product_id}: allocation quota must be >= 0")


@dataclass(frozen=True, slots=True)
class AccountInfo:
    account_id: str
    name: str
    business_format: BusinessFormat
    abc_tier: AbcTier = AbcTier.B
    loyalty: Loyalty = Loyalty.NONE
    lead_time_days: int = 7
    credit_limit: float | None = None  # None: no credit rule
    outstanding_debt: float = 0.0

    def __post_init__(self) -> None:
        if self.lead_time_days < 0:
            raise InvalidInputError(f"{self.account_id}: lead time must be >= 0 days")
        if self.outstanding_debt < 0:
            raise InvalidInputError(f"{self.account_id}: outstanding debt must be >= 0")


@dataclass(frozen=True, slots=True)
class Delivery:
    """Goods received by the shop (a purchase, 进货) on ``day``."""

    day: date
    product_id: str
    qty: float


@dataclass(frozen=True, slots=True)
class StockCount:
    """Stock counted at a visit on ``day`` (after that day's deliveries and sales)."""

    day: date
    product_id: str
    qty: float


@dataclass(frozen=True, slots=True)
class OpenOrder:
    """Ordered but not yet delivered."""

    product_id: str
    qty: float


@dataclass(frozen=True, slots=True)
class Promotion:
    """A planned promotion for a product (all accounts, or one) from ``start`` to ``end``."""

    product_id: str
    start: date
    end: date
    account_id: str | None = None


@dataclass(frozen=True, slots=True)
class PriceChange:
    """Retail price of a product from ``day`` on (planned changes may lie in the future)."""

    product_id: str
    day: date
    retail_price: float


@dataclass(frozen=True, slots=True)
class AccountHistory:
    account_id: str
    deliveries: tuple[Delivery, ...] = ()
    counts: tuple[StockCount, ...] = ()
    open_orders: tuple[OpenOrder, ...] = ()


@dataclass(frozen=True, slots=True)
class MarketPlan:
    """Known future information the forecaster may use (planned prices and promotions)."""

    promotions: tuple[Promotion, ...] = ()
    price_changes: tuple[PriceChange, ...] = field(default_factory=tuple)
