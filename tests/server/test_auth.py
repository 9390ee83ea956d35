"""Login, refresh rotation and reuse detection, logout, password change, token checks."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from kamdesk.db.models import Credential, RefreshToken, SyncClient, User
from kamdesk.server.admin import users as user_admin
from kamdesk.server.app import create_app
from kamdesk.server.settings import SECRET_FILENAME
from tests.server.conftest import (
    CLIENT_IDS,
    PASSWORD,
    FakeClock,
    Team,
    bearer,
    login,
    make_settings,
    tokens,
)


def _error_code(response: object) -> str:
    code: str = response.json()["detail"]["code"]  # type: ignore[attr-defined]
    return code


def test_login_issues_short_jwt_and_opaque_refresh(
    client: TestClient, team: Team, app: FastAPI, clock: FakeClock
) -> None:
    data = tokens(client, "mgr1")
    assert data["token_type"] == "bearer"
    assert data["expires_in"] == 15 * 60
    assert data["user"]["territory_id"] == team.territories["T1"]
    secret = (app.state.settings.resolved_data_dir() / SECRET_FILENAME).read_bytes()
    claims = jwt.decode(
        data["access_token"], secret, algorithms=["HS256"], options={"verify_exp": False}
    )
    assert claims["sub"] == team.users["mgr1"]
    assert claims["role"] == "manager"
    assert claims["cid"] == CLIENT_IDS["mgr1"]
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert len(claims["jti"]) == 32
    # The refresh token is opaque and only its hash is stored.
    assert data["refresh_token"].count(".") == 0
    with app.state.sessions() as session:
        stored = session.scalars(select(RefreshToken.jti)).all()
    assert data["refresh_token"] not in stored
    assert len(stored) == 1


def test_bad_credentials_look_the_same_for_unknown_wrong_and_disabled(
    client: TestClient, team: Team, app: FastAPI, clock: FakeClock
) -> None:
    with app.state.sessions() as session:
        user_admin.disable_user(session, "mgr2", clock())
        session.commit()
    answers = [
        login(client, "mgr1", "wrong password"),
        login(client, "nobody"),
        login(client, "mgr2"),
    ]
    assert [r.status_code for r in answers] == [401, 401, 401]
    assert {r.text for r in answers} == {answers[0].text}
    assert _error_code(answers[0]) == "auth.bad_credentials"


def test_unknown_user_still_pays_for_a_hash(
    client: TestClient, team: Team, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    passwords = app.state.auth.passwords
    calls: list[str] = []
    inner = passwords._hasher

    class Spy:
        def verify(self, stored: str, password: str) -> bool:
            calls.append(stored)
            return bool(inner.verify(stored, password))

    monkeypatch.setattr(passwords, "_hasher", Spy())
    assert login(client, "ghost").status_code == 401
    assert len(calls) == 1
    assert calls[0] == passwords._dummy_hash


def test_passwords_are_argon2id_and_rehashed_when_parameters_change(
    client: TestClient, team: Team, app: FastAPI, data_dir: Path, clock: FakeClock
) -> None:
    with app.state.sessions() as session:
        old_hash = session.get(Credential, team.users["mgr1"]).password_hash
    assert old_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert PASSWORD not in old_hash
    stronger = create_app(
        make_settings(data_dir, argon2_time_cost=2, argon2_memory_kib=16), clock=clock
    )
    with TestClient(stronger) as other:
        assert login(other, "mgr1").status_code == 200
    with stronger.state.sessions() as session:
        new_hash = session.get(Credential, team.users["mgr1"]).password_hash
    stronger.state.engine.dispose()
    assert new_hash.startswith("$argon2id$v=19$m=16,t=2,p=1$")


def test_refresh_rotates_and_reuse_revokes_the_family(
    client: TestClient, team: Team, clock: FakeClock
) -> None:
    first = tokens(client, "mgr1")
    clock.advance(minutes=5)
    second = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["access_token"] != first["access_token"]
    third = client.post("/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert third.status_code == 200
    latest = third.json()["refresh_token"]
    clock.advance(minutes=5)  # past the retry grace: a replay now means a stolen copy
    replay = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert _error_code(replay) == "auth.refresh_reused"
    # The family is dead: even the newest token no longer works.
    after = client.post("/v1/auth/refresh", json={"refresh_token": latest})
    assert after.status_code == 401
    assert _error_code(after) == "auth.refresh_revoked"


def test_retry_within_grace_after_a_lost_answer_continues_the_chain(
    client: TestClient, team: Team, clock: FakeClock
) -> None:
    first = tokens(client, "mgr1")
    lost = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert lost.status_code == 200
    clock.advance(seconds=10)
    retry = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert retry.status_code == 200
    clock.advance(minutes=2)
    # The retry's token carries on; the answer that never arrived was retired with it.
    live = client.post("/v1/auth/refresh", json={"refresh_token": retry.json()["refresh_token"]})
    assert live.status_code == 200
    dead = client.post("/v1/auth/refresh", json={"refresh_token": lost.json()["refresh_token"]})
    assert (dead.status_code, _error_code(dead)) == (401, "auth.refresh_reused")


def test_refresh_expires_and_unknown_is_refused(
    client: TestClient, team: Team, clock: FakeClock
) -> None:
    first = tokens(client, "mgr1")
    unknown = client.post("/v1/auth/refresh", json={"refresh_token": "not-a-token"})
    assert (unknown.status_code, _error_code(unknown)) == (401, "auth.refresh_invalid")
    clock.advance(days=31)
    late = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert (late.status_code, _error_code(late)) == (401, "auth.refresh_expired")


def test_logout_revokes_the_refresh_token(client: TestClient, team: Team) -> None:
    first = tokens(client, "mgr1")
    assert (
        client.post("/v1/auth/logout", json={"refresh_token": first["refresh_token"]}).status_code
        == 204
    )
    # Idempotent: a second logout is not an error.
    assert (
        client.post("/v1/auth/logout", json={"refresh_token": first["refresh_token"]}).status_code
        == 204
    )
    after = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert (after.status_code, _error_code(after)) == (401, "auth.refresh_revoked")


def test_expired_access_token_is_refused(client: TestClient, team: Team, clock: FakeClock) -> None:
    access = tokens(client, "mgr1")["access_token"]
    assert client.get("/v1/auth/me", headers=bearer(access)).status_code == 200  # verified once
    clock.advance(minutes=15)  # and expiry is checked again on every use
    response = client.get("/v1/auth/me", headers=bearer(access))
    assert response.status_code == 401
    assert _error_code(response) == "auth.token_expired"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _tampered_tokens(access: str) -> dict[str, str]:
    header, payload, signature = access.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    return {
        "payload_changed": f"{header}.{_b64(claims)}.{signature}",
        "alg_none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
        "other_secret": jwt.encode(claims, b"x" * 48, algorithm="HS256"),
        "truncated": access[:-3],
        "garbage": "not.a.token",
    }


@pytest.mark.parametrize(
    "kind", ["payload_changed", "alg_none", "other_secret", "truncated", "garbage"]
)
def test_tampered_tokens_are_refused(client: TestClient, team: Team, kind: str) -> None:
    access = tokens(client, "mgr1")["access_token"]
    # the genuine token is verified (and remembered) first: its forgeries must still fail
    assert client.get("/v1/auth/me", headers=bearer(access)).status_code == 200
    forged = _tampered_tokens(access)[kind]
    response = client.get("/v1/admin/users", headers=bearer(forged))
    assert response.status_code == 401
    assert _error_code(response) == "auth.token_invalid"


def test_missing_token_and_refresh_token_as_bearer(client: TestClient, team: Team) -> None:
    missing = client.get("/v1/auth/me")
    assert (missing.status_code, _error_code(missing)) == (401, "auth.token_missing")
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    refresh = tokens(client, "mgr1")["refresh_token"]
    wrong = client.get("/v1/auth/me", headers=bearer(refresh))
    assert (wrong.status_code, _error_code(wrong)) == (401, "auth.token_invalid")


def test_disabled_user_is_refused_at_once(
    client: TestClient, team: Team, app: FastAPI, clock: FakeClock
) -> None:
    pair = tokens(client, "mgr1")
    with app.state.sessions() as session:
        user_admin.disable_user(session, "mgr1", clock())
        session.commit()
    response = client.get("/v1/auth/me", headers=bearer(pair["access_token"]))
    assert (response.status_code, _error_code(response)) == (401, "auth.user_disabled")
    refreshed = client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 401


def test_revoked_device_is_refused_everywhere(
    client: TestClient, team: Team, app: FastAPI, clock: FakeClock
) -> None:
    pair = tokens(client, "mgr1")
    with app.state.sessions() as session:
        done = user_admin.revoke_devices(session, "mgr1", clock())
        session.commit()
    assert (done.clients, done.refresh_tokens) == (1, 1)
    response = client.get("/v1/auth/me", headers=bearer(pair["access_token"]))
    assert (response.status_code, _error_code(response)) == (401, "auth.client_revoked")
    refreshed = client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 401
    again = login(client, "mgr1")
    assert (again.status_code, _error_code(again)) == (403, "auth.client_revoked")
    # A reinstalled app with a fresh client id may sign in again.
    fresh = login(client, "mgr1", client_id="0190a0a0-0000-7000-8000-0000000000aa")
    assert fresh.status_code == 200


def test_client_id_of_another_user_is_refused(client: TestClient, team: Team, app: FastAPI) -> None:
    assert login(client, "mgr1").status_code == 200
    stolen = login(client, "mgr2", client_id=CLIENT_IDS["mgr1"])
    assert (stolen.status_code, _error_code(stolen)) == (409, "auth.client_taken")
    with app.state.sessions() as session:
        owner = session.get(SyncClient, CLIENT_IDS["mgr1"])
        assert owner is not None
        assert owner.user_id == team.users["mgr1"]


def test_temporary_password_must_be_changed(
    client: TestClient, team: Team, app: FastAPI, clock: FakeClock
) -> None:
    with app.state.sessions() as session:
        temp = user_admin.reset_password(session, app.state.auth.passwords, "mgr1", clock())
        session.commit()
    assert temp is not None
    assert login(client, "mgr1").status_code == 401  # the old password is gone
    first = login(client, "mgr1", temp).json()
    assert first["must_change_password"] is True
    headers = bearer(first["access_token"])
    short = client.post(
        "/v1/auth/password", json={"old_password": temp, "new_password": "short"}, headers=headers
    )
    assert (short.status_code, _error_code(short)) == (422, "auth.password_too_short")
    wrong = client.post(
        "/v1/auth/password",
        json={"old_password": "nope-nope", "new_password": "a fine new one"},
        headers=headers,
    )
    assert wrong.status_code == 401
    done = client.post(
        "/v1/auth/password",
        json={"old_password": temp, "new_password": "a fine new one"},
        headers=headers,
    )
    assert done.status_code == 204
    assert login(client, "mgr1", "a fine new one").json()["must_change_password"] is False


def test_role_and_partitions_come_from_the_database_not_the_token(
    client: TestClient, team: Team, app: FastAPI
) -> None:
    access = tokens(client, "admin")["access_token"]
    with app.state.sessions() as session:
        user = session.scalar(select(User).where(User.username == "admin"))
        assert user is not None
        user.role = "manager"
        user.territory_id = team.territories["T2"]
        session.commit()
    me = client.get("/v1/auth/me", headers=bearer(access)).json()
    assert me["writable"] == [f"territory:{team.territories['T2']}"]
    assert me["readable"] == sorted(["reference", f"territory:{team.territories['T2']}"])
    assert client.get("/v1/admin/users", headers=bearer(access)).status_code == 403


def test_signing_secret_file_is_private_and_stable(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(data_dir)
    first = settings.signing_secret()
    path = data_dir / SECRET_FILENAME
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert make_settings(data_dir).signing_secret() == first
    monkeypatch.setenv("KAMDESK_SERVER_JWT_SECRET", "e" * 40)
    assert make_settings(data_dir).signing_secret() == b"e" * 40
    monkeypatch.setenv("KAMDESK_SERVER_JWT_SECRET", "short")
    with pytest.raises(Exception, match="at least 32 bytes"):
        make_settings(data_dir).signing_secret()
