"""A real app on a temporary SQLite file, a movable clock, and a small seeded team.

Migrations run once per session into a template file that each test copies, so a test pays for
a file copy rather than for Alembic.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; httpx (installed) still works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from kamdesk.db.migrate import upgrade
from kamdesk.server.admin import territories as territory_admin
from kamdesk.server.admin import users as user_admin
from kamdesk.server.app import create_app
from kamdesk.server.settings import SQLITE_FILENAME, ServerSettings
from tests.server.pg import pg_url  # noqa: F401 - session fixture for the pg tests

PASSWORD = "correct horse 1"
CHEAP_ARGON2: dict[str, Any] = {
    "argon2_time_cost": 1,
    "argon2_memory_kib": 8,
    "argon2_parallelism": 1,
}


@dataclass
class FakeClock:
    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class Team:
    """Two territories with a manager each, a supervisor and an admin (ids by key)."""

    territories: dict[str, str] = field(default_factory=dict)  # code -> id
    users: dict[str, str] = field(default_factory=dict)  # username -> id


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("server_template") / SQLITE_FILENAME
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def make_settings(data_dir: Path, **overrides: Any) -> ServerSettings:
    return ServerSettings(data_dir=data_dir, **{**CHEAP_ARGON2, **overrides})


@pytest.fixture
def data_dir(tmp_path: Path, migrated_template: Path) -> Path:
    target = tmp_path / "server"
    target.mkdir(mode=0o700)
    shutil.copyfile(migrated_template, target / SQLITE_FILENAME)
    return target


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(data_dir: Path) -> ServerSettings:
    return make_settings(data_dir)


@pytest.fixture
def app(settings: ServerSettings, clock: FakeClock) -> Iterator[FastAPI]:
    application = create_app(settings, clock=clock)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def team(app: FastAPI) -> Team:
    result = Team()
    passwords = app.state.auth.passwords
    with app.state.sessions() as session:
        for code, name in (("T1", "东城"), ("T2", "西城")):
            result.territories[code] = territory_admin.add_territory(session, code, name).id
        for username, role, territory in (
            ("mgr1", "manager", "T1"),
            ("mgr2", "manager", "T2"),
            ("sup", "supervisor", None),
            ("admin", "admin", None),
        ):
            created = user_admin.create_user(
                session,
                passwords,
                username=username,
                role=role,
                territory_code=territory,
                password=PASSWORD,
            )
            result.users[username] = created.user.id
        session.commit()
    return result


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


CLIENT_IDS = {
    "mgr1": "0190a0a0-0000-7000-8000-000000000001",
    "mgr2": "0190a0a0-0000-7000-8000-000000000002",
    "sup": "0190a0a0-0000-7000-8000-000000000003",
    "admin": "0190a0a0-0000-7000-8000-000000000004",
}


def login(client: TestClient, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    body = {
        "username": username,
        "password": password,
        "client_id": CLIENT_IDS.get(username, "0190a0a0-0000-7000-8000-0000000000ff"),
    }
    body.update(extra)
    return client.post("/v1/auth/login", json=body)


def tokens(client: TestClient, username: str) -> dict[str, Any]:
    response = login(client, username)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth_headers(client: TestClient, team: Team) -> dict[str, dict[str, str]]:
    return {name: bearer(tokens(client, name)["access_token"]) for name in CLIENT_IDS}
