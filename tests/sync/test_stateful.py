"""Hypothesis state machine: two desktops and the server against a dict-of-rows ideal server.

The reference model applies each client's queued operations in the order the server receives
them (push order), with sync.md's rules: edits to a deleted account are refused, delete wins,
undelete is explicit, notes append. A failure shrinks to a minimal story of edits and syncs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import keyring
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AccountNote
from kamdesk.sync.engine import SyncEngine
from kamdesk.sync.inprocess import InProcessTransport
from tests.helpers.memory_keyring import MemoryKeyring
from tests.sync import harness, local_ops

ACCOUNTS = ("T1-A0",)  # one shared account: every story collides
USERS = ("m1", "m2")
Row = dict[str, Any]


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._previous_keyring = keyring.get_keyring()
        keyring.set_keyring(MemoryKeyring())
        self.root = Path(tempfile.mkdtemp(prefix="kamdesk_sm_", dir=_shm()))
        self.sessions = harness.new_server(self.root / "server.sqlite")
        self.stores: list[Store] = []
        self.engines: list[SyncEngine] = []
        for user in USERS:
            store = harness.new_client(self.root / f"{user}.kamdesk")
            transport = InProcessTransport(self.sessions, harness.principal_for(user))
            engine = SyncEngine(store, transport, sleep=lambda _s: None)
            engine.sync_once()
            self.stores.append(store)
            self.engines.append(engine)
        with self.sessions() as s:
            self.model: dict[str, Row] = {}
            for account_id in ACCOUNTS:
                acc = s.get(Account, account_id)
                assert acc is not None
                self.model[account_id] = {
                    "remarks": acc.remarks,
                    "phone": acc.phone,
                    "deleted": False,
                    "notes": set(),
                }
        self.queued: list[list[tuple[str, str, Any]]] = [[] for _ in USERS]

    def teardown(self) -> None:
        for store in self.stores:
            store.close()
        self.sessions.kw["bind"].dispose()
        shutil.rmtree(self.root, ignore_errors=True)
        keyring.set_keyring(self._previous_keyring)

    # -- what a user does offline ----------------------------------------------------------
    @rule(
        c=st.integers(0, 1),
        a=st.sampled_from(ACCOUNTS),
        field=st.sampled_from(("remarks", "phone")),
        v=st.integers(0, 3),
    )
    def edit(self, c: int, a: str, field: str, v: int) -> None:
        value = f"1380000000{v}" if field == "phone" else f"备注{v}"
        if local_ops.update_account(self.stores[c], a, {field: value}):
            self.queued[c].append(("edit", a, (field, value)))

    @rule(c=st.integers(0, 1), a=st.sampled_from(ACCOUNTS))
    def delete(self, c: int, a: str) -> None:
        if local_ops.set_deleted(self.stores[c], a, True):
            self.queued[c].append(("delete", a, None))

    @rule(c=st.integers(0, 1), a=st.sampled_from(ACCOUNTS))
    def undelete(self, c: int, a: str) -> None:
        if local_ops.set_deleted(self.stores[c], a, False):
            self.queued[c].append(("undelete", a, None))

    @rule(c=st.integers(0, 1), a=st.sampled_from(ACCOUNTS), n=st.integers(0, 9))
    def note(self, c: int, a: str, n: int) -> None:
        note_id = local_ops.add_note(self.stores[c], a, f"记录{n}")
        if note_id is not None:
            self.queued[c].append(("note", a, note_id))

    # -- the network ------------------------------------------------------------------------
    @rule(c=st.integers(0, 1))
    def sync(self, c: int) -> None:
        report = self.engines[c].sync_once()
        assert report.error is None and report.pending == 0
        for op, a, arg in self.queued[c]:  # the ideal server, in arrival order
            row = self.model[a]
            if op == "edit" and not row["deleted"]:
                row[arg[0]] = arg[1]
            elif op == "note" and not row["deleted"]:
                row["notes"].add(arg)
            elif op == "delete":
                row["deleted"] = True
            elif op == "undelete":
                row["deleted"] = False
        self.queued[c] = []

    @precondition(lambda self: not any(self.queued))
    @rule()
    def everyone_syncs(self) -> None:
        for engine in self.engines:
            engine.sync_once()
        for store in self.stores:
            assert self._view(store) == self._server_view()

    # -- checks ---------------------------------------------------------------------------
    def _server_view(self) -> dict[str, Row]:
        with self.sessions() as s:
            return _view_of(s)

    def _view(self, store: Store) -> dict[str, Row]:
        with store.session() as s:
            return _view_of(s)

    @invariant()
    def server_matches_the_ideal_server(self) -> None:
        assert self._server_view() == self.model


def _view_of(session: Any) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for account_id in ACCOUNTS:
        acc = session.get(Account, account_id)
        notes = set(
            session.scalars(select(AccountNote.id).where(AccountNote.account_id == account_id))
        )
        out[account_id] = {
            "remarks": acc.remarks,
            "phone": acc.phone,
            "deleted": acc.deleted,
            "notes": notes,
        }
    return out


def _shm() -> str | None:
    return "/dev/shm" if Path("/dev/shm").is_dir() else None


SyncMachine.TestCase.settings = settings(max_examples=20, stateful_step_count=10, deadline=None)
TestSyncMachine = SyncMachine.TestCase
