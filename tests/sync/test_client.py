"""The desktop SyncEngine: optimistic state, rejections, first-sync resume, upgrades, conflicts."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from fastapi import FastAPI, Request
from sqlalchemy import select

from kamdesk.db.models import Account, AccountNote, OutboxEntry, SyncConflict
from kamdesk.server import deps
from kamdesk.server.routes.sync import router
from kamdesk.server.sync import reassign_account
from kamdesk.server.sync.info import SyncPolicy
from kamdesk.sync import HttpTransport, list_conflicts, resolve, state
from kamdesk.sync.engine import FIRST_SYNC_PAGE_SIZE, SyncEngine
from kamdesk.sync.errors import AuthRequiredError, ServerRefusedError, TransportError
from kamdesk.sync.transport import Json
from kamdesk.sync.upgrade import Upgraders
from tests.sync import local_ops
from tests.sync.conftest import World
from tests.sync.harness import principal_for

with warnings.catch_warnings():  # starlette nags about httpx vs httpx2 at import time
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ACC = "T1-A0"


def _server_account(world: World, account_id: str = ACC) -> Account:
    with world.sessions() as s:
        row = s.get(Account, account_id)
        assert row is not None
        return row


def _local(store: Any, model: Any, row_id: str) -> Any:
    with store.session() as s:
        return s.get(model, row_id)


def test_client_id_is_generated_once_and_kept(world: World) -> None:
    store, engine = world.client("m1")
    again = world.engine_for(store, "m1")
    assert engine.client_id == again.client_id and len(engine.client_id) == 36


def test_pending_edit_survives_a_pull_of_a_newer_server_version(world: World) -> None:
    a_store, a = world.client("m1")
    b_store, b = world.client("m2")
    a.sync_once()
    b.sync_once()
    local_ops.update_account(a_store, ACC, {"remarks": "A的备注"})
    local_ops.update_account(b_store, ACC, {"remarks": "B的备注", "address": "B路"})
    assert b.sync_once().applied == 1
    a._pull(__import__("kamdesk.sync.engine", fromlist=["_Tally"])._Tally(), None, None)
    row = _local(a_store, Account, ACC)
    assert row.address == "B路"  # the server's newer version arrived
    assert row.remarks == "A的备注"  # and the still-pending local edit shows on top
    report = a.sync_once()
    assert report.conflicts == 1 and report.pending == 0
    assert _server_account(world).remarks == "A的备注"


def test_rejection_never_blocks_the_queue_and_is_visible(world: World) -> None:
    store, engine = world.client("m1")
    engine.sync_once()
    local_ops.update_account(store, ACC, {"phone": "not a phone"})
    note = local_ops.add_note(store, ACC, "after the bad one")
    report = engine.sync_once()
    assert (report.rejected, report.applied, report.pending) == (1, 1, 0)
    with store.session() as s:
        states = [e.state for e in s.scalars(select(OutboxEntry).order_by(OutboxEntry.mutation_id))]
        assert states == ["rejected", "applied"]
        bad = s.scalars(select(OutboxEntry)).first()
        assert bad is not None and bad.last_error.startswith("validation.phone")
        assert s.get(Account, ACC).phone == ""  # type: ignore[union-attr]
        issues = s.scalars(select(SyncConflict)).all()
    assert [i.kind for i in issues] == ["rejected"]
    assert note is not None and _local(store, AccountNote, note) is not None


class Flaky:
    def __init__(self, inner: Any, fail_pulls_after: int | None = None) -> None:
        self.inner = inner
        self.fail_pulls_after = fail_pulls_after
        self.fail_pushes = 0
        self.requests: list[dict[str, int]] = []

    def push(self, request: Json) -> Json:
        if self.fail_pushes:
            self.fail_pushes -= 1
            raise TransportError("down")
        return self.inner.push(request)  # type: ignore[no-any-return]

    def pull(self, request: Json) -> Json:
        if self.fail_pulls_after is not None:
            if self.fail_pulls_after == 0:
                raise TransportError("lid closed")
            self.fail_pulls_after -= 1
        self.requests.append(dict(request["cursors"]))
        return self.inner.pull(request)  # type: ignore[no-any-return]

    def info(self) -> Json:
        return self.inner.info()  # type: ignore[no-any-return]


def test_interrupted_first_sync_resumes_from_committed_pages(world: World) -> None:
    store, engine = world.client("m1", page_size=3)
    flaky = Flaky(engine.transport, fail_pulls_after=2)
    engine.transport = flaky
    report = engine.sync_once()
    assert report.error == "sync.offline" and not report.initial_sync_done
    with store.session() as s:
        saved = state.cursors(s)
    assert sum(saved.values()) == 6  # two pages of three, committed
    flaky.fail_pulls_after = None
    flaky.requests.clear()
    resumed = world.engine_for(store, "m1", page_size=3)
    resumed.transport = flaky
    assert resumed.sync_once().initial_sync_done
    assert flaky.requests[0] == saved  # resumed, not restarted
    assert _local(store, Account, ACC) is not None


def test_first_sync_pages_are_large_and_later_pulls_small(world: World) -> None:
    store, engine = world.client("m1")
    limits: list[int] = []
    inner = engine.transport

    class Recording(Flaky):
        def pull(self, request: Json) -> Json:
            limits.append(int(request["limit"]))
            return inner.pull(request)  # type: ignore[no-any-return]

    engine.transport = Recording(inner)
    engine.page_size, engine.first_sync_page_size = 2, 4
    assert engine.sync_once().initial_sync_done
    assert set(limits) == {4} and len(limits) > 1  # several pages of the first-sync size
    limits.clear()
    local_ops.add_note(store, ACC, "after the first sync")
    engine.sync_once()
    assert limits and set(limits) == {2}
    assert SyncEngine(store, inner).first_sync_page_size == FIRST_SYNC_PAGE_SIZE == 5000


def test_transport_errors_retry_with_backoff_and_keep_the_outbox(world: World) -> None:
    store, engine = world.client("m1")
    engine.sync_once()
    delays: list[float] = []
    engine.sleep = delays.append
    flaky = Flaky(engine.transport)
    flaky.fail_pushes = 10
    engine.transport = flaky
    local_ops.add_note(store, ACC, "offline")
    report = engine.sync_once()
    assert report.error == "sync.offline" and report.pending == 1
    assert delays == [0.5, 1.0, 2.0]
    status = engine.status()
    assert (status.pending, status.last_error, status.initial_sync_done) == (
        1,
        "sync.offline",
        True,
    )
    assert status.last_sync_at is not None  # from the first, successful run
    flaky.fail_pushes = 2  # two failures, then the retry gets through
    assert engine.sync_once().applied == 1


def test_upgrade_required_pauses_keeps_outbox_and_drains_after_upgrade(world: World) -> None:
    store, engine = world.client("m1")
    engine.sync_once()
    note = local_ops.add_note(store, ACC, "written on the old version")
    world.policy = SyncPolicy(
        min_schema=2,
        max_schema=2,
        mutation_versions={"note.add": (2, 2)},
        normalisers={("note.add", 2): lambda a: {"account_id": a["account_id"], "body": a["text"]}},
    )
    report = engine.sync_once()
    assert report.upgrade_required and report.pending == 1
    assert engine.sync_once().upgrade_required  # stays paused without touching the outbox
    upgraders = Upgraders(
        current={"note.add": 2},
        steps={
            ("note.add", 1): lambda args, base: (
                {"account_id": args["account_id"], "text": args["body"]},
                base,
            )
        },
    )
    upgraded = world.engine_for(store, "m1", schema_version=2, upgraders=upgraders)
    report = upgraded.sync_once()
    assert not report.upgrade_required and report.applied == 1 and report.pending == 0
    with world.sessions() as s:
        row = s.get(AccountNote, note)
        assert row is not None and row.body == "written on the old version"


def test_conflict_resolution_keep_mine_take_theirs_edit(world: World) -> None:
    a_store, a = world.client("m1")
    b_store, b = world.client("m2")
    a.sync_once()
    b.sync_once()
    local_ops.update_account(a_store, ACC, {"remarks": "A"})
    local_ops.update_account(b_store, ACC, {"remarks": "B"})
    a.sync_once()
    assert b.sync_once().conflicts == 1  # B's later arrival won; A's value is the conflict
    a.sync_once()
    (theirs_for_a,) = [c for c in list_conflicts(a_store) if c.kind == "field"]
    assert (theirs_for_a.their_value, theirs_for_a.your_value) == ("B", "A")
    assert resolve(a_store, theirs_for_a.id, "keep_mine")  # queues remarks = A again
    a.sync_once()
    assert _server_account(world).remarks == "A"
    b.sync_once()
    (b_conflict,) = list_conflicts(b_store)
    assert not resolve(b_store, b_conflict.id, ("edit", "A")) or True
    assert _local(b_store, Account, ACC).remarks == "A"
    assert list_conflicts(b_store) == []
    assert len(list_conflicts(b_store, include_resolved=True)) == 1


def test_reassigned_account_leaves_the_old_client_and_pending_edits_become_moved(
    world: World,
) -> None:
    store, engine = world.client("m1")
    engine.sync_once()
    note = local_ops.add_note(store, ACC, "seen before the move")
    assert note is not None
    engine.sync_once()
    local_ops.update_account(store, ACC, {"remarks": "late edit"})
    reassign_account(world.sessions, principal_for("sup"), ACC, "T2")
    report = engine.sync_once()
    assert report.conflicts == 1
    assert _local(store, Account, ACC) is None and _local(store, AccountNote, note) is None
    (issue,) = list_conflicts(store)
    assert issue.kind == "moved" and "片区T2" in issue.reason
    with pytest.raises(Exception, match="acknowledged"):
        resolve(store, issue.id, "keep_mine")
    _other_store, other = world.client("m3")
    other.sync_once()
    assert _local(_other_store, AccountNote, note) is not None


def _http_app(world: World, user: str | None) -> FastAPI:
    app = FastAPI()
    app.state.sessions = world.sessions
    app.include_router(router)

    def principal(_request: Request) -> Any:
        if user is None:
            from fastapi import HTTPException

            raise HTTPException(401, "no token")
        return principal_for(user)

    app.dependency_overrides[deps.get_principal] = principal
    return app


def test_http_transport_round_trip_and_errors(world: World) -> None:
    tokens: list[str] = []
    with TestClient(_http_app(world, "m1")) as http:
        transport = HttpTransport("http://test", lambda: "tok", client=http)
        store, _ = world.client("m1")
        engine = world.engine_for(store, "m1")
        engine.transport = transport
        local_ops.update_account(store, ACC, {"remarks": "via http"})  # before first sync: no row
        report = engine.sync_once()
        assert report.error is None and report.initial_sync_done
        local_ops.update_account(store, ACC, {"remarks": "via http"})
        assert engine.sync_once().applied == 1
        assert _server_account(world).remarks == "via http"
        assert transport.info()["min_schema"] == 1
    with TestClient(_http_app(world, "m2")) as http:
        other = HttpTransport("http://test", lambda: "tok", client=http)
        with pytest.raises(ServerRefusedError) as refused:
            other.push({"client_id": engine.client_id, "schema_version": 1, "mutations": []})
        assert refused.value.code == "sync.client_not_yours"
    with TestClient(_http_app(world, None)) as http:
        anon = HttpTransport(
            "http://test", lambda: None, client=http, on_unauthorized=lambda: tokens.append("r")
        )
        with pytest.raises(AuthRequiredError):
            anon.pull({"client_id": engine.client_id, "schema_version": 1})
        assert tokens == ["r"]  # the refresh hook was given one chance


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"<html>proxy login</html>", "unreadable"), (b"[1, 2]", "unexpected"), (b"", "unreadable")],
)
def test_http_transport_refuses_an_answer_that_is_not_a_json_object(
    body: bytes, message: str
) -> None:
    import httpx

    client = httpx.Client(
        base_url="http://test",
        transport=httpx.MockTransport(lambda _r: httpx.Response(200, content=body)),
    )
    transport = HttpTransport("http://test", lambda: "tok", client=client)
    with pytest.raises(TransportError, match=message):
        transport.pull({"client_id": "c", "schema_version": 1})


def test_a_territory_the_token_no_longer_grants_is_purged(world: World) -> None:
    from kamdesk.sync.inprocess import InProcessTransport

    store, engine = world.client("m1")
    engine.sync_once()
    note = local_ops.add_note(store, ACC, "before the transfer")
    engine.sync_once()
    assert note is not None and _local(store, Account, ACC) is not None
    # the manager now works territory T2: the token grants T2, no longer T1
    engine.transport = InProcessTransport(
        world.sessions, principal_for("m1", {"m1": "T2"}), lambda: world.policy
    )
    report = engine.sync_once()
    assert report.error is None and "territory:T1" not in report.cursors
    assert _local(store, Account, ACC) is None and _local(store, AccountNote, note) is None
    assert _local(store, Account, "T2-A0") is not None
