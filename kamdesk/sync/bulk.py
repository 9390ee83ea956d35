"""Fast paths for applying large pulls (a first sync of a big territory).

``apply_in_bulk`` applies a page in order, exactly like ``apply.apply_changes``, except that
PUTs of rows that do not exist locally are collected and written with one Core ``INSERT``
(executemany) per table instead of one ORM object and one flush per row. Every other change
(REMOVEs, PUTs of rows already present, conflicts, unknown tables) still goes through the ORM
path given as ``fallback``, after the rows collected before it have been written, so the order
of the page is kept. Rows written here are never in the session's identity map; later reads in
the same transaction (rebase, search text) load them from the database.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    LargeBinary,
    Table,
    bindparam,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from kamdesk.db.base import Synced, UTCDateTime
from kamdesk.db.models import Account, Contact
from kamdesk.sync.codec import TABLES, decode_value, tablename, wire_columns

CONFLICT_TABLE = "sync_conflict"
CHUNK = 500  # ids per IN (...) list: far below SQLite's variable limit

Fallback = Callable[[list[dict[str, Any]]], set[tuple[str, str]]]


def _table(model: type[Synced]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def _column_names(model: type[Synced]) -> dict[str, str]:
    """Attribute key -> column name (Core inserts take column names)."""
    mapper = model.__mapper__  # type: ignore[attr-defined]
    return {prop.key: prop.columns[0].name for prop in mapper.column_attrs}


_COLUMNS: dict[str, dict[str, str]] = {name: _column_names(m) for name, m in TABLES.items()}


def _decoders(model: type[Synced]) -> dict[str, bool]:
    """Wire key -> whether ``decode_value`` changes it (dates, timestamps, bytes)."""
    mapper = model.__mapper__  # type: ignore[attr-defined]
    out: dict[str, bool] = {}
    for key in wire_columns(model):
        ctype = mapper.columns[key].type
        out[key] = isinstance(ctype, DateTime | Date | LargeBinary | UTCDateTime)
    return out


_DECODE: dict[str, dict[str, bool]] = {name: _decoders(m) for name, m in TABLES.items()}


def wire_values(table: str, data: dict[str, Any]) -> dict[str, Any]:
    """``codec.wire_to_values`` with the per-column decision made once per table."""
    model = TABLES[table]
    decode = _DECODE[table]
    out: dict[str, Any] = {}
    for key, value in data.items():
        if decode[key] and value is not None:
            value = decode_value(model, key, value)
        out[key] = value
    return out


def known_wire(table: str, data: dict[str, Any]) -> dict[str, Any]:
    """The wire row without ``_op``, ``_c`` and columns this build does not know."""
    decode = _DECODE[table]
    return {k: v for k, v in data.items() if k in decode}


# -- the raw INSERT -----------------------------------------------------------------------------
# SQLAlchemy's executemany turns every wire value into a Python object (decode_value) and back
# into the stored form (bind processors) through its per-row parameter machinery: a quarter of
# a large first sync's CPU. Rows in this build's full wire shape instead go to the driver as
# tuples, each value converted once by the same stored form (tests/sync/test_bulk_apply.py
# checks the bytes against SQLAlchemy's for every column type).
Convert = Callable[[Any], Any]


def _utc_text(value: Any) -> str:
    """A wire timestamp as SQLite's DATETIME text of the UTC instant (what UTCDateTime binds)."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("a timestamp needs a time zone")
    return parsed.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _date_text(value: Any) -> str:
    return (value if isinstance(value, date) else date.fromisoformat(str(value))).isoformat()


def _bind(ctype: Any, dialect: Dialect) -> Convert | None:
    """SQLAlchemy's own bind processor of a column type on this dialect (None: as is)."""
    processor: Convert | None = ctype.dialect_impl(dialect).bind_processor(dialect)
    return processor


def _converter(model: type[Synced], key: str, dialect: Dialect) -> Convert | None:
    column = model.__mapper__.columns[key]  # type: ignore[attr-defined]
    ctype = column.type
    if dialect.name == "sqlite" and isinstance(ctype, UTCDateTime):
        return _utc_text
    if dialect.name == "sqlite" and isinstance(ctype, Date) and not isinstance(ctype, DateTime):
        return _date_text
    bind = _bind(ctype, dialect)
    if not _DECODE[tablename(model)].get(key):
        return bind
    if bind is None:
        return lambda value: decode_value(model, key, value)
    return lambda value: bind(decode_value(model, key, value))


class _RawInsert:
    """One table's INSERT for rows carrying exactly this build's wire columns."""

    def __init__(self, model: type[Synced], dialect: Dialect) -> None:
        table = _table(model)
        names = _COLUMNS[tablename(model)]
        self.shape = tuple(sorted(wire_columns(model)))
        self.converters = [_converter(model, key, dialect) for key in self.shape]
        # local-only columns (search_text, updated_at) get their Python defaults, as
        # SQLAlchemy would give them; columns without one are left to the table's DDL
        self.defaults: list[tuple[Any, Convert | None]] = []
        columns = [names[key] for key in self.shape]
        for key in sorted(set(names) - set(self.shape)):
            default = table.c[names[key]].default
            if default is None:
                continue
            columns.append(names[key])
            self.defaults.append((default, _bind(table.c[names[key]].type, dialect)))
        self.sql = (
            f'INSERT INTO "{table.name}" ('
            + ", ".join(f'"{c}"' for c in columns)
            + ") VALUES ("
            + ", ".join("?" * len(columns))
            + ")"
        )

    def rows(self, queued: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        tail: list[Any] = []
        for default, bind in self.defaults:
            value = default.arg(None) if default.is_callable else default.arg
            tail.append(bind(value) if bind is not None else value)
        pairs = list(zip(self.shape, self.converters, strict=True))
        out = []
        for data in queued:
            row = [
                None if (value := data[key]) is None else (conv(value) if conv else value)
                for key, conv in pairs
            ]
            row.extend(tail)
            out.append(tuple(row))
        return out


_RAW: dict[tuple[str, str], _RawInsert] = {}


def _raw_insert(table: str, dialect: Dialect) -> _RawInsert | None:
    if dialect.paramstyle != "qmark":
        return None
    key = (table, dialect.name)
    raw = _RAW.get(key)
    if raw is None:
        raw = _RAW[key] = _RawInsert(TABLES[table], dialect)
    return raw


def existing_ids(session: Session, table: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` already have a row in ``table``: on SQLite one statement with the ids as
    one JSON parameter (binding 5,000 expanded parameters cost more than the lookup itself)."""
    model = TABLES[table]
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    if session.get_bind().dialect.name == "sqlite":
        name = _table(model).name
        rows = session.connection().exec_driver_sql(
            f'SELECT id FROM "{name}" WHERE id IN (SELECT value FROM json_each(?))',
            (json.dumps(wanted),),
        )
        return {str(row[0]) for row in rows}
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found.update(session.scalars(select(model.id).where(model.id.in_(chunk))))
    return found


class _Inserts:
    """New rows waiting for their INSERT, per table, in arrival order."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[str, dict[str, dict[str, Any]]] = {}

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key[1] in self.rows.get(key[0], {})

    def put(self, table: str, values: dict[str, Any]) -> bool:
        """Queue (or, if newer, replace) a new row; False when an equal/newer one is queued."""
        queued = self.rows.setdefault(table, {})
        previous = queued.get(values["id"])
        if previous is None:
            queued[values["id"]] = values
            return True
        if int(values.get("srv_seq") or 0) > int(previous.get("srv_seq") or 0):
            previous.update(values)  # as put_row does to a row already in the session
            return True
        return False

    def flush(self, known: dict[str, set[str]]) -> None:
        dialect = self.session.get_bind().dialect
        for table, queued in self.rows.items():
            if not queued:
                continue
            names = _COLUMNS[table]
            raw = _raw_insert(table, dialect)
            by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for data in queued.values():
                by_shape.setdefault(tuple(sorted(data)), []).append(data)
            target = _table(TABLES[table])
            for shape, rows in by_shape.items():
                if raw is not None and shape == raw.shape:
                    self.session.connection().exec_driver_sql(raw.sql, raw.rows(rows))
                    continue
                params = [
                    {names[k]: v for k, v in wire_values(table, data).items()} for data in rows
                ]
                self.session.execute(insert(target), params)
            known.setdefault(table, set()).update(queued)
        self.rows.clear()


def apply_in_bulk(
    session: Session,
    changes: Sequence[dict[str, Any]],
    fallback: Fallback,
    *,
    bulk: bool = True,
) -> set[tuple[str, str]]:
    """Apply ``changes`` in order; new rows in bulk, everything else through ``fallback``.

    ``fallback(changes)`` is ``apply_changes`` bound to the session and client: it applies a
    run of changes in order and returns the rows it touched. ``bulk=False`` sends everything
    there (e.g. when each incoming row must be audited one by one).
    """
    if not bulk:
        return fallback(list(changes))
    session.flush()
    wanted: dict[str, set[str]] = {}
    for change in changes:
        table = str(change["table"])
        if table in TABLES:
            wanted.setdefault(table, set()).add(str(change["row_id"]))
    known = {table: existing_ids(session, table, ids) for table, ids in wanted.items()}
    inserts = _Inserts(session)
    touched: set[tuple[str, str]] = set()
    run: list[dict[str, Any]] = []  # consecutive changes for the ORM path

    def apply_run() -> None:
        if run:
            touched.update(fallback(list(run)))
            run.clear()

    for change in changes:
        table, row_id = str(change["table"]), str(change["row_id"])
        model = TABLES.get(table)
        fast = (
            model is not None and change["op"] != "REMOVE" and row_id not in known.get(table, set())
        )
        if not fast:
            if (table, row_id) in inserts or change["op"] == "REMOVE":
                # a REMOVE deletes children by cascade, and a queued row must exist before
                # the ORM path looks at it: write what is queued first
                apply_run()
                inserts.flush(known)
            run.append(change)
            if model is not None:
                known.setdefault(table, set()).add(row_id)  # may exist from here on
            continue
        assert model is not None
        apply_run()
        values = known_wire(table, {**dict(change.get("data") or {}), "id": row_id})
        if inserts.put(table, values):
            touched.add((table, row_id))
    apply_run()
    inserts.flush(known)
    return touched


# -- derived columns ----------------------------------------------------------------------------
def refresh_search_text_bulk(session: Session, touched: Iterable[tuple[str, str]]) -> None:
    """Recompute ``account.search_text`` for touched accounts and the accounts of touched
    contacts, with a handful of statements per 500 accounts instead of several per row."""
    from kamdesk.domain.search_text import build_search_text

    account_ids: set[str] = set()
    contact_ids: list[str] = []
    for table, row_id in touched:
        if table == "account":
            account_ids.add(row_id)
        elif table == "contact":
            contact_ids.append(row_id)
    session.flush()
    contact_ids.sort()
    for start in range(0, len(contact_ids), CHUNK):
        chunk = contact_ids[start : start + CHUNK]
        account_ids.update(session.scalars(select(Contact.account_id).where(Contact.id.in_(chunk))))
    if not account_ids:
        return
    ordered = sorted(account_ids)
    updates: list[dict[str, str]] = []
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        accounts = session.execute(
            select(
                Account.id,
                Account.name,
                Account.code,
                Account.licence_no,
                Account.address,
                Account.owner_name,
                Account.phone,
            ).where(Account.id.in_(chunk))
        ).all()
        contacts: dict[str, list[str | None]] = {}
        for account_id, name, phone in session.execute(
            select(Contact.account_id, Contact.name, Contact.phone)
            .where(Contact.account_id.in_(chunk), Contact.deleted.is_(False))
            # the order account_search_text reads them in (index on account_id, then rowid)
            .order_by(Contact.account_id, literal_column("contact.rowid"))
        ):
            contacts.setdefault(account_id, []).extend((name, phone))
        for row in accounts:
            parts: list[str | None] = [
                row.name,
                row.code,
                row.licence_no,
                row.address,
                row.owner_name,
                row.phone,
                *contacts.get(row.id, []),
            ]
            updates.append({"b_id": row.id, "b_text": build_search_text(parts)})
    loaded: dict[str, Account] = {}
    for obj in session.identity_map.values():
        if isinstance(obj, Account):
            loaded[obj.id] = obj
    core: list[dict[str, str]] = []
    for item in updates:
        obj = loaded.get(item["b_id"])
        if obj is not None:
            obj.search_text = item["b_text"]  # keep the loaded object in step
        else:
            core.append(item)
    if core:
        account_table = _table(Account)
        session.execute(
            update(account_table)
            .where(account_table.c.id == bindparam("b_id"))
            .values(search_text=bindparam("b_text")),
            core,
            execution_options={"synchronize_session": False},
        )
