"""Client-only bookkeeping: the outbox, sync state, conflicts the user must see, and audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kamdesk.db.base import Base, UTCDateTime, utcnow


class OutboxEntry(Base):
    """A named mutation waiting for (or answered by) the server; written with the local edit."""

    __tablename__ = "outbox"

    mutation_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(48))
    version: Mapped[int] = mapped_column(Integer, default=1)
    entity_table: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    base: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field -> server seq seen
    hlc: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SyncState(Base):
    """Key/value sync bookkeeping (client id, cursors, first-sync progress, server schema range)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(48), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SyncConflict(Base):
    """A conflict or rejection the user must see in the Sync issues panel."""

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # field | master_data | deleted | moved | rejected
    kind: Mapped[str] = mapped_column(String(16))
    entity_table: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str | None] = mapped_column(String(48))
    base_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    their_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    your_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str | None] = mapped_column(String(16))


class AuditEntry(Base):
    """Who changed what and when on this desktop: its own mutations (``source`` "local") and,
    after the first sync, changes other users made that arrived by pull (``source`` "server",
    ``client_id`` the writing client). The server keeps its own trail in the change log.

    ``account_id`` relates a child row's change (contact, visit, note...) to its account card;
    ``before`` holds the old value of each changed field where it was known.
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[str | None] = mapped_column(String(36))
    entity_table: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(48))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    account_id: Mapped[str | None] = mapped_column(String(36), index=True)
    source: Mapped[str] = mapped_column(String(8), default="local", server_default="local")
    client_id: Mapped[str | None] = mapped_column(String(36))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
