"""POST /v1/sync/push: each mutation in its own transaction, exactly once per (client, id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.base import utcnow
from kamdesk.db.models import MutationResult, SyncClient
from kamdesk.errors import KamdeskError
from kamdesk.server.principal import Principal
from kamdesk.server.sync.context import MutationContext, Refused
from kamdesk.server.sync.errors import ClientOwnershipError, ClientRevokedError, Rejection
from kamdesk.server.sync.handlers import handler_for, table_for
from kamdesk.server.sync.info import DEFAULT_POLICY, SyncPolicy
from kamdesk.server.sync.publish import begin_write, partition_of
from kamdesk.server.sync.schemas import MutationIn, MutationOut, PushRequest, PushResponse
from kamdesk.sync.codec import TABLES, row_to_wire

# The caller's client row, locked: every push takes it first (built once, bound parameter).
CLIENT_FOR_UPDATE = (
    select(SyncClient).where(SyncClient.client_id == bindparam("client_id")).with_for_update()
)


def lock_client(
    session: Session, principal: Principal, client_id: str, *, create: bool
) -> SyncClient:
    """Lock the caller's client row (``create``: make it on first use). The client id belongs
    to the first user who used it; anyone else, or a revoked client, is refused."""
    client = session.scalar(CLIENT_FOR_UPDATE, {"client_id": client_id})
    if client is None:
        if not create:
            raise ClientOwnershipError("This client id belongs to another user.")
        client = SyncClient(client_id=client_id, user_id=principal.user_id, last_mutation_id=0)
        session.add(client)
        session.flush()  # the row exists (and is locked) before anything refers to it
    elif client.user_id != principal.user_id:
        raise ClientOwnershipError("This client id belongs to another user.")
    elif client.revoked:
        raise ClientRevokedError("This client was revoked; sign in again.")
    return client


def stamp_client(client: SyncClient, schema: int, app_version: str) -> None:
    client.schema_version = schema
    client.app_version = app_version
    client.last_seen_at = utcnow()


def register_client(
    session: Session, principal: Principal, client_id: str, schema: int, app_version: str
) -> SyncClient:
    client = lock_client(session, principal, client_id, create=True)
    stamp_client(client, schema, app_version)
    session.flush()
    return client


def push(
    sessions: sessionmaker[Session],
    principal: Principal,
    request: PushRequest,
    policy: SyncPolicy = DEFAULT_POLICY,
) -> PushResponse:
    if not policy.accepts_schema(request.schema_version):
        return PushResponse(
            upgrade_required=True, min_schema=policy.min_schema, max_schema=policy.max_schema
        )
    registration = (request.schema_version, request.app_version)
    if not request.mutations:
        with sessions() as session, session.begin():
            begin_write(session)
            register_client(session, principal, request.client_id, *registration)
    # the first mutation's transaction registers the client (one commit less per push)
    results = [
        _push_one(
            sessions, principal, request.client_id, m, policy, registration if i == 0 else None
        )
        for i, m in enumerate(request.mutations)
    ]
    return PushResponse(results=results, min_schema=policy.min_schema, max_schema=policy.max_schema)


def _stored(stored: MutationResult) -> MutationOut:
    return MutationOut.model_validate(stored.result)


def _push_one(
    sessions: sessionmaker[Session],
    principal: Principal,
    client_id: str,
    mutation: MutationIn,
    policy: SyncPolicy,
    registration: tuple[int, str] | None = None,
) -> MutationOut:
    """``registration`` (schema, app version): register the client in this transaction (it
    takes the same row lock), refusing a foreign or revoked client id before anything else."""
    with sessions() as session:
        with session.begin():
            begin_write(session)
            client = lock_client(session, principal, client_id, create=registration is not None)
            stored = session.get(MutationResult, (client_id, mutation.mutation_id))
            if stored is not None:
                out = _stored(stored)  # a replay: the original answer, nothing changes
            elif mutation.mutation_id <= client.last_mutation_id:
                out = MutationOut(
                    mutation_id=mutation.mutation_id,
                    status="rejected",
                    reason="stale",
                    message="This mutation id is older than the last one seen.",
                )
                if registration is not None:
                    stamp_client(client, *registration)
                return _with_row(session, principal, mutation, out)
            else:
                out = _apply(session, principal, client_id, mutation, policy)
                session.add(
                    MutationResult(
                        client_id=client_id,
                        mutation_id=mutation.mutation_id,
                        status=out.status,
                        result=out.model_dump(mode="json"),
                        seq=out.seq,
                    )
                )
                client.last_mutation_id = mutation.mutation_id
            if registration is not None:  # last: one UPDATE of the client row at commit
                stamp_client(client, *registration)
        if out.status == "applied":
            return out
        with session.begin():
            return _with_row(session, principal, mutation, out)


def _with_row(
    session: Session, principal: Principal, mutation: MutationIn, out: MutationOut
) -> MutationOut:
    """Attach the server's current row so the client can drop a refused optimistic edit."""
    model = TABLES.get(out.entity_table or mutation.entity_table)
    row_id = out.entity_id or mutation.entity_id
    if model is None or not row_id:
        return out
    row = session.get(model, row_id)
    if row is None:
        return out
    try:
        readable = principal.can_read(partition_of(session, row))
    except KamdeskError:
        readable = False
    return out.model_copy(update={"row": row_to_wire(row) if readable else None})


def _apply(
    session: Session,
    principal: Principal,
    client_id: str,
    mutation: MutationIn,
    policy: SyncPolicy,
) -> MutationOut:
    entity_table = mutation.entity_table
    base: dict[str, Any] = {"mutation_id": mutation.mutation_id, "entity_id": mutation.entity_id}
    try:
        entity_table = entity_table or table_for(mutation.name)[0]
    except Rejection:
        entity_table = ""
    base["entity_table"] = entity_table
    low, high = policy.version_range(mutation.name)
    if not low <= mutation.version <= high:
        return MutationOut(
            status="rejected",
            reason="mutation.version",
            message=f"{mutation.name} v{mutation.version} is not accepted ({low}..{high}).",
            **base,
        )
    args = mutation.args
    normalise = policy.normalisers.get((mutation.name, mutation.version))
    if normalise is not None:
        args = normalise(dict(args))
    ctx = MutationContext(
        session=session,
        principal=principal,
        client_id=client_id,
        mutation_id=mutation.mutation_id,
        name=mutation.name,
        entity_table=entity_table,
        entity_id=mutation.entity_id,
        args=args,
        base=mutation.base,
    )
    try:
        with session.begin_nested():
            handler_for(mutation.name)(ctx)
            session.flush()
    except Refused as refused:
        return MutationOut(
            status="conflict",
            reason=refused.conflict.kind,
            message=refused.conflict.reason,
            conflicts=[refused.conflict],
            **base,
        )
    except KamdeskError as exc:  # Rejection and the field ValidationError
        return MutationOut(status="rejected", reason=exc.code, message=exc.message, **base)
    except IntegrityError as exc:
        return MutationOut(
            status="rejected",
            reason="invalid.reference",
            message=f"A referenced row does not exist or a value clashes: {exc.orig}"[:300],
            **base,
        )
    except (TypeError, ValueError, KeyError) as exc:
        return MutationOut(status="rejected", reason="invalid.args", message=str(exc)[:300], **base)
    return MutationOut(
        status="conflict" if ctx.conflicts else "applied",
        seq=ctx.version,
        conflicts=ctx.conflicts,
        **base,
    )
