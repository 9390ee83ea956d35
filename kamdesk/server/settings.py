"""Team-server settings (pydantic-settings, environment prefix ``KAMDESK_SERVER_``).

The JWT signing secret comes from ``KAMDESK_SERVER_JWT_SECRET`` or is generated once and kept in
``<data dir>/jwt-secret`` with 0600 permissions, so restarts (and several workers) agree on it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from kamdesk.errors import KamdeskError
from kamdesk.paths import app_paths

SQLITE_FILENAME = "kamdesk-server.db"
SECRET_FILENAME = "jwt-secret"
MIN_SECRET_BYTES = 32


class ServerConfigError(KamdeskError):
    code = "server.config"


class ServerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAMDESK_SERVER_", extra="ignore")

    data_dir: Path | None = None
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=1, le=65535)
    tls_cert: Path | None = None
    tls_key: Path | None = None
    jwt_secret: SecretStr | None = None
    jwt_issuer: str = "kamdesk-server"

    access_token_ttl_s: int = Field(default=15 * 60, ge=30)
    # Managers go offline for days: a refresh token lives for weeks and rotates on every use.
    refresh_token_ttl_s: int = Field(default=30 * 24 * 3600, ge=60)
    # A refresh whose answer was lost may be retried once its successor is still unused.
    refresh_retry_grace_s: int = Field(default=60, ge=0)

    login_window_s: int = Field(default=15 * 60, ge=1)
    login_max_failures_per_user: int = Field(default=5, ge=1)
    # Higher than per user: a shop's or office's NAT puts several managers behind one address.
    login_max_failures_per_address: int = Field(default=20, ge=1)

    # argon2id parameters (RFC 9106 "low memory" profile); changing them rehashes on next login.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=64 * 1024, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)
    min_password_length: int = Field(default=8, ge=4)

    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=20, ge=0)

    def resolved_data_dir(self) -> Path:
        """Where the server keeps its files (SQLite database, secret)."""
        if self.data_dir is not None:
            return self.data_dir.expanduser().resolve()
        return app_paths().data_dir / "server"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir() / SQLITE_FILENAME}"

    def uses_sqlite(self) -> bool:
        return self.resolved_database_url().startswith("sqlite")

    def signing_secret(self) -> bytes:
        """The JWT signing key: from the environment, else the data dir's file (created once)."""
        if self.jwt_secret is not None:
            value = self.jwt_secret.get_secret_value().encode()
            if len(value) < MIN_SECRET_BYTES:
                raise ServerConfigError(
                    f"KAMDESK_SERVER_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes.",
                    code="server.secret_too_short",
                )
            return value
        return load_or_create_secret(self.resolved_data_dir() / SECRET_FILENAME)

    def check_tls(self) -> None:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ServerConfigError(
                "TLS needs both --tls-cert and --tls-key.", code="server.tls_incomplete"
            )
        for path in (self.tls_cert, self.tls_key):
            if path is not None and not path.is_file():
                raise ServerConfigError(f"No such file: {path}", code="server.tls_missing")


def load_or_create_secret(path: Path) -> bytes:
    """Read the secret file, or create it atomically with 0600 permissions."""
    if path.exists():
        value = path.read_bytes().strip()
        if len(value) < MIN_SECRET_BYTES:
            raise ServerConfigError(
                f"The secret file {path} is too short; delete it to generate a new one.",
                code="server.secret_too_short",
            )
        return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48).encode()
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(value)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        # link() fails if the name exists: of two servers starting together, one secret wins.
        os.link(tmp, path)
    except FileExistsError:
        return load_or_create_secret(path)
    finally:
        tmp.unlink()
    return value
