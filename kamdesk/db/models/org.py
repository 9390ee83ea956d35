"""Territories (片区) and the people who work them."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kamdesk.db.base import Base, Synced


class Territory(Synced, Base):
    __tablename__ = "territory"
    __sync_partition__ = "reference"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(50), default="")


class User(Synced, Base):
    """A manager, supervisor or admin as the desktop knows them (credentials live on the server)."""

    __tablename__ = "app_user"
    __sync_partition__ = "reference"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default="manager")
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territory.id"), index=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
