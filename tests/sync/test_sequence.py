"""Per-partition sequences: concurrent writers never leave a reader skipping a late commit."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from kamdesk.db import migrate
from kamdesk.db.models import ChangeLog
from kamdesk.server.sync import pull, push
from kamdesk.server.sync.schemas import PullRequest, PushRequest
from tests.sync.conftest import World
from tests.sync.harness import principal_for, seed_server

WRITERS = 4
PER_WRITER = 12


def _hammer(sessions: sessionmaker[Session]) -> tuple[list[int], list[str]]:
    """WRITERS threads push notes into territory:T1 while a reader pulls with its cursor."""
    problems: list[str] = []
    seen: list[int] = []
    done = threading.Event()

    def writer(n: int) -> None:
        client = f"writer-{n:04d}-xxxx"
        user = ("m1", "m2")[n % 2]
        try:
            for i in range(1, PER_WRITER + 1):
                body = {"account_id": "T1-A0", "body": f"{n}/{i}"}
                mutation = {
                    "mutation_id": i,
                    "name": "note.add",
                    "args": body,
                    "entity_table": "account_note",
                    "entity_id": str(uuid.uuid4()),
                }
                res = push(
                    sessions,
                    principal_for(user),
                    PushRequest.model_validate(
                        {"client_id": client, "schema_version": 1, "mutations": [mutation]}
                    ),
                )
                if res.results[0].status != "applied":
                    problems.append(f"writer {n}: {res.results[0]}")
        except Exception as exc:
            problems.append(f"writer {n}: {exc!r}")

    def reader() -> None:
        cursor = 0
        cursors: dict[str, int] = {}
        while True:
            finished = done.is_set()
            res = pull(
                sessions,
                principal_for("m1"),
                PullRequest(
                    client_id="reader-00000000", schema_version=1, cursors=cursors, limit=7
                ),
            )
            seqs = [c.seq for c in res.changes if c.partition == "territory:T1"]
            if seqs and seqs != list(range(cursor + 1, cursor + 1 + len(seqs))):
                problems.append(f"reader saw a gap after {cursor}: {seqs}")
            seen.extend(seqs)
            cursors = res.cursors
            cursor = cursors.get("territory:T1", cursor)
            if finished and not res.more:
                return

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    read = threading.Thread(target=reader)
    read.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    read.join()
    return seen, problems


def _check(sessions: sessionmaker[Session]) -> None:
    seen, problems = _hammer(sessions)
    assert problems == []
    with sessions() as s:
        logged = list(
            s.scalars(
                select(ChangeLog.seq)
                .where(ChangeLog.partition == "territory:T1")
                .order_by(ChangeLog.seq)
            )
        )
    assert logged == list(range(1, len(logged) + 1))  # no gaps, no duplicates
    assert len(logged) >= WRITERS * PER_WRITER
    assert seen == logged  # the reader got every row exactly once, in order


def test_concurrent_writers_on_sqlite(world: World) -> None:
    _check(world.sessions)


@pytest.fixture
def pg_sessions() -> Iterator[sessionmaker[Session]]:
    url = os.environ.get("KAMDESK_TEST_PG_URL")
    if not url:
        pytest.skip("KAMDESK_TEST_PG_URL is not set: PostgreSQL sequence test NOT run")
    name = f"kamdesk_sync_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(url.rsplit("/", 1)[0] + f"/{name}", pool_size=WRITERS + 2)
    try:
        migrate.upgrade(engine)
        sessions = sessionmaker(engine, expire_on_commit=False)
        seed_server(sessions)
        yield sessions
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.pg
def test_concurrent_writers_on_postgresql(pg_sessions: sessionmaker[Session]) -> None:
    _check(pg_sessions)
