"""/v1/sync: push, pull and info (see the project's docs/sync-protocol.md).

The sync policy (accepted schema range) is ``app.state.sync_policy`` when the app sets one,
else ``DEFAULT_POLICY``. Requests that cannot be served map to 403 with a ``code``.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status

from kamdesk.server.deps import PrincipalDep, SessionsDep
from kamdesk.server.sync import pull as pull_changes
from kamdesk.server.sync import push as push_mutations
from kamdesk.server.sync.errors import SyncError
from kamdesk.server.sync.info import DEFAULT_POLICY, SyncPolicy, server_info
from kamdesk.server.sync.schemas import (
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    SyncInfo,
)

router = APIRouter(prefix="/v1/sync", tags=["sync"])


def _policy(request: Request) -> SyncPolicy:
    policy = getattr(request.app.state, "sync_policy", None)
    return policy if isinstance(policy, SyncPolicy) else DEFAULT_POLICY


def _refused(exc: SyncError) -> HTTPException:
    return HTTPException(status.HTTP_403_FORBIDDEN, {"code": exc.code, "message": exc.message})


@router.post("/push", response_model=PushResponse)
def push(
    body: PushRequest, request: Request, sessions: SessionsDep, principal: PrincipalDep
) -> PushResponse:
    try:
        return push_mutations(sessions, principal, body, _policy(request))
    except SyncError as exc:
        raise _refused(exc) from exc


@router.post("/pull", response_model=PullResponse)
def pull(
    body: PullRequest, request: Request, sessions: SessionsDep, principal: PrincipalDep
) -> Response:
    try:
        page = pull_changes(sessions, principal, body, _policy(request))
    except SyncError as exc:
        raise _refused(exc) from exc
    # A page is up to 5,000 rows: serialised once by pydantic-core, not validated again and
    # re-encoded by FastAPI's generic path (three passes over every row). Same JSON document.
    return Response(page.model_dump_json(), media_type="application/json")


@router.get("/info", response_model=SyncInfo)
def info(request: Request) -> SyncInfo:
    return server_info(_policy(request))
