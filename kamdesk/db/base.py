"""Declarative base, naming convention and the columns every synced row carries (see sync.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, MetaData, String, false
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from kamdesk.ids import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive text)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Synced:
    """Columns of every row that travels through sync.

    ``id`` is generated on the client (UUIDv7), ``srv_seq`` is the server change-log sequence of
    the version applied locally (0 = never seen by the server), ``deleted`` is the tombstone.
    """

    __sync_partition__: str = "territory"  # or "reference" for shared reference data
    __sync_mode__: str = "fields"  # "fields" (per-field merge) | "insert" (insert-only events)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=uuid7)
    srv_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class FieldVersioned:
    """Per-field server sequence, so a merge can be per field (account cards and contacts)."""

    field_seq: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
