"""The client's sync bookkeeping in ``sync_state`` (one JSON value per key)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kamdesk.db.models import SyncState
from kamdesk.ids import uuid7

CLIENT = "client"  # {"client_id"}: generated once, also read by the outbox's HLC
CURSORS = "cursors"  # {partition: seq}: the last applied checkpoint
INITIAL = "initial_sync"  # {"done": bool}: first sync pages are committed one by one until done
PAUSE = "pause"  # {"upgrade_required": bool, "schema_version", "min_schema", "max_schema"}
SERVER = "server"  # {"min_schema", "max_schema"} as last advertised


def get(session: Session, key: str) -> dict[str, Any]:
    row = session.get(SyncState, key)
    return dict(row.value) if row is not None else {}


def put(session: Session, key: str, value: dict[str, Any]) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value))
    else:
        row.value = value


def client_id(session: Session) -> str:
    value = get(session, CLIENT)
    if not value.get("client_id"):
        value["client_id"] = uuid7()
        put(session, CLIENT, value)
    return str(value["client_id"])


def cursors(session: Session) -> dict[str, int]:
    return {str(k): int(v) for k, v in get(session, CURSORS).items()}
