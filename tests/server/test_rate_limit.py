"""Failed logins are throttled per username and per address, and the lock lifts later."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kamdesk.db.models import LoginAttempt
from tests.server.conftest import PASSWORD, FakeClock, Team, login


def test_five_failures_lock_the_user_then_the_window_passes(
    client: TestClient, team: Team, clock: FakeClock
) -> None:
    for _ in range(5):
        clock.advance(seconds=30)
        assert login(client, "mgr1", "wrong password").status_code == 401
    locked = login(client, "mgr1")  # even the right password
    assert locked.status_code == 429
    assert locked.json()["detail"]["code"] == "auth.rate_limited"
    retry_after = int(locked.headers["Retry-After"])
    # The first failure happened at +30 s; it leaves the 15-minute window 15 min later.
    assert 12 * 60 <= retry_after <= 13 * 60 + 1
    # Another manager is not affected.
    assert login(client, "mgr2").status_code == 200
    clock.advance(seconds=retry_after - 2)
    assert login(client, "mgr1").status_code == 429
    clock.advance(seconds=3)
    assert login(client, "mgr1").status_code == 200


def test_refused_attempts_do_not_extend_the_lock(
    client: TestClient, team: Team, clock: FakeClock, app: FastAPI
) -> None:
    for _ in range(5):
        login(client, "mgr1", "wrong password")
    for _ in range(10):
        clock.advance(seconds=60)
        assert login(client, "mgr1", "wrong again").status_code == 429
    clock.advance(seconds=6 * 60)
    assert login(client, "mgr1").status_code == 200
    with app.state.sessions() as session:
        failures = session.scalar(
            select(func.count()).select_from(LoginAttempt).where(LoginAttempt.success.is_(False))
        )
    assert failures == 5


def test_success_clears_the_user_count(client: TestClient, team: Team, clock: FakeClock) -> None:
    for _ in range(4):
        assert login(client, "mgr1", "wrong password").status_code == 401
    assert login(client, "mgr1").status_code == 200
    for _ in range(4):
        clock.advance(seconds=1)
        assert login(client, "mgr1", "wrong password").status_code == 401
    assert login(client, "mgr1").status_code == 200


def test_spraying_from_one_address_is_throttled(
    client: TestClient, team: Team, clock: FakeClock
) -> None:
    # TestClient always comes from the same address: 20 failures over many usernames.
    for i in range(20):
        assert login(client, f"guess{i}", "password1").status_code == 401
    blocked = login(client, "mgr2", PASSWORD)
    assert blocked.status_code == 429
    assert "address" in blocked.json()["detail"]["message"]
    clock.advance(minutes=16)
    assert login(client, "mgr2", PASSWORD).status_code == 200


def test_usernames_are_case_insensitive_for_login_and_limits(
    client: TestClient, team: Team, clock: FakeClock
) -> None:
    assert login(client, " MGR1 ").status_code == 200
    for name in ("Mgr1", "MGR1", "mgr1", "mGr1", "MGr1"):
        clock.advance(seconds=1)
        assert login(client, name, "wrong password").status_code == 401
    assert login(client, "mgr1").status_code == 429
