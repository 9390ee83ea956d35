"""``kamdesk backup create|list|restore|recovery-key``: registered by ``kamdesk.cli``."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from kamdesk.db import keys
from kamdesk.paths import app_paths
from kamdesk.services.backup import BackupKind, BackupService

if TYPE_CHECKING:
    SubParsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

RECOVERY_KEY_ENV = "KAMDESK_RECOVERY_KEY"
TO_HELP = "backup folder (default: the one chosen in the app, else the data folder's backups/)"


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.path) if args.path else app_paths().database


def _passphrase(path: Path) -> str | None:
    from kamdesk.cli import _passphrase_for

    return _passphrase_for(path, demo=path == app_paths().demo_database, creating=False)


def default_backup_dir() -> Path | None:
    """The backup folder chosen in the app (settings ``backup_dir``), else None (data folder)."""
    from kamdesk.settings import load_settings

    chosen = load_settings().backup_dir
    return Path(chosen).expanduser() if chosen else None


def _backup_dir(args: argparse.Namespace) -> Path | None:
    return Path(args.to) if getattr(args, "to", None) else default_backup_dir()


def _service(args: argparse.Namespace) -> BackupService:
    path = _db_path(args)
    backup_dir = _backup_dir(args)
    return BackupService.for_workspace(path, passphrase=_passphrase(path), backup_dir=backup_dir)


def cmd_create(args: argparse.Namespace) -> int:
    info = _service(args).create(BackupKind(args.kind))
    print(json.dumps({"path": str(info.path), "kind": info.kind.value, "bytes": info.size_bytes}))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    path = _db_path(args)
    service = BackupService(path, None, backup_dir=_backup_dir(args))  # listing needs no key
    for info in service.list():
        print(
            f"{info.created_at:%Y-%m-%d %H:%M:%S}Z  {info.kind.value:<13} "
            f"{info.size_bytes:>12,}  {info.path}"
        )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = _db_path(args)
    recovery_key = os.environ.get(RECOVERY_KEY_ENV) or None
    passphrase = None
    info = keys.read_keyinfo(Path(args.file))
    key: bytes | None = None
    if recovery_key is None:
        if info is not None and info.source == "passphrase" and not keys.read_keyinfo(path):
            passphrase = _passphrase(Path(args.file))  # a new laptop: the backup's passphrase
        else:
            key = keys.load_key(path, _passphrase(path))
    service = BackupService(path, key)
    result = service.restore(Path(args.file), recovery_key=recovery_key, passphrase=passphrase)
    device = _new_device(path, passphrase) if args.new_device else None
    print(
        json.dumps(
            {
                "restored": str(result.restored_from),
                "database": str(result.database),
                "previous_moved_to": str(result.replaced) if result.replaced else None,
                "revision": result.revision,
                "new_device_id": device,
            }
        )
    )
    return 0


def _new_device(path: Path, passphrase: str | None) -> str:
    """Give the restored workspace a new sync device id: the lost laptop's id is revoked on
    the server, so the restored copy must register as a new device to sign in and sync. Its
    queued (pending) changes are then sent under the new id."""
    from kamdesk.db.engine import open_store
    from kamdesk.ids import uuid7
    from kamdesk.sync import state

    store = open_store(path, keys.load_key(path, passphrase or _passphrase(path)))
    try:
        with store.session() as session:
            device = uuid7()
            state.put(session, state.CLIENT, {"client_id": device})
    finally:
        store.close()
    return device


def cmd_recovery_key(args: argparse.Namespace) -> int:
    print(_service(args).export_recovery_key())
    return 0


def add_backup_parser(sub: SubParsers) -> None:
    backup = sub.add_parser("backup", help="encrypted backups of the workspace")
    backup_sub = backup.add_subparsers(dest="backup_command", required=True)

    create = backup_sub.add_parser("create", help="make a backup now")
    create.add_argument("--path", help="workspace database (default: your own)")
    create.add_argument("--to", help=TO_HELP)
    create.add_argument(
        "--kind", choices=[k.value for k in BackupKind], default=BackupKind.MANUAL.value
    )
    create.set_defaults(handler=cmd_create)

    listing = backup_sub.add_parser("list", help="list backups, newest first")
    listing.add_argument("--path", help="workspace database (default: your own)")
    listing.add_argument("--to", help=TO_HELP)
    listing.set_defaults(handler=cmd_list)

    restore = backup_sub.add_parser(
        "restore",
        help="verify a backup and put it in place of the workspace (close the app first)",
        description=f"On another computer set {RECOVERY_KEY_ENV} to the written-down recovery "
        "key, or give the backup's passphrase (KAMDESK_PASSPHRASE or the prompt).",
    )
    restore.add_argument("file", help="the backup file")
    restore.add_argument("--path", help="workspace database to replace (default: your own)")
    restore.add_argument(
        "--new-device",
        action="store_true",
        help="register the restored workspace as a new sync device (a lost laptop's backup: "
        "its old device was revoked on the server)",
    )
    restore.set_defaults(handler=cmd_restore)

    recovery = backup_sub.add_parser(
        "recovery-key", help="print the workspace key to write down (keep it secret)"
    )
    recovery.add_argument("--path", help="workspace database (default: your own)")
    recovery.set_defaults(handler=cmd_recovery_key)
