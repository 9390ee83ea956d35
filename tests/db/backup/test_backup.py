"""Backups: round trip, refusal of damaged/foreign/newer backups, rotation, weekly schedule."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from sqlalchemy import text

from kamdesk.db import keys, migrate
from kamdesk.services.backup import (
    BackupError,
    BackupKind,
    BackupService,
    format_recovery_key,
    parse_recovery_key,
    verify_backup,
)
from kamdesk.services.workspace import open_workspace
from tests.db.backup.conftest import PASSPHRASE

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _conn(path: Path, key: bytes) -> Any:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def snapshot(path: Path, key: bytes) -> dict[str, list[tuple[Any, ...]]]:
    conn = _conn(path, key)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            ).fetchall()
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


def file_digests(db: Path) -> dict[str, str]:
    """Every file of the database folder, by content (the untouched-database check)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(db.parent.iterdir())
        if p.is_file()
    }


def service(db: Path, key: bytes, tmp_path: Path, start: datetime = T0) -> BackupService:
    return BackupService(db, key, backup_dir=tmp_path / "backups", clock=lambda: start)


def test_round_trip_restores_identical_data(
    workspace: Path, workspace_key: bytes, tmp_path: Path
) -> None:
    before = snapshot(workspace, workspace_key)
    svc = service(workspace, workspace_key, tmp_path)
    info = svc.create(BackupKind.MANUAL)
    assert info.path.read_bytes()[:16] != b"SQLite format 3\x00"  # encrypted like the database
    assert verify_backup(info.path, workspace_key) == migrate.head_revision()

    store = open_workspace(workspace, passphrase=PASSPHRASE)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM stock_count"))
        conn.execute(text("UPDATE account SET name = 'changed'"))
    store.close()
    assert snapshot(workspace, workspace_key) != before

    result = svc.restore(info.path)
    assert snapshot(workspace, workspace_key) == before
    assert result.replaced is not None and result.replaced.exists()
    # the database moved aside still opens with its key information
    moved = keys.load_key(result.replaced, PASSPHRASE)
    assert snapshot(result.replaced, moved)["account"][0] != before["account"][0]
    store = open_workspace(workspace, passphrase=PASSPHRASE)
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    store.close()


def test_backup_of_open_workspace_sees_committed_wal_data(
    workspace: Path, workspace_key: bytes, tmp_path: Path
) -> None:
    store = open_workspace(workspace, passphrase=PASSPHRASE)
    try:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE account SET name = 'in the wal'"))
        info = service(workspace, workspace_key, tmp_path).create()
    finally:
        store.close()
    names = {row[0] for row in snapshot(info.path, workspace_key)["account"]}
    assert names  # rows exist
    conn = _conn(info.path, workspace_key)
    assert {r[0] for r in conn.execute("SELECT name FROM account")} == {"in the wal"}
    conn.close()


@pytest.mark.parametrize("where", ["header", "middle", "truncate"])
def test_corrupted_backup_is_refused_and_database_untouched(
    workspace: Path, workspace_key: bytes, tmp_path: Path, where: str
) -> None:
    svc = service(workspace, workspace_key, tmp_path)
    info = svc.create()
    data = bytearray(info.path.read_bytes())
    if where == "header":
        data[100:140] = b"\xff" * 40
    elif where == "middle":
        middle = len(data) // 2
        data[middle : middle + 64] = bytes(64)
    else:
        data = data[: len(data) // 3]
    info.path.write_bytes(bytes(data))
    untouched = file_digests(workspace)
    with pytest.raises(BackupError) as caught:
        svc.restore(info.path)
    assert caught.value.code in {"backup.corrupt", "backup.wrong_key"}
    assert info.path.name in caught.value.message
    assert file_digests(workspace) == untouched


def test_foreign_backup_is_refused(workspace: Path, workspace_key: bytes, tmp_path: Path) -> None:
    other_key = bytes(range(32))
    svc = service(workspace, workspace_key, tmp_path)
    info = svc.create()
    untouched = file_digests(workspace)
    with pytest.raises(BackupError) as caught:
        BackupService(workspace, other_key, backup_dir=tmp_path / "backups").restore(info.path)
    assert caught.value.code == "backup.wrong_key"
    assert file_digests(workspace) == untouched


def test_not_a_workspace_is_refused(workspace: Path, workspace_key: bytes, tmp_path: Path) -> None:
    stranger = tmp_path / "stranger.kdbackup"
    conn = _conn(stranger, workspace_key)
    conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
    conn.execute(f"INSERT INTO alembic_version VALUES ('{migrate.head_revision()}')")
    conn.close()
    untouched = file_digests(workspace)
    with pytest.raises(BackupError) as caught:
        service(workspace, workspace_key, tmp_path).restore(stranger)
    assert caught.value.code == "backup.not_workspace"
    assert "account" in caught.value.message
    assert file_digests(workspace) == untouched


def test_backup_from_newer_schema_is_refused(
    workspace: Path, workspace_key: bytes, tmp_path: Path
) -> None:
    svc = service(workspace, workspace_key, tmp_path)
    info = svc.create()
    conn = _conn(info.path, workspace_key)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    untouched = file_digests(workspace)
    with pytest.raises(BackupError) as caught:
        svc.restore(info.path)
    assert caught.value.code == "backup.schema_newer"
    assert "9999_from_the_future" in caught.value.message
    assert file_digests(workspace) == untouched


def test_rotation_keeps_newest_weekly_and_pre_migration_and_all_manual(
    workspace: Path, workspace_key: bytes, tmp_path: Path
) -> None:
    svc = service(workspace, workspace_key, tmp_path)
    made: dict[BackupKind, list[Path]] = {k: [] for k in BackupKind}
    for n in range(6):
        for kind in BackupKind:
            made[kind].append(svc.create(kind, T0 + timedelta(days=n)).path)
    listed = svc.list()
    by_kind = {k: [b.path for b in listed if b.kind is k] for k in BackupKind}
    assert by_kind[BackupKind.WEEKLY] == made[BackupKind.WEEKLY][::-1][:4]
    assert by_kind[BackupKind.PRE_MIGRATION] == made[BackupKind.PRE_MIGRATION][::-1][:3]
    assert by_kind[BackupKind.MANUAL] == made[BackupKind.MANUAL][::-1]
    for path in made[BackupKind.WEEKLY][:2]:
        assert not path.exists() and not keys.keyinfo_path(path).exists()
    assert [b.created_at for b in listed] == sorted((b.created_at for b in listed), reverse=True)
    assert len(svc.prune(BackupKind.MANUAL, 2)) == 4
    assert len([b for b in svc.list() if b.kind is BackupKind.MANUAL]) == 2


def test_weekly_backup_only_when_due(workspace: Path, workspace_key: bytes, tmp_path: Path) -> None:
    svc = service(workspace, workspace_key, tmp_path)
    first = svc.ensure_weekly(T0)
    assert first is not None and first.kind is BackupKind.WEEKLY
    svc.create(BackupKind.MANUAL, T0 + timedelta(days=8))  # other kinds do not count
    assert svc.ensure_weekly(T0 + timedelta(days=6, hours=23)) is None
    second = svc.ensure_weekly(T0 + timedelta(days=7))
    assert second is not None and second.created_at == T0 + timedelta(days=7)
    assert svc.ensure_weekly(T0 + timedelta(days=10)) is None
    assert len([b for b in svc.list() if b.kind is BackupKind.WEEKLY]) == 2
    with pytest.raises(BackupError) as caught:
        svc.ensure_weekly(datetime(2027, 1, 1))  # naive: ambiguous, refused
    assert caught.value.code == "backup.naive_time"


def test_recovery_key_restores_on_another_laptop(
    workspace: Path, workspace_key: bytes, tmp_path: Path
) -> None:
    svc = service(workspace, workspace_key, tmp_path)
    info = svc.create()
    written_down = svc.export_recovery_key()
    assert parse_recovery_key(written_down.upper().replace("-", " ")) == workspace_key
    assert format_recovery_key(workspace_key) == written_down

    laptop = tmp_path / "new-laptop" / "kamdesk.db"
    with pytest.raises(BackupError) as caught:
        BackupService(laptop, None).restore(info.path, recovery_key="not hex")
    assert caught.value.code == "backup.bad_recovery_key"
    result = BackupService(laptop, None).restore(info.path, recovery_key=written_down)
    assert result.replaced is None
    # the key now lives in this laptop's keyring: the workspace opens without a passphrase
    assert keys.read_keyinfo(laptop) is not None
    assert keys.read_keyinfo(laptop).source == "keyring"  # type: ignore[union-attr]
    store = open_workspace(laptop)
    store.close()
    assert snapshot(laptop, workspace_key) == snapshot(workspace, workspace_key)


def test_recovery_key_is_never_a_wrong_key(workspace: Path, tmp_path: Path) -> None:
    with pytest.raises(BackupError) as caught:
        service(workspace, bytes(32), tmp_path).export_recovery_key()
    assert caught.value.code == "backup.wrong_key"


def test_passphrase_restores_on_another_laptop(
    workspace: Path, workspace_key: bytes, tmp_path: Path
) -> None:
    info = service(workspace, workspace_key, tmp_path).create()
    laptop = tmp_path / "other" / "kamdesk.db"
    with pytest.raises(BackupError) as caught:
        BackupService(laptop, None).restore(info.path, passphrase="wrong")
    assert caught.value.code == "backup.wrong_key"
    assert not laptop.exists()
    BackupService(laptop, None).restore(info.path, passphrase=PASSPHRASE)
    store = open_workspace(laptop, passphrase=PASSPHRASE)
    store.close()


def test_pre_migration_hook_backs_up_the_old_schema(
    workspace: Path, workspace_key: bytes, tmp_path: Path
) -> None:
    store = open_workspace(workspace, passphrase=PASSPHRASE)
    try:
        revisions = sorted(migrate.known_revisions())
        migrate.downgrade(store.engine, revisions[0])
        svc = service(workspace, workspace_key, tmp_path)
        assert migrate.upgrade(store.engine, before_apply=svc.pre_migration_hook())
        assert not migrate.upgrade(store.engine, before_apply=svc.pre_migration_hook())
    finally:
        store.close()
    backups = svc.list()
    assert [b.kind for b in backups] == [BackupKind.PRE_MIGRATION]
    assert verify_backup(backups[0].path, workspace_key) == revisions[0]


def test_new_database_gets_no_pre_migration_backup(tmp_path: Path) -> None:
    from kamdesk.db.engine import open_store

    key = bytes(32)
    store = open_store(tmp_path / "new.db", key, create=True)
    calls: list[tuple[str | None, str]] = []
    try:
        migrate.upgrade(store.engine, before_apply=lambda a, b: calls.append((a, b)))
    finally:
        store.close()
    assert calls == []
