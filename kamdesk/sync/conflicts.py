"""The Sync issues panel's API: list conflicts and rejections, resolve them.

``keep_mine`` and ``("edit", value)`` enqueue a NEW mutation (with the current local versions
as its base, so it does not conflict again); ``take_theirs`` enqueues the other value only when
the server currently holds ours. Resolving never deletes the history row; it is stamped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kamdesk.db.base import FieldVersioned, utcnow
from kamdesk.db.engine import Store
from kamdesk.db.models import SyncConflict
from kamdesk.services.outbox import record_mutation
from kamdesk.sync.codec import TABLES, decode_value, editable_columns, encode_value
from kamdesk.sync.errors import ConflictResolutionError

Resolution = Literal["keep_mine", "take_theirs"] | tuple[Literal["edit"], Any]


@dataclass(frozen=True, slots=True)
class ConflictView:
    id: int
    kind: str  # field | master_data | deleted | moved | rejected
    entity_table: str
    entity_id: str
    field: str | None
    base_value: Any
    their_value: Any
    your_value: Any
    reason: str
    mutation_id: int | None
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None

    @property
    def resolvable(self) -> bool:
        """Keep mine / edit make sense (a field to set, or a deleted row to bring back)."""
        return self.kind in ("field", "master_data") or (self.kind == "deleted")


def _view(row: SyncConflict) -> ConflictView:
    return ConflictView(
        id=row.id,
        kind=row.kind,
        entity_table=row.entity_table,
        entity_id=row.entity_id,
        field=row.field,
        base_value=row.base_value,
        their_value=row.their_value,
        your_value=row.your_value,
        reason=row.reason,
        mutation_id=row.mutation_id,
        created_at=row.created_at,
        resolved_at=row.resolved_at,
        resolution=row.resolution,
    )


def list_conflicts(store: Store, *, include_resolved: bool = False) -> list[ConflictView]:
    with store.session() as session:
        query = select(SyncConflict).order_by(SyncConflict.id)
        if not include_resolved:
            query = query.where(SyncConflict.resolved_at.is_(None))
        return [_view(row) for row in session.scalars(query)]


def _set_field(
    session: Session, table: str, row_id: str, name: str, value: Any, actor: str | None
) -> bool:
    model = TABLES.get(table)
    row = session.get(model, row_id) if model is not None else None
    if row is None or model is None:
        raise ConflictResolutionError(
            f"{table} {row_id} is no longer in your territories.", code="sync.resolve.gone"
        )
    if name not in editable_columns(model):
        raise ConflictResolutionError(f"{name} cannot be edited.", code="sync.resolve.field")
    decoded = decode_value(model, name, value)
    if encode_value(getattr(row, name)) == encode_value(decoded):
        return False
    if isinstance(row, FieldVersioned):
        base = {name: int(row.field_seq.get(name, row.srv_seq))}
    else:
        base = {"_row": row.srv_seq}
    record_mutation(  # first: it reads sync state, and a flush must find the edit covered
        session,
        f"{table}.update_fields",
        entity_table=table,
        entity_id=row_id,
        args={"fields": {name: encode_value(decoded)}},
        base=base,
        actor=actor,
    )
    setattr(row, name, decoded)
    return True


def resolve(
    store: Store, conflict_id: int, resolution: Resolution, *, actor: str | None = None
) -> bool:
    """Resolve one conflict; returns whether a new mutation was queued."""
    with store.session() as session:
        row = session.get(SyncConflict, conflict_id)
        if row is None:
            raise ConflictResolutionError(
                f"No conflict {conflict_id}.", code="sync.resolve.missing"
            )
        if row.resolved_at is not None:
            raise ConflictResolutionError("Already resolved.", code="sync.resolve.done")
        queued = False
        if isinstance(resolution, tuple):
            if len(resolution) != 2 or resolution[0] != "edit" or not row.field:
                raise ConflictResolutionError(
                    "Only a field can be edited.", code="sync.resolve.bad"
                )
            queued = _set_field(
                session, row.entity_table, row.entity_id, row.field, resolution[1], actor
            )
            label = "edit"
        elif resolution == "keep_mine":
            queued = _keep_mine(session, row, actor)
            label = "keep_mine"
        elif resolution == "take_theirs":
            if row.kind == "field" and row.field:
                queued = _set_field(
                    session, row.entity_table, row.entity_id, row.field, row.their_value, actor
                )
            label = "take_theirs"
        else:
            raise ConflictResolutionError(
                f"Unknown resolution {resolution!r}.", code="sync.resolve.bad"
            )
        row.resolution = label
        row.resolved_at = utcnow()
        return queued


def _keep_mine(session: Session, row: SyncConflict, actor: str | None) -> bool:
    if row.kind in ("field", "master_data") and row.field:
        return _set_field(
            session, row.entity_table, row.entity_id, row.field, row.your_value, actor
        )
    if row.kind == "deleted":
        model = TABLES.get(row.entity_table)
        local = session.get(model, row.entity_id) if model is not None else None
        if local is None:
            raise ConflictResolutionError("The row is gone.", code="sync.resolve.gone")
        record_mutation(
            session,
            f"{row.entity_table}.undelete",
            entity_table=row.entity_table,
            entity_id=row.entity_id,
            args={},
            actor=actor,
        )
        local.deleted = False
        fields = (row.your_value or {}).get("fields") if isinstance(row.your_value, dict) else None
        for name, value in (fields or {}).items():
            _set_field(session, row.entity_table, row.entity_id, name, value, actor)
        return True
    raise ConflictResolutionError(
        "This issue can only be acknowledged (take theirs).", code="sync.resolve.not_keepable"
    )
