"""Products, purchases (进货), stock counts, monthly sales plans, orders and advice decisions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kamdesk.db.base import Base, Synced


class Product(Synced, Base):
    __tablename__ = "product"
    __sync_partition__ = "reference"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    brand: Mapped[str] = mapped_column(String(50))
    manufacturer: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(32), default="cigarette")
    price_tier: Mapped[int] = mapped_column(Integer)  # 1 (highest) .. 5 (lowest)
    wholesale_price_fen: Mapped[int] = mapped_column(BigInteger)  # per sales unit
    retail_price_fen: Mapped[int] = mapped_column(BigInteger)
    unit_name: Mapped[str] = mapped_column(String(8), default="条")
    pack_unit: Mapped[str] = mapped_column(String(8), default="件")
    pack_size: Mapped[int] = mapped_column(Integer, default=50)  # units per ordering pack
    allocation_quota: Mapped[int | None] = mapped_column(Integer)  # units per account per week
    is_new: Mapped[bool] = mapped_column(Boolean, default=False)
    launch_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")


class PurchaseLine(Synced, Base):
    """One product line of a purchase; insert-only, corrections void a line by a new one."""

    __tablename__ = "purchase_line"
    __sync_mode__ = "insert"
    __table_args__ = (Index("ix_purchase_line_account_day", "account_id", "purchased_on"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    purchased_on: Mapped[date] = mapped_column(Date, index=True)
    order_ref: Mapped[str] = mapped_column(String(40), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    settled: Mapped[bool] = mapped_column(Boolean, default=True)
    outstanding_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    voids_id: Mapped[str | None] = mapped_column(String(36))


class StockCount(Synced, Base):
    """An observation of the shelf and store room; every count is kept."""

    __tablename__ = "stock_count"
    __sync_mode__ = "insert"
    __table_args__ = (Index("ix_stock_count_account_day", "account_id", "counted_on"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visit.id"), index=True)
    counted_on: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)


class SalesPlan(Synced, Base):
    """Monthly target per account and product (月度销售计划)."""

    __tablename__ = "sales_plan"

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"))
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    target_quantity: Mapped[int] = mapped_column(Integer)
    target_amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class SalesOrder(Synced, Base):
    """An order the manager drafts with the retailer; editable while draft, then server-driven."""

    __tablename__ = "sales_order"

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    order_window: Mapped[date | None] = mapped_column(Date)
    submitted_by: Mapped[str | None] = mapped_column(String(36))
    status_reason: Mapped[str] = mapped_column(Text, default="")
    lines: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{product_id, quantity}]


class AdviceDecision(Synced, Base):
    """Accept or dismiss of one advice item, kept as history with what was advised."""

    __tablename__ = "advice_decision"
    __sync_mode__ = "insert"

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    product_id: Mapped[str | None] = mapped_column(ForeignKey("product.id"))
    kind: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))  # accepted | dismissed
    decided_by: Mapped[str | None] = mapped_column(String(36))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
