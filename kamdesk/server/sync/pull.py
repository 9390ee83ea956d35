"""POST /v1/sync/pull: changes after the client's cursors, for the partitions the TOKEN grants.

One SELECT over every readable partition, ordered by (partition, seq): a single statement reads
one snapshot on both PostgreSQL and SQLite, so a page never shows a row whose referenced row
(same partition, lower seq; or the reference partition, which sorts first) is missing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.models import ChangeLog
from kamdesk.domain.enums import Role
from kamdesk.server.principal import Principal
from kamdesk.server.sync.info import DEFAULT_POLICY, SyncPolicy
from kamdesk.server.sync.publish import CONFLICT_TABLE, begin_write
from kamdesk.server.sync.push import register_client
from kamdesk.server.sync.schemas import Change, PullRequest, PullResponse


def _partition_order(partition: str) -> tuple[int, str]:
    return (0 if partition == "reference" else 1, partition)


def _shows_conflict(principal: Principal, request: PullRequest, data: dict[str, Any]) -> bool:
    """Supervisors see every conflict; a manager sees the ones where their value lost."""
    if principal.role != Role.MANAGER:
        return True
    return bool(data.get("loser_client")) and data.get("loser_client") == request.client_id


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
    with sessions() as session, session.begin():
        begin_write(session)
        register_client(session, principal, request.client_id, request.schema_version, "")
    partitions = sorted(principal.readable, key=_partition_order)
    cursors = {p: max(0, int(request.cursors.get(p, 0))) for p in partitions}
    if not partitions:
        return PullResponse(min_schema=policy.min_schema, max_schema=policy.max_schema)
    condition = or_(
        *(and_(ChangeLog.partition == p, ChangeLog.seq > c) for p, c in cursors.items())
    )
    with sessions() as session, session.begin():
        rows = session.scalars(
            select(ChangeLog)
            .where(condition)
            .order_by(ChangeLog.partition, ChangeLog.seq)
            .limit(request.limit + 1)
        ).all()
    # SQL sorts "reference" before "territory:..." already; keep the documented order anyway
    rows = sorted(rows, key=lambda r: (_partition_order(r.partition), r.seq))
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    changes = []
    for row in rows:
        cursors[row.partition] = row.seq  # filtered rows still move the checkpoint
        if row.table_name == CONFLICT_TABLE and not _shows_conflict(principal, request, row.data):
            continue
        changes.append(
            Change(
                partition=row.partition,
                seq=row.seq,
                table=row.table_name,
                row_id=row.row_id,
                op="REMOVE" if row.op == "REMOVE" else "PUT",
                data=row.data,
            )
        )
    return PullResponse(
        changes=changes,
        cursors=cursors,
        more=more,
        min_schema=policy.min_schema,
        max_schema=policy.max_schema,
    )
