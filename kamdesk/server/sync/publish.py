"""Writing the change log: per-partition sequence numbers allocated inside the writing
transaction, so ``seq`` order per partition is commit order (docs/sync-protocol.md, "Sequence").

Every server-side write to a synced row must go through :func:`publish_row` (or
:func:`publish_remove`) in the same transaction, or clients never hear of it.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Table, bindparam, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kamdesk.db.base import Synced
from kamdesk.db.models import Account, ChangeLog, PartitionCounter
from kamdesk.server.principal import REFERENCE_PARTITION, territory_partition
from kamdesk.server.sync.errors import Rejection
from kamdesk.sync.codec import row_to_wire, tablename

CONFLICT_TABLE = "sync_conflict"  # pseudo-table: conflicts both sides see, pulled like rows


def begin_write(session: Session) -> None:
    """Take the database write lock first on SQLite (reads before it would be a stale snapshot:
    pysqlite starts the transaction only at the first DML). PostgreSQL uses row locks instead."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE srv_partition_counter SET last_seq = last_seq WHERE 1 = 0"))


def next_seq(session: Session, partition: str) -> int:
    """Allocate the next sequence number of ``partition`` inside the caller's transaction.

    One upsert statement: on PostgreSQL the UPDATE branch takes the counter row's lock until
    commit (the same lock ``SELECT ... FOR UPDATE`` would), so writers of one partition commit
    in the order they allocated; SQLite has a single writer at a time.
    """
    stmt = _next_seq_statement(session.get_bind().dialect.name)
    return int(session.execute(stmt, {"partition": partition}).scalar_one())


@functools.cache
def _next_seq_statement(dialect: str) -> Any:
    """Built once per dialect (every pushed row allocates a sequence number)."""
    table = PartitionCounter.__table__
    assert isinstance(table, Table)
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database {dialect}")
    return (
        stmt.values(partition=bindparam("partition"), last_seq=1)
        .on_conflict_do_update(
            index_elements=[table.c.partition], set_={"last_seq": table.c.last_seq + 1}
        )
        .returning(table.c.last_seq)
    )


def append_change(
    session: Session,
    partition: str,
    table: str,
    row_id: str,
    op: str,
    data: dict[str, Any],
    actor_id: str | None,
) -> int:
    seq = next_seq(session, partition)
    session.add(
        ChangeLog(
            partition=partition,
            seq=seq,
            table_name=table,
            row_id=row_id,
            op=op,
            data=data,
            actor_id=actor_id,
        )
    )
    return seq


def partition_of(session: Session, row: Synced) -> str:
    """The partition a server row belongs to (territory of its account, or reference)."""
    model = type(row)
    if model.__sync_partition__ == "reference":
        return REFERENCE_PARTITION
    territory = getattr(row, "territory_id", None)
    if territory:
        return territory_partition(str(territory))
    account_id = getattr(row, "account_id", None)
    if account_id:
        account = session.get(Account, account_id)
        if account is None:
            raise Rejection(f"No account {account_id}.", code="not_found.account")
        return territory_partition(account.territory_id)
    raise Rejection(
        f"{tablename(model)} {row.id} belongs to no territory.", code="invalid.no_partition"
    )


def publish_row(
    session: Session,
    row: Synced,
    *,
    actor_id: str | None,
    cause: str,
    partition: str | None = None,
    client_id: str | None = None,
) -> int:
    """Append a PUT of ``row``'s current state; returns the change-log sequence.

    ``_op`` (the mutation name) and ``_c`` (the writing client) ride along for audits and for
    the row-level merge of tables without per-field versions; clients ignore ``_`` keys.
    """
    session.flush()
    data = row_to_wire(row)
    data["_op"] = cause
    if client_id is not None:
        data["_c"] = client_id
    part = partition or partition_of(session, row)
    return append_change(session, part, tablename(row), row.id, "PUT", data, actor_id)


def publish_remove(
    session: Session, row: Synced, partition: str, *, actor_id: str | None, cause: str
) -> int:
    data = {"srv_seq": row.srv_seq, "_op": cause}
    return append_change(session, partition, tablename(row), row.id, "REMOVE", data, actor_id)
