"""A real team server (the server tests' app and team, reused by import) and desktop workspaces
that reach it over HTTP through an ASGI test client."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kamdesk.db.engine import Store
from kamdesk.services.sync_session import SyncSession
from kamdesk.settings import Settings
from tests.server.conftest import PASSWORD, Team
from tests.sync.harness import new_client

with warnings.catch_warnings():  # starlette nags about httpx vs httpx2 at import time
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SERVER_URL = "http://testserver"


class Workspaces:
    """Desktop workspaces (each its own SQLite file) signed in to one in-process server."""

    def __init__(self, root: Path, server: FastAPI, team: Team) -> None:
        self.root = root
        self.server = server
        self.team = team
        self.stores: list[Store] = []
        self.sessions: list[SyncSession] = []

    def http(self, base_url: str) -> httpx.Client:
        return TestClient(self.server, base_url=base_url)

    def session(self, username: str | None = None) -> SyncSession:
        store = new_client(self.root / f"ws-{len(self.stores)}.kamdesk")
        self.stores.append(store)
        session = SyncSession(
            store,
            Settings(),
            http_factory=self.http,
            engine_options={"sleep": lambda _s: None, "retries": 0},
        )
        self.sessions.append(session)
        if username is not None:
            session.sign_in(SERVER_URL, username, PASSWORD)
        return session

    def close(self) -> None:
        for session in self.sessions:
            session.close()
        for store in self.stores:
            store.close()


@pytest.fixture
def workspaces(tmp_path: Path, app: FastAPI, team: Team) -> Iterator[Workspaces]:
    spaces = Workspaces(tmp_path, app, team)
    yield spaces
    spaces.close()


def field_conflict(spaces: Workspaces) -> tuple[SyncSession, SyncSession, str]:
    """Two devices of mgr1 edit one account's remarks; B syncs last and holds the conflict."""
    from tests.sync import local_ops

    a, b = spaces.session("mgr1"), spaces.session("mgr1")
    a.engine().sync_once()
    account = local_ops.create_account(
        a.store,
        spaces.team.territories["T1"],
        {"code": "HF-002", "name": "蜀山便利店", "business_format": "convenience"},
    )
    a.engine().sync_once()
    b.engine().sync_once()
    local_ops.update_account(a.store, account, {"remarks": "A"})
    local_ops.update_account(b.store, account, {"remarks": "B"})
    a.engine().sync_once()
    b.engine().sync_once()
    return a, b, account
