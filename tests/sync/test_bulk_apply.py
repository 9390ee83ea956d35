"""The bulk first-sync path applies a page exactly like the row-by-row ORM path."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.base import Base
from kamdesk.db.engine import Store
from kamdesk.db.models import Account, Contact, SyncConflict, Territory
from kamdesk.domain.search_text import pinyin_keys
from kamdesk.services.outbox import SYNC_APPLY_KEY
from kamdesk.sync.apply import apply_changes, defer_foreign_keys, refresh_search_text
from kamdesk.sync.bulk import apply_in_bulk, refresh_search_text_bulk
from kamdesk.sync.codec import TABLES, comparable, row_to_wire
from tests.sync import harness

_SCRATCH = sessionmaker(create_engine("sqlite://"))


def _put(row: Any, partition: str, seq: int) -> dict[str, Any]:
    """A PUT as the server sends it: the full row, column defaults filled in."""
    with _SCRATCH() as scratch:
        Base.metadata.create_all(scratch.get_bind())
        scratch.merge(row)
        scratch.flush()
        data = row_to_wire(scratch.get(type(row), row.id))
        scratch.rollback()
    data["_op"] = "seed"
    table = str(row.__tablename__)
    return {
        "partition": partition,
        "seq": seq,
        "table": table,
        "row_id": row.id,
        "op": "PUT",
        "data": data,
    }


def _remove(table: str, row_id: str, version: int, seq: int) -> dict[str, Any]:
    return {
        "partition": "territory:T1",
        "seq": seq,
        "table": table,
        "row_id": row_id,
        "op": "REMOVE",
        "data": {"srv_seq": version},
    }


def _pages() -> list[list[dict[str, Any]]]:
    territory = Territory(id="T1", code="T1", name="片区一", srv_seq=1)
    old = Account(
        id="A0",
        code="A0",
        name="老店",
        business_format="grocery",
        territory_id="T1",
        srv_seq=1,
        field_seq={},
    )
    first = [_put(territory, "reference", 1), _put(old, "territory:T1", 1)]
    changes: list[dict[str, Any]] = []
    seq = 1
    for i in range(1, 6):
        account = Account(
            id=f"A{i}",
            code=f"A{i}",
            name=f"宏兴烟酒{i}号",
            owner_name="张老板",
            business_format="grocery",
            territory_id="T1",
            srv_seq=1,
            field_seq={"name": 1},
        )
        seq += 1
        changes.append(_put(account, "territory:T1", seq))
        contact = Contact(
            id=f"C{i}",
            account_id=f"A{i}",
            name=f"李{i}",
            phone="13800000000",
            srv_seq=1,
            field_seq={},
        )
        seq += 1
        changes.append(_put(contact, "territory:T1", seq))
    newer = Account(
        id="A1",
        code="A1",
        name="宏兴烟酒改名",
        business_format="grocery",
        territory_id="T1",
        srv_seq=3,
        field_seq={"name": 3},
    )
    older = Account(
        id="A2",
        code="A2",
        name="不该出现",
        business_format="grocery",
        territory_id="T1",
        srv_seq=0,
        field_seq={},
    )
    updated_old = Account(
        id="A0",
        code="A0",
        name="老店新名",
        business_format="grocery",
        territory_id="T1",
        srv_seq=2,
        field_seq={"name": 2},
    )
    changes += [
        _put(newer, "territory:T1", seq + 1),  # a newer version of a row queued in this page
        _put(older, "territory:T1", seq + 2),  # an older one: ignored
        _remove("contact", "C2", 2, seq + 3),  # a row queued in this page is removed again
        _put(updated_old, "territory:T1", seq + 4),  # a row already present: ORM path
        {
            "partition": "territory:T1",
            "seq": seq + 5,
            "table": "sync_conflict",
            "row_id": "x",
            "op": "PUT",
            "data": {
                "kind": "field",
                "entity_table": "account",
                "entity_id": "A0",
                "client_id": "someone",
            },
        },
        _remove("account", "A4", 2, seq + 7),  # cascades to its contact, queued before
    ]
    return [first, changes]


def _state(session: Session) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for table, model in TABLES.items():
        rows = session.scalars(select(model)).all()
        out[table] = sorted(
            (r.id, comparable(model, row_to_wire(r)), getattr(r, "search_text", None)) for r in rows
        )
    return out


def _run(store: Store, pages: list[list[dict[str, Any]]], *, bulk: bool) -> dict[str, Any]:
    for page in pages:
        with store.session() as session:
            session.info[SYNC_APPLY_KEY] = True
            session.flush()
            defer_foreign_keys(session)
            if bulk:
                touched = apply_in_bulk(
                    session, page, lambda run: apply_changes(session, run, "me")
                )
                refresh_search_text_bulk(session, touched)
            else:
                touched = apply_changes(session, page, "me")
                session.flush()
                refresh_search_text(session, touched)
    with store.session() as session:
        state = _state(session)
        state["conflicts"] = sorted(
            (c.entity_id, c.kind) for c in session.scalars(select(SyncConflict))
        )
        return state


def test_bulk_path_matches_the_orm_path(tmp_path: Path) -> None:
    slow = harness.new_client(tmp_path / "slow.kamdesk")
    fast = harness.new_client(tmp_path / "fast.kamdesk")
    try:
        pages = _pages()
        expected = _run(slow, pages, bulk=False)
        assert _run(fast, pages, bulk=True) == expected
        names = {row[0]: row[1]["name"] for row in expected["account"]}
        assert names["A1"] == "宏兴烟酒改名" and names["A2"] == "宏兴烟酒2号"
        assert "A4" not in names and names["A0"] == "老店新名"
        assert [row[0] for row in expected["contact"]] == ["C1", "C3", "C5"]
        search = {row[0]: row[2] for row in expected["account"]}
        assert "hxyj" in search["A3"] and "l3" in search["A3"]  # pinyin initials, contact
    finally:
        slow.close()
        fast.close()


def test_pinyin_keys_are_the_keys_of_whole_texts() -> None:
    from pypinyin import Style, lazy_pinyin

    for text in ["宏兴烟酒店12号", "BIG烟酒店7", "重庆银行 行长", "abc", "老板", "长乐街3-5号"]:
        full = "".join(lazy_pinyin(text, errors="default")).lower()
        initials = "".join(
            s[0] for s in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if s
        ).lower()
        assert pinyin_keys(text) == (full, initials)


# -- the raw INSERT stores exactly what SQLAlchemy's INSERT stores --------------------------------
def _wire_sample(model: Any, stamp: str) -> dict[str, Any]:
    """A wire row with every column of ``model`` set to a value of its type."""
    from sqlalchemy import JSON, Boolean, Date, Float, Integer, LargeBinary

    from kamdesk.db.base import UTCDateTime
    from kamdesk.sync.codec import wire_columns

    out: dict[str, Any] = {}
    for key in wire_columns(model):
        ctype = model.__mapper__.columns[key].type
        if isinstance(ctype, UTCDateTime):
            out[key] = stamp
        elif isinstance(ctype, Date):
            out[key] = "2026-03-04"
        elif isinstance(ctype, Boolean):
            out[key] = True
        elif isinstance(ctype, Integer):
            out[key] = 7
        elif isinstance(ctype, Float):
            out[key] = 1.5
        elif isinstance(ctype, JSON):
            out[key] = {"a": [1, "二"], "b": None}
        elif isinstance(ctype, LargeBinary):
            out[key] = "AAEC"
        else:
            out[key] = "文字 x"
    out["id"] = "row-1"
    return out


def _stored(engine: Any, table: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{table}"')]


@pytest.mark.parametrize("stamp", ["2026-03-04T05:06:07+08:00", "2026-03-04T23:59:59.000120-05:30"])
def test_raw_insert_stores_the_same_values_as_sqlalchemy(stamp: str) -> None:
    from kamdesk.sync import bulk

    for table, model in TABLES.items():
        wire = _wire_sample(model, stamp)
        engines = [create_engine("sqlite://"), create_engine("sqlite://")]
        for engine in engines:
            Base.metadata.create_all(engine)
        with Session(engines[0]) as s, s.begin():
            s.execute(insert(model.__table__), [bulk.wire_values(table, dict(wire))])
        raw = bulk._raw_insert(table, engines[1].dialect)
        assert raw is not None and raw.shape == tuple(sorted(wire))
        with Session(engines[1]) as s, s.begin():
            s.connection().exec_driver_sql(raw.sql, raw.rows([dict(wire)]))
        names = [c.name for c in model.__table__.columns]
        via_orm, via_raw = _stored(engines[0], table), _stored(engines[1], table)
        assert len(via_orm) == len(via_raw) == 1
        for name, a, b in zip(names, via_orm[0], via_raw[0], strict=True):
            if name == "updated_at":  # "now" at each insert: same form, not the same instant
                assert len(str(a)) == len(str(b)) == 26, (table, a, b)
            else:
                assert (name, a) == (name, b), table


@given(
    st.datetimes(timezones=st.timezones(), min_value=datetime(1900, 1, 1)).filter(
        lambda d: d.utcoffset() is not None
    )
)
def test_raw_timestamp_text_matches_the_utc_column_binding(value: datetime) -> None:
    from kamdesk.db.base import UTCDateTime
    from kamdesk.sync import bulk

    dialect = create_engine("sqlite://").dialect
    bind = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert bind is not None
    assert bulk._utc_text(value.isoformat()) == bind(value)


def test_raw_timestamp_without_a_zone_is_refused() -> None:
    from kamdesk.sync import bulk

    with pytest.raises(ValueError, match="time zone"):
        bulk._utc_text("2026-03-04T05:06:07")
