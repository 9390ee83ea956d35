"""A private PostgreSQL database per test session (parallel engineers must not collide).

``KAMDESK_TEST_PG_URL`` names a server we may create databases on. Without it, a throwaway
cluster is started with pytest-postgresql when its binaries exist (not as root: PostgreSQL
refuses); otherwise the test is skipped with the reason.
"""

from __future__ import annotations

import glob
import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "KAMDESK_TEST_PG_URL"


def _admin_url(request: pytest.FixtureRequest) -> str:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not binaries or os.geteuid() == 0:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/"
            "test); no throwaway cluster possible here (no binaries, or running as root)"
        )
    from pytest_postgresql.executor import PostgreSQLExecutor  # pragma: no cover

    tmp = request.getfixturevalue("tmp_path_factory").mktemp("pgcluster")  # pragma: no cover
    executor = PostgreSQLExecutor(  # pragma: no cover
        executable=binaries[-1],
        host="127.0.0.1",
        port=0,
        user="postgres",
        options="",
        startparams="-w",
        datadir=str(tmp / "data"),
        unixsocketdir=str(tmp),
        logfile=str(tmp / "pg.log"),
        dbname="postgres",
        postgres_options="",
    )
    executor.start()  # pragma: no cover
    request.addfinalizer(executor.stop)  # pragma: no cover
    return f"postgresql+psycopg://postgres@127.0.0.1:{executor.port}/postgres"  # pragma: no cover


@pytest.fixture(scope="session")
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """URL of a fresh, empty database that is dropped after the session."""
    admin = make_url(_admin_url(request))
    name = f"kamdesk_{secrets.token_hex(6)}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
