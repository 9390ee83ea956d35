"""/v1/sync: push, pull and info (see the project's docs/sync-protocol.md).

The sync policy (accepted schema range) is ``app.state.sync_policy`` when the app sets one,
else ``DEFAULT_POLICY``. Requests that cannot be served map to 403 with a ``code``.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status

from kamdesk.server.deps import PrincipalDep, SessionsDep, run_db
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


# Small requests run on the event loop on PostgreSQL (``run_db``): a hop to the thread pool and
# back (and forty threads taking turns at the GIL) cost more CPU than a push of one mutation or
# an incremental pull, and the server did 200 ops/s that way against 450 inline
# (benchmarks/sync_speed.py). Large ones (first-sync pages, long outbox batches) still go to the
# pool so they never hold up the loop.
INLINE_PULL_LIMIT = 1000
INLINE_PUSH_MUTATIONS = 20


@router.post("/push", response_model=PushResponse)
async def push(
    body: PushRequest, request: Request, sessions: SessionsDep, principal: PrincipalDep
) -> Response:
    policy = _policy(request)
    try:
        answer = await run_db(
            request,
            lambda: push_mutations(sessions, principal, body, policy),
            small=len(body.mutations) <= INLINE_PUSH_MUTATIONS,
        )
    except SyncError as exc:
        raise _refused(exc) from exc
    return Response(answer.model_dump_json(), media_type="application/json")


@router.post("/pull", response_model=PullResponse)
async def pull(
    body: PullRequest, request: Request, sessions: SessionsDep, principal: PrincipalDep
) -> Response:
    policy = _policy(request)
    try:
        page = await run_db(
            request,
            lambda: pull_changes(sessions, principal, body, policy),
            small=body.limit <= INLINE_PULL_LIMIT,
        )
    except SyncError as exc:
        raise _refused(exc) from exc
    # A page is up to 5,000 rows: serialised once by pydantic-core, not validated again and
    # re-encoded by FastAPI's generic path (three passes over every row). Same JSON document.
    return Response(page.model_dump_json(), media_type="application/json")


@router.get("/info", response_model=SyncInfo)
def info(request: Request) -> SyncInfo:
    return server_info(_policy(request))
