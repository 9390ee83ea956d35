"""The database key: a random 256-bit key in the OS keyring, or one derived from a passphrase.

Nothing secret is written to a plain file. Beside the database sits ``<db>.keyinfo.json`` with
what is not secret: the database id (names the keyring entry), where the key lives, and the
scrypt salt and cost for a passphrase-derived key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import keyring
import keyring.errors
from keyring.backends import fail

from kamdesk.errors import NoKeyError, StoreError, WrongKeyError

KEYRING_SERVICE = "KAMDesk"
KEY_BYTES = 32
# scrypt cost: ~64 MiB and ~0.2 s on a small laptop; memory-hard against GPU guessing
SCRYPT_N = 2**16
SCRYPT_R = 8
SCRYPT_P = 1

KeySource = Literal["keyring", "passphrase"]


@dataclass(frozen=True, slots=True)
class KeyInfo:
    database_id: str
    source: KeySource
    salt_hex: str = ""
    scrypt_n: int = SCRYPT_N
    scrypt_r: int = SCRYPT_R
    scrypt_p: int = SCRYPT_P

    @property
    def keyring_user(self) -> str:
        return f"database:{self.database_id}"


def keyinfo_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".keyinfo.json")


def read_keyinfo(db_path: Path) -> KeyInfo | None:
    path = keyinfo_path(db_path)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return KeyInfo(**raw)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"The key information file {path} is damaged: {exc}") from exc


def write_keyinfo(db_path: Path, info: KeyInfo) -> None:
    path = keyinfo_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {
                "database_id": info.database_id,
                "source": info.source,
                "salt_hex": info.salt_hex,
                "scrypt_n": info.scrypt_n,
                "scrypt_r": info.scrypt_r,
                "scrypt_p": info.scrypt_p,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    os.replace(tmp, path)


def keyring_available() -> bool:
    return not isinstance(keyring.get_keyring(), fail.Keyring)


def derive_key(passphrase: str, info: KeyInfo) -> bytes:
    if not passphrase:
        raise WrongKeyError("An empty passphrase cannot open the database.")
    return hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=bytes.fromhex(info.salt_hex),
        n=info.scrypt_n,
        r=info.scrypt_r,
        p=info.scrypt_p,
        maxmem=256 * 1024 * 1024,
        dklen=KEY_BYTES,
    )


def new_key_info(*, passphrase_mode: bool) -> KeyInfo:
    database_id = secrets.token_hex(8)
    if passphrase_mode:
        return KeyInfo(database_id, "passphrase", salt_hex=secrets.token_hex(16))
    return KeyInfo(database_id, "keyring")


def create_key(db_path: Path, passphrase: str | None = None) -> bytes:
    """Make and remember the key of a new database (keyring unless a passphrase is given)."""
    if passphrase is None and not keyring_available():
        raise NoKeyError(
            "No system keyring is available; choose a passphrase to protect the database.",
            code="store.keyring_unavailable",
        )
    info = new_key_info(passphrase_mode=passphrase is not None)
    if passphrase is not None:
        key = derive_key(passphrase, info)
    else:
        key = secrets.token_bytes(KEY_BYTES)
        try:
            keyring.set_password(KEYRING_SERVICE, info.keyring_user, key.hex())
        except keyring.errors.KeyringError as exc:
            raise NoKeyError(f"The system keyring refused the key: {exc}") from exc
    write_keyinfo(db_path, info)
    return key


def load_key(db_path: Path, passphrase: str | None = None) -> bytes:
    """The key of an existing database; raises NoKeyError when it cannot be found."""
    info = read_keyinfo(db_path)
    if info is None:
        raise NoKeyError(
            f"{db_path} has no key information beside it; it cannot be opened on this computer "
            "without its passphrase or backup key.",
            code="store.no_keyinfo",
        )
    if info.source == "passphrase":
        if passphrase is None:
            raise NoKeyError("This database is protected by a passphrase.", code="store.need_pass")
        return derive_key(passphrase, info)
    try:
        stored = keyring.get_password(KEYRING_SERVICE, info.keyring_user)
    except keyring.errors.KeyringError as exc:
        raise NoKeyError(f"The system keyring is not available: {exc}") from exc
    if stored is None:
        raise NoKeyError(
            "The key of this database is not in this computer's keyring.", code="store.key_missing"
        )
    return bytes.fromhex(stored)


def forget_key(db_path: Path) -> None:
    info = read_keyinfo(db_path)
    if info is not None and info.source == "keyring":
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, info.keyring_user)
    keyinfo_path(db_path).unlink(missing_ok=True)
