"""Server merge rules, exactly-once and territory rules, called as plain functions."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db.models import Account, AccountNote, ChangeLog, SalesOrder
from kamdesk.server.sync import pull, push, reassign_account
from kamdesk.server.sync.errors import ClientOwnershipError, SyncError
from kamdesk.server.sync.schemas import MutationOut, PullRequest, PushRequest
from tests.sync.conftest import World
from tests.sync.harness import principal_for

ACC = "T1-A0"


def _push(
    sessions: sessionmaker[Session],
    user: str,
    client: str,
    *mutations: dict[str, Any],
) -> list[MutationOut]:
    request = PushRequest.model_validate(
        {"client_id": client, "schema_version": 1, "mutations": list(mutations)}
    )
    return push(sessions, principal_for(user), request).results


def _m(mid: int, name: str, entity: str, table: str = "account", **kw: Any) -> dict[str, Any]:
    return {"mutation_id": mid, "name": name, "entity_id": entity, "entity_table": table, **kw}


def _log_count(sessions: sessionmaker[Session]) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(ChangeLog)) or 0)


def _account(sessions: sessionmaker[Session], account_id: str = ACC) -> Account:
    with sessions() as s:
        row = s.get(Account, account_id)
        assert row is not None
        return row


CLIENT_A = "client-aaaaaaaa"
CLIENT_B = "client-bbbbbbbb"


def test_replay_returns_stored_result_and_changes_nothing(world: World) -> None:
    edit = _m(1, "account.update_fields", ACC, args={"fields": {"name": "新名"}}, base={"name": 1})
    first = _push(world.sessions, "m1", CLIENT_A, edit)
    count = _log_count(world.sessions)
    again = _push(world.sessions, "m1", CLIENT_A, {**edit, "args": {"fields": {"name": "别的"}}})
    assert first[0].status == "applied" and again[0].status == "applied"
    assert again[0].seq == first[0].seq
    assert _log_count(world.sessions) == count
    assert _account(world.sessions).name == "新名"


def test_lower_unknown_mutation_id_is_stale_and_gaps_are_fine(world: World) -> None:
    note = {"account_id": ACC, "body": "x"}
    res = _push(world.sessions, "m1", CLIENT_A, _m(5, "note.add", "n-5", "account_note", args=note))
    assert res[0].status == "applied"
    stale = _push(
        world.sessions, "m1", CLIENT_A, _m(3, "note.add", "n-3", "account_note", args=note)
    )
    assert (stale[0].status, stale[0].reason) == ("rejected", "stale")
    with world.sessions() as s:
        assert s.get(AccountNote, "n-3") is None


def test_client_id_belongs_to_one_user(world: World) -> None:
    _push(world.sessions, "m1", CLIENT_A)
    with pytest.raises(ClientOwnershipError):
        _push(world.sessions, "m2", CLIENT_A)
    with pytest.raises(ClientOwnershipError):
        pull(world.sessions, principal_for("m2"), PullRequest(client_id=CLIENT_A, schema_version=1))


def test_per_field_merge_and_conflict_both_sides_see(world: World) -> None:
    a = _push(
        world.sessions,
        "m1",
        CLIENT_A,
        _m(1, "account.update_fields", ACC, args={"fields": {"name": "A名"}}, base={"name": 1}),
    )
    # B edits another field on the same base: no conflict
    b1 = _push(
        world.sessions,
        "m2",
        CLIENT_B,
        _m(
            1,
            "account.update_fields",
            ACC,
            args={"fields": {"phone": "13800000000"}},
            base={"phone": 1},
        ),
    )
    assert a[0].status == b1[0].status == "applied"
    # B edits the same field from a stale base: later arrival wins, A's value is the conflict
    b2 = _push(
        world.sessions,
        "m2",
        CLIENT_B,
        _m(2, "account.update_fields", ACC, args={"fields": {"name": "B名"}}, base={"name": 1}),
    )
    assert b2[0].status == "conflict"
    conflict = b2[0].conflicts[0]
    assert (conflict.kind, conflict.field, conflict.their_value, conflict.your_value) == (
        "field",
        "name",
        "A名",
        "B名",
    )
    assert conflict.applied and _account(world.sessions).name == "B名"
    # the loser (client A) receives the conflict on pull; the winner's other manager does not
    seen = pull(
        world.sessions, principal_for("m1"), PullRequest(client_id=CLIENT_A, schema_version=1)
    )
    mine = [c for c in seen.changes if c.table == "sync_conflict"]
    assert len(mine) == 1 and mine[0].data["loser_client"] == CLIENT_A
    # an edit on top of one's own earlier write is not a conflict with oneself
    b3 = _push(
        world.sessions,
        "m2",
        CLIENT_B,
        _m(3, "account.update_fields", ACC, args={"fields": {"name": "B2"}}, base={"name": 1}),
    )
    assert b3[0].status == "applied"


def test_master_data_is_a_conflict_for_managers_only(world: World) -> None:
    res = _push(
        world.sessions,
        "m1",
        CLIENT_A,
        _m(
            1,
            "account.update_fields",
            ACC,
            args={"fields": {"legal_name": "某公司", "remarks": "ok"}},
            base={},
        ),
    )
    assert res[0].status == "conflict" and res[0].conflicts[0].kind == "master_data"
    assert not res[0].conflicts[0].applied
    row = _account(world.sessions)
    assert row.legal_name == "" and row.remarks == "ok"
    sup = _push(
        world.sessions,
        "sup",
        "client-sup00000",
        _m(
            1,
            "account.update_fields",
            ACC,
            args={"fields": {"legal_name": "某公司"}},
            base={"legal_name": row.field_seq["legal_name"]},
        ),
    )
    assert sup[0].status == "applied" and _account(world.sessions).legal_name == "某公司"
    seen = pull(
        world.sessions,
        principal_for("sup"),
        PullRequest(client_id="client-sup00000", schema_version=1),
    )
    assert any(c.table == "sync_conflict" and c.data["kind"] == "master_data" for c in seen.changes)


def test_delete_wins_edit_of_deleted_is_conflict_undelete_explicit(world: World) -> None:
    _push(world.sessions, "m1", CLIENT_A, _m(1, "account.delete", ACC, base={"_row": 1}))
    res = _push(
        world.sessions,
        "m2",
        CLIENT_B,
        _m(1, "account.update_fields", ACC, args={"fields": {"name": "x"}}, base={"name": 1}),
    )
    assert res[0].status == "conflict" and res[0].conflicts[0].kind == "deleted"
    assert res[0].conflicts[0].reason == "deleted by m1"
    assert res[0].row is not None and res[0].row["deleted"] is True
    assert _account(world.sessions).name != "x"
    _push(world.sessions, "m2", CLIENT_B, _m(2, "account.undelete", ACC))
    assert not _account(world.sessions).deleted


def test_insert_only_is_idempotent_by_client_uuid(world: World) -> None:
    row = {
        "id": "sc-1",
        "account_id": ACC,
        "product_id": "P1",
        "counted_on": "2026-11-02",
        "quantity": 4,
    }
    ok = _push(
        world.sessions,
        "m1",
        CLIENT_A,
        _m(1, "stock_count.insert", "sc-1", "stock_count", args={"row": row}),
    )
    same = _push(
        world.sessions,
        "m1",
        CLIENT_A,
        _m(2, "stock_count.insert", "sc-1", "stock_count", args={"row": row}),
    )
    other = _push(
        world.sessions,
        "m1",
        CLIENT_A,
        _m(3, "stock_count.insert", "sc-1", "stock_count", args={"row": {**row, "quantity": 9}}),
    )
    assert ok[0].status == same[0].status == "applied" and ok[0].seq == same[0].seq
    assert (other[0].status, other[0].reason) == ("rejected", "id_taken")


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ([{"product_id": "P1", "quantity": -1}], "order.quantity"),
        ([{"product_id": "P3", "quantity": 1}], "order.product"),
        ([{"product_id": "P2", "quantity": 100}], "order.credit_limit"),
        ([], "order.empty"),
        ([{"product_id": "P1", "quantity": 2}], ""),
    ],
)
def test_order_submit_is_validated_then_server_driven(
    world: World, lines: list[dict[str, Any]], reason: str
) -> None:
    create = _m(
        1,
        "sales_order.create",
        "o-1",
        "sales_order",
        args={"fields": {"account_id": ACC, "lines": lines}},
    )
    submit = _m(2, "order.submit", "o-1", "sales_order", args={"order_id": "o-1"})
    results = _push(world.sessions, "m1", CLIENT_A, create, submit)
    assert results[0].status == "applied"
    if reason:
        assert (results[1].status, results[1].reason) == ("rejected", reason)
        return
    assert results[1].status == "applied"
    edit = _m(
        3,
        "sales_order.update_fields",
        "o-1",
        "sales_order",
        args={"fields": {"lines": []}},
        base={"_row": 2},
    )
    again = _m(4, "order.submit", "o-1", "sales_order", args={"order_id": "o-1"})
    later = _push(world.sessions, "m1", CLIENT_A, edit, again)
    assert (later[0].status, later[0].reason) == ("rejected", "order.not_draft")
    assert later[1].status == "applied"  # still submitted exactly once
    with world.sessions() as s:
        order = s.get(SalesOrder, "o-1")
        assert order is not None and order.status == "submitted"
        n = s.scalar(
            select(func.count())
            .select_from(ChangeLog)
            .where(ChangeLog.row_id == "o-1", ChangeLog.data["_op"].as_string() == "order.submit")
        )
        assert n == 1
    bad = _push(
        world.sessions,
        "m1",
        CLIENT_A,
        _m(5, "order.set_status", "o-1", "sales_order", args={"status": "accepted"}),
    )
    assert bad[0].reason == "forbidden"
    ok = _push(
        world.sessions,
        "sup",
        "client-sup00000",
        _m(1, "order.set_status", "o-1", "sales_order", args={"status": "accepted"}),
    )
    assert ok[0].status == "applied"


def test_tags_are_set_operations(world: World) -> None:
    _push(world.sessions, "m1", CLIENT_A, _m(1, "account.tags", ACC, args={"add": ["甲"]}))
    _push(world.sessions, "m2", CLIENT_B, _m(1, "account.tags", ACC, args={"add": ["乙"]}))
    _push(
        world.sessions,
        "m2",
        CLIENT_B,
        _m(2, "account.tags", ACC, args={"remove": ["甲"], "add": ["丙"]}),
    )
    assert _account(world.sessions).tags == ["乙", "丙"]


def test_territory_check_at_apply_time_and_pull_scope(world: World) -> None:
    res = _push(
        world.sessions,
        "m1",
        CLIENT_A,
        _m(1, "account.update_fields", "T2-A0", args={"fields": {"name": "x"}}),
    )
    assert (res[0].status, res[0].reason) == ("rejected", "forbidden")
    assert res[0].row is None  # nothing about another territory leaks back
    seen = pull(
        world.sessions, principal_for("m1"), PullRequest(client_id=CLIENT_A, schema_version=1)
    )
    assert {c.partition for c in seen.changes} == {"reference", "territory:T1"}
    forged = pull(
        world.sessions,
        principal_for("m1"),
        PullRequest(client_id=CLIENT_A, schema_version=1, cursors={"territory:T2": 0}),
    )
    assert "territory:T2" not in {c.partition for c in forged.changes}


def test_reassignment_moves_history_and_pending_edits_come_back_moved(world: World) -> None:
    note = _push(
        world.sessions,
        "m1",
        CLIENT_A,
        _m(1, "note.add", "n-1", "account_note", args={"account_id": ACC, "body": "x"}),
    )
    assert note[0].status == "applied"
    with pytest.raises(SyncError):
        reassign_account(world.sessions, principal_for("m1"), ACC, "T2")
    reassign_account(world.sessions, principal_for("sup"), ACC, "T2")
    with world.sessions() as s:
        moved = s.scalars(
            select(ChangeLog)
            .where(ChangeLog.data["_op"].as_string() == "account.reassign")
            .order_by(ChangeLog.partition, ChangeLog.seq)
        ).all()
    removes = [(c.partition, c.row_id) for c in moved if c.op == "REMOVE"]
    puts = [(c.partition, c.row_id) for c in moved if c.op == "PUT"]
    assert removes == [("territory:T1", "n-1"), ("territory:T1", ACC)]
    assert puts == [("territory:T2", ACC), ("territory:T2", "n-1")]
    late = _push(
        world.sessions,
        "m1",
        CLIENT_A,
        _m(2, "account.update_fields", ACC, args={"fields": {"name": "y"}}, base={"name": 1}),
    )
    assert late[0].status == "conflict" and late[0].conflicts[0].kind == "moved"
    assert late[0].conflicts[0].reason == "moved to 片区T2"
    assert _account(world.sessions).name != "y"


def test_old_schema_gets_upgrade_required(world: World) -> None:
    from kamdesk.server.sync.info import SyncPolicy

    policy = SyncPolicy(min_schema=2, max_schema=3)
    request = PushRequest(client_id=CLIENT_A, schema_version=1, mutations=[])
    assert push(world.sessions, principal_for("m1"), request, policy).upgrade_required
    assert pull(
        world.sessions,
        principal_for("m1"),
        PullRequest(client_id=CLIENT_A, schema_version=1),
        policy,
    ).upgrade_required
