"""open_workspace (the app's migrate-on-start) backs up before every migration of a store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kamdesk.db import keys, migrate
from kamdesk.db.engine import open_store
from kamdesk.errors import KamdeskError
from kamdesk.services.backup import BackupKind, BackupService, verify_backup
from kamdesk.services.workspace import open_workspace
from tests.db.backup.conftest import PASSPHRASE


def _downgrade_to_base(workspace: Path, key: bytes) -> str:
    base = sorted(migrate.known_revisions())[0]
    store = open_store(workspace, key)
    try:
        migrate.downgrade(store.engine, base)
    finally:
        store.close()
    return base


def test_opening_an_old_store_backs_it_up_before_migrating(
    workspace: Path, workspace_key: bytes, tmp_path: Path
) -> None:
    base = _downgrade_to_base(workspace, workspace_key)
    folder = tmp_path / "chosen"
    store = open_workspace(workspace, passphrase=PASSPHRASE, backup_dir=folder)
    try:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        assert store.key == workspace_key
    finally:
        store.close()
    backups = BackupService(workspace, workspace_key, backup_dir=folder).list()
    assert [b.kind for b in backups] == [BackupKind.PRE_MIGRATION]
    assert verify_backup(backups[0].path, workspace_key) == base
    assert keys.read_keyinfo(backups[0].path) is not None  # passphrase salt travels along

    again = open_workspace(workspace, passphrase=PASSPHRASE, backup_dir=folder)
    again.close()
    assert len(BackupService(workspace, workspace_key, backup_dir=folder).list()) == 1


def test_no_migration_if_the_backup_cannot_be_written(
    workspace: Path, workspace_key: bytes, tmp_path: Path
) -> None:
    base = _downgrade_to_base(workspace, workspace_key)
    blocker = tmp_path / "not a folder"
    blocker.write_text("x")
    before = hashlib.sha256(workspace.read_bytes()).hexdigest()
    with pytest.raises(KamdeskError) as caught:
        open_workspace(workspace, passphrase=PASSPHRASE, backup_dir=blocker / "backups")
    assert caught.value.code == "backup.pre_migration_failed"
    assert hashlib.sha256(workspace.read_bytes()).hexdigest() == before
    store = open_store(workspace, workspace_key)
    try:
        assert migrate.current_revision(store.engine) == base
    finally:
        store.close()
