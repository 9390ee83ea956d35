"""The team server: ``create_app(settings)`` builds the FastAPI application.

Routes are split by domain (``/v1/auth``, ``/v1/sync``, ``/v1/admin``); the server database is
embedded SQLite under the data dir by default or PostgreSQL, migrated by Alembic on start.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from kamdesk import __version__
from kamdesk.db.base import utcnow
from kamdesk.db.migrate import upgrade
from kamdesk.errors import KamdeskError, NotFoundError, ValidationError
from kamdesk.server.auth.errors import ApiError
from kamdesk.server.auth.passwords import PasswordService
from kamdesk.server.auth.ratelimit import LoginRateLimiter
from kamdesk.server.auth.service import AuthService, Clock
from kamdesk.server.auth.tokens import AccessTokenCodec
from kamdesk.server.routes import admin as admin_routes
from kamdesk.server.routes import auth as auth_routes
from kamdesk.server.routes import sync as sync_routes
from kamdesk.server.settings import ServerSettings


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Autocommit at the driver level; SQLAlchemy's "begin" emits BEGIN IMMEDIATE itself.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA busy_timeout = 30000")
    finally:
        cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Take the write lock up front: a deferred transaction that later writes can fail with
    # SQLITE_BUSY without waiting, and concurrent pushes would then error instead of queueing.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_server_engine(settings: ServerSettings) -> Engine:
    url = settings.resolved_database_url()
    if url in ("sqlite://", "sqlite:///:memory:"):
        # In-memory (tests, OpenAPI export): one shared connection across threads.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("sqlite"):
        data_dir = settings.resolved_data_dir()
        if not data_dir.exists():
            # Password hashes and the signing secret live here: owner only.
            data_dir.mkdir(parents=True, mode=0o700)
        engine = create_engine(url, pool_size=settings.db_pool_size, max_overflow=0)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pre-ping: it costs a round trip on every checkout (two per request). After a database
    # restart the first statement on a dead connection fails, SQLAlchemy sees the disconnect
    # and discards the whole pool, and the client's request is retried like any 5xx.
    return create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        json_deserializer=orjson.loads,  # change-log rows are JSON: 3x faster than the stdlib
    )


def _error_body(code: str, message: str) -> dict[str, Any]:
    return {"detail": {"code": code, "message": message}}


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        _error_body(exc.code, exc.message), status_code=exc.http_status, headers=exc.headers
    )


# Statuses for errors raised by other server modules that do not carry ``http_status``.
KNOWN_ERROR_STATUS = {
    "sync.client_not_yours": 403,
    "sync.client_revoked": 403,
}


async def _kamdesk_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KamdeskError)
    status = getattr(exc, "http_status", None) or KNOWN_ERROR_STATUS.get(exc.code)
    if not isinstance(status, int):
        if isinstance(exc, NotFoundError):
            status = 404
        elif isinstance(exc, ValidationError):
            status = 422
        else:
            status = 400
    return JSONResponse(_error_body(exc.code, exc.message), status_code=status)


def build_auth_service(
    settings: ServerSettings, sessions: sessionmaker[Session], clock: Clock
) -> AuthService:
    return AuthService(
        sessions,
        passwords=PasswordService(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
            min_length=settings.min_password_length,
        ),
        codec=AccessTokenCodec(
            settings.signing_secret(),
            issuer=settings.jwt_issuer,
            ttl=timedelta(seconds=settings.access_token_ttl_s),
        ),
        limiter=LoginRateLimiter(
            window=timedelta(seconds=settings.login_window_s),
            max_per_user=settings.login_max_failures_per_user,
            max_per_address=settings.login_max_failures_per_address,
        ),
        refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_s),
        refresh_grace=timedelta(seconds=settings.refresh_retry_grace_s),
        clock=clock,
    )


def create_app(
    settings: ServerSettings | None = None,
    *,
    clock: Clock = utcnow,
    engine: Engine | None = None,
    migrate: bool = True,
) -> FastAPI:
    """Build the application; ``clock`` is injectable so tests can move time."""
    settings = settings or ServerSettings()
    engine = engine or make_server_engine(settings)
    if migrate:
        upgrade(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)

    app = FastAPI(
        title="KAMDesk team server",
        version=__version__,
        description="Authentication, sync (push/pull of named mutations) and administration.",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.inline_db = engine.dialect.name != "sqlite"  # see deps.run_db
    app.state.sessions = sessions
    app.state.clock = clock
    app.state.auth = build_auth_service(settings, sessions, clock)
    # Pulls are large JSON pages: compress them (level 5: most of the gain, little CPU).
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(KamdeskError, _kamdesk_error)

    app.include_router(auth_routes.router)
    app.include_router(sync_routes.router)
    app.include_router(admin_routes.router)

    @app.get("/v1/health", tags=["meta"], operation_id="health")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory`` workers: settings from ``KAMDESK_SERVER_*``."""
    return create_app(ServerSettings())
