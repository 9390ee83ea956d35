"""What a mutation handler works with, and the two ways it can refuse."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kamdesk.db.base import Synced
from kamdesk.db.models import ChangeLog, Territory, User
from kamdesk.domain.enums import Role
from kamdesk.ids import uuid7
from kamdesk.server.principal import Principal
from kamdesk.server.sync.errors import Rejection
from kamdesk.server.sync.publish import CONFLICT_TABLE, append_change, partition_of
from kamdesk.server.sync.schemas import ConflictOut
from kamdesk.sync.codec import tablename


class Refused(Exception):
    """The mutation is not applied and comes back as a conflict the user resolves."""

    def __init__(self, conflict: ConflictOut) -> None:
        super().__init__(conflict.reason)
        self.conflict = conflict


@dataclass
class MutationContext:
    session: Session
    principal: Principal
    client_id: str
    mutation_id: int
    name: str
    entity_table: str
    entity_id: str
    args: dict[str, Any]
    base: dict[str, Any]
    conflicts: list[ConflictOut] = field(default_factory=list)
    version: int | None = None  # row version written

    @property
    def is_manager(self) -> bool:
        return self.principal.role == Role.MANAGER

    def publish_conflict(
        self, partition: str, conflict: ConflictOut, loser_client: str | None = None
    ) -> None:
        """Record a conflict in the change log too, so the other side (the client whose value
        lost) and supervisors see it; pull filters who receives it."""
        data = conflict.model_dump(mode="json")
        data.update(
            client_id=self.client_id,
            mutation_id=self.mutation_id,
            user=self.principal.username,
            loser_client=loser_client,
        )
        append_change(
            self.session,
            partition,
            CONFLICT_TABLE,
            uuid7(),
            "PUT",
            data,
            self.principal.user_id,
        )

    def check_writable(self, row: Synced, *, existing: bool) -> str:
        """The row's partition if this principal may write it; else a moved conflict (the
        principal could see the row before) or a rejection."""
        partition = partition_of(self.session, row)
        if self.principal.can_write(partition):
            return partition
        table = tablename(row)
        seen = self.session.scalar(
            select(ChangeLog.seq)
            .where(
                ChangeLog.row_id == (row.id if existing else getattr(row, "account_id", "")),
                ChangeLog.partition.in_(self.principal.readable),
            )
            .limit(1)
        )
        if seen is not None:
            territory = self._territory_label(partition)
            raise Refused(
                ConflictOut(
                    kind="moved",
                    entity_table=table,
                    entity_id=row.id,
                    their_value=partition,
                    reason=f"moved to {territory}",
                )
            )
        raise Rejection(f"{table} {row.id} is outside your territories.", code="forbidden")

    def _territory_label(self, partition: str) -> str:
        territory_id = partition.split(":", 1)[-1]
        territory = self.session.get(Territory, territory_id)
        return territory.name if territory is not None else partition

    def deleted_by(self, row: Synced) -> str:
        entries = self.session.scalars(
            select(ChangeLog)
            .where(ChangeLog.row_id == row.id, ChangeLog.table_name == tablename(row))
            .order_by(ChangeLog.committed_at.desc(), ChangeLog.seq.desc())
            .limit(20)
        ).all()
        for entry in entries:
            if str(entry.data.get("_op", "")).endswith(".delete") and entry.actor_id:
                user = self.session.get(User, entry.actor_id)
                return user.username if user is not None else entry.actor_id
        return "?"

    def refuse_deleted(self, row: Synced) -> None:
        who = self.deleted_by(row)
        raise Refused(
            ConflictOut(
                kind="deleted",
                entity_table=tablename(row),
                entity_id=row.id,
                reason=f"deleted by {who}",
                their_value=who,
            )
        )


def require(condition: bool, message: str, code: str) -> None:
    if not condition:
        raise Rejection(message, code=code)
