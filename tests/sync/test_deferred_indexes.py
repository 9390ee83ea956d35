"""A first sync drops the history tables' secondary indexes while it fills them, and every way
out of that state (the last page, a cascading REMOVE, reopening the store) brings them back."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from kamdesk.db import deferred_indexes, migrate
from kamdesk.db.engine import Store
from kamdesk.sync import state
from kamdesk.sync.engine import SyncEngine
from tests.sync.conftest import World
from tests.sync.test_client import Flaky


def _indexes(store: Store) -> dict[str, str]:
    tables = ", ".join(f"'{t}'" for t in deferred_indexes.DEFERRED_TABLES)
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND tbl_name IN ({tables})"
            )
        )
        return {str(name): str(sql) for name, sql in rows}


def _recorded(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return deferred_indexes.recorded(conn)


def _interrupted_first_sync(world: World) -> tuple[Store, SyncEngine, Flaky, dict[str, str]]:
    store, engine = world.client("m1", page_size=3)
    original = _indexes(store)
    assert "ix_purchase_line_account_day" in original and len(original) >= 4
    flaky = Flaky(engine.transport, fail_pulls_after=2)
    engine.transport = flaky
    assert not engine.sync_once().initial_sync_done
    return store, engine, flaky, original


def test_first_sync_drops_the_indexes_until_its_last_page_rebuilds_them(world: World) -> None:
    store, _engine, flaky, original = _interrupted_first_sync(world)
    assert _indexes(store) == {}  # two committed pages: dropped, and recorded beside them
    assert _recorded(store) == original
    flaky.fail_pulls_after = None
    resumed = world.engine_for(store, "m1", page_size=3)
    resumed.transport = flaky
    assert resumed.sync_once().initial_sync_done
    assert _indexes(store) == original  # the very statements that were dropped
    assert _recorded(store) == {}
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_reopening_a_store_mid_first_sync_restores_the_indexes(world: World) -> None:
    store, _engine, flaky, original = _interrupted_first_sync(world)
    migrate.upgrade(store.engine)  # what opening the workspace does
    assert _indexes(store) == original and _recorded(store) == {}
    flaky.fail_pulls_after = None
    resumed = world.engine_for(store, "m1", page_size=3)
    resumed.transport = flaky
    assert resumed.sync_once().initial_sync_done
    assert _indexes(store) == original and _recorded(store) == {}


def test_a_remove_that_cascades_into_the_history_keeps_the_indexes(world: World) -> None:
    store, engine = world.client("m1")
    original = _indexes(store)
    cursors = {"territory:T1": 0}
    engine._apply([], cursors, done=False, first=True)
    assert _indexes(store) == {}
    removal = {
        "partition": "territory:T1",
        "seq": 2,
        "table": "account",
        "row_id": "T1-A0",
        "op": "REMOVE",
        "data": {"srv_seq": 2},
    }
    engine._apply([removal], cursors, done=False, first=True)
    assert _indexes(store) == original  # the delete can find the account's lines by index
    with store.session() as s:
        assert state.get(s, state.INITIAL).get("keep_indexes") is True
    engine._apply([], cursors, done=False, first=True)
    assert _indexes(store) == original  # and this first sync keeps them from then on


def _index_names(session: Any) -> set[str]:
    """Every index present, as seen inside the session's own transaction."""
    names = session.connection().exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index'"
    )
    return {str(n) for (n,) in names}


def test_a_purge_of_a_revoked_territory_restores_the_indexes_first(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamdesk.sync import engine as engine_module

    store, engine = world.client("m1")
    original = _indexes(store)
    engine._apply([], {"territory:T1": 0}, done=False, first=True)
    assert _indexes(store) == {}
    seen: list[set[str]] = []
    purge = engine_module.purge_partition

    def watched(session: Any, partition: str) -> int:
        seen.append(_index_names(session))
        return purge(session, partition)

    monkeypatch.setattr(engine_module, "purge_partition", watched)
    engine._apply([], {}, done=True, revoked=["territory:T1"], first=True)
    assert len(seen) == 1 and set(original) <= seen[0]  # rebuilt before the purge ran
    assert _indexes(store) == original and _recorded(store) == {}


def test_the_last_page_rebuilds_the_indexes_before_its_removes_run(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamdesk.sync import apply as apply_module

    store, engine = world.client("m1")
    assert engine.sync_once().initial_sync_done  # T1-A0 is here
    original = _indexes(store)
    with store.engine.begin() as conn:  # as if a first sync were still filling the history
        conn.exec_driver_sql("UPDATE sync_state SET key = key WHERE 0")  # open the transaction
        deferred_indexes.defer(conn)
    assert _indexes(store) == {}
    seen: list[set[str]] = []
    cascade = apply_module.delete_cascade

    def watched(session: Any, row: Any) -> None:
        seen.append(_index_names(session))
        cascade(session, row)

    monkeypatch.setattr(apply_module, "delete_cascade", watched)
    removal = {
        "partition": "territory:T1",
        "seq": 10_000,
        "table": "account",
        "row_id": "T1-A0",
        "op": "REMOVE",
        "data": {"srv_seq": 10_000},
    }
    engine._apply([removal], {"territory:T1": 10_000}, done=True, first=True)
    assert seen and set(original) <= seen[0]  # the account's history was searched by index
    assert _indexes(store) == original and _recorded(store) == {}
