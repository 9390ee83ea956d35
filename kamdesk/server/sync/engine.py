"""Connection settings the sync server relies on when it runs on SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")  # a mutation naming a missing row is refused
        cursor.execute("PRAGMA journal_mode = WAL")  # readers never block the single writer
        cursor.execute("PRAGMA busy_timeout = 30000")  # writers queue instead of failing
        cursor.execute("PRAGMA synchronous = FULL")  # an acknowledged mutation survives power loss
    finally:
        cursor.close()


def configure_sync_engine(engine: Engine) -> Engine:
    """Call once on the server engine (no-op on PostgreSQL)."""
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_pragmas):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine
