"""Local edits as the desktop services make them (outbox row in the same transaction).

The simulation uses these instead of ``kamdesk.services.accounts`` so it controls the ids and
payloads; each writes the domain rows and the named mutation together.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy.orm import Session

from kamdesk.db.engine import Store
from kamdesk.db.models import (
    Account,
    AccountNote,
    Contact,
    Product,
    SalesOrder,
    StockCount,
    Visit,
)
from kamdesk.ids import uuid7
from kamdesk.services.outbox import record_mutation


def _field_base(row: Account | Contact, names: list[str]) -> dict[str, int]:
    return {k: int(row.field_seq.get(k, row.srv_seq)) for k in names}


def create_account(store: Store, territory_id: str, fields: dict[str, Any]) -> str:
    account_id = uuid7()
    with store.session() as session:
        record_mutation(
            session,
            "account.create",
            entity_table="account",
            entity_id=account_id,
            args={"territory_id": territory_id, "fields": fields},
        )
        account = Account(id=account_id, territory_id=territory_id, **fields)
        account.field_seq = {}
        session.add(account)
    return account_id


def update_account(store: Store, account_id: str, fields: dict[str, Any]) -> bool:
    return _update(store, Account, "account", account_id, fields)


def update_contact(store: Store, contact_id: str, fields: dict[str, Any]) -> bool:
    return _update(store, Contact, "contact", contact_id, fields)


def _update(
    store: Store,
    model: type[Account | Contact],
    table: str,
    row_id: str,
    fields: dict[str, Any],
) -> bool:
    with store.session() as session:
        row = cast("Account | Contact | None", session.get(model, row_id))
        if row is None or row.deleted:
            return False
        changed = {k: v for k, v in fields.items() if getattr(row, k) != v}
        if not changed:
            return False
        record_mutation(
            session,
            f"{table}.update_fields",
            entity_table=table,
            entity_id=row_id,
            args={"fields": changed},
            base=_field_base(row, list(changed)),
        )
        for k, v in changed.items():
            setattr(row, k, v)
    return True


def set_deleted(store: Store, account_id: str, deleted: bool) -> bool:
    with store.session() as session:
        row = session.get(Account, account_id)
        if row is None or row.deleted == deleted:
            return False
        name = "account.delete" if deleted else "account.undelete"
        record_mutation(
            session,
            name,
            entity_table="account",
            entity_id=account_id,
            args={},
            base={"_row": row.srv_seq} if deleted else {},
        )
        row.deleted = deleted
    return True


def _live_account(session: Session, account_id: str) -> Account | None:
    row = session.get(Account, account_id)
    return None if row is None or row.deleted else row


def add_contact(store: Store, account_id: str, name: str) -> str | None:
    contact_id = uuid7()
    with store.session() as session:
        if _live_account(session, account_id) is None:
            return None
        record_mutation(
            session,
            "contact.create",
            entity_table="contact",
            entity_id=contact_id,
            args={"account_id": account_id, "fields": {"name": name}},
        )
        contact = Contact(id=contact_id, account_id=account_id, name=name)
        contact.field_seq = {}
        session.add(contact)
    return contact_id


def add_note(store: Store, account_id: str, body: str) -> str | None:
    note_id = uuid7()
    with store.session() as session:
        if _live_account(session, account_id) is None:
            return None
        record_mutation(
            session,
            "note.add",
            entity_table="account_note",
            entity_id=note_id,
            args={"account_id": account_id, "body": body},
        )
        session.add(AccountNote(id=note_id, account_id=account_id, body=body))
    return note_id


def record_visit(store: Store, account_id: str, day: date, counts: dict[str, int]) -> str | None:
    visit_id = uuid7()
    with store.session() as session:
        if _live_account(session, account_id) is None:
            return None
        # only products already downloaded (the catalogue may still be arriving)
        counts = {p: q for p, q in counts.items() if session.get(Product, p) is not None}
        if not counts:
            return None
        lines = [
            {
                "id": uuid7(),
                "account_id": account_id,
                "product_id": p,
                "visit_id": visit_id,
                "counted_on": day.isoformat(),
                "quantity": q,
            }
            for p, q in counts.items()
        ]
        record_mutation(
            session,
            "visit.record",
            entity_table="visit",
            entity_id=visit_id,
            args={
                "visit": {
                    "id": visit_id,
                    "account_id": account_id,
                    "status": "done",
                    "summary": "ok",
                },
                "stock_counts": lines,
            },
            covers=[("stock_count", str(line["id"])) for line in lines],
        )
        session.add(Visit(id=visit_id, account_id=account_id, status="done", summary="ok"))
        session.flush()
        for line in lines:
            session.add(
                StockCount(
                    id=line["id"],
                    account_id=account_id,
                    product_id=line["product_id"],
                    visit_id=visit_id,
                    counted_on=day,
                    quantity=line["quantity"],
                )
            )
    return visit_id


def draft_and_submit_order(
    store: Store, account_id: str, lines: list[dict[str, Any]]
) -> str | None:
    order_id = uuid7()
    with store.session() as session:
        if _live_account(session, account_id) is None:
            return None
        record_mutation(
            session,
            "sales_order.create",
            entity_table="sales_order",
            entity_id=order_id,
            args={"fields": {"account_id": account_id, "lines": lines}},
        )
        record_mutation(
            session,
            "order.submit",
            entity_table="sales_order",
            entity_id=order_id,
            args={"order_id": order_id},
        )
        session.add(SalesOrder(id=order_id, account_id=account_id, lines=lines, status="submitted"))
    return order_id


def add_tag(store: Store, account_id: str, tag: str) -> bool:
    with store.session() as session:
        row = _live_account(session, account_id)
        if row is None or tag in row.tags:
            return False
        record_mutation(
            session,
            "account.tags",
            entity_table="account",
            entity_id=account_id,
            args={"add": [tag], "remove": []},
        )
        row.tags = [*row.tags, tag]
    return True
