"""Secondary indexes of the big history tables, dropped while a first sync fills them.

Inserting two million purchase lines into a table with secondary indexes on random keys
dirties index pages all over the file on every commit, and SQLCipher re-encrypts each of them;
building an index once at the end is one sorted pass. The dropped indexes' own ``CREATE``
statements are kept in ``sync_state`` in the same transaction as the drop, so exactly what was
there comes back whatever schema version wrote it, and a crash mid-sync leaves the record
beside the missing indexes. Each statement writes its row first: the sqlite3 driver only opens
a transaction before DML, and DDL run outside one would commit on its own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, text

from kamdesk.db.models import SyncState

DEFERRED_TABLES = ("purchase_line", "stock_count")
KEY = "deferred_indexes"  # sync_state key: {index name: its CREATE statement}


def recorded(conn: Connection) -> dict[str, str]:
    """The indexes currently dropped, by name (empty when none are)."""
    value: Any = conn.execute(select(SyncState.value).where(SyncState.key == KEY)).scalar()
    return {str(k): str(v) for k, v in (value or {}).items()}


def defer(conn: Connection) -> list[str]:
    """Drop the secondary indexes of ``DEFERRED_TABLES`` and record how to rebuild them."""
    if conn.dialect.name != "sqlite":
        return []
    rows = conn.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN (" + ", ".join(f"'{t}'" for t in DEFERRED_TABLES) + ")"
        )
    ).all()
    if not rows:
        return []
    saved = recorded(conn)
    saved.update({str(name): str(sql) for name, sql in rows})
    conn.execute(delete(SyncState).where(SyncState.key == KEY))
    conn.execute(insert(SyncState).values(key=KEY, value=saved))
    for name, _sql in rows:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return sorted(str(name) for name, _sql in rows)


def restore(conn: Connection) -> list[str]:
    """Rebuild every recorded index that is missing and forget the record."""
    if conn.dialect.name != "sqlite":
        return []
    saved = recorded(conn)
    if not saved:
        return []
    conn.execute(delete(SyncState).where(SyncState.key == KEY))
    present = set(
        conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars()
    )
    built = []
    for name, sql in sorted(saved.items()):
        if name not in present:
            conn.exec_driver_sql(sql)
            built.append(name)
    return built
