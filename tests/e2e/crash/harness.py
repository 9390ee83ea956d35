"""Kill a forked writer with SIGKILL at random moments, then prove the store is whole.

Shared by ``tests/e2e/crash`` and ``benchmarks/crash_soak.py``. The parent imports everything
once and forks a child per kill (a fork costs milliseconds; a fresh interpreter a second). The
child opens the store, signals "ready" through a pipe and repeats its unit of work until it is
killed; the parent waits a random short delay, sends SIGKILL, and then checks, with a fresh
connection (which performs WAL/journal recovery): the database opens, ``PRAGMA
integrity_check`` says ok, and every unit of work is present entirely or not at all.

Each scenario keeps working on the SAME file across kills, so every child starts from the
state a crash left behind (recovery is exercised repeatedly), from a copy of a template.

``first_sync``: a fresh client store pulls a seeded in-process server (SQLite) in small pages;
each child RESUMES the first sync the previous kill interrupted. After each kill the data must
be exactly the server's change log up to the stored checkpoint (pages all-or-nothing), the
checkpoint never goes back, and a finished first sync must equal the server's data (then the
client starts again from an empty store). After the last kill the parent resumes the sync to
completion in-process and checks it downloads only what lies past the checkpoint.
"""

from __future__ import annotations

import json
import os
import random
import select as select_mod
import shutil
import signal
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db import migrate
from kamdesk.db.engine import Store, make_engine, open_store
from kamdesk.services.account_import import AccountImporter, RawTable, auto_map
from kamdesk.services.outbox import install_outbox_guard
from kamdesk.services.visits import FollowUp, VisitInput, VisitService

SCENARIOS = ("import", "visit", "migration", "first_sync")
IMPORT_ROWS = 40
# kill within this many seconds of the child being ready: about two units of work, so kills
# land before, inside and after commits
RESET_EVERY = 50  # kills on one working file before starting again from the template
MAX_DELAY = {"import": 0.6, "visit": 0.12, "migration": 0.4, "first_sync": 0.5}
VISIT_COUNTS = 6  # stock lines per visit
TEMPLATE_KEY = bytes.fromhex("5a" * 32)  # test data only
SYNC_ACCOUNTS = 240  # server accounts, each with a contact and 2 purchase lines; 1 in 8 in T2
SYNC_EDITED_EVERY = 10  # every 10th account has a second version later in the change log
SYNC_PAGE = 20  # changes per pull page: a first sync of about 40 pages
SYNC_USER = "m1"  # a manager of T1 (tests/sync/harness.py): reads reference + territory:T1


@dataclass
class ScenarioResult:
    scenario: str
    kills: int = 0
    kills_inside_write: int = 0  # kills that landed between the start and end of a write
    corruptions: int = 0
    partial_units: int = 0
    child_errors: int = 0
    units_committed: int = 0  # complete units found after the last kill (first_sync: first
    # syncs carried to completion across kills, including the parent's final resume)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "kills": self.kills,
            "kills_inside_write": self.kills_inside_write,
            "corruptions": self.corruptions,
            "partial_units": self.partial_units,
            "child_errors": self.child_errors,
            "units_committed": self.units_committed,
            "seconds": round(self.seconds, 2),
        }


# -- templates -----------------------------------------------------------------------------
def build_templates(folder: Path) -> dict[str, Path]:
    """A small demo workspace (visits, import) and an empty migrated one (migration)."""
    from kamdesk.services.demo import build_demo_workspace

    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data.db"
    build_demo_workspace(data, accounts=4, seed=11, passphrase="crash-template")
    from kamdesk.db import keys

    key = keys.load_key(data, "crash-template")
    # re-key to the fixed test key so children need no scrypt (and no keyinfo) to open it
    conn = _connect(data, key)
    conn.execute(f"PRAGMA rekey = \"x'{TEMPLATE_KEY.hex()}'\"")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    empty = folder / "empty.db"
    store = open_store(empty, TEMPLATE_KEY, create=True)
    migrate.upgrade(store.engine)
    store.close()
    client = folder / "first_sync.db"
    copy_database(empty, client)
    build_sync_server(server_path(client))
    return {"import": data, "visit": data, "migration": empty, "first_sync": client}


def server_path(client: Path) -> Path:
    """The first_sync scenario's server database, beside the client's."""
    return client.with_suffix(".server.sqlite")


def build_sync_server(path: Path) -> None:
    """A server (SQLite) seeded like tests/sync plus SYNC_ACCOUNTS accounts with contacts and
    purchase lines, every row published to the change log like any server write."""
    from kamdesk.db.models import Account, Contact, PurchaseLine
    from kamdesk.server.sync.publish import begin_write, publish_row
    from tests.sync import harness as sync_world

    engine = sync_world.server_engine(path)
    migrate.upgrade(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    sync_world.seed_server(sessions)
    with sessions() as session, session.begin():
        begin_write(session)
        for n in range(SYNC_ACCOUNTS):
            account = Account(
                id=f"crash-acct-{n:04d}",
                code=f"CS{n:04d}",
                name=f"同步崩溃测试店{n}",
                business_format="grocery",
                territory_id="T2" if n % 8 == 7 else "T1",
                address=f"合肥市包河区同步路{n}号",
                credit_limit_fen=300_000,
                srv_seq=1,
                field_seq={},
            )
            rows: list[Any] = [
                account,
                Contact(
                    id=f"crash-cont-{n:04d}",
                    account_id=account.id,
                    name=f"王老板{n}",
                    phone=f"1390000{n:04d}",
                    srv_seq=1,
                    field_seq={},
                ),
            ]
            rows += [
                PurchaseLine(
                    id=f"crash-line-{n:04d}-{k}",
                    account_id=account.id,
                    product_id=("P1", "P2")[k],
                    purchased_on=datetime(2026, 10, 1 + k).date(),
                    quantity=1 + (n + k) % 9,
                    amount_fen=(1 + (n + k) % 9) * 10_000,
                    srv_seq=1,
                )
                for k in range(2)
            ]
            for row in rows:
                session.add(row)
                publish_row(session, row, actor_id=None, cause="seed")
    with sessions() as session, session.begin():  # later versions of some rows
        begin_write(session)
        for n in range(0, SYNC_ACCOUNTS, SYNC_EDITED_EVERY):
            edited = session.get(Account, f"crash-acct-{n:04d}")
            assert edited is not None
            edited.remarks = "第二版"
            edited.srv_seq = 2
            edited.field_seq = {"remarks": 2}
            publish_row(session, edited, actor_id=None, cause="account.update_fields")
    engine.dispose()


def schema_by_revision(folder: Path) -> dict[str | None, frozenset[str]]:
    """The exact set of schema objects at every revision, from stepping a fresh database."""
    path = folder / "steps.db"
    store = open_store(path, TEMPLATE_KEY, create=True)
    shapes: dict[str | None, frozenset[str]] = {None: _schema(path)}
    revisions = sorted(migrate.known_revisions())  # numbered revisions sort in order
    for revision in revisions:
        migrate.upgrade(store.engine, revision)
        shapes[revision] = _schema(path)
    store.close()
    return shapes


def _connect(path: Path, key: bytes = TEMPLATE_KEY) -> Any:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def _schema(path: Path) -> frozenset[str]:
    conn = _connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        conn.close()
    return frozenset(f"{t}:{n}" for t, n in rows)


def copy_database(src: Path, dst: Path) -> None:
    """Copy a CLOSED template (no WAL beside it) to a fresh working file."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(src, dst)


# -- the children's units of work -----------------------------------------------------------
def _child_visit(
    path: Path, notify: Callable[[bytes], None], rng: random.Random, units: int | None = None
) -> None:
    store = open_store(path, TEMPLATE_KEY)
    install_outbox_guard(store.session_factory)
    conn = _connect(path)
    accounts = [r[0] for r in conn.execute("SELECT id FROM account WHERE deleted = 0")]
    products = [r[0] for r in conn.execute("SELECT id FROM product WHERE deleted = 0")]
    conn.close()
    service = VisitService(store)
    notify(b"r")
    start = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    while units is None or units > 0:
        units = None if units is None else units - 1
        chosen = rng.sample(products, VISIT_COUNTS)
        notify(b"b")
        service.record(
            VisitInput(
                account_id=rng.choice(accounts),
                started_at=start,
                finished_at=start + timedelta(minutes=20),
                summary="crash test " * 50,
                stock_counts={pid: rng.randrange(0, 500) for pid in chosen},
                follow_ups=(FollowUp("回访 follow up", start.date() + timedelta(days=7)),),
            )
        )
        notify(b"e")


def _child_import(
    path: Path, notify: Callable[[bytes], None], rng: random.Random, units: int | None = None
) -> None:
    store = open_store(path, TEMPLATE_KEY)
    install_outbox_guard(store.session_factory)
    importer = AccountImporter(store)
    notify(b"r")
    while units is None or units > 0:
        units = None if units is None else units - 1
        batch = f"B{rng.randrange(16**8):08x}"
        headers = ("客户编码", "店名", "地址", "业态", "电话")
        rows = tuple(
            (
                f"{batch}-{i:04d}",
                f"崩溃测试店{batch}{i}",
                f"合肥市蜀山区{batch}路{i}号",
                "便利店",
                "",
            )
            for i in range(IMPORT_ROWS)
        )
        table = RawTable(headers, rows, "utf-8")
        preview = importer.preview(table, auto_map(headers))
        if not preview.ok:
            raise RuntimeError(f"test import file is invalid: {preview.issues[:3]}")
        notify(b"b")
        importer.commit(preview)
        notify(b"e")


def _child_migration(
    path: Path, notify: Callable[[bytes], None], rng: random.Random, units: int | None = None
) -> None:
    store = open_store(path, TEMPLATE_KEY)
    notify(b"r")
    while units is None or units > 0:
        units = None if units is None else units - 1
        # finish whatever a crash interrupted, then go all the way down and up again
        notify(b"b")
        migrate.upgrade(store.engine)
        notify(b"e")
        notify(b"b")
        migrate.downgrade(store.engine, "base")
        notify(b"e")


# Engines for first_sync are kept per file and inherited by every fork: SQLAlchemy's compiled
# SQL cache lives on the engine, and compiling is most of a short child's cost. A child drops
# the inherited pools (``_after_fork``) so it never shares a connection with its parent.
_ENGINES: dict[str, Engine] = {}


def _engine(path: Path, make: Callable[[], Engine]) -> Engine:
    engine = _ENGINES.get(str(path))
    if engine is None:
        engine = _ENGINES[str(path)] = make()
    return engine


def _after_fork() -> None:
    for engine in _ENGINES.values():
        engine.dispose(close=False)


def _client_store(path: Path) -> Store:
    return Store(path, _engine(path, lambda: make_engine(path, TEMPLATE_KEY)))


def _server_sessions(path: Path) -> sessionmaker[Session]:
    from tests.sync import harness as sync_world

    engine = _engine(path, lambda: sync_world.server_engine(path))
    return sessionmaker(engine, expire_on_commit=False)


def _sync_engine(path: Path, notify: Callable[[bytes], None]) -> Any:
    """A sync engine for SYNC_USER whose every local apply is marked b/e for the parent."""
    from kamdesk.sync.engine import SyncEngine
    from kamdesk.sync.inprocess import InProcessTransport
    from tests.sync import harness as sync_world

    class _MarkedEngine(SyncEngine):
        def _apply(self, *args: Any, **kwargs: Any) -> int:
            notify(b"b")
            done = super()._apply(*args, **kwargs)
            notify(b"e")
            return done

    store = _client_store(path)
    install_outbox_guard(store.session_factory)
    transport = InProcessTransport(
        _server_sessions(server_path(path)), sync_world.principal_for(SYNC_USER)
    )
    return _MarkedEngine(
        store,
        transport,
        page_size=SYNC_PAGE,
        first_sync_page_size=SYNC_PAGE,
        retries=0,
        sleep=lambda _s: None,
    )


def _child_first_sync(
    path: Path, notify: Callable[[bytes], None], rng: random.Random, units: int | None = None
) -> None:
    engine = _sync_engine(path, notify)
    notify(b"r")
    try:
        while units is None or units > 0:
            units = None if units is None else units - 1
            # resumes a first sync a kill interrupted; once done, later runs are small syncs
            report = engine.sync_once()
            if report.error or not report.initial_sync_done:
                raise RuntimeError(f"sync failed: {report.error} {report.error_message}")
    finally:
        if units is not None:  # in the parent: keep the engines (their SQL cache), not the pools
            engine.store.close()
            _ENGINES[str(server_path(path))].dispose()


# a child: (database, notify, rng, units or None for "until killed"); notify(b"r") once ready,
# b"b" before and b"e" after each write, so the parent knows where each kill landed
Child = Callable[[Path, Callable[[bytes], None], random.Random, int | None], None]
CHILDREN: dict[str, Child] = {
    "import": _child_import,
    "visit": _child_visit,
    "migration": _child_migration,
    "first_sync": _child_first_sync,
}


def _fork_and_kill(scenario: str, path: Path, delay: float, seed: int) -> tuple[str | None, bool]:
    """Run the child until ``delay`` after it is ready and SIGKILL it.

    Returns (the child's error or None, whether the kill landed inside a write).
    """
    read_fd, write_fd = os.pipe()
    err_read, err_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the parent's code (pytest, etc.)
        os.close(read_fd)
        os.close(err_read)
        code = 0
        try:
            _after_fork()

            def notify(mark: bytes) -> None:
                os.write(write_fd, mark)

            CHILDREN[scenario](path, notify, random.Random(seed), None)
        except BaseException:
            os.write(err_write, traceback.format_exc().encode()[-4000:])
            code = 3
        os._exit(code)
    os.close(write_fd)
    os.close(err_write)
    try:
        readable, _, _ = select_mod.select([read_fd], [], [], 30.0)
        if readable and os.read(read_fd, 1) == b"r":
            time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        error = os.read(err_read, 8000).decode(errors="replace")
        marks = b""
        while chunk := os.read(read_fd, 65536):  # the child is gone: reads end at EOF
            marks += chunk
    finally:
        os.close(read_fd)
        os.close(err_read)
    inside = marks.rstrip(b"r").endswith(b"b")
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and not error:
        return None, inside
    return error or f"child ended with status {status} before the kill", inside


# -- checks after a kill --------------------------------------------------------------------
def _integrity(conn: Any) -> list[str]:
    rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def _scalar(conn: Any, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def check_visits(conn: Any) -> tuple[int, list[str]]:
    """Visits with exactly their stock lines, reminder, outbox entry and audit entry."""
    problems = []
    bad = conn.execute(
        """SELECT v.id, (SELECT count(*) FROM stock_count s WHERE s.visit_id = v.id),
                  (SELECT count(*) FROM outbox o WHERE o.entity_id = v.id
                                                   AND o.name = 'visit.record'),
                  (SELECT count(*) FROM audit_entry a WHERE a.entity_id = v.id),
                  (SELECT count(*) FROM reminder r
                    WHERE r.dedup_key = 'follow_up:' || v.id || ':0')
           FROM visit v WHERE v.summary LIKE 'crash test %'"""
    ).fetchall()
    units = 0
    for visit_id, counts, outbox, audit, reminders in bad:
        if (counts, outbox, audit, reminders) != (VISIT_COUNTS, 1, 1, 1):
            problems.append(f"visit {visit_id}: {counts} counts, {outbox} outbox, {audit} audit")
        else:
            units += 1
    orphans = _scalar(
        conn,
        """SELECT count(*) FROM outbox o WHERE o.name = 'visit.record'
           AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.id = o.entity_id)""",
    ) + _scalar(
        conn,
        """SELECT count(*) FROM stock_count s WHERE s.visit_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.id = s.visit_id)""",
    )
    if orphans:
        problems.append(f"{orphans} outbox entries or stock lines without their visit")
    return units, problems


def check_import(conn: Any) -> tuple[int, list[str]]:
    """Every import batch entirely present (with outbox entries) or entirely absent."""
    problems = []
    rows = conn.execute(
        """SELECT substr(a.code, 1, 9) AS batch, count(*),
                  sum((SELECT count(*) FROM outbox o WHERE o.entity_id = a.id
                                                       AND o.name = 'account.create'))
           FROM account a WHERE a.code LIKE 'B%-%' GROUP BY batch"""
    ).fetchall()
    for batch, accounts, outbox in rows:
        if (accounts, outbox) != (IMPORT_ROWS, IMPORT_ROWS):
            problems.append(f"import {batch}: {accounts} accounts, {outbox} outbox entries")
    orphans = _scalar(
        conn,
        """SELECT count(*) FROM outbox o WHERE o.name = 'account.create'
           AND NOT EXISTS (SELECT 1 FROM account a WHERE a.id = o.entity_id)""",
    )
    if orphans:
        problems.append(f"{orphans} account.create outbox entries without their account")
    return len(rows) - len(problems), problems


def check_migration(
    conn: Any, path: Path, shapes: dict[str | None, frozenset[str]]
) -> tuple[int, list[str]]:
    """The schema is exactly that of the revision it records (no half-applied migration)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    revision: str | None = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = None if row is None else str(row[0])
    shape = _schema(path) - {"table:alembic_version"}
    expected = shapes.get(revision, frozenset()) - {"table:alembic_version"}
    if shape != expected:
        extra = sorted(shape - expected)[:4]
        missing = sorted(expected - shape)[:4]
        return 0, [f"schema at {revision}: extra {extra}, missing {missing}"]
    return 1, []


Change = tuple[str, int, str, str, str, dict[str, Any]]  # partition, seq, table, id, op, data


def _readable() -> list[str]:
    from tests.sync import harness as sync_world

    return sorted(sync_world.principal_for(SYNC_USER).readable)


def server_changes(server: Path) -> list[Change]:
    """The change log the sync user may pull; raises sqlite3.DatabaseError on a broken file."""
    conn = sqlite3.connect(server)
    try:
        broken = _integrity(conn)
        if broken:
            raise sqlite3.DatabaseError(f"server integrity_check: {broken[:3]}")
        parts = _readable()
        rows = conn.execute(
            "SELECT partition, seq, table_name, row_id, op, data FROM srv_change_log "
            f"WHERE partition IN ({', '.join('?' for _ in parts)}) ORDER BY partition, seq",
            parts,
        ).fetchall()
    finally:
        conn.close()
    return [(str(p), int(q), str(t), str(i), str(o), json.loads(d)) for p, q, t, i, o, d in rows]


def read_checkpoint(conn: Any) -> tuple[dict[str, int], bool]:
    """The client's stored cursors and whether its first sync is done."""
    values = {
        str(k): json.loads(v)
        for k, v in conn.execute(
            "SELECT key, value FROM sync_state WHERE key IN ('cursors', 'initial_sync')"
        )
    }
    cursors = {str(p): int(s) for p, s in (values.get("cursors") or {}).items()}
    return cursors, bool((values.get("initial_sync") or {}).get("done"))


def expected_rows(
    changes: list[Change], cursors: dict[str, int]
) -> dict[tuple[str, str], dict[str, Any]]:
    """(table, id) -> the newest data of every row the change log holds up to ``cursors``."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for partition, seq, table, row_id, op, data in changes:
        if seq > cursors.get(partition, 0) or table == "sync_conflict":
            continue
        if op == "REMOVE":
            rows.pop((table, row_id), None)
        else:
            rows[(table, row_id)] = data
    return rows


def check_first_sync(conn: Any, changes: list[Change]) -> tuple[int, list[str]]:
    """The local rows are exactly the change log up to the stored checkpoint (every page all or
    nothing), at the versions it holds, once each; a finished first sync holds everything."""
    from kamdesk.sync.codec import TABLES

    problems = []
    cursors, done = read_checkpoint(conn)
    heads: dict[str, int] = {}
    for partition, seq, *_rest in changes:
        heads[partition] = max(heads.get(partition, 0), seq)
    for partition, seq in cursors.items():
        if seq > heads.get(partition, 0):
            problems.append(
                f"checkpoint {partition}={seq} beyond the server's {heads.get(partition)}"
            )
    if done and cursors != heads:
        problems.append(f"first sync marked done at {cursors}, server at {heads}")
    expected = {
        key: int(data.get("srv_seq") or 0) for key, data in expected_rows(changes, cursors).items()
    }
    local: dict[tuple[str, str], int] = {}
    for table in sorted(TABLES):
        for row_id, version in conn.execute(f'SELECT id, srv_seq FROM "{table}"'):
            if (table, row_id) in local:
                problems.append(f"duplicate {table} {row_id}")
            local[(table, str(row_id))] = int(version)
    missing = sorted(set(expected) - set(local))
    extra = sorted(set(local) - set(expected))
    stale = sorted(k for k in set(expected) & set(local) if expected[k] != local[k])
    for label, keys in (("missing below", missing), ("beyond", extra), ("wrong version at", stale)):
        if keys:
            problems.append(f"{len(keys)} rows {label} the checkpoint {cursors}, e.g. {keys[:3]}")
    orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    if orphans:
        problems.append(f"{len(orphans)} rows reference missing rows, e.g. {orphans[:3]}")
    outbox = _scalar(conn, "SELECT count(*) FROM outbox")
    if outbox:
        problems.append(f"{outbox} outbox entries after a pull-only sync")
    return len(local) - len(extra) - len(stale), problems + _check_deferred_indexes(conn, done)


def _check_deferred_indexes(conn: Any, done: bool) -> list[str]:
    """Every history-table index is either present or recorded for rebuilding (never lost),
    and a finished first sync has rebuilt them all."""
    from kamdesk.db.base import Base
    from kamdesk.db.deferred_indexes import DEFERRED_TABLES, KEY

    wanted = {str(index.name) for t in DEFERRED_TABLES for index in Base.metadata.tables[t].indexes}
    present = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (KEY,)).fetchone()
    recorded = set(json.loads(row[0])) if row else set()
    problems = []
    if wanted - present - recorded:
        problems.append(
            f"indexes neither present nor recorded: {sorted(wanted - present - recorded)}"
        )
    if done and (recorded or wanted - present):
        problems.append(f"first sync done without its indexes: {sorted(wanted - present)}")
    return problems


def compare_with_server(path: Path) -> list[str]:
    """Every local row equals the server's newest version of it, column by column."""
    from kamdesk.sync.codec import TABLES, comparable, row_to_wire

    expected = expected_rows(server_changes(server_path(path)), dict.fromkeys(_readable(), 2**62))
    store = _client_store(path)
    local: dict[tuple[str, str], dict[str, Any]] = {}
    try:
        with store.session() as session:
            for table, model in TABLES.items():
                for row in session.scalars(select(model)):
                    local[(table, row.id)] = comparable(model, row_to_wire(row))
    finally:
        store.close()
    differ = sorted(
        key
        for key in set(expected) | set(local)
        if key not in local
        or key not in expected
        or local[key] != comparable(TABLES[key[0]], expected[key])
    )
    return [f"{len(differ)} rows differ from the server, e.g. {differ[:3]}"] if differ else []


def finish_first_sync(path: Path) -> list[str]:
    """Resume the (possibly interrupted) first sync to completion: it must download exactly the
    changes past the stored checkpoint and end equal to the server."""
    changes = server_changes(server_path(path))
    conn = _connect(path)
    try:
        cursors, _done = read_checkpoint(conn)
    finally:
        conn.close()
    remaining = sum(
        1 for p, seq, table, *_r in changes if seq > cursors.get(p, 0) and table != "sync_conflict"
    )
    engine = _sync_engine(path, lambda _mark: None)
    try:
        report = engine.sync_once()
    finally:
        engine.store.close()
        _ENGINES[str(server_path(path))].dispose()
    problems = []
    if report.error or not report.initial_sync_done:
        problems.append(f"resume failed: {report.error} {report.error_message}")
    if report.pulled != remaining:
        problems.append(f"resume pulled {report.pulled} changes, {remaining} were past {cursors}")
    conn = _connect(path)
    try:
        problems += check_first_sync(conn, changes)[1]
    finally:
        conn.close()
    return problems + compare_with_server(path)


def verify(
    scenario: str, path: Path, shapes: dict[str | None, frozenset[str]]
) -> tuple[bool, int, list[str]]:
    """(corrupted?, complete units, partial-unit problems) for the database after a kill."""
    try:
        conn = _connect(path)
        try:
            broken = _integrity(conn)
            if broken:
                return True, 0, broken[:3]
            if scenario == "visit":
                units, problems = check_visits(conn)
            elif scenario == "import":
                units, problems = check_import(conn)
            elif scenario == "first_sync":
                units, problems = check_first_sync(conn, server_changes(server_path(path)))
            else:
                units, problems = check_migration(conn, path, shapes)
        finally:
            conn.close()
    except (sqlcipher3.DatabaseError, sqlite3.DatabaseError) as exc:
        return True, 0, [f"cannot open: {exc}"]
    return False, units, problems


def run_scenario(
    scenario: str,
    template: Path,
    workdir: Path,
    kills: int,
    *,
    seed: int = 1,
    max_delay: float | None = None,
    shapes: dict[str | None, frozenset[str]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScenarioResult:
    rng = random.Random(seed)
    path = workdir / f"{scenario}.db"
    # one unit in the parent first: mappers, imports and caches are then inherited by every
    # fork, so the children spend their short lives writing rather than warming up
    first_sync = scenario == "first_sync"
    if first_sync:
        copy_database(server_path(template), server_path(path))
    copy_database(template, path)
    CHILDREN[scenario](path, lambda _mark: None, random.Random(seed), 1)
    copy_database(template, path)
    shapes = shapes or {}
    result = ScenarioResult(scenario)
    delay = MAX_DELAY[scenario] if max_delay is None else max_delay
    previous: dict[str, int] = {}  # first_sync: the checkpoint the last kill left
    completed = 0  # first_sync: first syncs carried to completion across kills
    started = time.perf_counter()
    for n in range(kills):
        if n and n % RESET_EVERY == 0:
            copy_database(template, path)  # keeps unit sizes (and soak times) steady
            previous = {}
        error, inside = _fork_and_kill(
            scenario, path, rng.uniform(0.0, delay), rng.randrange(2**32)
        )
        result.kills += 1
        result.kills_inside_write += inside
        if error is not None:
            result.child_errors += 1
            result.problems.append(f"kill {n}: child failed: {error.strip()[-600:]}")
        corrupted, units, problems = verify(scenario, path, shapes)
        result.units_committed = units
        if first_sync and not corrupted and not problems:
            conn = _connect(path)
            try:
                cursors, done = read_checkpoint(conn)
            finally:
                conn.close()
            if any(cursors.get(p, 0) < seq for p, seq in previous.items()):
                problems.append(f"checkpoint went back: {previous} -> {cursors} (a restart)")
            previous = cursors
            if done and not problems:
                problems = compare_with_server(path)
                if not problems:  # a whole first sync survived its kills: start another
                    completed += 1
                    copy_database(template, path)
                    previous = {}
        if corrupted:
            result.corruptions += 1
            result.problems.append(f"kill {n}: corrupted: {problems}")
            copy_database(template, path)  # carry on from a sound file
            previous = {}
        elif problems:
            result.partial_units += 1
            result.problems.extend(f"kill {n}: {p}" for p in problems)
            copy_database(template, path)
            previous = {}
        if progress is not None and (n + 1) % 10 == 0:
            progress(f"{scenario}: {n + 1}/{kills} kills")
    if first_sync:  # the last interrupted first sync resumes (in-process) to completion
        problems = finish_first_sync(path)
        if problems:
            result.partial_units += 1
            result.problems.extend(f"final resume: {p}" for p in problems)
        else:
            completed += 1
        result.units_committed = completed
    result.seconds = time.perf_counter() - started
    return result


def main_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
