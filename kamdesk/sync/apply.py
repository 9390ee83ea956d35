"""Applying server state to the local store, and replaying own pending mutations on top.

What the user sees = server state + own pending mutations: after server rows land, every
pending/inflight outbox entry touching them is re-applied locally (in mutation-id order), so a
pulled server version never hides an edit that is still on its way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kamdesk.db.base import Synced, utcnow
from kamdesk.db.models import (
    Account,
    AuditEntry,
    Contact,
    OutboxEntry,
    SyncConflict,
    VisitPlan,
)
from kamdesk.sync.codec import (
    BOOKKEEPING,
    TABLES,
    decode_value,
    encode_value,
    tablename,
    wire_columns,
    wire_to_values,
)

CONFLICT_TABLE = "sync_conflict"
OPEN_STATES = ("pending", "inflight")
# not shown in a card's history: bookkeeping, file bytes, derived classification columns
AUDIT_SKIP = BOOKKEEPING | {"data", "abc_tier", "lifecycle_stage"}


def _referrers() -> dict[str, list[tuple[type[Synced], str]]]:
    out: dict[str, list[tuple[type[Synced], str]]] = {}
    for model in TABLES.values():
        for column in model.__table__.columns:  # type: ignore[attr-defined]
            for fk in column.foreign_keys:
                out.setdefault(fk.column.table.name, []).append((model, column.key))
    return out


REFERRERS = _referrers()


def defer_foreign_keys(session: Session) -> None:
    """Check foreign keys at commit, so one checkpoint may arrive in any order inside it.
    Must run after the transaction's first write (pysqlite begins lazily)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA defer_foreign_keys = ON"))


def delete_cascade(session: Session, row: Synced) -> None:
    """Remove a row that left this client's territories, and local rows pointing at it."""
    for model, column in REFERRERS.get(tablename(row), []):
        for child in session.scalars(select(model).where(getattr(model, column) == row.id)):
            delete_cascade(session, child)
    session.delete(row)
    session.flush()


def put_row(
    session: Session, table: str, data: dict[str, Any], *, force: bool = False
) -> Synced | None:
    """Upsert a server row if it is newer than the local version (row versions, not seqs)."""
    model = TABLES.get(table)
    if model is None:
        return None  # a table this build does not know (newer server): skipped, cursor moves on
    values = wire_to_values(model, data)
    row = session.get(model, values["id"])
    version = int(values.get("srv_seq") or 0)
    if row is None:
        row = model(**values)
        session.add(row)
        return row
    if force or version > row.srv_seq:
        for key, value in values.items():
            setattr(row, key, value)
        return row
    return None


def remove_row(session: Session, table: str, row_id: str, version: int) -> bool:
    model = TABLES.get(table)
    row = session.get(model, row_id) if model is not None else None
    # equal versions: the PUT of the same move (other partition) already arrived and wins
    if row is None or row.srv_seq >= version:
        return False
    delete_cascade(session, row)
    return True


def record_pulled_conflict(session: Session, data: dict[str, Any], own_client: str) -> None:
    """A conflict the server recorded for someone else's mutation (we may be the other side)."""
    if data.get("client_id") == own_client:
        return  # our own push already recorded it from the push result
    who = data.get("user") or "?"
    session.add(
        SyncConflict(
            mutation_id=None,
            kind=str(data.get("kind", "field")),
            entity_table=str(data.get("entity_table", "")),
            entity_id=str(data.get("entity_id", "")),
            field=data.get("field"),
            base_value=data.get("base_value"),
            # from this side "theirs" is the other user's value, "yours" the one replaced
            their_value=data.get("your_value"),
            your_value=data.get("their_value"),
            reason=f"{who}: {data.get('reason', '')}",
        )
    )


def reapply(session: Session, entry: OutboxEntry) -> None:
    """Re-apply one pending mutation to the local row (optimistic state)."""
    model = TABLES.get(entry.entity_table)
    row = session.get(model, entry.entity_id) if model is not None else None
    if row is None or model is None:
        return
    verb = entry.name.partition(".")[2]
    if entry.name == "account.tags" and isinstance(row, Account):
        remove = set(entry.args.get("remove", []))
        tags = [t for t in row.tags if t not in remove]
        tags += [t for t in dict.fromkeys(entry.args.get("add", [])) if t not in tags]
        row.tags = tags
    elif verb == "update_fields":
        for key, value in dict(entry.args.get("fields", {})).items():
            if key in model.__table__.columns:  # type: ignore[attr-defined]
                setattr(row, key, decode_value(model, key, value))
    elif verb == "delete":
        row.deleted = True
    elif verb == "undelete":
        row.deleted = False
    elif entry.name == "order.submit" and getattr(row, "status", None) == "draft":
        row.status = "submitted"  # type: ignore[attr-defined]


def rebase(session: Session, entity_ids: Iterable[str]) -> None:
    ids = sorted(set(entity_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        entries = session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.entity_id.in_(chunk), OutboxEntry.state.in_(OPEN_STATES))
            .order_by(OutboxEntry.mutation_id)
        ).all()
        for entry in entries:
            reapply(session, entry)


def refresh_search_text(session: Session, touched: Iterable[tuple[str, str]]) -> None:
    from kamdesk.services.accounts import account_search_text

    account_ids: set[str] = set()
    for table, row_id in touched:
        if table == "account":
            account_ids.add(row_id)
        elif table == "contact":
            contact = session.get(Contact, row_id)
            if contact is not None:
                account_ids.add(contact.account_id)
    session.flush()
    for account_id in sorted(account_ids):
        account = session.get(Account, account_id)
        if account is not None:
            account.search_text = account_search_text(session, account)


def purge_partition(session: Session, partition: str) -> int:
    """Drop local rows of a partition the token no longer grants (the user changed territory).

    Queued edits to them stay in the outbox and come back from the server as conflicts.
    """
    kind, _, territory_id = partition.partition(":")
    if kind != "territory" or not territory_id:
        return 0
    removed = 0
    rows: list[Synced] = [
        *session.scalars(select(Account).where(Account.territory_id == territory_id)),
        *session.scalars(select(VisitPlan).where(VisitPlan.territory_id == territory_id)),
    ]
    for row in rows:
        delete_cascade(session, row)
        removed += 1
    return removed


def _audited_values(row: Synced) -> dict[str, Any]:
    model = type(row)
    return {k: encode_value(getattr(row, k)) for k in wire_columns(model) if k not in AUDIT_SKIP}


def record_incoming_audit(
    session: Session,
    table: str,
    row: Synced,
    data: dict[str, Any],
    old: dict[str, Any] | None,
) -> AuditEntry | None:
    """Audit a change another user (or the server) made to an account's data: who (``_u``),
    when (``_t``), which client (``_c``), which mutation (``_op``), and the fields it changed."""
    account_id = row.id if table == "account" else getattr(row, "account_id", None)
    if not account_id:
        return None  # reference data and territory-level rows: not part of a card's history
    new = _audited_values(row)
    if old is None:
        changed = {k: v for k, v in new.items() if v not in (None, "", [], {})}
        before = None
    else:
        changed = {k: v for k, v in new.items() if old.get(k) != v}
        before = {k: old.get(k) for k in changed}
        if not changed and not (row.deleted and str(data.get("_op", "")).endswith(".delete")):
            return None
    when = utcnow()
    if data.get("_t"):
        with contextlib.suppress(ValueError):
            parsed = datetime.fromisoformat(str(data["_t"]))
            when = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    entry = AuditEntry(
        at=when,
        user_id=str(data["_u"]) if data.get("_u") else None,
        entity_table=table,
        entity_id=row.id,
        action=str(data.get("_op") or f"{table}.sync"),
        changes={"fields": changed},
        account_id=str(account_id),
        source="server",
        client_id=str(data["_c"]) if data.get("_c") else None,
        before=before or None,
    )
    session.add(entry)
    return entry


def apply_changes(
    session: Session,
    changes: Iterable[dict[str, Any]],
    own_client: str,
    *,
    audit: bool = False,
) -> set[tuple[str, str]]:
    """Apply pulled changes in order; returns the (table, id) rows touched.

    With ``audit`` (every sync after the first), changes written by other clients are recorded
    in the local audit trail so an account card's history shows who changed it on the server.
    """
    touched: set[tuple[str, str]] = set()
    for change in changes:
        table, row_id = str(change["table"]), str(change["row_id"])
        data = dict(change.get("data") or {})
        if table == CONFLICT_TABLE:
            record_pulled_conflict(session, data, own_client)
            continue
        if change["op"] == "REMOVE":
            if remove_row(session, table, row_id, int(data.get("srv_seq") or 0)):
                touched.add((table, row_id))
            continue
        audited = audit and data.get("_c") != own_client and table in TABLES
        old: dict[str, Any] | None = None
        if audited:
            existing = session.get(TABLES[table], row_id)
            old = _audited_values(existing) if existing is not None else None
        row = put_row(session, table, {**data, "id": row_id})
        if row is not None:
            touched.add((table, row_id))
            if audited:
                record_incoming_audit(session, table, row, data, old)
    return touched
