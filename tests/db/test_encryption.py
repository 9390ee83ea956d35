"""The local database is encrypted at rest and its key never lands on disk in clear."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from kamdesk.db import keys
from kamdesk.db.engine import PAGE_CACHE_KIB, SQLITE_HEADER, open_store
from kamdesk.errors import NoKeyError, WrongKeyError
from kamdesk.services.accounts import AccountService
from kamdesk.services.workspace import create_workspace, open_workspace
from tests.helpers.factories import seed_territory
from tests.helpers.memory_keyring import MemoryKeyring


def _make(path: Path, passphrase: str | None = None) -> None:
    store = create_workspace(path, passphrase=passphrase)
    AccountService(store).create(
        seed_territory(store),
        {"code": "A1", "name": "宏兴烟酒", "business_format": "tobacco_liquor"},
    )
    store.close()


def test_file_is_not_plain_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    _make(path)
    assert path.read_bytes()[:16] != SQLITE_HEADER
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(path).execute("select count(*) from sqlite_master").fetchall()
    assert "宏兴烟酒".encode() not in path.read_bytes()


def test_wrong_key_fails_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    _make(path)
    with pytest.raises(WrongKeyError, match="could not be decrypted") as err:
        open_store(path, b"\x01" * 32)
    assert err.value.code == "store.wrong_key"


def test_wrong_passphrase_fails_and_right_one_opens(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    _make(path, passphrase="correct horse battery")
    with pytest.raises(WrongKeyError):
        open_workspace(path, passphrase="wrong horse")
    with pytest.raises(NoKeyError, match="passphrase"):
        open_workspace(path)
    store = open_workspace(path, passphrase="correct horse battery")
    with store.session() as session:
        assert session.execute(text("select name from account")).scalar_one() == "宏兴烟酒"
    store.close()


def test_key_is_never_written_to_disk(
    tmp_path: Path, kamdesk_home: Path, memory_keyring: MemoryKeyring
) -> None:
    path = kamdesk_home / "data" / "w.db"
    path.parent.mkdir(parents=True)
    _make(path)
    stored_hex = next(iter(memory_keyring.entries.values()))
    key = bytes.fromhex(stored_hex)
    for folder in (kamdesk_home, tmp_path):
        for file in folder.rglob("*"):
            if file.is_file():
                blob = file.read_bytes()
                assert key not in blob, file
                assert stored_hex.encode() not in blob, file
                assert stored_hex.upper().encode() not in blob, file
    info = keys.read_keyinfo(path)
    assert info is not None and info.source == "keyring"


def test_missing_keyring_entry_is_reported(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    path = tmp_path / "w.db"
    _make(path)
    memory_keyring.entries.clear()
    with pytest.raises(NoKeyError) as err:
        open_workspace(path)
    assert err.value.code == "store.key_missing"


def test_foreign_keys_and_wal_are_on(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    _make(path)
    store = open_workspace(path)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -PAGE_CACHE_KIB
    store.close()


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    _make(path)
    before = path.read_bytes()
    with pytest.raises(Exception, match="already exists"):
        create_workspace(path)
    assert path.read_bytes() == before
