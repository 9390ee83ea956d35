"""Publishing admin writes (users, territories) to the change log so desktops pull them.

The sync work owns the change-log format; this uses its writer when it is installed
(``kamdesk.server.sync.publish.publish_row``) and otherwise writes the same shape itself:
``data`` holds the row's columns (dates as ISO text) plus ``_op`` (the cause), with the
per-partition sequence allocated under the ``srv_partition_counter`` row lock inside the
caller's transaction. ``srv_seq`` is the row's version, bumped on every server write.
"""

from __future__ import annotations

import importlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from kamdesk.db.base import Synced, utcnow
from kamdesk.db.models import ChangeLog, PartitionCounter


def row_data(row: Synced) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for attr in inspect(row).mapper.column_attrs:
        value = getattr(row, attr.key)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, bytes):
            continue  # attachments travel separately
        data[attr.key] = value
    return data


def _sync_writer() -> Any | None:
    try:
        module = importlib.import_module("kamdesk.server.sync.publish")
    except ImportError:
        return None
    return getattr(module, "publish_row", None)


def next_seq(session: Session, partition: str) -> int:
    counter = session.get(PartitionCounter, partition, with_for_update=True)
    if counter is None:
        counter = PartitionCounter(partition=partition, last_seq=0)
        session.add(counter)
    counter.last_seq += 1
    session.flush()
    return counter.last_seq


def publish(
    session: Session, row: Synced, *, partition: str, actor_id: str | None, cause: str
) -> int:
    """Bump ``row``'s version and record it in ``partition``'s change log; returns the seq."""
    row.srv_seq = (row.srv_seq or 0) + 1
    session.flush()
    writer = _sync_writer()
    if writer is not None:
        return int(writer(session, row, actor_id=actor_id, cause=cause, partition=partition))
    seq = next_seq(session, partition)
    data = row_data(row)
    data.pop("search_text", None)
    data.pop("updated_at", None)
    data["_op"] = cause
    session.add(
        ChangeLog(
            partition=partition,
            seq=seq,
            table_name=type(row).__tablename__,  # type: ignore[attr-defined]
            row_id=row.id,
            op="PUT",
            data=data,
            committed_at=utcnow(),
            actor_id=actor_id,
        )
    )
    session.flush()
    return seq
