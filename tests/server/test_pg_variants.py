"""The same auth, rate-limit and territory-isolation tests on PostgreSQL (row locks, real
transactions, a different SQL dialect). The module overrides ``settings`` so the shared
fixtures build the app on a private PostgreSQL database, emptied between tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, text

from kamdesk.db.migrate import upgrade
from kamdesk.server.settings import ServerSettings
from tests.server.conftest import make_settings
from tests.server.test_audit import (  # noqa: F401 - collected here against PostgreSQL
    test_audit_exports_csv_and_filters_by_time,
    test_managers_cannot_read_the_audit_trail,
    test_supervisor_reads_who_changed_an_account_and_its_records,
)
from tests.server.test_auth import (  # noqa: F401 - collected here against PostgreSQL
    test_disabled_user_is_refused_at_once,
    test_refresh_rotates_and_reuse_revokes_the_family,
    test_retry_within_grace_after_a_lost_answer_continues_the_chain,
    test_revoked_device_is_refused_everywhere,
)
from tests.server.test_rate_limit import (  # noqa: F401
    test_five_failures_lock_the_user_then_the_window_passes,
    test_spraying_from_one_address_is_throttled,
)
from tests.server.test_security_matrix import (  # noqa: F401
    seeded,
    test_manager_cannot_reach_the_other_territory_by_any_route,
    test_pull_returns_only_the_tokens_partitions,
    test_push_aimed_at_another_territory_is_refused_and_writes_nothing,
    test_reassignment_moves_the_account_between_managers,
)

pytestmark = pytest.mark.pg


@pytest.fixture(scope="module")
def pg_migrated(pg_url: str) -> str:
    engine = create_engine(pg_url)
    upgrade(engine)
    engine.dispose()
    return pg_url


@pytest.fixture
def pg_empty(pg_migrated: str) -> Iterator[str]:
    yield pg_migrated
    engine = create_engine(pg_migrated)
    with engine.begin() as conn:
        tables = conn.scalars(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).all()
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def settings(data_dir: Path, pg_empty: str) -> ServerSettings:
    return make_settings(data_dir, database_url=pg_empty)


def test_small_sync_requests_run_on_the_event_loop(app: FastAPI) -> None:
    # PostgreSQL never makes a small request wait for another writer's lock: the tests above
    # therefore exercise the inline path (the SQLite server's pool path: test_event_loop.py)
    assert app.state.inline_db is True
