"""Encrypted backups of the local store: create (online backup API), list, rotate, restore.

A backup is a SQLCipher database encrypted with the SAME key as the workspace, written with
SQLite's online backup API (a consistent snapshot even while the app writes; never a file copy
of a live database). Beside each backup sits a copy of the non-secret ``.keyinfo.json`` so a
passphrase-protected backup can be opened on another laptop with the passphrase alone.

Restore verifies the backup first (key, ``PRAGMA integrity_check``, known schema revision,
expected tables) and only then moves the current database aside and puts the backup in place
with ``os.replace``. The workspace must be closed while restoring.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import sqlcipher3

from kamdesk.db import keys, migrate
from kamdesk.errors import StoreError
from kamdesk.paths import app_paths

BACKUP_SUFFIX = ".kdbackup"
WEEKLY_INTERVAL = timedelta(days=7)
KEEP = {"weekly": 4, "pre-migration": 3}  # manual backups are kept until pruned by hand
# Tables present since the first revision; a file without them is not a KAMDesk workspace.
REQUIRED_TABLES = frozenset(
    {"account", "contact", "product", "visit", "stock_count", "outbox", "sync_state", "territory"}
)
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_NAME_RE = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)-(?P<kind>weekly|pre-migration|manual)"
    + re.escape(BACKUP_SUFFIX)
    + "$"
)


PathList = list[Path]  # ``BackupService.list`` shadows the builtin inside the class


class BackupError(StoreError):
    code = "backup"


class BackupKind(Enum):
    WEEKLY = "weekly"
    PRE_MIGRATION = "pre-migration"
    MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    kind: BackupKind
    created_at: datetime  # UTC, from the file name
    size_bytes: int


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored_from: Path
    database: Path
    replaced: Path | None  # where the previous database was moved (None if there was none)
    revision: str | None


def _connect(path: Path, key: bytes) -> Any:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


@contextlib.contextmanager
def _opened(path: Path, key: bytes) -> Iterator[Any]:
    conn = _connect(path, key)
    try:
        yield conn
    finally:
        conn.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not possible on every platform (Windows)
        _fsync(path)


def parse_recovery_key(text: str) -> bytes:
    """A 256-bit key from the hex a user wrote down (spaces, dashes and case ignored)."""
    cleaned = re.sub(r"[\s\-:]", "", text).lower()
    if not re.fullmatch(r"[0-9a-f]{64}", cleaned):
        raise BackupError(
            "A recovery key is 64 hexadecimal characters (0-9, a-f).",
            code="backup.bad_recovery_key",
        )
    return bytes.fromhex(cleaned)


def format_recovery_key(key: bytes) -> str:
    """The key as 8 groups of 8 hex digits, easier to write down and type back."""
    text = key.hex()
    return "-".join(text[i : i + 8] for i in range(0, len(text), 8))


def verify_backup(path: Path, key: bytes) -> str | None:
    """Check a backup can be opened and used by this app; returns its schema revision.

    Raises BackupError with a specific code: ``backup.missing``, ``backup.wrong_key`` (foreign
    or not a database), ``backup.corrupt``, ``backup.schema_newer``, ``backup.not_workspace``.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.", code="backup.missing")
    try:
        with _opened(path, key) as conn:
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
            except sqlcipher3.DatabaseError as exc:
                raise BackupError(
                    f"{path.name} cannot be decrypted with this workspace's key: it belongs to "
                    "another workspace, needs another key or passphrase, or is not a backup.",
                    code="backup.wrong_key",
                ) from exc
            try:
                rows = conn.execute("PRAGMA integrity_check").fetchall()
            except sqlcipher3.DatabaseError as exc:
                raise BackupError(f"{path.name} is damaged: {exc}", code="backup.corrupt") from exc
            problems = [str(r[0]) for r in rows]
            if problems != ["ok"]:
                raise BackupError(
                    f"{path.name} is damaged: {'; '.join(problems[:3])}", code="backup.corrupt"
                )
            tables = {
                str(r[0])
                for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            revision: str | None = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = None if row is None else str(row[0])
    except sqlcipher3.DatabaseError as exc:  # e.g. a truncated header
        raise BackupError(f"{path.name} is damaged: {exc}", code="backup.corrupt") from exc
    if revision is not None and revision not in migrate.known_revisions():
        raise BackupError(
            f"{path.name} was written by a newer KAMDesk (schema {revision}); update the app "
            "before restoring it.",
            code="backup.schema_newer",
        )
    missing = REQUIRED_TABLES - tables
    if revision is None or missing:
        raise BackupError(
            f"{path.name} is not a KAMDesk workspace backup"
            + (f" (missing tables: {', '.join(sorted(missing))})" if missing else "")
            + ".",
            code="backup.not_workspace",
        )
    return revision


class BackupService:
    """Backups of the workspace database at ``db_path`` whose key is ``key``.

    ``key`` may be None when no workspace exists yet (restoring onto a new laptop); then
    ``restore`` needs a ``recovery_key`` or ``passphrase``.
    """

    def __init__(
        self,
        db_path: Path,
        key: bytes | None,
        *,
        backup_dir: Path | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self._key = key
        self.backup_dir = Path(backup_dir) if backup_dir is not None else app_paths().backups_dir
        self._clock = clock or (lambda: datetime.now(UTC))

    @classmethod
    def for_workspace(
        cls, db_path: Path, *, passphrase: str | None = None, backup_dir: Path | None = None
    ) -> BackupService:
        """The service for an existing workspace, its key from the keyring or passphrase."""
        return cls(db_path, keys.load_key(Path(db_path), passphrase), backup_dir=backup_dir)

    # -- creating ------------------------------------------------------------------------
    def _require_key(self) -> bytes:
        if self._key is None:
            raise BackupError("The workspace key is not known.", code="backup.no_key")
        return self._key

    def create(
        self, kind: BackupKind = BackupKind.MANUAL, now: datetime | None = None
    ) -> BackupInfo:
        """Snapshot the live database into a new encrypted backup, then rotate ``kind``."""
        key = self._require_key()
        if not self.db_path.is_file():
            raise BackupError(f"No database at {self.db_path}.", code="backup.no_database")
        when = (now or self._clock()).astimezone(UTC)
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        target = self._free_name(kind, when)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            with _opened(self.db_path, key) as src, _opened(partial, key) as dst:
                try:
                    src.execute("SELECT count(*) FROM sqlite_master").fetchall()
                except sqlcipher3.DatabaseError as exc:
                    raise BackupError(
                        "The workspace cannot be read with its key.", code="backup.wrong_key"
                    ) from exc
                src.backup(dst)
                # a backup is one self-contained file: no WAL beside it
                dst.execute("PRAGMA journal_mode = DELETE").fetchall()
            _fsync(partial)
            os.replace(partial, target)
            _fsync_dir(self.backup_dir)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        info = keys.read_keyinfo(self.db_path)
        if info is not None:
            keys.write_keyinfo(target, info)
        self.rotate(kind)
        return self._info(target)

    def _free_name(self, kind: BackupKind, when: datetime) -> Path:
        while True:
            name = f"{self.db_path.stem}-{when.strftime(_STAMP_FORMAT)}-{kind.value}{BACKUP_SUFFIX}"
            target = self.backup_dir / name
            if not target.exists():
                return target
            when += timedelta(microseconds=1)

    def _info(self, path: Path) -> BackupInfo:
        match = _NAME_RE.match(path.name)
        if match is None:
            raise BackupError(f"{path.name} is not a backup name.", code="backup.bad_name")
        created = datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=UTC)
        return BackupInfo(path, BackupKind(match["kind"]), created, path.stat().st_size)

    def list(self) -> list[BackupInfo]:
        """This workspace's backups in the backup folder, newest first."""
        if not self.backup_dir.is_dir():
            return []
        found = []
        for path in self.backup_dir.iterdir():
            match = _NAME_RE.match(path.name)
            if match is not None and match["stem"] == self.db_path.stem and path.is_file():
                found.append(self._info(path))
        return sorted(found, key=lambda b: b.created_at, reverse=True)

    def rotate(self, kind: BackupKind) -> PathList:
        """Delete the oldest backups of ``kind`` beyond its quota; returns what was deleted."""
        keep = KEEP.get(kind.value)
        if keep is None:
            return []
        return self.prune(kind, keep)

    def prune(self, kind: BackupKind, keep: int) -> PathList:
        if keep < 0:
            raise BackupError("Cannot keep a negative number of backups.", code="backup.keep")
        doomed = [b.path for b in self.list() if b.kind is kind][keep:]
        for path in doomed:
            path.unlink(missing_ok=True)
            keys.keyinfo_path(path).unlink(missing_ok=True)
        return doomed

    def ensure_weekly(self, now: datetime | None = None) -> BackupInfo | None:
        """Make a weekly backup if the newest is 7 days old or more (call at start-up)."""
        when = now or self._clock()
        if when.tzinfo is None:
            raise BackupError("The time of a backup needs a time zone.", code="backup.naive_time")
        newest = next((b for b in self.list() if b.kind is BackupKind.WEEKLY), None)
        if newest is not None and when - newest.created_at < WEEKLY_INTERVAL:
            return None
        return self.create(BackupKind.WEEKLY, when)

    def pre_migration_hook(self) -> Callable[[str | None, str], None]:
        """For ``migrate.upgrade(..., before_apply=)``: a backup before a schema change."""

        def hook(_before: str | None, _target: str) -> None:
            self.create(BackupKind.PRE_MIGRATION)

        return hook

    def verify(self, backup: Path) -> str | None:
        """``verify_backup`` with this workspace's key: raises BackupError if it is unusable."""
        return verify_backup(Path(backup), self._require_key())

    def export_recovery_key(self) -> str:
        """The workspace key, for the user to write down (restores on another computer).

        Checked against the database first: a key from a mistyped passphrase must never be
        written down as the recovery key."""
        key = self._require_key()
        with _opened(self.db_path, key) as conn:
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
            except sqlcipher3.DatabaseError as exc:
                raise BackupError(
                    "The workspace cannot be read with this key or passphrase.",
                    code="backup.wrong_key",
                ) from exc
        return format_recovery_key(key)

    # -- restoring -----------------------------------------------------------------------
    def _restore_key(
        self, backup: Path, recovery_key: str | None, passphrase: str | None
    ) -> tuple[bytes, keys.KeyInfo | None]:
        """The key to open ``backup`` and the keyinfo the restored database should carry."""
        if recovery_key is not None:
            return parse_recovery_key(recovery_key), None
        if passphrase is not None:
            info = keys.read_keyinfo(backup)
            if info is None or info.source != "passphrase":
                raise BackupError(
                    f"{backup.name} is not protected by a passphrase (or its .keyinfo.json is "
                    "missing); use the recovery key.",
                    code="backup.need_recovery_key",
                )
            return keys.derive_key(passphrase, info), info
        return self._require_key(), keys.read_keyinfo(self.db_path)

    def restore(
        self,
        backup: Path,
        *,
        recovery_key: str | None = None,
        passphrase: str | None = None,
    ) -> RestoreResult:
        """Replace the workspace database by ``backup`` after verifying it; close it first."""
        backup = Path(backup)
        key, keyinfo = self._restore_key(backup, recovery_key, passphrase)
        revision = verify_backup(backup, key)
        db = self.db_path
        db.parent.mkdir(parents=True, exist_ok=True)
        stamp = self._clock().astimezone(UTC).strftime(_STAMP_FORMAT)
        staging = db.with_name(f"{db.name}.restoring-{stamp}")
        shutil.copyfile(backup, staging)  # same folder as the database: os.replace is atomic
        try:
            _fsync(staging)
            verify_backup(staging, key)  # the copy, not just the source, must be sound
            if keyinfo is None or keyinfo.source == "keyring":
                keyinfo = self._keyring_info(key, keyinfo)
        except BaseException:
            staging.unlink(missing_ok=True)
            raise
        replaced: Path | None = None
        if db.exists():
            replaced = db.with_name(f"{db.name}.replaced-{stamp}")
            # the WAL holds committed data: it moves with its database under the matching name
            for suffix in ("-wal", "-shm"):
                side = Path(f"{db}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{replaced}{suffix}"))
            os.replace(db, replaced)
            old_info = keys.keyinfo_path(db)
            if old_info.exists():
                shutil.copyfile(old_info, keys.keyinfo_path(replaced))
        keys.write_keyinfo(db, keyinfo)
        os.replace(staging, db)
        _fsync_dir(db.parent)
        self._key = key
        return RestoreResult(backup, db, replaced, revision)

    @staticmethod
    def _keyring_info(key: bytes, current: keys.KeyInfo | None) -> keys.KeyInfo:
        """Keyinfo for a keyring-held ``key``: the current entry if it holds it, else a new one."""
        import keyring
        import keyring.errors

        if current is not None and current.source == "keyring":
            try:
                stored = keyring.get_password(keys.KEYRING_SERVICE, current.keyring_user)
            except keyring.errors.KeyringError:
                stored = None
            if stored is not None and bytes.fromhex(stored) == key:
                return current
        if not keys.keyring_available():
            raise BackupError(
                "No system keyring is available to hold the restored workspace's key.",
                code="backup.keyring_unavailable",
            )
        info = keys.new_key_info(passphrase_mode=False)
        try:
            keyring.set_password(keys.KEYRING_SERVICE, info.keyring_user, key.hex())
        except keyring.errors.KeyringError as exc:
            raise BackupError(
                f"The system keyring refused the key: {exc}", code="backup.keyring_refused"
            ) from exc
        return info
