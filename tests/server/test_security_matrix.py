"""A manager can neither read nor change another territory's data through ANY endpoint.

The route list comes from the OpenAPI document itself: a route nobody classified here fails the
build, so a new endpoint cannot slip past this matrix.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from kamdesk.db.models import ChangeLog
from kamdesk.ids import uuid7
from kamdesk.server.app import create_app
from kamdesk.server.settings import ServerSettings
from kamdesk.sync.codec import TABLES, row_to_wire
from tests.server.conftest import CLIENT_IDS, Team, bearer, tokens
from tests.server.sync_fixtures import CANARY, Seeded, mutation, pull_all, push, seed

PUBLIC = "public"  # no token needed
SELF = "self"  # about the caller only
STAFF = "staff"  # supervisors and admins
PUSH = "push"
PULL = "pull"

ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/v1/auth/login"): PUBLIC,
    ("POST", "/v1/auth/refresh"): PUBLIC,
    ("POST", "/v1/auth/logout"): PUBLIC,
    ("GET", "/v1/health"): PUBLIC,
    ("GET", "/v1/sync/info"): PUBLIC,
    ("GET", "/v1/auth/me"): SELF,
    ("POST", "/v1/auth/password"): SELF,
    ("POST", "/v1/sync/push"): PUSH,
    ("POST", "/v1/sync/pull"): PULL,
    ("GET", "/v1/admin/users"): STAFF,
    ("POST", "/v1/admin/users"): STAFF,
    ("POST", "/v1/admin/users/{username}/disable"): STAFF,
    ("POST", "/v1/admin/users/{username}/enable"): STAFF,
    ("POST", "/v1/admin/users/{username}/reset-password"): STAFF,
    ("POST", "/v1/admin/users/{username}/revoke-devices"): STAFF,
    ("GET", "/v1/admin/territories"): STAFF,
    ("POST", "/v1/admin/territories"): STAFF,
    ("POST", "/v1/admin/accounts/{account_code}/assign"): STAFF,
    ("GET", "/v1/admin/audit"): STAFF,
}


def _openapi_operations() -> list[tuple[str, str]]:
    # Built without a database: only the routing table is needed at collection time.
    app = create_app(
        ServerSettings(database_url="sqlite://", jwt_secret=SecretStr("s" * 40)), migrate=False
    )
    ops = [
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    app.state.engine.dispose()
    return sorted(ops)


OPERATIONS = _openapi_operations()


def test_every_route_in_the_openapi_document_is_classified() -> None:
    assert set(OPERATIONS) == set(ROUTES), "classify new routes in ROUTES and test them"
    assert all(path.startswith("/v1/") for _method, path in OPERATIONS)


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def _body_for(path: str, hostile: dict[str, Any]) -> dict[str, Any] | None:
    return hostile.get(path)


@pytest.fixture
def seeded(client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]]) -> Seeded:
    return seed(client, auth_headers, team.territories)


def _territory_snapshot(session: Session, partition: str) -> dict[str, Any]:
    """Every territory row on the server plus the other partition's change log."""
    rows: dict[str, Any] = {}
    for table, model in TABLES.items():
        if model.__sync_partition__ == "reference":
            continue
        for row in session.scalars(select(model)).all():
            rows[f"{table}:{row.id}"] = row_to_wire(row)
    log = session.execute(
        select(ChangeLog.seq, ChangeLog.row_id, ChangeLog.op).where(
            ChangeLog.partition == partition
        )
    ).all()
    return {"rows": rows, "log": [tuple(r) for r in log]}


def test_every_route_refuses_missing_and_forged_tokens(client: TestClient, team: Team) -> None:
    for method, path in OPERATIONS:
        if ROUTES[(method, path)] == PUBLIC:
            continue  # login, refresh, logout, health, sync info
        url = _fill(path, "mgr2")
        for headers in ({}, bearer("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")):
            response = client.request(method, url, headers=headers, json={})
            assert response.status_code == 401, (method, path, response.text)


def test_manager_cannot_reach_the_other_territory_by_any_route(
    client: TestClient,
    team: Team,
    seeded: Seeded,
    auth_headers: dict[str, dict[str, str]],
    app: FastAPI,
) -> None:
    """mgr1 (T1) aims every route of the OpenAPI document at T2's people, codes and ids;
    nothing of T2 comes back and nothing of T2 changes."""
    headers = auth_headers["mgr1"]
    t2 = f"territory:{team.territories['T2']}"
    with app.state.sessions() as session:
        before = _territory_snapshot(session, t2)
    targets = ["mgr2", "A-T2", seeded.accounts["T2"], "T2", "no-such-name"]
    bodies: dict[str, Any] = {
        "/v1/admin/users": {"username": "spy", "role": "manager", "territory_code": "T2"},
        "/v1/admin/territories": {"code": "T9", "name": "x"},
        "/v1/admin/accounts/{account_code}/assign": {"territory_code": "T1"},
        "/v1/admin/users/{username}/reset-password": {"password": "taken over 1"},
        "/v1/auth/password": {"old_password": "x", "new_password": "y" * 12},
        "/v1/auth/login": {
            "username": "mgr2",
            "password": "guess",
            "client_id": CLIENT_IDS["mgr1"],
        },
        "/v1/auth/refresh": {"refresh_token": seeded.accounts["T2"]},
        "/v1/auth/logout": {"refresh_token": seeded.accounts["T2"]},
        "/v1/sync/push": {
            "client_id": CLIENT_IDS["mgr1"],
            "schema_version": 1,
            "mutations": [
                mutation(
                    "account.update_fields",
                    "account",
                    seeded.accounts["T2"],
                    args={"fields": {"name": "taken"}},
                )
            ],
        },
        "/v1/sync/pull": {
            "client_id": CLIENT_IDS["mgr1"],
            "schema_version": 1,
            "cursors": {t2: 0},
            "limit": 5000,
        },
    }
    checked = 0
    for method, path in OPERATIONS:
        kind = ROUTES[(method, path)]
        for target in targets if "{" in path else targets[:1]:
            url = _fill(path, target)
            body = bodies.get(path, {})
            if kind == PUSH:
                body = {
                    **body,
                    "mutations": [
                        dict(m, mutation_id=m["mutation_id"] + checked) for m in body["mutations"]
                    ],
                }
            response = client.request(method, url, headers=headers, json=body)
            checked += 1
            assert CANARY not in response.text, (method, url)
            assert response.status_code < 500, (method, url, response.text)
            if kind == STAFF:
                # 403 for existing and made-up names alike: no way to probe what exists.
                assert response.status_code == 403, (method, url, response.text)
            elif kind == PUSH:
                results = response.json()["results"]
                assert [r["status"] for r in results] == ["rejected"], results
                assert results[0]["row"] is None
            elif kind == PULL:
                assert all(c["partition"] != t2 for c in response.json()["changes"])
    assert checked >= len(OPERATIONS)
    with app.state.sessions() as session:
        assert _territory_snapshot(session, t2) == before


def _hostile_mutations(team: Team, seeded: Seeded) -> list[tuple[str, dict[str, Any]]]:
    t1, t2 = team.territories["T1"], team.territories["T2"]
    acc2, con2, ord2 = seeded.accounts["T2"], seeded.contacts["T2"], seeded.orders["T2"]
    acc1 = seeded.accounts["T1"]
    fields = {"code": "A-X", "name": "planted", "business_format": "grocery"}
    return [
        (
            "edit their account",
            mutation(
                "account.update_fields",
                "account",
                acc2,
                args={"fields": {"name": "mine now"}},
                base={"name": 99},
            ),
        ),
        (
            "edit their master data",
            mutation(
                "account.update_fields", "account", acc2, args={"fields": {"legal_name": "x"}}
            ),
        ),
        (
            "move their account to me",
            mutation(
                "account.update_fields", "account", acc2, args={"fields": {"territory_id": t1}}
            ),
        ),
        (
            "move my account to them",
            mutation(
                "account.update_fields", "account", acc1, args={"fields": {"territory_id": t2}}
            ),
        ),
        ("delete their account", mutation("account.delete", "account", acc2)),
        ("undelete their account", mutation("account.undelete", "account", acc2)),
        (
            "tag their account",
            mutation("account.tags", "account", acc2, args={"add": ["hacked"], "remove": []}),
        ),
        (
            "re-create their account id in my territory",
            mutation(
                "account.create", "account", acc2, args={"territory_id": t1, "fields": fields}
            ),
        ),
        (
            "plant an account in their territory",
            mutation(
                "account.create", "account", uuid7(), args={"territory_id": t2, "fields": fields}
            ),
        ),
        (
            "add a contact to their account",
            mutation(
                "contact.create",
                "contact",
                uuid7(),
                args={"account_id": acc2, "fields": {"name": "spy"}},
            ),
        ),
        (
            "edit their contact",
            mutation(
                "contact.update_fields", "contact", con2, args={"fields": {"phone": "13800000000"}}
            ),
        ),
        (
            "move their contact to my account",
            mutation(
                "contact.update_fields", "contact", con2, args={"fields": {"account_id": acc1}}
            ),
        ),
        (
            "reuse their contact id on my account",
            mutation(
                "contact.create",
                "contact",
                con2,
                args={"account_id": acc1, "fields": {"name": "x"}},
            ),
        ),
        ("delete their contact", mutation("contact.delete", "contact", con2)),
        (
            "note on their account",
            mutation("note.add", "account_note", uuid7(), args={"account_id": acc2, "body": "spy"}),
        ),
        (
            "evaluate their account",
            mutation(
                "evaluation.add",
                "evaluation",
                uuid7(),
                args={"account_id": acc2, "evaluated_on": "2026-03-01", "scores": {"credit": 1}},
            ),
        ),
        (
            "visit their account",
            mutation(
                "visit.record",
                "visit",
                uuid7(),
                args={"visit": {"account_id": acc2}, "stock_counts": []},
            ),
        ),
        (
            "purchase line on their account",
            mutation(
                "purchase_line.insert",
                "purchase_line",
                uuid7(),
                args={
                    "row": {
                        "account_id": acc2,
                        "product_id": seeded.product,
                        "purchased_on": "2026-03-01",
                        "quantity": 1,
                        "amount_fen": 1,
                    }
                },
            ),
        ),
        (
            "stock count on their account",
            mutation(
                "stock_count.insert",
                "stock_count",
                uuid7(),
                args={
                    "row": {
                        "account_id": acc2,
                        "product_id": seeded.product,
                        "counted_on": "2026-03-01",
                        "quantity": 1,
                    }
                },
            ),
        ),
        (
            "draft order for their account",
            mutation(
                "sales_order.create",
                "sales_order",
                uuid7(),
                args={"fields": {"account_id": acc2, "lines": []}},
            ),
        ),
        (
            "edit their order",
            mutation(
                "sales_order.update_fields", "sales_order", ord2, args={"fields": {"lines": []}}
            ),
        ),
        (
            "submit their order",
            mutation("order.submit", "sales_order", ord2, args={"order_id": ord2}),
        ),
        (
            "set their order's status",
            mutation("order.set_status", "sales_order", ord2, args={"status": "accepted"}),
        ),
        ("delete their note", mutation("account_note.delete", "account_note", seeded.notes["T2"])),
        (
            "write reference data",
            mutation(
                "product.update_fields",
                "product",
                seeded.product,
                args={"fields": {"wholesale_price_fen": 1}},
            ),
        ),
    ]


HOSTILE_NAMES = [
    "edit their account",
    "edit their master data",
    "move their account to me",
    "move my account to them",
    "delete their account",
    "undelete their account",
    "tag their account",
    "re-create their account id in my territory",
    "plant an account in their territory",
    "add a contact to their account",
    "edit their contact",
    "move their contact to my account",
    "reuse their contact id on my account",
    "delete their contact",
    "note on their account",
    "evaluate their account",
    "visit their account",
    "purchase line on their account",
    "stock count on their account",
    "draft order for their account",
    "edit their order",
    "submit their order",
    "set their order's status",
    "delete their note",
    "write reference data",
]


@pytest.mark.parametrize("user", ["mgr1", "sup"])
def test_push_aimed_at_another_territory_is_refused_and_writes_nothing(
    client: TestClient,
    team: Team,
    seeded: Seeded,
    auth_headers: dict[str, dict[str, str]],
    app: FastAPI,
    user: str,
) -> None:
    """Every mutation a manager (or a supervisor without write grants) could aim at T2."""
    hostile = _hostile_mutations(team, seeded)
    assert [name for name, _ in hostile] == HOSTILE_NAMES
    t2 = f"territory:{team.territories['T2']}"
    with app.state.sessions() as session:
        before = _territory_snapshot(session, t2)
        reference_before = session.scalars(
            select(ChangeLog.seq).where(ChangeLog.partition == "reference")
        ).all()
    t2_ids = {seeded.accounts["T2"], seeded.contacts["T2"], seeded.orders["T2"]}
    t2_ids |= {seeded.visits["T2"], seeded.notes["T2"]}
    results = push(client, auth_headers[user], user, [m for _, m in hostile])
    for (name, _), result in zip(hostile, results, strict=True):
        assert result["status"] in {"rejected", "conflict"}, (name, result)
        assert result["seq"] is None, name
        if user == "mgr1":  # the supervisor may read T2, so may see its rows
            assert result["row"] is None or result["row"]["id"] not in t2_ids, name
            assert CANARY not in str(result), name
    with app.state.sessions() as session:
        assert _territory_snapshot(session, t2) == before
        assert (
            session.scalars(select(ChangeLog.seq).where(ChangeLog.partition == "reference")).all()
            == reference_before
        )
    # A replay of the same ids changes nothing either and gets the same answers.
    again = push(client, auth_headers[user], user, [m for _, m in hostile])
    assert [r["status"] for r in again] == [r["status"] for r in results]


def test_pull_returns_only_the_tokens_partitions(
    client: TestClient, team: Team, seeded: Seeded, auth_headers: dict[str, dict[str, str]]
) -> None:
    t1 = f"territory:{team.territories['T1']}"
    t2 = f"territory:{team.territories['T2']}"
    # Asking for T2 by cursor must not help: partitions come from the token.
    changes, bodies = pull_all(client, auth_headers["mgr1"], "mgr1", {t2: 0, "territory:x": 0})
    assert {c["partition"] for c in changes} == {"reference", t1}
    assert not any(CANARY in body for body in bodies)
    assert seeded.accounts["T1"] in {c["row_id"] for c in changes}
    assert not {seeded.accounts["T2"], seeded.contacts["T2"]} & {c["row_id"] for c in changes}
    # The supervisor reads everything; the other manager reads T2 and not T1.
    sup_changes, _ = pull_all(client, auth_headers["sup"], "sup")
    assert {c["partition"] for c in sup_changes} == {"reference", t1, t2}
    mgr2_changes, _ = pull_all(client, auth_headers["mgr2"], "mgr2")
    assert {c["partition"] for c in mgr2_changes} == {"reference", t2}


def test_pushing_with_someone_elses_client_id_is_refused(
    client: TestClient, team: Team, seeded: Seeded, auth_headers: dict[str, dict[str, str]]
) -> None:
    response = client.post(
        "/v1/sync/push",
        headers=auth_headers["mgr1"],
        json={
            "client_id": CLIENT_IDS["mgr2"],
            "schema_version": 1,
            "mutations": [
                mutation(
                    "account.update_fields",
                    "account",
                    seeded.accounts["T2"],
                    args={"fields": {"name": "x"}},
                )
            ],
        },
    )
    assert response.status_code == 403
    assert CANARY not in response.text
    pulled = client.post(
        "/v1/sync/pull",
        headers=auth_headers["mgr1"],
        json={"client_id": CLIENT_IDS["mgr2"], "schema_version": 1, "cursors": {}},
    )
    assert pulled.status_code == 403


def test_reassignment_moves_the_account_between_managers(
    client: TestClient, team: Team, seeded: Seeded, auth_headers: dict[str, dict[str, str]]
) -> None:
    moved = client.post(
        "/v1/admin/accounts/A-T2/assign",
        headers=auth_headers["sup"],
        json={"territory_code": "T1"},
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["from_territory"], moved.json()["to_territory"]) == ("T2", "T1")
    t1 = f"territory:{team.territories['T1']}"
    changes, _ = pull_all(client, auth_headers["mgr1"], "mgr1")
    now_mine = {c["row_id"] for c in changes if c["partition"] == t1 and c["op"] == "PUT"}
    assert {seeded.accounts["T2"], seeded.contacts["T2"]} <= now_mine
    # mgr2 lost write access to it at once.
    refused = push(
        client,
        auth_headers["mgr2"],
        "mgr2",
        [
            mutation(
                "account.update_fields",
                "account",
                seeded.accounts["T2"],
                args={"fields": {"remarks": "still mine?"}},
            )
        ],
    )
    assert refused[0]["status"] in {"rejected", "conflict"}
    again = client.post(
        "/v1/admin/accounts/A-T2/assign",
        headers=auth_headers["admin"],
        json={"territory_code": "T1"},
    )
    assert again.json()["seq"] is None  # already there: nothing to do
    by_manager = client.post(
        "/v1/admin/accounts/A-T1/assign",
        headers=auth_headers["mgr1"],
        json={"territory_code": "T2"},
    )
    assert by_manager.status_code == 403


def test_tokens_of_one_manager_never_show_another(client: TestClient, team: Team) -> None:
    me = client.get("/v1/auth/me", headers=bearer(tokens(client, "mgr1")["access_token"])).json()
    assert me["user"]["username"] == "mgr1"
    assert me["readable"] == sorted(["reference", f"territory:{team.territories['T1']}"])
