"""Fixtures: an in-process sync server and desktop clients (copies of migrated templates)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.engine import Store
from kamdesk.server.sync.info import DEFAULT_POLICY, SyncPolicy
from kamdesk.sync.engine import SyncEngine
from kamdesk.sync.inprocess import InProcessTransport
from kamdesk.sync.upgrade import Upgraders
from tests.sync import harness


@dataclass
class World:
    root: Path
    sessions: sessionmaker[Session]
    policy: SyncPolicy = DEFAULT_POLICY
    stores: list[Store] = field(default_factory=list)

    def client(
        self,
        username: str,
        *,
        schema: int = 1,
        upgraders: Upgraders | None = None,
        page_size: int = 500,
    ) -> tuple[Store, SyncEngine]:
        store = harness.new_client(self.root / f"{username}-{len(self.stores)}.kamdesk")
        self.stores.append(store)
        transport = InProcessTransport(
            self.sessions, harness.principal_for(username), lambda: self.policy
        )
        engine = SyncEngine(
            store,
            transport,
            schema_version=schema,
            upgraders=upgraders or Upgraders(),
            page_size=page_size,
            first_sync_page_size=page_size,
            sleep=lambda _s: None,
        )
        return store, engine

    def engine_for(self, store: Store, username: str, **kwargs: object) -> SyncEngine:
        if "page_size" in kwargs:
            kwargs.setdefault("first_sync_page_size", kwargs["page_size"])
        transport = InProcessTransport(
            self.sessions, harness.principal_for(username), lambda: self.policy
        )
        return SyncEngine(store, transport, sleep=lambda _s: None, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = World(tmp_path, harness.new_server(tmp_path / "server.sqlite"))
    yield w
    for store in w.stores:
        store.close()
    w.sessions.kw["bind"].dispose()


Synced = Callable[..., None]
