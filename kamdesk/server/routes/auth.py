"""/v1/auth: login, refresh (rotating), logout, password change, who am I."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from kamdesk.server.auth.service import IssuedTokens
from kamdesk.server.deps import AuthDep, PrincipalDep, TokenClientDep

router = APIRouter(prefix="/v1/auth", tags=["auth"])

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    detail: ErrorDetail


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in codes}


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    client_id: str = Field(pattern=UUID_PATTERN, description="The device's sync client id.")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=256)


class PasswordChangeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    old_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class UserInfo(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    territory_id: str | None


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds the access token stays valid.")
    refresh_token: str
    refresh_expires_in: int
    must_change_password: bool
    user: UserInfo


class MeResponse(BaseModel):
    user: UserInfo
    client_id: str | None
    readable: list[str]
    writable: list[str]


def _tokens(issued: IssuedTokens) -> TokenResponse:
    return TokenResponse(
        access_token=issued.access_token,
        expires_in=issued.access_expires_in,
        refresh_token=issued.refresh_token,
        refresh_expires_in=issued.refresh_expires_in,
        must_change_password=issued.must_change_password,
        user=UserInfo(
            id=issued.user_id,
            username=issued.username,
            display_name=issued.display_name,
            role=issued.role,
            territory_id=issued.territory_id,
        ),
    )


@router.post(
    "/login",
    operation_id="login",
    responses=_errors(401, 403, 409, 429),
    response_model=TokenResponse,
)
def login(body: LoginRequest, request: Request, auth: AuthDep) -> TokenResponse:
    remote = request.client.host if request.client else ""
    return _tokens(auth.login(body.username, body.password, body.client_id.lower(), remote))


@router.post(
    "/refresh", operation_id="refresh", responses=_errors(401), response_model=TokenResponse
)
def refresh(body: RefreshRequest, auth: AuthDep) -> TokenResponse:
    return _tokens(auth.refresh(body.refresh_token))


@router.post("/logout", operation_id="logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(body: RefreshRequest, auth: AuthDep) -> Response:
    auth.logout(body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/password",
    operation_id="change_password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_errors(401, 409, 422),
)
def change_password(
    body: PasswordChangeRequest, principal: PrincipalDep, auth: AuthDep
) -> Response:
    auth.change_password(principal.user_id, body.old_password, body.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", operation_id="me", responses=_errors(401), response_model=MeResponse)
def me(principal: PrincipalDep, client_id: TokenClientDep, auth: AuthDep) -> MeResponse:
    info = auth.user_info(principal.user_id)
    return MeResponse(
        user=UserInfo.model_validate(info),
        client_id=client_id,
        readable=sorted(principal.readable),
        writable=sorted(principal.writable),
    )
