"""The embedded SQLite server never waits for the database on its event loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import httpx
from fastapi import FastAPI

from kamdesk.server.settings import SQLITE_FILENAME
from tests.server.conftest import CLIENT_IDS


def test_a_request_waiting_for_the_write_lock_does_not_stall_the_others(
    app: FastAPI, auth_headers: dict[str, dict[str, str]], data_dir: Path
) -> None:
    # Another process (a CLI admin command, say) holds SQLite's write lock. Every server
    # transaction begins IMMEDIATE, so the pull below waits for it; on the event loop that wait
    # would hold up /v1/sync/info until the lock is released, here by a timer as a backstop.
    assert not app.state.inline_db
    blocker = sqlite3.connect(
        data_dir / SQLITE_FILENAME, isolation_level=None, check_same_thread=False
    )
    blocker.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release() -> None:
        if not released.is_set():
            released.set()
            blocker.execute("ROLLBACK")

    backstop = threading.Timer(5.0, release)
    backstop.start()

    async def scenario() -> tuple[bool, httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            pull = asyncio.create_task(
                http.post(
                    "/v1/sync/pull",
                    headers=auth_headers["mgr1"],
                    json={"client_id": CLIENT_IDS["mgr1"], "schema_version": 1, "cursors": {}},
                )
            )
            await asyncio.sleep(0.3)  # the pull is now waiting for the lock
            info = await http.get("/v1/sync/info")
            answered_while_locked = not released.is_set()
            await asyncio.to_thread(release)
            return answered_while_locked, info, await pull

    try:
        answered_while_locked, info, pulled = asyncio.run(scenario())
    finally:
        backstop.cancel()
        release()
        blocker.close()
    assert info.status_code == 200
    assert answered_while_locked
    assert pulled.status_code == 200, pulled.text  # and the waiting pull went through after
