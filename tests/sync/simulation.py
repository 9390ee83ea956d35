"""Deterministic simulation: one in-process server, N desktop clients, one seed for everything.

The seed drives the workload (shared-account edits, contacts, notes, visits with stock counts,
orders, deletes/undeletes, tags) and the faults: dropped requests and replies (a crash after
the server committed), duplicated and delayed (so reordered) requests, stale pull answers,
network partitions, clock skew of days and backward jumps, client crashes (store reopened),
a crash in the middle of a late client's first sync, supervisor reassignments, and an app
upgrade that makes the server require a newer schema. Then the network heals, the system
settles and ``check_invariants`` checks every invariant of sync.md.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

import kamdesk.domain.hlc as hlc_module
from kamdesk.db.base import Synced
from kamdesk.db.engine import Store
from kamdesk.db.models import Account, ChangeLog, OutboxEntry, StockCount, SyncConflict, Territory
from kamdesk.domain.hlc import Timestamp
from kamdesk.server.principal import REFERENCE_PARTITION, Principal, territory_partition
from kamdesk.server.sync.info import DEFAULT_POLICY, SyncPolicy
from kamdesk.server.sync.reassign import reassign_account
from kamdesk.sync import state
from kamdesk.sync.codec import TABLES, comparable, encode_value, row_to_wire
from kamdesk.sync.engine import SyncEngine
from kamdesk.sync.errors import TransportError
from kamdesk.sync.inprocess import InProcessTransport
from kamdesk.sync.transport import Json
from kamdesk.sync.upgrade import Upgraders
from tests.sync import harness, local_ops

V2_POLICY = SyncPolicy(
    min_schema=2,
    max_schema=2,
    mutation_versions={"note.add": (2, 2)},
    normalisers={
        ("note.add", 2): lambda a: {"account_id": a.get("account_id"), "body": a.get("text")}
    },
)
V2_UPGRADERS = Upgraders(
    current={"note.add": 2},
    steps={
        ("note.add", 1): lambda args, base: (
            {"account_id": args.get("account_id"), "text": args.get("body")},
            base,
        )
    },
)
FIELDS = ("name", "phone", "address", "remarks", "owner_name")
PHONES = ("13800000001", "13900000002", "021-5555555", "0755-1234567")


class _SkewedTime:
    """Stands in for ``time`` inside the HLC module: the current client's skewed wall clock."""

    def __init__(self) -> None:
        self.offset_ns = 0

    def time_ns(self) -> int:
        return time.time_ns() + self.offset_ns


@dataclass
class Faults:
    drop_request: float = 0.08
    drop_reply: float = 0.08  # the server committed, the client never heard
    duplicate: float = 0.06
    delay: float = 0.06  # delivered again later, after newer requests (reordering)
    stale_pull: float = 0.05
    partition: float = 0.04
    crash: float = 0.03
    clock_jump: float = 0.05

    @staticmethod
    def none() -> Faults:
        return Faults(0, 0, 0, 0, 0, 0, 0, 0)


@dataclass
class Network:
    rng: random.Random
    faults: Faults
    step: int = 0
    delayed: list[tuple[int, Callable[[Json], Json], Json]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def deliver_due(self, everything: bool = False) -> None:
        keep = []
        for due, fn, request in self.delayed:
            if everything or due <= self.step:
                try:
                    fn(request)
                except Exception as exc:
                    if not isinstance(exc, TransportError | type(exc)):
                        raise
            else:
                keep.append((due, fn, request))
        self.delayed = keep


class FaultyTransport:
    def __init__(self, inner: InProcessTransport, net: Network, sim_client: SimClient) -> None:
        self.inner = inner
        self.net = net
        self.client = sim_client
        self.last_pull: Json | None = None
        self.fail_after_pulls: int | None = None  # crash mid first sync
        self.pull_requests: list[dict[str, int]] = []
        self.on_pull: Callable[[SimClient], None] | None = None

    def _gate(self) -> None:
        if self.client.offline or self.net.rng.random() < self.net.faults.drop_request:
            raise TransportError("simulated: request lost")

    def push(self, request: Json) -> Json:
        self._gate()
        rng, faults = self.net.rng, self.net.faults
        if rng.random() < faults.delay:
            self.net.delayed.append((self.net.step + rng.randint(1, 6), self.inner.push, request))
        response = self.inner.push(request)
        if rng.random() < faults.duplicate:
            again = self.inner.push(request)
            for first, second in zip(response["results"], again["results"], strict=True):
                keys = ("mutation_id", "status", "seq", "reason", "conflicts")
                if any(first[k] != second[k] for k in keys):
                    self.net.violations.append(f"replay answered differently: {first} / {second}")
            response = again
        if rng.random() < faults.drop_reply:
            raise TransportError("simulated: reply lost after commit")
        return response

    def pull(self, request: Json) -> Json:
        if self.fail_after_pulls is not None:
            if self.fail_after_pulls <= 0:
                raise TransportError("simulated: crash during first sync")
            self.fail_after_pulls -= 1
        self._gate()
        self.pull_requests.append(dict(request["cursors"]))
        if self.on_pull is not None and self.net.rng.random() < 0.3:
            self.on_pull(self.client)  # the user keeps editing while the download runs
        if self.last_pull is not None and self.net.rng.random() < self.net.faults.stale_pull:
            return self.last_pull  # a late answer to an earlier request
        response = self.inner.pull(request)
        self.last_pull = response
        return response

    def info(self) -> Json:
        return self.inner.info()


@dataclass
class SimClient:
    name: str
    username: str
    path: Path
    store: Store
    engine: SyncEngine
    transport: FaultyTransport
    schema: int = 1
    offline: bool = False
    skew_ns: int = 0
    cursors_seen: dict[str, int] = field(default_factory=dict)
    known_accounts: set[str] = field(default_factory=set)


@dataclass
class SimResult:
    seed: int
    violations: list[str]
    steps: int
    mutations: int
    conflicts: int
    rejected: int


class Simulation:
    def __init__(
        self,
        seed: int,
        workdir: Path,
        *,
        clients: int = 3,
        steps: int = 30,
        faults: Faults | None = None,
    ) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.workdir = workdir
        self.steps = steps
        self.net = Network(self.rng, faults or Faults())
        self.sessions: sessionmaker[Session] = harness.new_server(workdir / "server.sqlite")
        self.policy = DEFAULT_POLICY
        self.clock = _SkewedTime()
        self.clients: list[SimClient] = []
        self.upgraded_server = False
        users = ("m1", "m2", "m3", "sup")
        self.n_clients = clients
        self.late_index = clients - 1 if clients >= 3 else None
        for i in range(clients):
            if i != self.late_index:
                self._add_client(f"c{i}", users[i % len(users)])
        self.upgrade_step = self.rng.randint(steps // 3, steps - 2) if steps > 6 else None
        self.upgraded_server = False

    # -- plumbing --------------------------------------------------------------------------
    def principal(self, username: str) -> Principal:
        return harness.principal_for(username)

    def _engine(self, client: SimClient) -> SyncEngine:
        batch_size = self.rng.choice((3, 10, 50))
        page_size = self.rng.choice((5, 20, 500))
        return SyncEngine(
            client.store,
            client.transport,
            schema_version=client.schema,
            upgraders=V2_UPGRADERS if client.schema >= 2 else Upgraders(),
            batch_size=batch_size,
            page_size=page_size,
            first_sync_page_size=page_size,
            retries=1,
            sleep=lambda _s: None,
        )

    def _add_client(self, name: str, username: str) -> SimClient:
        path = self.workdir / f"{name}.kamdesk"
        store = harness.new_client(path)
        principal = self.principal(username)
        inner = InProcessTransport(self.sessions, principal, lambda: self.policy)
        client = SimClient(name, username, path, store, None, None)  # type: ignore[arg-type]
        client.transport = FaultyTransport(inner, self.net, client)
        client.transport.on_pull = self._local_edit
        client.schema = 2 if self.upgraded_server and self.rng.random() < 0.5 else 1
        client.engine = self._engine(client)
        self.clients.append(client)
        return client

    def _crash(self, client: SimClient) -> None:
        client.store.close()
        client.store = harness.reopen_client(client.path)
        client.engine = self._engine(client)

    def _sync(self, client: SimClient) -> None:
        self.clock.offset_ns = client.skew_ns
        client.engine.sync_once()
        self._after_sync(client)

    # -- run -------------------------------------------------------------------------------
    def run(self) -> SimResult:
        saved_time = getattr(hlc_module, "time")  # noqa: B009
        setattr(hlc_module, "time", self.clock)  # noqa: B010 - skewed clocks for the HLC
        try:
            for step in range(self.steps):
                self.net.step = step
                self.net.deliver_due()
                self._step(step)
            self._heal()
            violations = self.net.violations + check_invariants(self)
        finally:
            setattr(hlc_module, "time", saved_time)  # noqa: B010
            for client in self.clients:
                client.store.close()
            self.sessions.kw["bind"].dispose()
        return SimResult(self.seed, violations, self.steps, *self._totals())

    def _totals(self) -> tuple[int, int, int]:
        with self.sessions() as s:
            rows = s.execute(
                text("SELECT status, count(*) FROM srv_mutation_result GROUP BY status")
            ).all()
        counts = {str(k): int(v) for k, v in rows}
        return sum(counts.values()), counts.get("conflict", 0), counts.get("rejected", 0)

    def _step(self, step: int) -> None:
        rng = self.rng
        if self.late_index is not None and step == self.steps // 3:
            late = self._add_client(
                f"c{self.late_index}", ("m1", "m2", "m3", "sup")[self.late_index % 4]
            )
            late.transport.fail_after_pulls = rng.randint(0, 3)
            late.engine.page_size = late.engine.first_sync_page_size = 4
            self._sync(late)  # interrupted part-way: pages already committed must stay
            before = late.engine.sync_once().cursors
            self._crash(late)
            late.transport.fail_after_pulls = None
            late.transport.pull_requests.clear()
            late.offline = False
            self._sync(late)
            if late.transport.pull_requests and late.transport.pull_requests[0] != before:
                self.net.violations.append(
                    f"first sync restarted instead of resuming: {before} -> "
                    f"{late.transport.pull_requests[0]}"
                )
        if self.upgrade_step is not None and step == self.upgrade_step:
            self.policy = V2_POLICY
            self.upgraded_server = True
        client = rng.choice(self.clients)
        self.clock.offset_ns = client.skew_ns
        roll = rng.random()
        faults = self.net.faults
        if rng.random() < faults.partition:
            client.offline = not client.offline
        if rng.random() < faults.clock_jump:
            client.skew_ns = rng.choice((-1, 1)) * rng.randint(0, 5) * 86_400 * 10**9
        if self.upgraded_server and client.schema < 2 and rng.random() < 0.3:
            client.schema = 2  # the app update arrives; the local store is already migrated
            client.engine = self._engine(client)
        if rng.random() < faults.crash:
            self._crash(client)
        if roll < 0.35:
            self._sync(client)
        elif roll < 0.40 and client.username != "sup":
            self._reassign()
        else:
            self._local_edit(client)

    def _reassign(self) -> None:
        with self.sessions() as s:
            ids = sorted(s.scalars(select(Account.id).where(Account.deleted.is_(False))).all())
        if not ids:
            return
        account_id = self.rng.choice(ids)
        target = self.rng.choice(harness.TERRITORIES)
        reassign_account(self.sessions, self.principal("sup"), account_id, target)

    def _accounts(self, client: SimClient, *, deleted: bool | None = False) -> list[str]:
        with client.store.session() as s:
            query = select(Account.id)
            if deleted is not None:
                query = query.where(Account.deleted.is_(deleted))
            return sorted(s.scalars(query).all())

    def _local_edit(self, client: SimClient) -> None:
        rng = self.rng
        accounts = self._accounts(client)
        territory = harness.principal_for(client.username).territory_id or rng.choice(
            harness.TERRITORIES
        )
        kind = rng.random()
        store = client.store
        with store.session() as s:
            if s.get(Territory, territory) is None:  # nothing to edit before the first sync
                return
        if not accounts or kind < 0.06:
            n = rng.randint(0, 10**6)
            local_ops.create_account(
                store,
                territory,
                {"code": f"S{n}", "name": f"新店{n}", "business_format": "grocery"},
            )
            return
        account = rng.choice(accounts)
        if kind < 0.40:
            fields = {rng.choice(FIELDS[:1] + FIELDS[2:]): f"v{rng.randint(0, 99)}"}
            if rng.random() < 0.2:
                fields = {"phone": rng.choice(PHONES)}
            if rng.random() < 0.08:
                fields = {"legal_name": f"公司{rng.randint(0, 9)}"}  # master data
            if rng.random() < 0.03:
                fields = {"phone": "not a phone"}  # the server rejects it
            local_ops.update_account(store, account, fields)
        elif kind < 0.48:
            local_ops.add_contact(store, account, f"联系人{rng.randint(0, 99)}")
        elif kind < 0.58:
            local_ops.add_note(store, account, f"备注 {rng.randint(0, 999)}")
        elif kind < 0.70:
            counts = {p: rng.randint(0, 40) for p in rng.sample(["P1", "P2"], rng.randint(1, 2))}
            local_ops.record_visit(
                store, account, date(2026, 11, 1) + timedelta(rng.randint(0, 20)), counts
            )
        elif kind < 0.80:
            product = rng.choice(("P1", "P1", "P2", "P3"))
            qty = rng.choice((1, 2, 5, 80, -1))
            local_ops.draft_and_submit_order(
                store, account, [{"product_id": product, "quantity": qty}]
            )
        elif kind < 0.86:
            local_ops.set_deleted(store, account, True)
        elif kind < 0.92:
            gone = self._accounts(client, deleted=True)
            if gone:
                local_ops.set_deleted(store, rng.choice(gone), False)
        else:
            local_ops.add_tag(store, account, rng.choice(("重点", "新品", "核心", "VIP")))

    # -- checks while running -------------------------------------------------------------
    def _after_sync(self, client: SimClient) -> None:
        with client.store.session() as s:
            cursors = state.cursors(s)
            for part, seq in client.cursors_seen.items():
                if cursors.get(part, 0) < seq:
                    self.net.violations.append(
                        f"{client.name}: cursor {part} went back {seq}->{cursors.get(part)}"
                    )
            client.cursors_seen.update(cursors)
            broken = s.execute(text("PRAGMA foreign_key_check")).all()
            if broken:
                self.net.violations.append(f"{client.name}: half-applied checkpoint {broken[:3]}")
            self.net.violations.extend(read_your_writes(client.name, s))

    def _heal(self) -> None:
        self.net.faults = Faults.none()
        for client in self.clients:
            client.transport.on_pull = None
        self.net.deliver_due(everything=True)
        for client in self.clients:
            client.offline = False
            if self.upgraded_server and client.schema < 2:
                client.schema = 2
            client.engine = self._engine(client)
        if self.late_index is not None and len(self.clients) < self.n_clients:
            self._add_client(f"c{self.late_index}", "m3")
        for _round in range(12):
            quiet = True
            for client in self.clients:
                report = client.engine.sync_once()
                self._after_sync(client)
                if report.error or report.pushed or report.pulled or report.pending:
                    quiet = False
            if quiet:
                return
        self.net.violations.append("the system did not settle after healing")


def read_your_writes(name: str, session: Session) -> list[str]:
    """Every still-open edit shows in the local row (server state + own pending mutations)."""
    problems = []
    latest: dict[tuple[str, str, str], Any] = {}
    entries = session.scalars(
        select(OutboxEntry)
        .where(OutboxEntry.state.in_(("pending", "inflight")))
        .order_by(OutboxEntry.mutation_id)
    ).all()
    for entry in entries:
        if entry.name.endswith(".update_fields"):
            for key, value in entry.args.get("fields", {}).items():
                latest[(entry.entity_table, entry.entity_id, key)] = value
    for (table, row_id, key), value in latest.items():
        row = session.get(TABLES[table], row_id)
        if row is not None and not row.deleted and getattr(row, key) != value:
            problems.append(
                f"{name}: pending {table}.{key}={value!r} hidden by {getattr(row, key)!r}"
            )
    return problems


# -- invariants after healing --------------------------------------------------------------
def server_view(session: Session, principal: Principal) -> dict[tuple[str, str], dict[str, Any]]:
    territories = dict(session.execute(select(Account.id, Account.territory_id)).all())
    view: dict[tuple[str, str], dict[str, Any]] = {}
    for table, model in TABLES.items():
        for row in session.scalars(select(model)):
            if model.__sync_partition__ == "reference":
                part = REFERENCE_PARTITION
            elif getattr(row, "territory_id", None):
                part = territory_partition(row.territory_id)  # type: ignore[attr-defined]
            else:
                part = territory_partition(territories[row.account_id])  # type: ignore[attr-defined]
            if principal.can_read(part):
                view[(table, row.id)] = comparable(model, row_to_wire(row))
    return view


def client_view(session: Session) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (table, row.id): comparable(model, row_to_wire(row))
        for table, model in TABLES.items()
        for row in session.scalars(select(model))
    }


def check_invariants(sim: Simulation) -> list[str]:
    v: list[str] = []
    with sim.sessions() as srv:
        for client in sim.clients:
            with client.store.session() as s:
                v += _check_client(sim, client, srv, s)
        v += _check_server(srv)
    return v


def _check_client(sim: Simulation, client: SimClient, srv: Session, s: Session) -> list[str]:
    v: list[str] = []
    name = client.name
    # queues drain; every entry ends applied / rejected-with-reason / conflict (visible)
    conflict_ids = set(s.scalars(select(SyncConflict.mutation_id)).all())
    previous: Timestamp | None = None
    for entry in s.scalars(select(OutboxEntry).order_by(OutboxEntry.mutation_id)):
        if entry.state not in ("applied", "rejected", "conflict"):
            v.append(f"{name}: outbox {entry.mutation_id} {entry.name} stuck in {entry.state}")
        if entry.state == "rejected" and not entry.last_error:
            v.append(f"{name}: outbox {entry.mutation_id} rejected without a reason")
        if entry.state in ("rejected", "conflict") and entry.mutation_id not in conflict_ids:
            v.append(f"{name}: outbox {entry.mutation_id} {entry.state} not visible in Sync issues")
        stamp = Timestamp.decode(entry.hlc)
        if previous is not None and stamp <= previous:
            v.append(f"{name}: HLC went back at mutation {entry.mutation_id}")
        previous = stamp
        if entry.state in ("applied", "conflict"):
            v += _acknowledged_kept(name, entry, srv)
    # convergence: the client equals the server's view of the token's partitions
    mine = client_view(s)
    theirs = server_view(srv, sim.principal(client.username))
    for key in sorted(set(mine) | set(theirs)):
        if key not in theirs:
            v.append(f"{name}: has {key} outside its view (or unknown to the server)")
        elif key not in mine:
            v.append(f"{name}: missing {key}")
        elif mine[key] != theirs[key]:
            diff = {
                k: (mine[key].get(k), theirs[key].get(k))
                for k in theirs[key]
                if mine[key].get(k) != theirs[key].get(k)
            }
            v.append(f"{name}: {key} differs {diff}")
    return v


def _acknowledged_kept(name: str, entry: OutboxEntry, srv: Session) -> list[str]:
    """An acknowledged write is visible, superseded in the change log, or a visible conflict."""
    result = entry.result
    model = TABLES.get(entry.entity_table)
    if model is None or result.get("seq") is None:
        return []
    row: Synced | None = srv.get(model, entry.entity_id)
    if row is None:
        return [f"{name}: acknowledged {entry.name} {entry.entity_id} has no server row"]
    out = []
    if entry.name.endswith(".update_fields"):
        refused = {c.get("field") for c in result.get("conflicts", []) if not c.get("applied")}
        seqs = getattr(row, "field_seq", None)
        for key, value in entry.args.get("fields", {}).items():
            if key in refused:
                continue
            current = encode_value(getattr(row, key))
            superseded = (seqs.get(key, 0) if isinstance(seqs, dict) else row.srv_seq) > result[
                "seq"
            ]
            if current != value and not superseded:
                out.append(f"{name}: acknowledged {entry.name} {key}={value!r} lost ({current!r})")
    if entry.name.endswith((".delete", ".undelete")):
        wanted = entry.name.endswith(".delete")
        if row.deleted != wanted and row.srv_seq <= result["seq"]:
            out.append(f"{name}: acknowledged {entry.name} {entry.entity_id} not in effect")
        if row.srv_seq < result["seq"]:
            out.append(f"{name}: server version of {entry.entity_id} went back")
    if entry.name == "visit.record":
        ids = {c["id"] for c in entry.args.get("stock_counts", [])}
        stored = set(
            srv.scalars(select(StockCount.id).where(StockCount.visit_id == entry.entity_id))
        )
        if ids != stored:
            out.append(f"{name}: visit {entry.entity_id} counts {ids} stored as {stored}")
    return out


def _check_server(srv: Session) -> list[str]:
    v: list[str] = []
    last: dict[str, dict[str, Any]] = {}
    submits: dict[str, int] = {}
    for change in srv.scalars(
        select(ChangeLog).order_by(ChangeLog.committed_at, ChangeLog.partition, ChangeLog.seq)
    ):
        if change.op != "PUT" or change.table_name == "sync_conflict":
            continue
        prior = last.get(change.row_id)
        op = str(change.data.get("_op", ""))
        newer = prior is not None and prior.get("srv_seq", 0) < change.data.get("srv_seq", 0)
        revived = prior is not None and prior.get("deleted") and not change.data.get("deleted")
        if newer and revived and not op.endswith(".undelete"):
            v.append(f"server: {change.table_name} {change.row_id} resurrected by {op}")
        if prior is None or prior.get("srv_seq", 0) < change.data.get("srv_seq", 0):
            last[change.row_id] = change.data
        if op == "order.submit":
            submits[change.row_id] = submits.get(change.row_id, 0) + 1
    v += [f"server: order {k} submitted {n} times" for k, n in submits.items() if n != 1]
    return v


_workdir: list[Path] = []


def sim_workdir() -> Path:
    """One scratch folder per process, reused by every seed (files are overwritten)."""
    if not _workdir:
        _workdir.append(Path(tempfile.mkdtemp(prefix="kamdesk_sim_", dir=_tmp_root())))
    return _workdir[0]


def cleanup() -> None:
    if _workdir:
        shutil.rmtree(_workdir.pop(), ignore_errors=True)


def run_seed(
    seed: int, *, clients: int = 3, steps: int = 30, faults: Faults | None = None
) -> SimResult:
    return Simulation(seed, sim_workdir(), clients=clients, steps=steps, faults=faults).run()


def _tmp_root() -> Path | None:
    shm = Path("/dev/shm")
    return shm if shm.is_dir() else None


# -- many seeds, in worker processes ----------------------------------------------------------
def worker_init() -> None:
    """A spawned worker: private in-memory keyring, scratch cleaned up at exit."""
    import atexit

    import keyring

    from tests.helpers.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    atexit.register(cleanup)


def clients_for(seed: int, low: int, high: int) -> int:
    return low + seed % (high - low + 1)


def run_chunk(args: tuple[list[int], int, int, int]) -> list[tuple[int, list[str]]]:
    """Seeds of one worker; returns (seed, violations) for the failing ones only."""
    seeds, low, high, steps = args
    failed = []
    for seed in seeds:
        try:
            result = run_seed(seed, clients=clients_for(seed, low, high), steps=steps)
            violations = result.violations
        except Exception as exc:
            violations = [f"crashed: {exc!r}"]
        if violations:
            failed.append((seed, violations))
    return failed


def run_many(
    first: int,
    count: int,
    *,
    workers: int = 2,
    low: int = 3,
    high: int = 5,
    steps: int = 20,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[int, list[str]]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    seeds = list(range(first, first + count))
    size = max(1, min(10, count // (workers * 4)))
    chunks = [seeds[i : i + size] for i in range(0, len(seeds), size)]
    failed: list[tuple[int, list[str]]] = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=worker_init) as pool:
        for done, chunk_failed in enumerate(
            pool.map(run_chunk, [(c, low, high, steps) for c in chunks]), start=1
        ):
            failed.extend(chunk_failed)
            if progress is not None:
                progress(min(done * size, count))
    return failed
