"""POST /v1/sync/pull: changes after the client's cursors, for the partitions the TOKEN grants.

One SELECT over every readable partition (a UNION ALL of keyset ranges, see ``_page``), ordered
by (partition, seq): a single statement reads one snapshot on both PostgreSQL and SQLite, so a
page never shows a row whose referenced row (same partition, lower seq; or the reference
partition, which sorts first) is missing.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Integer, Select, bindparam, literal, select, union_all
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.base import utcnow
from kamdesk.db.models import ChangeLog, SyncClient
from kamdesk.domain.enums import Role
from kamdesk.server.principal import Principal
from kamdesk.server.sync.info import DEFAULT_POLICY, SyncPolicy
from kamdesk.server.sync.publish import CONFLICT_TABLE, begin_write
from kamdesk.server.sync.push import register_client
from kamdesk.server.sync.schemas import Change, PullRequest, PullResponse

SEEN_REFRESH = timedelta(seconds=60)  # how stale srv_client.last_seen_at may get from pulls


def _partition_order(partition: str) -> tuple[int, str]:
    return (0 if partition == "reference" else 1, partition)


def _shows_conflict(principal: Principal, request: PullRequest, data: dict[str, Any]) -> bool:
    """Supervisors see every conflict; a manager sees the ones where their value lost."""
    if principal.role != Role.MANAGER:
        return True
    return bool(data.get("loser_client")) and data.get("loser_client") == request.client_id


def _with_audit(row: ChangeLog) -> dict[str, Any]:
    """The stored row plus who wrote it (``_u``) and when (``_t``), for the desktops' audit
    trail; like ``_op`` and ``_c`` these ``_`` keys are never columns."""
    data = dict(row.data)
    if row.actor_id:
        data["_u"] = row.actor_id
    if row.committed_at is not None:
        data["_t"] = row.committed_at.isoformat()
    return data


# What a pull needs of the caller's client row (plain columns: no ORM object per poll).
_CLIENT_SEEN = select(
    SyncClient.user_id, SyncClient.revoked, SyncClient.schema_version, SyncClient.last_seen_at
).where(SyncClient.client_id == bindparam("client_id"))


def _recently_seen(conn: Connection, principal: Principal, request: PullRequest) -> bool:
    """Whether this caller's client row is already registered as is (same owner, schema, not
    revoked) and was seen recently: then a pull writes nothing (a write per poll would cost a
    row lock and a commit on every request of hundreds of polling laptops). Anything else goes
    through ``register_client``, which refuses a foreign or revoked client id."""
    client = conn.execute(_CLIENT_SEEN, {"client_id": request.client_id}).first()
    return (
        client is not None
        and client.user_id == principal.user_id
        and not client.revoked
        and client.schema_version == request.schema_version
        and client.last_seen_at is not None
        and client.last_seen_at > utcnow() - SEEN_REFRESH
    )


_KEYS = [c.key for c in ChangeLog.__mapper__.column_attrs]


@functools.cache
def _page_statement(partitions: int) -> Select[Any]:
    """The page query for that many partitions, built once: constructing the UNION (its
    subqueries and column collections) cost more CPU than PostgreSQL spends running it. The
    partitions, cursors and limits are bound parameters."""
    columns = [getattr(ChangeLog, key) for key in _KEYS]
    branches = []
    for order in range(partitions):
        part = (
            select(*columns)
            .where(
                ChangeLog.partition == bindparam(f"p{order}"),
                ChangeLog.seq > bindparam(f"c{order}"),
            )
            .order_by(ChangeLog.seq)
            .limit(bindparam(f"l{order}", type_=Integer))
            .subquery()
        )
        branches.append(select(part, literal(order, Integer).label("part_order")))
    union = union_all(*branches).subquery()
    return (
        select(*(union.c[k] for k in _KEYS))
        .order_by(union.c.part_order, union.c.seq)
        .limit(bindparam("limit", type_=Integer))
    )


def _page(conn: Connection, cursors: dict[str, int], limit: int) -> Sequence[Any]:
    """The next ``limit + 1`` changes after ``cursors``, partitions in the order of ``cursors``.

    One statement (one snapshot on both databases): a UNION ALL with one branch per
    partition, each a keyset range on the primary key ``(partition, seq)`` with its own limit,
    so a page costs an index range scan per partition however long the history is (an ``OR``
    of the ranges made PostgreSQL sort every remaining row of a big territory for each page).
    Returns plain rows with ``ChangeLog``'s attribute names (no ORM objects: 5,000 per page).
    """
    params: dict[str, Any] = {"limit": limit + 1}
    for order, (partition, cursor) in enumerate(cursors.items()):
        params.update({f"p{order}": partition, f"c{order}": cursor, f"l{order}": limit + 1})
    return conn.execute(_page_statement(len(cursors)), params).all()


def pull(
    sessions: sessionmaker[Session],
    principal: Principal,
    request: PullRequest,
    policy: SyncPolicy = DEFAULT_POLICY,
) -> PullResponse:
    if not policy.accepts_schema(request.schema_version):
        return PullResponse(
            upgrade_required=True, min_schema=policy.min_schema, max_schema=policy.max_schema
        )
    partitions = sorted(principal.readable, key=_partition_order)
    cursors = {p: max(0, int(request.cursors.get(p, 0))) for p in partitions}
    rows: Sequence[Any] = []
    engine = sessions.kw["bind"]  # reads need no ORM session: a plain connection is cheaper
    with engine.connect() as conn, conn.begin():
        registered = _recently_seen(conn, principal, request)
        if registered and partitions:
            rows = _page(conn, cursors, request.limit)
    if not registered:  # first pull of this client, a new schema, or a while since: write
        with sessions() as session, session.begin():
            begin_write(session)
            register_client(session, principal, request.client_id, request.schema_version, "")
        if partitions:
            with engine.connect() as conn, conn.begin():
                rows = _page(conn, cursors, request.limit)
    if not partitions:
        return PullResponse(min_schema=policy.min_schema, max_schema=policy.max_schema)
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    changes = []
    for row in rows:
        cursors[row.partition] = row.seq  # filtered rows still move the checkpoint
        if row.table_name == CONFLICT_TABLE and not _shows_conflict(principal, request, row.data):
            continue
        changes.append(
            Change.model_construct(  # values from the change log, no validation needed
                partition=row.partition,
                seq=row.seq,
                table=row.table_name,
                row_id=row.row_id,
                op="REMOVE" if row.op == "REMOVE" else "PUT",
                data=_with_audit(row),
            )
        )
    return PullResponse(
        changes=changes,
        cursors=cursors,
        more=more,
        min_schema=policy.min_schema,
        max_schema=policy.max_schema,
    )
