"""The real thing: ``kamdesk server`` as a separate process on PostgreSQL, killed mid-push.

A desktop workspace queues accounts and notes, pushes them through ``HttpTransport`` and
``SyncEngine``; the server gets ``kill -9`` while the push is under way, restarts, and the
client pushes again. Every mutation must be applied exactly once, and replaying the same
mutation ids by hand afterwards must change nothing.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from kamdesk.db.engine import Store
from kamdesk.db.models import Account, AccountNote, ChangeLog, MutationResult, OutboxEntry
from kamdesk.domain.fields import ACCOUNT_FIELDS, clean_fields
from kamdesk.ids import uuid7
from kamdesk.services.outbox import record_mutation
from kamdesk.services.workspace import create_workspace
from kamdesk.sync import HttpTransport, SyncEngine

CLIENT_ID = "0190a0a0-0000-7000-8000-00000000beef"
PASSWORD = "field manager 1"
ACCOUNTS = 100
ENV = {
    **os.environ,
    "KAMDESK_SERVER_JWT_SECRET": "k" * 48,  # both runs must verify the same tokens
    "KAMDESK_SERVER_ARGON2_TIME_COST": "1",
    "KAMDESK_SERVER_ARGON2_MEMORY_KIB": "8",
    "KAMDESK_SERVER_ARGON2_PARALLELISM": "1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cli(*args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kamdesk.server", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


class ServerProcess:
    def __init__(self, url: str, data: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.args = ["run", "--database-url", url, "--data", str(data), "--port", str(self.port)]
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kamdesk.server", *self.args],
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "the server exited during start-up"
            try:
                if httpx.get(f"{self.base}/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError("the server did not come up within 60 s")

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()


@pytest.fixture
def server(pg_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    _cli("territory", "add", "T1", "东城", "--database-url", pg_url, "--data", str(tmp_path))
    _cli(
        "user",
        "add",
        "wang",
        "--role",
        "manager",
        "--territory",
        "T1",
        "--password-stdin",
        "--database-url",
        pg_url,
        "--data",
        str(tmp_path),
        stdin=PASSWORD + "\n",
    )
    proc = ServerProcess(pg_url, tmp_path)
    proc.start()
    yield proc
    proc.stop()


def _login(base: str) -> dict[str, Any]:
    response = httpx.post(
        f"{base}/v1/auth/login",
        json={"username": "wang", "password": PASSWORD, "client_id": CLIENT_ID},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _queue_accounts(store: Store, territory_id: str, user_id: str) -> None:
    """Local edits as the desktop makes them: each row with its outbox mutation."""
    with store.session() as session:
        for i in range(ACCOUNTS):
            fields = clean_fields(
                ACCOUNT_FIELDS,
                {"code": f"K{i:04d}", "name": f"烟酒店{i}", "business_format": "grocery"},
                creating=True,
            )
            account_id, note_id = uuid7(), uuid7()
            # The mutation first: the outbox guard refuses a flush of an uncovered row.
            record_mutation(
                session,
                "account.create",
                entity_table="account",
                entity_id=account_id,
                args={"territory_id": territory_id, "fields": fields},
                actor=user_id,
            )
            session.add(Account(id=account_id, territory_id=territory_id, field_seq={}, **fields))
            body = f"第{i}次拜访备注"
            record_mutation(
                session,
                "note.add",
                entity_table="account_note",
                entity_id=note_id,
                args={"account_id": account_id, "body": body},
                actor=user_id,
            )
            session.add(
                AccountNote(id=note_id, account_id=account_id, author_id=user_id, body=body)
            )


@pytest.mark.pg
@pytest.mark.slow
def test_kill_9_mid_push_loses_and_duplicates_nothing(
    server: ServerProcess,
    pg_url: str,
    tmp_path: Path,
) -> None:
    session_tokens = _login(server.base)
    token = {"access": session_tokens["access_token"]}
    territory_id = session_tokens["user"]["territory_id"]
    user_id = session_tokens["user"]["id"]
    store = create_workspace(tmp_path / "laptop.kamdesk")
    transport = HttpTransport(server.base, lambda: token["access"], timeout=10)
    engine = SyncEngine(
        store, transport, CLIENT_ID, batch_size=25, retries=0, sleep=lambda _s: None
    )
    first = engine.sync_once()  # pulls the territory (reference data) before local edits
    assert first.error is None, first.error_message
    _queue_accounts(store, territory_id, user_id)
    queued = engine.pending_count()
    assert queued == 2 * ACCOUNTS

    db = create_engine(pg_url)

    def applied_on_server() -> int:
        with Session(db) as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(MutationResult)
                    .where(MutationResult.client_id == CLIENT_ID)
                )
                or 0
            )

    reports: list[Any] = []
    pusher = threading.Thread(target=lambda: reports.append(engine.sync_once()))
    pusher.start()
    deadline = time.monotonic() + 60
    while applied_on_server() < 10:
        assert time.monotonic() < deadline, "the push never reached the server"
        time.sleep(0.01)
    server.kill9()
    pusher.join(timeout=60)
    interrupted = applied_on_server()
    assert 10 <= interrupted < queued, "the kill must land mid-push"
    assert reports[0].error is not None  # the client saw the failure ...
    assert engine.pending_count() > 0  # ... and kept what was not acknowledged

    server.start()
    token["access"] = _login(server.base)["access_token"]
    for _ in range(5):
        report = engine.sync_once()
        if engine.pending_count() == 0 and report.error is None:
            break
    assert engine.pending_count() == 0, report

    with Session(db) as s:
        accounts = s.scalars(select(Account).where(Account.territory_id == territory_id)).all()
        notes = s.scalar(select(func.count()).select_from(AccountNote)) or 0
        creates = s.scalar(
            select(func.count())
            .select_from(ChangeLog)
            .where(ChangeLog.table_name == "account", ChangeLog.op == "PUT")
        )
        results = applied_on_server()
    assert len(accounts) == ACCOUNTS
    assert len({a.code for a in accounts}) == ACCOUNTS
    assert notes == ACCOUNTS
    assert creates == ACCOUNTS  # each create applied (and logged) exactly once
    assert results == queued
    with store.session() as local:
        states = local.execute(
            select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)
        ).all()
    assert dict(states) == {"applied": queued}

    # Replaying the very same mutation ids over raw HTTP answers from memory, writes nothing.
    with Session(db) as s:
        stored = s.scalars(
            select(MutationResult)
            .where(MutationResult.client_id == CLIENT_ID)
            .order_by(MutationResult.mutation_id)
            .limit(20)
        ).all()
        log_before = s.scalar(select(func.count()).select_from(ChangeLog))
    with store.session() as local:
        entries = local.scalars(
            select(OutboxEntry).order_by(OutboxEntry.mutation_id).limit(20)
        ).all()
        replay = [
            {
                "mutation_id": e.mutation_id,
                "name": e.name,
                "args": e.args,
                "base": e.base or {},
                "entity_table": e.entity_table,
                "entity_id": e.entity_id,
            }
            for e in entries
        ]
    response = httpx.post(
        f"{server.base}/v1/sync/push",
        headers={"Authorization": f"Bearer {token['access']}"},
        json={"client_id": CLIENT_ID, "schema_version": 1, "mutations": replay},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    answers = response.json()["results"]
    assert [a["seq"] for a in answers] == [r.seq for r in stored]
    assert {a["status"] for a in answers} == {"applied"}
    with Session(db) as s:
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == log_before
    transport.close()
    store.close()
    db.dispose()


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    from datetime import UTC, datetime, timedelta
    from ipaddress import IPv4Address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "server.crt", tmp_path / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.mark.slow
def test_server_serves_https_with_the_given_certificate(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    port = _free_port()
    log = (tmp_path / "server.log").open("wb")  # closed in finally: the server's stderr
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kamdesk.server",
            "run",
            "--data",
            str(tmp_path / "srv"),
            "--port",
            str(port),
            "--tls-cert",
            str(cert),
            "--tls-key",
            str(key),
        ],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    trust = ssl.create_default_context(cafile=str(cert))
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (
                "the server exited during start-up: "
                + (tmp_path / "server.log").read_text(errors="replace")[-2000:]
            )
            try:
                response = httpx.get(f"https://127.0.0.1:{port}/v1/health", verify=trust)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "no HTTPS answer within 60 s"
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        with pytest.raises(httpx.HTTPError):  # plain HTTP on the TLS port gets nowhere
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=5).raise_for_status()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
