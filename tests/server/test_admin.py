"""The admin HTTP API: who may do what, and what each action changes."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from kamdesk.db.models import ChangeLog, RefreshToken, User
from tests.server.conftest import PASSWORD, Team, bearer, login, tokens


def test_managers_are_refused_every_admin_action(
    client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]]
) -> None:
    headers = auth_headers["mgr1"]
    calls = [
        client.get("/v1/admin/users", headers=headers),
        client.post("/v1/admin/users", headers=headers, json={"username": "x1", "role": "admin"}),
        client.post("/v1/admin/users/mgr2/disable", headers=headers),
        client.post("/v1/admin/users/mgr2/enable", headers=headers),
        client.post("/v1/admin/users/mgr2/reset-password", headers=headers, json={}),
        client.post("/v1/admin/users/mgr2/revoke-devices", headers=headers),
        client.get("/v1/admin/territories", headers=headers),
        client.post("/v1/admin/territories", headers=headers, json={"code": "T9", "name": "n"}),
        client.post("/v1/admin/accounts/A1/assign", headers=headers, json={"territory_code": "T1"}),
    ]
    assert [c.status_code for c in calls] == [403] * len(calls)
    assert {c.json()["detail"]["code"] for c in calls} == {"auth.forbidden"}


def test_admin_creates_a_manager_who_can_sign_in(
    client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]], app: FastAPI
) -> None:
    created = client.post(
        "/v1/admin/users",
        headers=auth_headers["admin"],
        json={
            "username": "Li.Na",
            "role": "manager",
            "territory_code": "T2",
            "display_name": "李娜",
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["user"]["username"] == "li.na"
    assert body["user"]["territory_code"] == "T2"
    temp = body["temporary_password"]
    assert isinstance(temp, str)
    assert len(temp) >= 12
    first = login(client, "li.na", temp)
    assert first.status_code == 200
    assert first.json()["must_change_password"] is True
    # Desktops learn about the new colleague through the reference partition.
    with app.state.sessions() as session:
        logged = session.scalars(
            select(ChangeLog).where(
                ChangeLog.partition == "reference", ChangeLog.row_id == body["user"]["id"]
            )
        ).all()
    assert [c.table_name for c in logged] == ["app_user"]
    assert logged[0].data["display_name"] == "李娜"
    assert "password_hash" not in logged[0].data


def test_input_mistakes_get_specific_codes(
    client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]]
) -> None:
    admin = auth_headers["admin"]

    def create(**body: object) -> tuple[int, str]:
        r = client.post("/v1/admin/users", headers=admin, json=body)
        return r.status_code, r.json()["detail"]["code"]

    assert create(username="mgr1", role="manager", territory_code="T1") == (
        409,
        "admin.user_exists",
    )
    assert create(username="new1", role="manager") == (422, "admin.territory_required")
    assert create(username="new1", role="manager", territory_code="T7") == (
        404,
        "admin.territory_unknown",
    )
    assert create(username="bad name!", role="admin") == (422, "admin.username_invalid")
    assert create(username="new1", role="admin", password="short") == (
        422,
        "auth.password_too_short",
    )
    dup = client.post("/v1/admin/territories", headers=admin, json={"code": "T1", "name": "x"})
    assert (dup.status_code, dup.json()["detail"]["code"]) == (409, "admin.territory_exists")
    missing = client.post("/v1/admin/users/nobody/disable", headers=admin)
    assert (missing.status_code, missing.json()["detail"]["code"]) == (404, "admin.user_unknown")


def test_supervisor_manages_managers_only(
    client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]]
) -> None:
    sup = auth_headers["sup"]
    ok = client.post(
        "/v1/admin/users",
        headers=sup,
        json={"username": "zhao", "role": "manager", "territory_code": "T1", "password": PASSWORD},
    )
    assert ok.status_code == 201
    for body in (
        {"username": "boss2", "role": "admin"},
        {"username": "sup2", "role": "supervisor"},
    ):
        assert client.post("/v1/admin/users", headers=sup, json=body).status_code == 403
    assert client.post("/v1/admin/users/admin/disable", headers=sup).status_code == 403
    assert (
        client.post("/v1/admin/users/admin/reset-password", headers=sup, json={}).status_code == 403
    )
    territory = client.post("/v1/admin/territories", headers=sup, json={"code": "T3", "name": "n"})
    assert territory.status_code == 403
    assert client.post("/v1/admin/users/mgr1/disable", headers=sup).status_code == 200
    listed = client.get("/v1/admin/users", headers=sup).json()
    assert {u["username"]: u["active"] for u in listed}["mgr1"] is False


def test_admin_cannot_disable_themselves(
    client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]]
) -> None:
    response = client.post("/v1/admin/users/admin/disable", headers=auth_headers["admin"])
    assert (response.status_code, response.json()["detail"]["code"]) == (409, "admin.self_disable")


def test_reset_password_and_revoke_devices_sign_everything_out(
    client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]], app: FastAPI
) -> None:
    victim = tokens(client, "mgr2")
    admin = auth_headers["admin"]
    reset = client.post(
        "/v1/admin/users/mgr2/reset-password", headers=admin, json={"password": "brand new pw"}
    )
    assert reset.status_code == 200
    assert reset.json() == {"temporary_password": None}
    refused = client.post("/v1/auth/refresh", json={"refresh_token": victim["refresh_token"]})
    assert refused.status_code == 401
    fresh = login(client, "mgr2", "brand new pw").json()
    revoked = client.post("/v1/admin/users/mgr2/revoke-devices", headers=admin)
    assert revoked.json() == {"clients": 1, "refresh_tokens": 1}
    assert client.get("/v1/auth/me", headers=bearer(fresh["access_token"])).status_code == 401
    with app.state.sessions() as session:
        user_id = session.scalar(select(User.id).where(User.username == "mgr2"))
        live = session.scalars(
            select(RefreshToken).where(
                RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None)
            )
        ).all()
    assert live == []


def test_territories_listed_and_created_by_admin(
    client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]]
) -> None:
    admin = auth_headers["admin"]
    made = client.post(
        "/v1/admin/territories", headers=admin, json={"code": "T3", "name": "朝阳", "city": "北京"}
    )
    assert made.status_code == 201
    codes = [t["code"] for t in client.get("/v1/admin/territories", headers=admin).json()]
    assert codes == ["T1", "T2", "T3"]
    # A new territory is readable by admins at once (partitions come from the database).
    me = client.get("/v1/auth/me", headers=admin).json()
    assert f"territory:{made.json()['id']}" in me["readable"]
