"""A small world for sync tests: one in-process server (SQLite file) and desktop workspaces.

Migrating is the slow part, so one migrated server database and one migrated (encrypted)
workspace are made once per process and copied for every server/client.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db import keys, migrate
from kamdesk.db.engine import Store, make_engine
from kamdesk.db.models import Account, Product, Territory, User
from kamdesk.domain.enums import Role
from kamdesk.server.principal import REFERENCE_PARTITION, Principal, territory_partition
from kamdesk.server.sync.engine import configure_sync_engine
from kamdesk.server.sync.publish import begin_write, publish_row
from kamdesk.services.outbox import install_outbox_guard
from kamdesk.services.workspace import create_workspace

TERRITORIES = ("T1", "T2")
USERS = (
    ("m1", Role.MANAGER, "T1"),
    ("m2", Role.MANAGER, "T1"),
    ("m3", Role.MANAGER, "T2"),
    ("sup", Role.SUPERVISOR, None),
)
PRODUCTS = (("P1", 10_000, "active"), ("P2", 25_000, "active"), ("P3", 8_000, "delisted"))

SEED_ACCOUNTS = 3
_templates: dict[str, Path] = {}


def _template_dir() -> Path:
    if "dir" not in _templates:
        _templates["dir"] = Path(tempfile.mkdtemp(prefix="kamdesk_sync_tpl_", dir=_fast_tmp()))
        atexit.register(shutil.rmtree, _templates["dir"], True)
    return _templates["dir"]


def _fast_tmp() -> str | None:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() else None


def server_engine(path: Path) -> Engine:
    return configure_sync_engine(create_engine(f"sqlite:///{path}"))


def seed_server(sessions: sessionmaker[Session]) -> None:
    """Territories, users, products and a few accounts, published like any server write."""
    with sessions() as session, session.begin():
        begin_write(session)
        rows: list[Any] = [
            Territory(id=code, code=code, name=f"片区{code}", srv_seq=1) for code in TERRITORIES
        ]
        rows += [
            User(
                id=name,
                username=name,
                display_name=name,
                role=role,
                territory_id=territory,
                srv_seq=1,
            )
            for name, role, territory in USERS
        ]
        rows += [
            Product(
                id=code,
                code=code,
                name=code,
                brand="B",
                price_tier=2,
                wholesale_price_fen=price,
                retail_price_fen=price + 1000,
                status=status,
                launch_date=date(2026, 1, 1),
                srv_seq=1,
            )
            for code, price, status in PRODUCTS
        ]
        rows += [
            Account(
                id=f"{t}-A{n}",
                code=f"{t}A{n}",
                name=f"店{t}{n}",
                business_format="grocery",
                territory_id=t,
                credit_limit_fen=500_000,
                srv_seq=1,
                field_seq={},
            )
            for t in TERRITORIES
            for n in range(SEED_ACCOUNTS)
        ]
        for row in rows:
            session.add(row)
            publish_row(session, row, actor_id=None, cause="seed")


def server_template() -> Path:
    if "server" not in _templates:
        path = _template_dir() / "server.sqlite"
        engine = server_engine(path)
        migrate.upgrade(engine)
        seed_server(sessionmaker(engine, expire_on_commit=False))
        engine.dispose()
        _templates["server"] = path
    return _templates["server"]


# Engines are kept per path and reused across simulation seeds: SQLAlchemy's compiled-statement
# cache lives on the engine, and compiling is most of the cost of a short run.
_engines: dict[str, Engine] = {}


def _fresh_copy(template: Path, path: Path) -> None:
    engine = _engines.get(str(path))
    if engine is not None:
        engine.dispose()
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(template, path)


def new_server(path: Path) -> sessionmaker[Session]:
    _fresh_copy(server_template(), path)
    engine = _engines.get(str(path))
    if engine is None:
        engine = _engines[str(path)] = server_engine(path)
    return sessionmaker(engine, expire_on_commit=False)


def client_template() -> Path:
    """Made inside the current keyring (tests: the per-test memory keyring)."""
    path = _template_dir() / "client.kamdesk"
    if path.exists():
        keys.forget_key(path)
        path.unlink()
    store = create_workspace(path)
    store.close()
    _templates["client"] = path
    return path


def new_client(path: Path) -> Store:
    """A fresh workspace: a copy of the migrated template with the same key."""
    template = _templates.get("client") or client_template()
    try:
        key = keys.load_key(template)
    except Exception:
        template = client_template()
        key = keys.load_key(template)
    _fresh_copy(template, path)
    shutil.copyfile(keys.keyinfo_path(template), keys.keyinfo_path(path))
    engine = _engines.get(str(path))
    if engine is None or engine.url.password != make_engine(path, key).url.password:
        engine = _engines[str(path)] = make_engine(path, key)
    store = Store(path, engine)
    install_outbox_guard(store.session_factory)
    return store


def reopen_client(path: Path) -> Store:
    """After a simulated crash: the same file, a new pool (the engine only caches SQL)."""
    engine = _engines.get(str(path))
    if engine is None:
        engine = _engines[str(path)] = make_engine(path, keys.load_key(path))
    engine.dispose()
    store = Store(path, engine)
    install_outbox_guard(store.session_factory)
    return store


def principal_for(username: str, territories: dict[str, str | None] | None = None) -> Principal:
    users = {name: (role, territory) for name, role, territory in USERS}
    role, territory = users[username]
    if territories is not None:
        territory = territories.get(username, territory)
    if role == Role.MANAGER:
        assert territory is not None
        parts = frozenset({territory_partition(territory)})
        return Principal(username, username, role, territory, parts | {REFERENCE_PARTITION}, parts)
    every = frozenset(territory_partition(t) for t in TERRITORIES) | {REFERENCE_PARTITION}
    return Principal(username, username, role, None, every, every)


@dataclass
class Scratch:
    root: Path
    counter: int = 0
    made: list[Path] = field(default_factory=list)

    def path(self, stem: str, suffix: str) -> Path:
        self.counter += 1
        p = self.root / f"{stem}-{self.counter}{suffix}"
        self.made.append(p)
        return p
