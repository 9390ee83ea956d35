"""Models match migrations, and every revision upgrades, downgrades and upgrades again.

Run on the desktop's SQLCipher store and on the server's PostgreSQL.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect

from kamdesk.db import migrate
from kamdesk.db.engine import make_engine
from kamdesk.db.models import Base


def _diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _stairway(engine: Engine) -> None:
    previous = "base"
    for revision in _revisions():
        migrate.upgrade(engine, revision)
        assert migrate.current_revision(engine) == revision
        migrate.downgrade(engine, previous)
        migrate.upgrade(engine, revision)
        previous = revision


@pytest.fixture
def sqlcipher_engine(tmp_path: Path) -> Engine:
    return make_engine(tmp_path / "m.db", secrets.token_bytes(32))


def test_sqlite_models_match_migrations(sqlcipher_engine: Engine) -> None:
    assert migrate.upgrade(sqlcipher_engine) is True
    assert _diff(sqlcipher_engine) == []
    assert migrate.upgrade(sqlcipher_engine) is False  # already at head: nothing to do


def test_sqlite_stairway(sqlcipher_engine: Engine) -> None:
    _stairway(sqlcipher_engine)
    assert set(inspect(sqlcipher_engine).get_table_names()) >= set(Base.metadata.tables)


def test_newer_schema_is_refused(sqlcipher_engine: Engine) -> None:
    migrate.upgrade(sqlcipher_engine)
    with sqlcipher_engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'fffffffffff'")
    with pytest.raises(Exception, match="newer KAMDesk"):
        migrate.upgrade(sqlcipher_engine)


@pytest.mark.pg
def test_postgres_models_match_migrations_and_stairway(pg_url: str) -> None:
    engine = create_engine(pg_url)
    try:
        _stairway(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert _diff(engine) == []
        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
    finally:
        engine.dispose()
