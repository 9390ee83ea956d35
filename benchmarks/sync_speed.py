"""Sync speed against a real ``kamdesk server`` process on PostgreSQL over loopback.

Measures (JSON on the last stdout line):
- ``initial_sync_usable_s``: a new laptop's first sync until its accounts and contacts are in
  (the server sends them before the purchase history: lower sequence numbers);
- ``initial_sync_complete_s`` and ``initial_sync_bytes`` (bytes on the wire) for
  ``--accounts`` accounts (one contact each) and ``--lines`` purchase lines;
- ``incremental_p95_ms``: an edit on laptop A until laptop B shows it (both ``SyncEngine`` over
  HTTP, B polling);
- ``server_ops_per_s``: ``--clients`` simulated laptops, each looping push (one mutation) +
  pull with no pause (the server's capacity); ``server_p99_ms``: the same laptops paced to
  offer ``--target-ops`` requests a second together, latency counted from when each loop was
  due (see ``_load``).

The large territory is bulk-loaded with COPY in exactly the shape the server's own writes
produce (domain rows + change log with per-partition sequence numbers). Everything runs on
127.0.0.1 in a private database that is dropped afterwards.

    python benchmarks/sync_speed.py                       # full size (20k accounts, 2M lines)
    python benchmarks/sync_speed.py --accounts 2000 --lines 100000 --clients 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kamdesk.db.base import Synced
from kamdesk.db.migrate import upgrade
from kamdesk.db.models import Account, Contact, Product, PurchaseLine
from kamdesk.ids import uuid7
from kamdesk.server.admin import territories as territory_admin
from kamdesk.server.admin import users as user_admin
from kamdesk.server.auth.passwords import PasswordService
from kamdesk.server.principal import REFERENCE_PARTITION, territory_partition
from kamdesk.server.sync.publish import publish_row
from kamdesk.services.outbox import record_mutation
from kamdesk.services.workspace import create_workspace
from kamdesk.sync import HttpTransport, SyncEngine
from kamdesk.sync import state as sync_state
from kamdesk.sync.codec import editable_columns, wire_columns
from kamdesk.sync.engine import FIRST_SYNC_PAGE_SIZE

PASSWORD = "bench password 1"
CHEAP_ARGON2 = {  # logins happen before any timing; keep them quick for 200 simulated laptops
    "KAMDESK_SERVER_ARGON2_TIME_COST": "1",
    "KAMDESK_SERVER_ARGON2_MEMORY_KIB": "1024",
    "KAMDESK_SERVER_ARGON2_PARALLELISM": "1",
}
STAMP = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def log(message: str) -> None:
    print(f"[sync_speed] {message}", file=sys.stderr, flush=True)


# -- database -----------------------------------------------------------------------------------
def create_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    admin = make_url(admin_url)
    name = f"kamdesk_bench_{secrets.token_hex(4)}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return admin.set(database=name).render_as_string(hide_password=False), drop


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _wire_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class BulkLoader:
    """COPY rows into a table and their PUTs into the change log, in server shape."""

    def __init__(self, engine: Engine, partition: str, first_seq: int) -> None:
        self.engine = engine
        self.partition = partition
        self.seq = first_seq - 1

    def load(self, model: type[Synced], rows: Iterator[dict[str, Any]], chunk: int = 50_000) -> int:
        table = model.__table__  # type: ignore[attr-defined]
        columns = [c.name for c in table.columns]
        wire = list(wire_columns(model))
        editable = sorted(editable_columns(model))
        field_versioned = "field_seq" in columns
        count = 0
        raw = self.engine.raw_connection()
        try:
            cur = raw.driver_connection.cursor()  # type: ignore[union-attr]
            data_lines: list[str] = []
            log_lines: list[str] = []

            def flush() -> None:
                with cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as cp:
                    cp.write("".join(data_lines))
                with cur.copy(
                    "COPY srv_change_log (partition, seq, table_name, row_id, op, data, "
                    "committed_at, actor_id) FROM STDIN"
                ) as cp:
                    cp.write("".join(log_lines))
                data_lines.clear()
                log_lines.clear()

            stamp = _copy_value(STAMP)
            for row in rows:
                self.seq += 1
                row.setdefault("srv_seq", 1)
                row.setdefault("deleted", False)
                row.setdefault("created_at", STAMP)
                row.setdefault("updated_at", STAMP)
                if field_versioned:
                    row["field_seq"] = dict.fromkeys(editable, 1)
                data_lines.append("\t".join(_copy_value(row.get(c)) for c in columns) + "\n")
                payload = {c: _wire_value(row.get(c)) for c in wire}
                payload["_op"] = "seed"
                log_lines.append(
                    "\t".join(
                        (
                            self.partition,
                            str(self.seq),
                            table.name,
                            row["id"],
                            "PUT",
                            _copy_value(payload),
                            stamp,
                            "\\N",
                        )
                    )
                    + "\n"
                )
                count += 1
                if len(data_lines) >= chunk:
                    flush()
            if data_lines:
                flush()
            cur.execute(
                "INSERT INTO srv_partition_counter (partition, last_seq) VALUES (%s, %s) "
                "ON CONFLICT (partition) DO UPDATE SET last_seq = EXCLUDED.last_seq",
                (self.partition, self.seq),
            )
            raw.commit()
        finally:
            raw.close()
        return count


def _account_rows(
    territory_id: str, count: int, prefix: str, manager_id: str | None
) -> Iterator[dict[str, Any]]:
    for i in range(count):
        yield {
            "id": uuid7(),
            "code": f"{prefix}{i:06d}",
            "name": f"{prefix}烟酒店{i}",
            "business_format": "tobacco_liquor" if i % 3 else "grocery",
            "territory_id": territory_id,
            "manager_id": manager_id,
            "address": f"合肥市蜀山区长江西路{i}号",
            "phone": f"1380000{i % 10000:04d}",
            "status": "active",
            "lifecycle_stage": "growth",
            "abc_tier": "ABC"[i % 3],
            "vip_state": "none",
            "key_account_state": "none",
            "opening_hours": [[[480, 1320]]] * 7,
            "best_selling_brands": ["中华", "黄山"],
            "consumer_groups": [],
            "tags": [],
            "credit_limit_fen": 0,
            "credit_terms_days": 0,
            "price_group": "",
            "lead_time_days": 7,
            "legal_name": "",
            "licence_no": "",
            "owner_name": f"老板{i}",
            "district": "蜀山区",
            "street": "长江西路",
            "coverage": "",
            "remarks": "",
            "search_text": "",
        }


def _contact_rows(account_ids: list[str]) -> Iterator[dict[str, Any]]:
    for i, account_id in enumerate(account_ids):
        yield {
            "id": uuid7(),
            "account_id": account_id,
            "name": f"张{i}",
            "role": "老板",
            "phone": f"1390000{i % 10000:04d}",
            "birthday_lunar": False,
            "lunar_leap": False,
            "interests": "",
            "family_notes": "",
            "is_decision_maker": True,
        }


def _line_rows(
    account_ids: list[str], product_ids: list[str], count: int, seed: int
) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    for i in range(count):
        quantity = rng.randint(1, 20)
        yield {
            "id": uuid7(),
            "account_id": account_ids[i % len(account_ids)],
            "product_id": product_ids[rng.randrange(len(product_ids))],
            "purchased_on": start + timedelta(days=rng.randrange(700)),
            "order_ref": f"SO{i:08d}",
            "quantity": quantity,
            "amount_fen": quantity * 45000,
            "settled": True,
            "outstanding_fen": 0,
        }


class Team:
    def __init__(self) -> None:
        self.territories: dict[str, str] = {}
        self.users: dict[str, str] = {}
        self.accounts: dict[str, list[str]] = {}
        self.products: list[str] = []
        self.usable_seq = 0  # last contact's sequence in the big territory


def seed(url: str, args: argparse.Namespace) -> Team:
    engine = create_engine(url)
    upgrade(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    team = Team()
    passwords = PasswordService(time_cost=1, memory_kib=1024, parallelism=1)
    load_territories = max(1, args.clients // 10)
    with sessions() as session:
        codes = ["BIG", "INC", *(f"L{i:02d}" for i in range(load_territories))]
        for code in codes:
            team.territories[code] = territory_admin.add_territory(session, code, code).id
        users = [("bench", "BIG"), ("inc_a", "INC"), ("inc_b", "INC")]
        users += [(f"load{i:03d}", f"L{i % load_territories:02d}") for i in range(args.clients)]
        for username, code in users:
            created = user_admin.create_user(
                session,
                passwords,
                username=username,
                role="manager",
                territory_code=code,
                password=PASSWORD,
            )
            team.users[username] = created.user.id
        for i in range(50):
            product = Product(
                id=uuid7(),
                code=f"P{i:03d}",
                name=f"香烟{i}",
                brand="中华" if i % 2 else "黄山",
                price_tier=1 + i % 5,
                wholesale_price_fen=45000 - i * 500,
                retail_price_fen=50000 - i * 500,
                srv_seq=1,
            )
            session.add(product)
            publish_row(
                session, product, actor_id=None, cause="seed", partition=REFERENCE_PARTITION
            )
            team.products.append(product.id)
        session.commit()

    started = time.perf_counter()
    for code, count in [
        ("BIG", args.accounts),
        ("INC", 200),
        *((f"L{i:02d}", 100) for i in range(load_territories)),
    ]:
        loader = BulkLoader(engine, territory_partition(team.territories[code]), 1)
        rows = list(_account_rows(team.territories[code], count, code, None))
        team.accounts[code] = [r["id"] for r in rows]
        loader.load(Account, iter(rows))
        loader.load(Contact, _contact_rows(team.accounts[code]))
        if code == "BIG":
            team.usable_seq = loader.seq
            log(f"seeded {count} accounts + contacts; loading {args.lines} purchase lines")
            loader.load(PurchaseLine, _line_rows(team.accounts[code], team.products, args.lines, 7))
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    log(f"bulk load took {time.perf_counter() - started:.1f} s")
    engine.dispose()
    return team


# -- server process -----------------------------------------------------------------------------
class ServerProcess:
    def __init__(self, url: str, data: Path, workers: int) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **CHEAP_ARGON2}
        # A worker runs up to 40 requests at once (the threadpool): keep that many connections
        # open instead of opening and closing overflow ones per request, and stay below
        # PostgreSQL's default max_connections = 100 with two workers.
        env.setdefault("KAMDESK_SERVER_DB_POOL_SIZE", "30")
        env.setdefault("KAMDESK_SERVER_DB_MAX_OVERFLOW", "10")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kamdesk.server",
                "run",
                "--database-url",
                url,
                "--data",
                str(data),
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            env=env,
            cwd=Path(__file__).resolve().parents[1],
        )
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited during start-up")
            try:
                if httpx.get(f"{self.base}/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start within 120 s")
            time.sleep(0.2)

    def cpu_s(self) -> float | None:
        """CPU seconds used so far by the server and its worker processes (Linux /proc)."""
        return _cpu_s(lambda pid, ppid, _comm: self.proc.pid in (pid, ppid))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _cpu_s(select_process: Callable[[int, int, str], bool]) -> float | None:
    """CPU seconds (user + system) of the processes ``select_process(pid, ppid, comm)`` picks."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            comm = stat[stat.find("(") + 1 : stat.rfind(")")]
            fields = stat.rpartition(")")[2].split()
            if select_process(int(entry.name), int(fields[1]), comm):
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / ticks
    except (OSError, ValueError):
        return None


def postgres_cpu_s() -> float | None:
    """CPU seconds of this machine's PostgreSQL processes (the server's backends included)."""
    return _cpu_s(lambda _pid, _ppid, comm: comm.startswith("postgres"))


def login(base: str, username: str, client_id: str) -> str:
    response = httpx.post(
        f"{base}/v1/auth/login",
        json={"username": username, "password": PASSWORD, "client_id": client_id},
        timeout=30,
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


class CountingTransport(httpx.HTTPTransport):
    """Counts response bytes as they arrive on the wire (compressed)."""

    def __init__(self) -> None:
        super().__init__()
        self.bytes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        response.read()
        self.bytes += response.num_bytes_downloaded + len(request.content)
        return response


def laptop(
    base: str, root: Path, username: str, first_sync_page_size: int
) -> tuple[Any, SyncEngine, CountingTransport]:
    """A laptop as the app builds it (``SyncSession``): the engine's own page sizes."""
    client_id = uuid7()
    token = login(base, username, client_id)
    counting = CountingTransport()
    client = httpx.Client(base_url=base, timeout=120, transport=counting)
    store = create_workspace(root / f"{username}-{client_id[:8]}.kamdesk")
    engine = SyncEngine(
        store,
        HttpTransport(base, lambda: token, client=client),
        client_id,
        first_sync_page_size=first_sync_page_size,
        sleep=lambda _s: None,
    )
    return store, engine, counting


# -- measurements -------------------------------------------------------------------------------
def measure_initial(
    server: ServerProcess, root: Path, team: Team, args: argparse.Namespace
) -> dict[str, Any]:
    store, engine, counting = laptop(server.base, root, "bench", args.first_sync_page_size)
    big = territory_partition(team.territories["BIG"])
    server_cpu = server.cpu_s()
    client_cpu = time.process_time()
    started = time.perf_counter()
    marks: dict[str, float] = {}
    last_log = [started]

    def progress(phase: str, done: int, _total: int | None) -> None:
        if phase != "pull":
            return
        now = time.perf_counter()
        if "usable" not in marks:
            with store.session() as session:
                cursor = sync_state.cursors(session).get(big, 0)
            if cursor >= team.usable_seq:
                marks["usable"] = now - started
                marks["usable_client_cpu"] = time.process_time() - client_cpu
                log(f"usable after {marks['usable']:.1f} s ({done} pages)")
        if now - last_log[0] > 10:
            last_log[0] = now
            log(f"initial sync: {done} pages in {now - started:.0f} s")

    def cancel() -> bool:
        return bool(time.perf_counter() - started > args.timeout_s)

    report = engine.sync_once(progress=progress, cancel=cancel)
    elapsed = time.perf_counter() - started
    client_cpu = time.process_time() - client_cpu
    server_end = server.cpu_s()
    with store.session() as session:
        accounts = session.scalar(select(text("count(*)")).select_from(Account)) or 0
        contacts = session.scalar(select(text("count(*)")).select_from(Contact)) or 0
        lines = session.scalar(select(text("count(*)")).select_from(PurchaseLine)) or 0
    store.close()
    total = args.accounts * 2 + args.lines
    result: dict[str, Any] = {
        "initial_sync_usable_s": round(marks.get("usable", float("nan")), 2),
        "initial_sync_complete_s": round(elapsed, 2) if not report.cancelled else None,
        "initial_sync_bytes": counting.bytes,
        "initial_sync_rows": int(accounts) + int(contacts) + int(lines),
        "initial_sync_rows_per_s": round(report.pulled / elapsed, 1),
        "initial_sync_error": report.error,
        # wall time depends on what else the machine runs: CPU seconds are the steadier figure
        "initial_sync_usable_client_cpu_s": round(marks.get("usable_client_cpu", float("nan")), 2),
        "initial_sync_client_cpu_s": round(client_cpu, 2),
        "initial_sync_server_cpu_s": (
            round(server_end - server_cpu, 2)
            if server_cpu is not None and server_end is not None
            else None
        ),
    }
    if report.cancelled:
        result["initial_sync_complete_estimate_s"] = round(
            total / max(1, report.pulled) * elapsed, 1
        )
        log(f"initial sync stopped at --timeout-s after {report.pulled} of {total} rows")
    assert int(accounts) == args.accounts or report.cancelled, (accounts, args.accounts)
    return result


def _edit(store: Any, account_id: str, value: str, actor: str) -> None:
    with store.session() as session:
        account = session.get(Account, account_id)
        base = {"remarks": int(account.field_seq.get("remarks", account.srv_seq))}
        record_mutation(
            session,
            "account.update_fields",
            entity_table="account",
            entity_id=account_id,
            args={"fields": {"remarks": value}},
            base=base,
            actor=actor,
        )
        account.remarks = value


def measure_incremental(
    base: str, root: Path, team: Team, args: argparse.Namespace
) -> dict[str, Any]:
    store_a, engine_a, _ = laptop(base, root, "inc_a", args.first_sync_page_size)
    store_b, engine_b, _ = laptop(base, root, "inc_b", args.first_sync_page_size)
    for engine in (engine_a, engine_b):
        assert engine.sync_once().error is None
    samples: list[float] = []
    accounts = team.accounts["INC"]
    for i in range(args.incremental_samples):
        account_id = accounts[i % len(accounts)]
        value = f"edit {i} {secrets.token_hex(3)}"
        started = time.perf_counter()
        _edit(store_a, account_id, value, team.users["inc_a"])
        assert engine_a.sync_once().error is None
        while True:
            assert engine_b.sync_once().error is None
            with store_b.session() as session:
                row = session.get(Account, account_id)
                if row is not None and row.remarks == value:
                    break
            if time.perf_counter() - started > 30:
                raise RuntimeError("an edit did not reach laptop B within 30 s")
        samples.append((time.perf_counter() - started) * 1000)
    store_a.close()
    store_b.close()
    samples.sort()
    return {
        "incremental_p50_ms": round(statistics.median(samples), 1),
        "incremental_p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1),
        "incremental_samples": len(samples),
    }


class Gate:
    """Start the timed loops together, once every laptop has signed in and caught up."""

    def __init__(self) -> None:
        self.arrived = 0
        self.open = asyncio.Event()

    async def wait(self) -> None:
        self.arrived += 1
        await self.open.wait()


class Laptop:
    """One simulated laptop: its own client id, token, cursors and mutation counter."""

    def __init__(self, client: aiohttp.ClientSession, username: str, accounts: list[str]) -> None:
        self.client = client
        self.username = username
        self.accounts = accounts
        self.client_id = uuid7()
        self.headers: dict[str, str] = {}
        self.cursors: dict[str, int] = {}
        self.rng = random.Random(username)
        self.mutation_id = 0

    async def sign_in(self, errors: list[str]) -> None:
        async with self.client.post(
            "/v1/auth/login",
            json={"username": self.username, "password": PASSWORD, "client_id": self.client_id},
        ) as response:
            response.raise_for_status()
            token = (await response.json())["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}
        await self.pull(None, errors)  # catch up (not timed)

    async def loop_once(self, due: float, latencies: list[float], errors: list[str]) -> None:
        """Push one note, then pull; latencies count from ``due`` (the push's scheduled start,
        so a server that falls behind a paced schedule shows it) and from the push's end."""
        self.mutation_id += 1
        mutation = {
            "mutation_id": self.mutation_id,
            "name": "note.add",
            "entity_table": "account_note",
            "entity_id": uuid7(),
            "args": {
                "account_id": self.accounts[self.rng.randrange(len(self.accounts))],
                "body": f"拜访记录 {self.mutation_id}",
            },
        }
        body = {"client_id": self.client_id, "schema_version": 1, "mutations": [mutation]}
        try:
            async with self.client.post("/v1/sync/push", headers=self.headers, json=body) as pushed:
                answer = await pushed.read()
        except aiohttp.ClientError as exc:  # counted, not fatal: a laptop would retry later
            errors.append(f"push {type(exc).__name__}")
            return
        latencies.append(time.perf_counter() - due)
        if pushed.status != 200 or json.loads(answer)["results"][0]["status"] != "applied":
            errors.append(f"push {pushed.status} {answer[:200]!r}")
        await self.pull(latencies, errors)

    async def pull(self, latencies: list[float] | None, errors: list[str]) -> None:
        while True:
            started = time.perf_counter()
            body = {"client_id": self.client_id, "schema_version": 1, "cursors": self.cursors}
            try:
                async with self.client.post(
                    "/v1/sync/pull", headers=self.headers, json=body
                ) as response:
                    answer = await response.read()
            except aiohttp.ClientError as exc:
                errors.append(f"pull {type(exc).__name__}")
                return
            if latencies is not None:
                latencies.append(time.perf_counter() - started)
            if response.status != 200:
                errors.append(f"pull {response.status} {answer[:200]!r}")
                return
            page = json.loads(answer)
            self.cursors.update(page["cursors"])
            if not page["more"]:
                return


async def _closed_loop(
    laptop: Laptop, iterations: int, gate: Gate, latencies: list[float], errors: list[str]
) -> None:
    await gate.wait()
    for _ in range(iterations):
        await laptop.loop_once(time.perf_counter(), latencies, errors)


async def _paced(
    laptop: Laptop,
    first: float,
    period: float,
    until: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    due = first
    while due < until:
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await laptop.loop_once(due, latencies, errors)
        due += period  # a late loop starts at once and still counts from when it was due


def _figures(prefix: str, latencies: list[float], elapsed: float) -> dict[str, Any]:
    latencies = sorted(latencies)
    return {
        f"{prefix}ops_per_s": round(len(latencies) / elapsed, 1),
        f"{prefix}p50_ms": round(statistics.median(latencies) * 1000, 1),
        f"{prefix}p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))] * 1000, 1),
        f"{prefix}requests": len(latencies),
    }


async def _load(server: ServerProcess, team: Team, args: argparse.Namespace) -> dict[str, Any]:
    """``--clients`` laptops as coroutines on one aiohttp session (a connection each), in two
    runs. Capacity: every laptop loops push + pull with no pause, so the server is saturated;
    that gives ``server_ops_per_s`` (its p99 there is only queueing: with N laptops always
    waiting, mean latency = N / throughput). Latency: the same laptops paced so that together
    they offer ``--target-ops`` requests a second, each loop counted from when it was due;
    that gives ``server_p99_ms`` at the target rate. The load generator shares the machine
    with the server; its CPU is reported as ``load_client_cpu_ms_per_op``."""
    errors: list[str] = []
    # Idle connections are dropped before the server's 5 s keep-alive ends (else a request on a
    # connection the server just closed fails).
    connector = aiohttp.TCPConnector(limit=args.clients, keepalive_timeout=3.0)
    timeout = aiohttp.ClientTimeout(total=120)
    load_territories = max(1, args.clients // 10)
    result: dict[str, Any] = {}
    async with aiohttp.ClientSession(
        base_url=server.base, connector=connector, timeout=timeout
    ) as client:
        laptops = [
            Laptop(client, f"load{i:03d}", team.accounts[f"L{i % load_territories:02d}"])
            for i in range(args.clients)
        ]
        await asyncio.gather(*(laptop.sign_in(errors) for laptop in laptops))
        log(f"{len(laptops)} simulated laptops signed in and caught up")

        # capacity: closed loop
        latencies: list[float] = []
        gate = Gate()
        tasks = [
            asyncio.create_task(_closed_loop(laptop, args.iterations, gate, latencies, errors))
            for laptop in laptops
        ]
        while gate.arrived < len(tasks):
            await asyncio.sleep(0.01)
        server_cpu, pg_cpu = server.cpu_s(), postgres_cpu_s()
        client_cpu = time.process_time()
        started = time.perf_counter()
        gate.open.set()
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - client_cpu
        server_end, pg_end = server.cpu_s(), postgres_cpu_s()
        capacity = _figures("server_", latencies, elapsed)
        result.update(capacity)
        result["server_saturated_p99_ms"] = result.pop("server_p99_ms")
        result["server_saturated_p50_ms"] = result.pop("server_p50_ms")
        ops = max(1, len(latencies))
        if server_cpu is not None and server_end is not None:
            result["server_cpu_ms_per_op"] = round((server_end - server_cpu) * 1000 / ops, 2)
        if pg_cpu is not None and pg_end is not None:
            result["postgres_cpu_ms_per_op"] = round((pg_end - pg_cpu) * 1000 / ops, 2)
        result["load_client_cpu_ms_per_op"] = round(client_cpu * 1000 / ops, 2)
        log(f"capacity: {result}")

        # latency at the target rate: each loop is a push and (usually) one pull
        period = len(laptops) * 2 / args.target_ops
        latencies = []
        begin = time.perf_counter() + 0.5
        until = begin + args.paced_s
        await asyncio.gather(
            *(
                _paced(laptop, begin + i * period / len(laptops), period, until, latencies, errors)
                for i, laptop in enumerate(laptops)
            )
        )
        paced = _figures("paced_", latencies, time.perf_counter() - begin)
        result["paced_offered_ops_per_s"] = args.target_ops
        result["paced_ops_per_s"] = paced["paced_ops_per_s"]
        result["paced_requests"] = paced["paced_requests"]
        result["server_p50_ms"] = paced["paced_p50_ms"]
        result["server_p99_ms"] = paced["paced_p99_ms"]
    result["server_errors"] = len(errors)
    result["server_first_error"] = errors[0] if errors else None
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "KAMDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="a PostgreSQL server where a private database may be created",
    )
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument(
        "--iterations", type=int, default=10, help="push+pull loops per client (capacity run)"
    )
    parser.add_argument(
        "--target-ops", type=float, default=300, help="requests a second offered in the paced run"
    )
    parser.add_argument("--paced-s", type=float, default=20, help="length of the paced run")
    parser.add_argument("--incremental-samples", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument(
        "--first-sync-page-size",
        type=int,
        default=FIRST_SYNC_PAGE_SIZE,
        help="rows per first-sync page (default: the app's)",
    )
    parser.add_argument("--timeout-s", type=float, default=900, help="stop the first sync here")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["initial", "incremental", "load"]
    )
    args = parser.parse_args()

    url, drop = create_database(args.pg_url)
    result: dict[str, Any] = {
        "accounts": args.accounts,
        "purchase_lines": args.lines,
        "clients": args.clients,
        "server_workers": args.workers,
        "cpu_count": os.cpu_count(),
        "load_average_start": round(os.getloadavg()[0], 2),
    }
    server: ServerProcess | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="kamdesk-bench-") as tmp:
            root = Path(tmp)
            os.environ.setdefault("KAMDESK_HOME", str(root / "home"))
            _use_memory_keyring()
            log(f"seeding {url.rsplit('/', 1)[-1]}")
            started = time.perf_counter()
            team = seed(url, args)
            result["seed_s"] = round(time.perf_counter() - started, 1)
            server = ServerProcess(url, root / "server", args.workers)
            log(f"server up on {server.base}")
            if "initial" not in args.skip:
                result.update(measure_initial(server, root, team, args))
                log(f"initial sync: {result}")
            if "incremental" not in args.skip:
                result.update(measure_incremental(server.base, root, team, args))
                log(f"incremental: p95 {result['incremental_p95_ms']} ms")
            if "load" not in args.skip:
                result.update(asyncio.run(_load(server, team, args)))
                log(f"load: {result['server_ops_per_s']} ops/s, p99 {result['server_p99_ms']} ms")
    finally:
        if server is not None:
            server.stop()
        drop()
    result["load_average_end"] = round(os.getloadavg()[0], 2)
    result["targets_met"] = {
        "usable_le_20s": (result.get("initial_sync_usable_s") or 1e9) <= 20,
        "complete_le_120s": (result.get("initial_sync_complete_s") or 1e9) <= 120,
        "incremental_p95_le_1000ms": (result.get("incremental_p95_ms") or 1e9) <= 1000,
        "ops_ge_300_per_s": (result.get("server_ops_per_s") or 0) >= 300,
        "p99_le_500ms": (result.get("server_p99_ms") or 1e9) <= 500,
    }
    print(json.dumps(result, ensure_ascii=False))


def _use_memory_keyring() -> None:
    """The laptops' database keys stay in memory: the benchmark must not touch a real keyring."""
    import keyring

    from tests.helpers.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


if __name__ == "__main__":
    main()
