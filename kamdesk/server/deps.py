"""FastAPI dependencies shared by every route module (named aliases, as in the FastAPI template).

``get_principal`` turns the bearer access token into a ``Principal`` whose partitions come from
the database (never from the request); tests may override it with ``app.dependency_overrides``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.domain.enums import Role
from kamdesk.server.auth.errors import AuthError, ForbiddenError
from kamdesk.server.auth.service import AuthService
from kamdesk.server.principal import Principal

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="AccessToken",
    description="Access token from POST /v1/auth/login or /v1/auth/refresh.",
)


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
    """Checked on the event loop: one indexed query, cheaper than a thread-pool round trip."""
    if credentials is None or not credentials.credentials:
        raise AuthError("A bearer access token is required.", code="auth.token_missing")
    auth: AuthService = request.app.state.auth
    principal, client_id = auth.principal_for(credentials.credentials)
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
