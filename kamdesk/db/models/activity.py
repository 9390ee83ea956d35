"""What happens in the field: visits, weekly visit plans, reminders, complaints, knowledge base."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kamdesk.db.base import Base, Synced, UTCDateTime


class Visit(Synced, Base):
    __tablename__ = "visit"

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    user_id: Mapped[str | None] = mapped_column(String(36))
    visit_plan_id: Mapped[str | None] = mapped_column(ForeignKey("visit_plan.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(24), default="routine")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    planned_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    planned_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actual_start: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    actual_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # {display_ok, price_compliant, out_of_channel, counterfeit, ...}
    checklist: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # {sell_through, repurchase, consumer_comments}
    feedback: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")
    follow_ups: Mapped[list[Any]] = mapped_column(JSON, default=list)


class VisitPlan(Synced, Base):
    """A week's plan: the ordered stops per day as the optimiser (or the manager) left them."""

    __tablename__ = "visit_plan"

    user_id: Mapped[str | None] = mapped_column(String(36), index=True)
    territory_id: Mapped[str] = mapped_column(ForeignKey("territory.id"), index=True)
    iso_week: Mapped[str] = mapped_column(String(8))  # e.g. 2026-W48
    status: Mapped[str] = mapped_column(String(16), default="draft")
    days: Mapped[list[Any]] = mapped_column(JSON, default=list)
    dropped: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Reminder(Synced, Base):
    __tablename__ = "reminder"

    account_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contact.id"))
    kind: Mapped[str] = mapped_column(String(24))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    dedup_key: Mapped[str] = mapped_column(String(120), unique=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    snoozed_until: Mapped[date | None] = mapped_column(Date)


class Complaint(Synced, Base):
    __tablename__ = "complaint"

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_on: Mapped[date | None] = mapped_column(Date)


class KnowledgeArticle(Synced, Base):
    """服务知识库: standard answers to common questions."""

    __tablename__ = "knowledge_article"
    __sync_partition__ = "reference"

    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32), default="")
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
