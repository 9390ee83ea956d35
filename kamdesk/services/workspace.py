"""Opening a workspace: find or make its key, open the encrypted store, migrate, guard outbox."""

from __future__ import annotations

from pathlib import Path

from kamdesk.db import keys, migrate
from kamdesk.db.engine import Store, open_store
from kamdesk.errors import StoreError
from kamdesk.services.outbox import install_outbox_guard
from kamdesk.services.write_scope import install_write_scope_guard


def create_workspace(path: Path, *, passphrase: str | None = None) -> Store:
    """A new, empty, migrated database at ``path`` (which must not exist)."""
    path = Path(path)
    if path.exists():
        raise StoreError(f"{path} already exists; refusing to overwrite it.", code="store.exists")
    key = keys.create_key(path, passphrase)
    try:
        store = open_store(path, key, create=True)
        migrate.upgrade(store.engine)
    except BaseException:
        keys.forget_key(path)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    install_outbox_guard(store.session_factory)
    install_write_scope_guard(store.session_factory)
    return store


def open_workspace(path: Path, *, passphrase: str | None = None, upgrade: bool = True) -> Store:
    """Open an existing workspace, applying pending migrations first (migrate-on-start)."""
    path = Path(path)
    key = keys.load_key(path, passphrase)
    store = open_store(path, key)
    try:
        if upgrade:
            migrate.upgrade(store.engine)
    except BaseException:
        store.close()
        raise
    install_outbox_guard(store.session_factory)
    install_write_scope_guard(store.session_factory)
    return store
