"""One handler per mutation shape; merge rules of sync.md (docs/sync-protocol.md, "Merge").

Handlers run inside the mutation's transaction. They raise ``Rejection`` (business refusal,
nothing written) or ``Refused`` (not applied, a conflict the user resolves), or record
applied-with-conflict entries in ``ctx.conflicts``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, bindparam, select

from kamdesk.db.base import FieldVersioned, Synced, utcnow
from kamdesk.db.models import MASTER_DATA_FIELDS, Account, ChangeLog, Product, SalesOrder
from kamdesk.domain.enums import OrderStatus, Role
from kamdesk.domain.fields import ACCOUNT_FIELDS, CONTACT_FIELDS, clean_fields
from kamdesk.server.sync.context import MutationContext, Refused, require
from kamdesk.server.sync.errors import Rejection
from kamdesk.server.sync.publish import partition_of, publish_row
from kamdesk.server.sync.schemas import ConflictOut
from kamdesk.sync.codec import TABLES, decode_value, editable_columns, encode_value, tablename

Handler = Callable[[MutationContext], None]

# mutation-name prefixes that are not table names
PREFIX_TABLES = {"note": "account_note", "order": "sales_order"}
NOT_EDITABLE = frozenset({"territory_id", "account_id"})  # moves go through reassignment
FIELD_SPECS = {"account": ACCOUNT_FIELDS, "contact": CONTACT_FIELDS}


def table_for(name: str) -> tuple[str, str]:
    prefix, _, verb = name.partition(".")
    table = PREFIX_TABLES.get(prefix, prefix)
    if table not in TABLES or not verb:
        raise Rejection(f"Unknown mutation {name}.", code="mutation.unknown")
    return table, verb


def _load(ctx: MutationContext, table: str, row_id: str) -> Synced | None:
    return ctx.session.scalar(_locked_row(table), {"row_id": row_id})


@functools.cache
def _locked_row(table: str) -> Select[Synced]:
    """``SELECT … FOR UPDATE`` of one row by id, built once per table (every mutation runs it)."""
    model = TABLES[table]
    return select(model).where(model.id == bindparam("row_id")).with_for_update()


def _clean(ctx: MutationContext, table: str, fields: Any, *, creating: bool) -> dict[str, Any]:
    require(isinstance(fields, dict), "fields must be an object", "invalid.args")
    specs = FIELD_SPECS.get(table)
    if specs is not None:
        return clean_fields(specs, fields, creating=creating)
    model = TABLES[table]
    allowed = editable_columns(model) - (set() if creating else NOT_EDITABLE)
    unknown = sorted(set(fields) - allowed)
    require(not unknown, f"Unknown field(s): {', '.join(unknown)}", "validation.unknown_field")
    try:
        return {k: decode_value(model, k, v) for k, v in fields.items()}
    except (TypeError, ValueError) as exc:
        raise Rejection(str(exc), code="validation.value") from exc


def _stamp_new(ctx: MutationContext, row: Synced) -> None:
    row.srv_seq = 1
    row.deleted = False
    row.created_at = utcnow()
    if isinstance(row, FieldVersioned):
        names = sorted(editable_columns(type(row)))
        row.field_seq = {**dict.fromkeys(names, 1), "_w": dict.fromkeys(names, ctx.client_id)}


def _same(row: Synced, values: dict[str, Any]) -> bool:
    return all(encode_value(getattr(row, k)) == encode_value(v) for k, v in values.items())


def _insert(ctx: MutationContext, table: str, row_id: str, values: dict[str, Any]) -> Synced:
    """Insert keyed by the client's UUID: a re-insert of the same payload is idempotent."""
    require(bool(row_id), "an entity id is required", "invalid.args")
    existing = _load(ctx, table, row_id)
    if existing is not None:
        ctx.check_writable(existing, existing=True)
        require(_same(existing, values), f"{table} {row_id} exists with other data", "id_taken")
        ctx.version = existing.srv_seq
        return existing
    row = TABLES[table](id=row_id, **values)  # type: ignore[call-arg]
    partition = ctx.check_writable(row, existing=False)
    _refuse_if_parent_deleted(ctx, row)
    _stamp_new(ctx, row)
    ctx.session.add(row)
    publish_row(
        ctx.session,
        row,
        actor_id=ctx.principal.user_id,
        cause=ctx.name,
        partition=partition,
        client_id=ctx.client_id,
    )
    ctx.version = row.srv_seq
    return row


def _refuse_if_parent_deleted(ctx: MutationContext, row: Synced) -> None:
    account_id = getattr(row, "account_id", None)
    if account_id and not isinstance(row, Account):
        account = ctx.session.get(Account, account_id)
        if account is not None and account.deleted:
            ctx.refuse_deleted(account)


# -- "fields" tables -------------------------------------------------------------------------
def create(ctx: MutationContext) -> None:
    table, _ = table_for(ctx.name)
    values = _clean(ctx, table, ctx.args.get("fields", {}), creating=True)
    if table == "account":
        territory = ctx.args.get("territory_id")
        require(isinstance(territory, str) and bool(territory), "territory_id?", "invalid.args")
        values["territory_id"] = territory
        values.setdefault("manager_id", ctx.principal.user_id if ctx.is_manager else None)
    elif "account_id" in ctx.args:
        values["account_id"] = ctx.args["account_id"]
    _insert(ctx, table, ctx.entity_id, values)


def _field_writer(row: Synced, name: str, ctx: MutationContext) -> str | None:
    if isinstance(row, FieldVersioned):
        writers = row.field_seq.get("_w", {})
        return writers.get(name) if isinstance(writers, dict) else None
    last = ctx.session.scalar(
        select(ChangeLog.data)
        .where(ChangeLog.row_id == row.id, ChangeLog.table_name == tablename(row))
        .order_by(ChangeLog.committed_at.desc(), ChangeLog.seq.desc())
        .limit(1)
    )
    return last.get("_c") if isinstance(last, dict) else None


def _field_version(row: Synced, name: str) -> int:
    if isinstance(row, FieldVersioned):
        return int(row.field_seq.get(name, row.srv_seq))
    return row.srv_seq


def complete_field_seq(row: Synced) -> dict[str, Any]:
    """Per-field versions with every field present: a field never written since the row was
    (e.g.) seeded by the back office keeps the row version it had then."""
    assert isinstance(row, FieldVersioned)
    seqs = dict(row.field_seq)
    for name in editable_columns(type(row)):
        seqs.setdefault(name, row.srv_seq)
    return seqs


def _bump(ctx: MutationContext, row: Synced, fields: list[str]) -> None:
    seqs_before = complete_field_seq(row) if isinstance(row, FieldVersioned) else {}
    row.srv_seq += 1
    if isinstance(row, FieldVersioned):
        seqs = seqs_before
        writers = dict(seqs.get("_w", {}))
        for name in fields:
            seqs[name] = row.srv_seq
            writers[name] = ctx.client_id
        seqs["_w"] = writers
        row.field_seq = seqs
    publish_row(
        ctx.session, row, actor_id=ctx.principal.user_id, cause=ctx.name, client_id=ctx.client_id
    )
    ctx.version = row.srv_seq


def _existing(ctx: MutationContext, table: str) -> Synced:
    row = _load(ctx, table, ctx.entity_id)
    if row is None:
        raise Rejection(f"No {table} {ctx.entity_id}.", code="not_found")
    ctx.check_writable(row, existing=True)
    return row


def update_fields(ctx: MutationContext) -> None:
    table, _ = table_for(ctx.name)
    values = _clean(ctx, table, ctx.args.get("fields", {}), creating=False)
    require(not (set(values) & NOT_EDITABLE), "use reassignment to move", "validation.not_editable")
    row = _existing(ctx, table)
    if row.deleted:
        ctx.refuse_deleted(row)
    if isinstance(row, SalesOrder):
        require(
            row.status == OrderStatus.DRAFT, "the order is no longer a draft", "order.not_draft"
        )
    partition = partition_of(ctx.session, row)
    changed: list[str] = []
    for name, value in values.items():
        current = getattr(row, name)
        if encode_value(current) == encode_value(value):
            continue
        if table == "account" and name in MASTER_DATA_FIELDS and ctx.is_manager:
            conflict = ConflictOut(
                kind="master_data",
                entity_table=table,
                entity_id=row.id,
                field=name,
                their_value=encode_value(current),
                your_value=encode_value(value),
                reason="master data is owned by the back office; a supervisor decides",
            )
            ctx.conflicts.append(conflict)
            ctx.publish_conflict(partition, conflict)
            continue
        base = ctx.base.get(name, ctx.base.get("_row", 0))
        stale = _field_version(row, name) > int(base or 0)
        writer = _field_writer(row, name, ctx) if stale else None
        if stale and writer != ctx.client_id:
            conflict = ConflictOut(
                kind="field",
                entity_table=table,
                entity_id=row.id,
                field=name,
                their_value=encode_value(current),
                your_value=encode_value(value),
                applied=True,
                reason="changed on the server since you last synced; your later edit won",
            )
            ctx.conflicts.append(conflict)
            ctx.publish_conflict(partition, conflict, loser_client=writer)
        setattr(row, name, value)
        changed.append(name)
    if changed:
        _bump(ctx, row, changed)
    else:
        ctx.version = row.srv_seq


def delete(ctx: MutationContext) -> None:
    """Delete wins: a tombstone regardless of the base."""
    table, _ = table_for(ctx.name)
    row = _existing(ctx, table)
    if row.deleted:
        ctx.version = row.srv_seq
        return
    row.deleted = True
    _bump(ctx, row, [])


def undelete(ctx: MutationContext) -> None:
    table, _ = table_for(ctx.name)
    row = _existing(ctx, table)
    if not row.deleted:
        ctx.version = row.srv_seq
        return
    row.deleted = False
    _bump(ctx, row, [])


def tags(ctx: MutationContext) -> None:
    """``account.tags {add, remove}``: set operations, so concurrent tag edits both survive."""
    add = ctx.args.get("add", [])
    remove = ctx.args.get("remove", [])
    require(isinstance(add, list) and isinstance(remove, list), "add/remove lists", "invalid.args")
    require(all(isinstance(t, str) and 0 < len(t) <= 24 for t in add), "bad tag", "validation.tag")
    row = _existing(ctx, "account")
    if row.deleted:
        ctx.refuse_deleted(row)
    assert isinstance(row, Account)
    current = [t for t in row.tags if t not in set(remove)]
    current += [t for t in dict.fromkeys(add) if t not in current]
    if current != row.tags:
        row.tags = current
        _bump(ctx, row, ["tags"])
    else:
        ctx.version = row.srv_seq


# -- insert-only tables ------------------------------------------------------------------------
def insert(ctx: MutationContext) -> None:
    table, _ = table_for(ctx.name)
    require(TABLES[table].__sync_mode__ == "insert", f"{table} is not insert-only", "invalid.mode")
    data = ctx.args.get("row")
    require(isinstance(data, dict), "row must be an object", "invalid.args")
    assert isinstance(data, dict)
    row_id = str(data.get("id") or ctx.entity_id)
    values = _clean(ctx, table, {k: v for k, v in data.items() if k != "id"}, creating=True)
    _insert(ctx, table, row_id, values)


def note_add(ctx: MutationContext) -> None:
    body = ctx.args.get("body")
    require(
        isinstance(body, str) and bool(body.strip()), "a note needs text", "validation.required"
    )
    values = {"account_id": ctx.args.get("account_id"), "body": body}
    values["author_id"] = ctx.principal.user_id
    _insert(ctx, "account_note", ctx.entity_id, values)


def evaluation_add(ctx: MutationContext) -> None:
    scores = ctx.args.get("scores")
    require(isinstance(scores, dict), "scores must be an object", "invalid.args")
    assert isinstance(scores, dict)
    require(
        all(isinstance(v, int) and 1 <= v <= 5 for v in scores.values()),
        "scores are 1-5",
        "validation.score",
    )
    fields = {
        "account_id": ctx.args.get("account_id"),
        "evaluated_on": ctx.args.get("evaluated_on"),
        "comment": ctx.args.get("comment", ""),
        **scores,
    }
    values = _clean(ctx, "evaluation", fields, creating=True)
    values["evaluator_id"] = ctx.principal.user_id
    _insert(ctx, "evaluation", ctx.entity_id, values)


def visit_record(ctx: MutationContext) -> None:
    """A visit with its stock counts, one unit: all rows or none (exactly once by ids)."""
    visit = ctx.args.get("visit")
    counts = ctx.args.get("stock_counts", [])
    require(isinstance(visit, dict) and isinstance(counts, list), "visit?", "invalid.args")
    assert isinstance(visit, dict)
    assert isinstance(counts, list)
    visit_id = str(visit.get("id") or ctx.entity_id)
    values = _clean(ctx, "visit", {k: v for k, v in visit.items() if k != "id"}, creating=True)
    _insert(ctx, "visit", visit_id, values)
    version = ctx.version
    for count in counts:
        require(isinstance(count, dict) and bool(count.get("id")), "stock count id", "invalid.args")
        qty = count.get("quantity")
        require(isinstance(qty, int) and qty >= 0, "a count is >= 0", "validation.quantity")
        cvals = _clean(
            ctx, "stock_count", {k: v for k, v in count.items() if k != "id"}, creating=True
        )
        cvals.setdefault("visit_id", visit_id)
        require(cvals["visit_id"] == visit_id, "count of another visit", "invalid.args")
        _insert(ctx, "stock_count", str(count["id"]), cvals)
    ctx.version = version


# -- orders ----------------------------------------------------------------------------------
def order_submit(ctx: MutationContext) -> None:
    order_id = str(ctx.args.get("order_id") or ctx.entity_id)
    row = _load(ctx, "sales_order", order_id)
    require(row is not None, f"No order {order_id}.", "not_found")
    assert isinstance(row, SalesOrder)
    ctx.check_writable(row, existing=True)
    if row.deleted:
        ctx.refuse_deleted(row)
    if row.status == OrderStatus.SUBMITTED and row.submitted_by == ctx.principal.user_id:
        ctx.version = row.srv_seq  # submitted once already (by another id): still once
        return
    require(row.status == OrderStatus.DRAFT, f"order is {row.status}", "order.not_draft")
    require(bool(row.lines), "an order needs lines", "order.empty")
    account = ctx.session.get(Account, row.account_id)
    require(account is not None and not account.deleted, "account gone", "order.account")
    assert account is not None
    require(account.status == "active", "account is not active", "order.account_inactive")
    total = 0
    for line in row.lines:
        qty = line.get("quantity") if isinstance(line, dict) else None
        require(isinstance(qty, int) and qty > 0, "quantities must be positive", "order.quantity")
        product = ctx.session.get(Product, str(line.get("product_id")))
        require(
            product is not None and not product.deleted and product.status == "active",
            f"product {line.get('product_id')} is not on sale",
            "order.product",
        )
        assert product is not None
        assert isinstance(qty, int)
        total += qty * product.wholesale_price_fen
    if account.credit_limit_fen > 0:
        require(total <= account.credit_limit_fen, "over the credit limit", "order.credit_limit")
    row.status = OrderStatus.SUBMITTED
    row.submitted_by = ctx.principal.user_id
    row.status_reason = ""
    _bump(ctx, row, ["status"])


ORDER_TRANSITIONS = {
    OrderStatus.SUBMITTED: {OrderStatus.ACCEPTED, OrderStatus.REJECTED},
    OrderStatus.ACCEPTED: {OrderStatus.DELIVERED},
}


def order_set_status(ctx: MutationContext) -> None:
    """Server-driven status after submission (back office / supervisor only)."""
    require(ctx.principal.role != Role.MANAGER, "only the back office", "forbidden")
    row = _existing(ctx, "sales_order")
    assert isinstance(row, SalesOrder)
    status = str(ctx.args.get("status"))
    allowed = ORDER_TRANSITIONS.get(OrderStatus(row.status), set())
    require(status in allowed, f"{row.status} -> {status} not allowed", "order.transition")
    row.status = status
    row.status_reason = str(ctx.args.get("reason", ""))
    _bump(ctx, row, ["status"])


SPECIAL: dict[str, Handler] = {
    "note.add": note_add,
    "evaluation.add": evaluation_add,
    "visit.record": visit_record,
    "order.submit": order_submit,
    "order.set_status": order_set_status,
    "account.tags": tags,
}
VERBS: dict[str, Handler] = {
    "create": create,
    "update_fields": update_fields,
    "delete": delete,
    "undelete": undelete,
    "insert": insert,
}


def handler_for(name: str) -> Handler:
    if name in SPECIAL:
        return SPECIAL[name]
    _table, verb = table_for(name)
    if verb not in VERBS:
        raise Rejection(f"Unknown mutation {name}.", code="mutation.unknown")
    return VERBS[verb]


__all__ = ["Refused", "handler_for", "table_for"]
