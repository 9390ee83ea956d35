"""The account card (客户档案) and what hangs directly off it: contacts, notes, evaluations."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kamdesk.db.base import Base, FieldVersioned, Synced

# Fields the back office owns: a manager's edit to one becomes a conflict for a supervisor.
MASTER_DATA_FIELDS = frozenset({"legal_name", "licence_no", "credit_limit_fen", "price_group"})


class Account(Synced, FieldVersioned, Base):
    __tablename__ = "account"

    # identity
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(100))
    legal_name: Mapped[str] = mapped_column(String(150), default="")
    licence_no: Mapped[str] = mapped_column(String(32), default="", index=True)
    licence_expiry: Mapped[date | None] = mapped_column(Date)
    owner_name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    business_format: Mapped[str] = mapped_column(String(24), index=True)
    # where
    territory_id: Mapped[str] = mapped_column(ForeignKey("territory.id"), index=True)
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[str] = mapped_column(String(50), default="")
    street: Mapped[str] = mapped_column(String(100), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # [[[open_min, close_min], ...] for Monday .. Sunday]; an empty day list = closed that day
    opening_hours: Mapped[list[Any]] = mapped_column(JSON, default=list)
    area_m2: Mapped[float | None] = mapped_column(Float)
    # state and classifications
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    lifecycle_stage: Mapped[str] = mapped_column(String(16), default="prospect")
    lifecycle_override: Mapped[str | None] = mapped_column(String(16))
    relationship_grade: Mapped[str | None] = mapped_column(String(1))
    loyalty: Mapped[str | None] = mapped_column(String(16))
    abc_tier: Mapped[str] = mapped_column(String(1), default="C", index=True)
    abc_override: Mapped[str | None] = mapped_column(String(1))
    vip_state: Mapped[str] = mapped_column(String(16), default="none")
    vip_requested_by: Mapped[str | None] = mapped_column(String(36))
    vip_decided_by: Mapped[str | None] = mapped_column(String(36))
    key_account_state: Mapped[str] = mapped_column(String(16), default="none")
    key_account_decided_by: Mapped[str | None] = mapped_column(String(36))
    man_money: Mapped[bool | None] = mapped_column(Boolean)
    man_authority: Mapped[bool | None] = mapped_column(Boolean)
    man_need: Mapped[bool | None] = mapped_column(Boolean)
    # money
    credit_limit_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_terms_days: Mapped[int] = mapped_column(Integer, default=0)
    price_group: Mapped[str] = mapped_column(String(16), default="")
    lead_time_days: Mapped[int] = mapped_column(Integer, default=7)
    # capability (经营能力)
    downstream_customers: Mapped[int | None] = mapped_column(Integer)
    coverage: Mapped[str] = mapped_column(String(200), default="")
    warehouse_m2: Mapped[float | None] = mapped_column(Float)
    vehicles: Mapped[int | None] = mapped_column(Integer)
    staff: Mapped[int | None] = mapped_column(Integer)
    capital_fen: Mapped[int | None] = mapped_column(BigInteger)
    best_selling_brands: Mapped[list[Any]] = mapped_column(JSON, default=list)
    consumer_groups: Mapped[list[Any]] = mapped_column(JSON, default=list)
    tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    remarks: Mapped[str] = mapped_column(Text, default="")
    # search index, maintained by the services layer (pinyin of name, owner and contacts)
    search_text: Mapped[str] = mapped_column(Text, default="")


class Contact(Synced, FieldVersioned, Base):
    __tablename__ = "contact"

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    birthday: Mapped[date | None] = mapped_column(Date)  # solar birthday when not lunar
    birthday_lunar: Mapped[bool] = mapped_column(Boolean, default=False)
    lunar_month: Mapped[int | None] = mapped_column(Integer)
    lunar_day: Mapped[int | None] = mapped_column(Integer)
    lunar_leap: Mapped[bool] = mapped_column(Boolean, default=False)
    interests: Mapped[str] = mapped_column(String(200), default="")
    family_notes: Mapped[str] = mapped_column(Text, default="")
    is_decision_maker: Mapped[bool] = mapped_column(Boolean, default=False)


class AccountNote(Synced, Base):
    """Append-only note entries: notes are never overwritten as a whole text."""

    __tablename__ = "account_note"
    __sync_mode__ = "insert"

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    author_id: Mapped[str | None] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)


class Evaluation(Synced, Base):
    """One dated evaluation (客户评价); scores 1-5, history kept."""

    __tablename__ = "evaluation"
    __sync_mode__ = "insert"

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    evaluated_on: Mapped[date] = mapped_column(Date)
    evaluator_id: Mapped[str | None] = mapped_column(String(36))
    enthusiasm: Mapped[int] = mapped_column(Integer)
    flexibility: Mapped[int] = mapped_column(Integer)
    distribution_reach: Mapped[int] = mapped_column(Integer)
    capital_strength: Mapped[int] = mapped_column(Integer)
    brands_held: Mapped[int] = mapped_column(Integer)
    logistics: Mapped[int] = mapped_column(Integer)  # storage, vehicles and staff
    credit: Mapped[int] = mapped_column(Integer)
    social_relations: Mapped[int] = mapped_column(Integer)
    potential: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class Attachment(Synced, Base):
    """Contract copies and photos, stored inside the encrypted database."""

    __tablename__ = "attachment"
    __sync_mode__ = "insert"

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(deferred=True)
