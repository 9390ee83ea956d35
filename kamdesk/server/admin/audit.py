"""The server's audit trail: who changed which account, when, from which client, with what.

Nothing extra is written for it: every applied mutation already lands in ``srv_change_log``
with the user (``actor_id``), the time (``committed_at``), the mutation name (``_op``) and the
writing client (``_c``), and each PUT carries the row's full state, so the changed fields (old
→ new) are the difference to the previous version of the same row. Only partitions the caller
may read are searched (supervisors and admins; managers never reach this module).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kamdesk.db.models import Account, ChangeLog, User
from kamdesk.domain.enums import Role
from kamdesk.server.auth.errors import ForbiddenError, NotFoundApiError
from kamdesk.server.principal import Principal, territory_partition

# bookkeeping that changes on every write and says nothing about what the user changed
IGNORED = frozenset({"srv_seq", "field_seq", "updated_at", "search_text", "data"})
MAX_ROWS = 100_000
CONFLICT_TABLE = "sync_conflict"  # conflicts ride in the change log as a pseudo-table


@dataclass(frozen=True, slots=True)
class FieldDiff:
    field: str
    new: Any
    old: Any = None
    has_old: bool = False


@dataclass(frozen=True, slots=True)
class AuditRecord:
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
    op: str  # PUT | REMOVE
    changes: tuple[FieldDiff, ...] = field(default_factory=tuple)


def _territory_partitions(actor: Principal) -> list[str]:
    return sorted(p for p in actor.readable if p.startswith("territory:"))


def _diff(previous: dict[str, Any] | None, data: dict[str, Any]) -> tuple[FieldDiff, ...]:
    keys = [k for k in data if not k.startswith("_") and k not in IGNORED]
    if previous is None:
        return tuple(
            FieldDiff(k, data[k]) for k in keys if k != "id" and data[k] not in (None, "", [], {})
        )
    return tuple(
        FieldDiff(k, data[k], previous.get(k), has_old=k in previous)
        for k in keys
        if previous.get(k) != data[k]
    )


def account_audit(
    session: Session,
    actor: Principal,
    *,
    account_id: str | None = None,
    since: datetime | None = None,
    limit: int = 10_000,
) -> list[AuditRecord]:
    """Change-log entries of one account (and its records), or of every readable territory,
    newest first. ``since`` filters what is returned; diffs still see older versions."""
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise ForbiddenError("Only supervisors and administrators may read the audit trail.")
    partitions = _territory_partitions(actor)
    stmt = select(ChangeLog).where(
        ChangeLog.partition.in_(partitions), ChangeLog.table_name != CONFLICT_TABLE
    )
    if account_id is not None:
        account = session.get(Account, account_id)
        if account is None or territory_partition(account.territory_id) not in partitions:
            raise NotFoundApiError(f"No account {account_id}.", code="admin.account_unknown")
        stmt = stmt.where(
            or_(
                ChangeLog.row_id == account_id,
                ChangeLog.data["account_id"].as_string() == account_id,
            )
        )
    rows = session.scalars(stmt.order_by(ChangeLog.committed_at, ChangeLog.seq)).all()
    users = {
        u.id: u
        for u in session.scalars(
            select(User).where(User.id.in_({r.actor_id for r in rows if r.actor_id}))
        )
    }
    last: dict[str, dict[str, Any]] = {}
    records: list[AuditRecord] = []
    for row in rows:
        data = dict(row.data or {})
        changes = _diff(last.get(row.row_id), data) if row.op == "PUT" else ()
        if row.op == "PUT":
            last[row.row_id] = data
        if since is not None and row.committed_at < since:
            continue
        user = users.get(row.actor_id or "")
        owner = row.row_id if row.table_name == "account" else data.get("account_id")
        if owner is None and row.op == "REMOVE":
            owner = (last.get(row.row_id) or {}).get("account_id")
        records.append(
            AuditRecord(
                seq=row.seq,
                partition=row.partition,
                at=row.committed_at,
                user_id=row.actor_id,
                username=user.username if user else None,
                display_name=user.display_name if user else None,
                client_id=str(data["_c"]) if data.get("_c") else None,
                mutation=str(data.get("_op", "")),
                table=row.table_name,
                row_id=row.row_id,
                account_id=str(owner) if owner else None,
                op=row.op,
                changes=changes,
            )
        )
    records.reverse()
    return records[: max(0, min(limit, MAX_ROWS))]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def format_changes(changes: Sequence[FieldDiff]) -> str:
    return "; ".join(
        f"{c.field}: {_text(c.old)} → {_text(c.new)}" if c.has_old else f"{c.field}: {_text(c.new)}"
        for c in changes
    )


CSV_HEADER = (
    "committed_at_utc",
    "user",
    "display_name",
    "client_id",
    "mutation",
    "table",
    "row_id",
    "account_id",
    "op",
    "changes",
    "partition",
    "seq",
)


def to_csv(records: Sequence[AuditRecord]) -> str:
    """CSV text with a byte-order mark first, so Excel reads the Chinese as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for r in records:
        writer.writerow(
            [
                r.at.isoformat(),
                r.username or r.user_id or "",
                r.display_name or "",
                r.client_id or "",
                r.mutation,
                r.table,
                r.row_id,
                r.account_id or "",
                r.op,
                format_changes(r.changes),
                r.partition,
                r.seq,
            ]
        )
    return buffer.getvalue()


__all__ = ["AuditRecord", "FieldDiff", "account_audit", "format_changes", "to_csv"]
