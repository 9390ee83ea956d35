"""Opening a workspace: find or make its key, open the encrypted store, migrate, guard outbox."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kamdesk.db import keys, migrate
from kamdesk.db.engine import Store, open_store
from kamdesk.errors import StoreError
from kamdesk.services.backup import BackupError, BackupKind, BackupService
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


def pre_migration_backup(
    path: Path, key: bytes, backup_dir: Path | None
) -> Callable[[str | None, str], None]:
    """A pre-migration backup; if it cannot be made the migration does not run either."""
    service = BackupService(path, key, backup_dir=backup_dir)

    def hook(before: str | None, target: str) -> None:
        try:
            service.create(BackupKind.PRE_MIGRATION)
        except OSError as exc:
            raise BackupError(
                f"The backup before updating the database (schema {before} to {target}) "
                f"could not be written to {service.backup_dir}: {exc}. Nothing was changed.",
                code="backup.pre_migration_failed",
            ) from exc

    return hook


def open_workspace(
    path: Path,
    *,
    passphrase: str | None = None,
    upgrade: bool = True,
    backup_dir: Path | None = None,
) -> Store:
    """Open an existing workspace, applying pending migrations first (migrate-on-start).

    Before any migration of the existing database an encrypted ``pre-migration`` backup is
    made in ``backup_dir`` (default: the data folder's ``backups/``)."""
    path = Path(path)
    key = keys.load_key(path, passphrase)
    store = open_store(path, key)
    try:
        if upgrade:
            migrate.upgrade(store.engine, before_apply=pre_migration_backup(path, key, backup_dir))
    except BaseException:
        store.close()
        raise
    install_outbox_guard(store.session_factory)
    install_write_scope_guard(store.session_factory)
    return store
