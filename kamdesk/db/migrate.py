"""Schema migrations (Alembic, configured in code) for the local store and the server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from kamdesk.db import deferred_indexes
from kamdesk.errors import SchemaError
from kamdesk.paths import migrations_dir


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise SchemaError("No migrations are installed.")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade(
    engine: Engine,
    revision: str = "head",
    *,
    before_apply: Callable[[str | None, str], None] | None = None,
) -> bool:
    """Bring the schema to ``revision``; returns whether anything was applied.

    A database written by a newer KAMDesk (unknown revision) is refused rather than touched.
    ``before_apply(current, target)`` runs just before migrations are applied to an existing
    (already versioned) store, e.g. to take a pre-migration backup; never for a new database.
    """
    before = current_revision(engine)
    if before is not None:
        _restore_deferred_indexes(engine)
    if before is not None and before not in known_revisions():
        raise SchemaError(
            f"The database was written by a newer KAMDesk (schema {before}); update the app.",
            code="store.schema_newer",
        )
    if before == head_revision() and revision == "head":
        return False
    if before_apply is not None and before is not None and before != revision:
        before_apply(before, revision)
    with _transaction(engine) as conn:
        command.upgrade(alembic_config(connection=conn), revision)
    return current_revision(engine) != before


def _restore_deferred_indexes(engine: Engine) -> None:
    """Indexes a first sync dropped come back on open: a migration may refer to them, and a
    store whose sync stopped half-way must not stay without them (the next page drops them
    again). Reads first, so an up-to-date store is not written at all."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        if not inspect(conn).has_table("sync_state") or not deferred_indexes.recorded(conn):
            return
    with _transaction(engine) as conn:
        deferred_indexes.restore(conn)


def downgrade(engine: Engine, revision: str) -> None:
    with _transaction(engine) as conn:
        command.downgrade(alembic_config(connection=conn), revision)


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    """One real transaction around all DDL, so a crash never leaves a half-migrated schema.

    The sqlite3 driver only opens a transaction before INSERT/UPDATE/DELETE and runs DDL in
    autocommit mode, so on SQLite we switch the driver to autocommit and BEGIN ourselves
    (the crash tests in tests/e2e/crash found half-created tables without this).
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:
        raw: Any = conn.connection.driver_connection
        saved = raw.isolation_level
        raw.isolation_level = None
        try:
            with conn.begin():
                if not raw.in_transaction:  # engines with a "begin" event already sent BEGIN
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                yield conn
        finally:
            raw.isolation_level = saved
