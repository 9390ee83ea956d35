"""FastAPI dependencies shared by every route module (named aliases, as in the FastAPI template).

``get_principal`` turns the bearer access token into a ``Principal`` whose partitions come from
the database (never from the request); tests may override it with ``app.dependency_overrides``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from kamdesk.domain.enums import Role
from kamdesk.server.auth.errors import AuthError, ForbiddenError
from kamdesk.server.auth.service import AuthService
from kamdesk.server.principal import Principal

T = TypeVar("T")

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="AccessToken",
    description="Access token from POST /v1/auth/login or /v1/auth/refresh.",
)


async def run_db(request: Request, work: Callable[[], T], *, small: bool = True) -> T:
    """Run database work on the event loop when that is cheaper and safe, else in the pool.

    A hop to the thread pool costs more CPU than a small request itself, so small work runs on
    the loop, but only on PostgreSQL, where it never waits for another writer. On the embedded
    SQLite server every transaction takes the write lock (``BEGIN IMMEDIATE``) and may wait up
    to the busy timeout for it: on the loop that wait would stall every other connection.
    """
    if small and getattr(request.app.state, "inline_db", False):  # unset: the safe path
        return work()
    return await run_in_threadpool(work)


# Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in the
# thread pool, and a hop there and back costs more than these functions themselves.
async def get_sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


SessionsDep = Annotated[sessionmaker[Session], Depends(get_sessions)]


async def get_auth(request: Request) -> AuthService:
    auth: AuthService = request.app.state.auth
    return auth


AuthDep = Annotated[AuthService, Depends(get_auth)]


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    """One indexed query (see ``run_db`` for where it runs)."""
    if credentials is None or not credentials.credentials:
        raise AuthError("A bearer access token is required.", code="auth.token_missing")
    auth: AuthService = request.app.state.auth
    token = credentials.credentials
    principal, client_id = await run_db(request, lambda: auth.principal_for(token))
    request.state.token_client_id = client_id
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]
"""Who is calling the server and which partitions the token grants (never the request body)."""


async def get_token_client_id(request: Request, principal: PrincipalDep) -> str | None:
    """The client (device) id the access token was issued to, ``None`` for admin scripts."""
    client_id: str | None = getattr(request.state, "token_client_id", None)
    return client_id


TokenClientDep = Annotated[str | None, Depends(get_token_client_id)]


async def require_staff(principal: PrincipalDep) -> Principal:
    """Supervisors and admins (the admin API)."""
    if principal.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise ForbiddenError("Only supervisors and administrators may do this.")
    return principal


StaffDep = Annotated[Principal, Depends(require_staff)]
