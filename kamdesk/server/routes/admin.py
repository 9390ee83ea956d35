"""/v1/admin: users, territories, devices and account reassignment (supervisors and admins)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from kamdesk.server.admin import audit as audit_admin
from kamdesk.server.admin import territories as territory_admin
from kamdesk.server.admin import users as user_admin
from kamdesk.server.auth.service import AuthService
from kamdesk.server.deps import SessionsDep, StaffDep
from kamdesk.server.routes.auth import ErrorBody

router = APIRouter(
    prefix="/v1/admin",
    tags=["admin"],
    responses={code: {"model": ErrorBody} for code in (401, 403, 404, 409, 422)},
)

UsernamePath = Path(min_length=1, max_length=64)


class UserOut(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    territory_id: str | None
    territory_code: str | None
    active: bool


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=2, max_length=64)
    role: str = Field(pattern="^(manager|supervisor|admin)$")
    territory_code: str | None = Field(default=None, max_length=32)
    display_name: str | None = Field(default=None, max_length=100)
    password: str | None = Field(
        default=None, max_length=1024, description="Omit to get a temporary password back."
    )


class CreatedUserOut(BaseModel):
    user: UserOut
    temporary_password: str | None


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(default=None, max_length=1024)


class PasswordResetOut(BaseModel):
    temporary_password: str | None


class RevokedOut(BaseModel):
    clients: int
    refresh_tokens: int


class TerritoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=100)
    city: str = Field(default="", max_length=50)


class TerritoryOut(BaseModel):
    id: str
    code: str
    name: str
    city: str


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    territory_code: str = Field(min_length=1, max_length=32)


class AssignOut(BaseModel):
    account_id: str
    account_code: str
    from_territory: str
    to_territory: str
    seq: int | None


@contextmanager
def _unit(sessions: SessionsDep) -> Iterator[Session]:
    with sessions() as session:
        yield session
        session.commit()


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


def _auth(request: Request) -> AuthService:
    auth: AuthService = request.app.state.auth
    return auth


def _out(view: Any) -> UserOut:
    return UserOut.model_validate(view, from_attributes=True)


@router.get("/users", operation_id="admin_list_users", response_model=list[UserOut])
def list_users(actor: StaffDep, sessions: SessionsDep) -> list[UserOut]:
    with _unit(sessions) as session:
        return [_out(v) for v in user_admin.list_users(session)]


@router.post(
    "/users",
    operation_id="admin_create_user",
    status_code=status.HTTP_201_CREATED,
    response_model=CreatedUserOut,
)
def create_user(
    body: UserCreate, request: Request, actor: StaffDep, sessions: SessionsDep
) -> CreatedUserOut:
    with _unit(sessions) as session:
        created = user_admin.create_user(
            session,
            _auth(request).passwords,
            username=body.username,
            role=body.role,
            territory_code=body.territory_code,
            display_name=body.display_name,
            password=body.password,
            actor=actor,
        )
    return CreatedUserOut(user=_out(created.user), temporary_password=created.temporary_password)


@router.post("/users/{username}/disable", operation_id="admin_disable_user", response_model=UserOut)
def disable_user(
    request: Request, actor: StaffDep, sessions: SessionsDep, username: str = UsernamePath
) -> UserOut:
    with _unit(sessions) as session:
        return _out(user_admin.disable_user(session, username, _now(request), actor=actor))


@router.post("/users/{username}/enable", operation_id="admin_enable_user", response_model=UserOut)
def enable_user(actor: StaffDep, sessions: SessionsDep, username: str = UsernamePath) -> UserOut:
    with _unit(sessions) as session:
        return _out(user_admin.enable_user(session, username, actor=actor))


@router.post(
    "/users/{username}/reset-password",
    operation_id="admin_reset_password",
    response_model=PasswordResetOut,
)
def reset_password(
    body: PasswordReset,
    request: Request,
    actor: StaffDep,
    sessions: SessionsDep,
    username: str = UsernamePath,
) -> PasswordResetOut:
    with _unit(sessions) as session:
        temp = user_admin.reset_password(
            session,
            _auth(request).passwords,
            username,
            _now(request),
            password=body.password,
            actor=actor,
        )
    return PasswordResetOut(temporary_password=temp)


@router.post(
    "/users/{username}/revoke-devices",
    operation_id="admin_revoke_devices",
    response_model=RevokedOut,
)
def revoke_devices(
    request: Request, actor: StaffDep, sessions: SessionsDep, username: str = UsernamePath
) -> RevokedOut:
    with _unit(sessions) as session:
        done = user_admin.revoke_devices(session, username, _now(request), actor=actor)
    return RevokedOut(clients=done.clients, refresh_tokens=done.refresh_tokens)


@router.get(
    "/territories", operation_id="admin_list_territories", response_model=list[TerritoryOut]
)
def list_territories(actor: StaffDep, sessions: SessionsDep) -> list[TerritoryOut]:
    with _unit(sessions) as session:
        return [
            TerritoryOut.model_validate(t, from_attributes=True)
            for t in territory_admin.list_territories(session)
        ]


@router.post(
    "/territories",
    operation_id="admin_add_territory",
    status_code=status.HTTP_201_CREATED,
    response_model=TerritoryOut,
)
def add_territory(body: TerritoryIn, actor: StaffDep, sessions: SessionsDep) -> TerritoryOut:
    with _unit(sessions) as session:
        view = territory_admin.add_territory(session, body.code, body.name, body.city, actor=actor)
    return TerritoryOut.model_validate(view, from_attributes=True)


@router.post(
    "/accounts/{account_code}/assign",
    operation_id="admin_assign_account",
    response_model=AssignOut,
    responses={503: {"model": ErrorBody}},
)
def assign_account(
    body: AssignIn,
    actor: StaffDep,
    sessions: SessionsDep,
    account_code: str = Path(min_length=1, max_length=32),
) -> AssignOut:
    done = territory_admin.assign_account(sessions, account_code, body.territory_code, actor=actor)
    return AssignOut.model_validate(done, from_attributes=True)


class FieldChangeOut(BaseModel):
    field: str
    old: Any = None
    new: Any = None
    has_old: bool


class AuditOut(BaseModel):
    seq: int
    partition: str
    at: datetime
    user_id: str | None
    username: str | None
    display_name: str | None
    client_id: str | None
    mutation: str
    table: str
    row_id: str
    account_id: str | None
    op: str
    changes: list[FieldChangeOut]


@router.get(
    "/audit",
    operation_id="admin_audit",
    response_model=list[AuditOut],
    responses={200: {"content": {"text/csv": {}}}},
)
def audit(
    actor: StaffDep,
    sessions: SessionsDep,
    account_id: Annotated[str | None, Query(min_length=1, max_length=36)] = None,
    since: Annotated[datetime | None, Query(description="ISO time; UTC if no zone")] = None,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
    limit: Annotated[int, Query(ge=1, le=audit_admin.MAX_ROWS)] = 10_000,
) -> Any:
    """Who changed what and when (from the change log), newest first: one account and its
    records, or every territory the caller may read. ``format=csv`` for a spreadsheet."""
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    with _unit(sessions) as session:
        records = audit_admin.account_audit(
            session, actor, account_id=account_id, since=since, limit=limit
        )
    if format == "csv":
        return Response(
            content=audit_admin.to_csv(records),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="kamdesk-audit.csv"'},
        )
    return [AuditOut.model_validate(r, from_attributes=True) for r in records]
