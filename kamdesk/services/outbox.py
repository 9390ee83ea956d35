"""Every local change to synced data is written with its outbox row, in the same transaction.

``record_mutation`` is the only way services write the outbox. A ``before_flush`` guard on the
store's sessions refuses to flush a change to any synced row that no mutation in the same
transaction covers, so a caller that forgets cannot commit at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.base import Synced, utcnow
from kamdesk.db.listen_once import listen_once
from kamdesk.db.models import SYNCED_MODELS, AuditEntry, OutboxEntry, SyncState
from kamdesk.domain.hlc import HybridClock, Timestamp

COVERED_KEY = "kamdesk.outboxed"
SYNC_APPLY_KEY = "kamdesk.sync_apply"  # the sync client applying server state: no outbox
BULK_SEED_KEY = "kamdesk.bulk_seed"  # demo workspaces, which never sync
CLOCK_KEY = "kamdesk.clock"
_MODELS: dict[str, type[Synced]] = {str(getattr(m, "__tablename__")): m for m in SYNCED_MODELS}  # noqa: B009


class OutboxMissingError(RuntimeError):
    """A programming error: synced data changed without a mutation describing it."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def load_clock(session: Session) -> HybridClock:
    row = session.get(SyncState, "client")
    node = (row.value.get("client_id", "local") if row else "local")[:8]
    clock = HybridClock(node)
    last = session.get(SyncState, "hlc")
    if last is not None and last.value.get("last"):
        clock.observe(Timestamp.decode(last.value["last"]))
    return clock


def record_mutation(
    session: Session,
    name: str,
    *,
    entity_table: str,
    entity_id: str,
    args: dict[str, Any],
    base: dict[str, Any] | None = None,
    covers: Iterable[tuple[str, str]] = (),
    actor: str | None = None,
) -> OutboxEntry:
    """Queue mutation ``name`` and audit it; ``covers`` lists further (table, id) rows it writes."""
    covered: set[tuple[str, str]] = session.info.setdefault(COVERED_KEY, set())
    covered.add((entity_table, entity_id))
    covered.update(covers)
    # one clock and one state row per transaction: several mutations may queue before a flush
    cached = session.info.get(CLOCK_KEY)
    if cached is None:
        with session.no_autoflush:
            clock = load_clock(session)
            state = session.get(SyncState, "hlc")
        if state is None:
            state = SyncState(key="hlc", value={})
            session.add(state)
        cached = session.info[CLOCK_KEY] = (clock, state)
    clock, state = cached
    hlc = clock.now()
    state.value = {"last": hlc}
    entry = OutboxEntry(
        name=name,
        entity_table=entity_table,
        entity_id=entity_id,
        args=_jsonable(args),
        base=base or {},
        hlc=hlc,
        created_at=utcnow(),
        state="pending",
    )
    session.add(entry)
    account_id = _account_in_args(entity_table, entity_id, args)
    with session.no_autoflush:
        # only updates need the row (for old values), and rows whose args name no account
        wants_row = account_id is None or (
            isinstance(args.get("fields"), dict) and not name.endswith(".create")
        )
        row = _row_in_session(session, entity_table, entity_id) if wants_row else None
        if account_id is None and getattr(row, "account_id", None):
            account_id = str(row.account_id)  # type: ignore[union-attr]
        session.add(
            AuditEntry(
                user_id=actor,
                entity_table=entity_table,
                entity_id=entity_id,
                action=name,
                changes=_jsonable(args),
                account_id=account_id,
                source="local",
                before=_before(row, args),
            )
        )
    return entry


def _row_in_session(session: Session, table: str, row_id: str) -> Any | None:
    """The row a mutation names: loaded (identity map), in the database, or pending."""
    model = _MODELS.get(table)
    if model is None:
        return None
    row = session.get(model, row_id)
    if row is not None:
        return row
    return next((o for o in session.new if isinstance(o, model) and o.id == row_id), None)


def _account_in_args(table: str, row_id: str, args: dict[str, Any]) -> str | None:
    """The account card a mutation belongs to, when its arguments say (or it is the card)."""
    if table == "account":
        return row_id
    for part in (args, *(args.get(k) for k in ("fields", "row", "visit"))):
        if isinstance(part, dict) and part.get("account_id"):
            return str(part["account_id"])
    return None


def _before(row: Any | None, args: dict[str, Any]) -> dict[str, Any] | None:
    """Old values of the fields an update names, from the row's pending attribute history
    (the caller may set them before or after recording the mutation, but not flush between)."""
    fields = args.get("fields")
    if row is None or not isinstance(fields, dict) or inspect(row).pending:
        return None
    state = inspect(row)
    old: dict[str, Any] = {}
    for key in fields:
        if key not in state.attrs:
            continue
        history = state.attrs[key].history
        if history.deleted:
            old[key] = history.deleted[0]
        elif not history.added:
            old[key] = getattr(row, key)  # not set yet: the current value is the old one
    return _jsonable(old) if old else None


def pending_count(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.state.in_(("pending", "inflight")))
        )
        or 0
    )


def unguarded(session: Session) -> bool:
    """Sessions that write server state or demo seed data, which flush guards let through."""
    return bool(session.info.get(SYNC_APPLY_KEY) or session.info.get(BULK_SEED_KEY))


def changed_synced_rows(session: Session) -> Iterator[Synced]:
    """Synced rows this flush inserts, really modifies or deletes (what the guards check)."""
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Synced):
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        yield obj


def _guard(session: Session, _flush_context: Any, _instances: Any) -> None:
    if unguarded(session):
        return
    covered: set[tuple[str, str]] = session.info.get(COVERED_KEY, set())
    for obj in changed_synced_rows(session):
        key = (type(obj).__tablename__, obj.id)  # type: ignore[attr-defined]
        if key not in covered:
            raise OutboxMissingError(
                f"{key[0]} {key[1]} changed without an outbox mutation; use the services layer"
            )


def _clear(session: Session) -> None:
    session.info.pop(COVERED_KEY, None)
    session.info.pop(CLOCK_KEY, None)


def install_outbox_guard(factory: sessionmaker[Session]) -> None:
    listen_once(factory, {"before_flush": _guard, "after_commit": _clear, "after_rollback": _clear})
