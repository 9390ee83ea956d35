"""GET /v1/admin/audit: the server's trail of who changed which account, when, from which
client — for supervisors and admins only, and only within the territories they may read."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.server.conftest import CLIENT_IDS, Team
from tests.server.sync_fixtures import Seeded, mutation, push, seed


def _edit(client: TestClient, headers: dict[str, dict[str, str]], account: str) -> None:
    results = push(
        client,
        headers["mgr1"],
        "mgr1",
        [
            mutation(
                "account.update_fields",
                "account",
                account,
                args={"fields": {"phone": "13905510000", "owner_name": "王老板"}},
            )
        ],
    )
    assert [r["status"] for r in results] == ["applied"], results


def test_supervisor_reads_who_changed_an_account_and_its_records(
    client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]]
) -> None:
    seeded: Seeded = seed(client, auth_headers, team.territories)
    account = seeded.accounts["T1"]
    _edit(client, auth_headers, account)

    response = client.get(
        "/v1/admin/audit", headers=auth_headers["sup"], params={"account_id": account}
    )

    assert response.status_code == 200, response.text
    entries = response.json()
    assert entries[0]["mutation"] == "account.update_fields"  # newest first
    assert entries[0]["username"] == "mgr1"
    assert entries[0]["user_id"] == team.users["mgr1"]
    assert entries[0]["client_id"] == CLIENT_IDS["mgr1"]
    changes = {c["field"]: (c["old"], c["new"]) for c in entries[0]["changes"]}
    assert changes == {"phone": ("", "13905510000"), "owner_name": ("", "王老板")}
    mutations = {e["mutation"] for e in entries}
    # the card and every record under it: contact, note, order, visit, stock count
    assert {"account.create", "contact.create", "note.add", "visit.record"} <= mutations
    assert {e["table"] for e in entries} >= {"account", "contact", "account_note", "stock_count"}
    assert {e["account_id"] for e in entries} == {account}
    assert seeded.accounts["T2"] not in {e["row_id"] for e in entries}
    times = [e["at"] for e in entries]
    assert times == sorted(times, reverse=True)


def test_audit_exports_csv_and_filters_by_time(
    client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]]
) -> None:
    seeded = seed(client, auth_headers, team.territories)
    _edit(client, auth_headers, seeded.accounts["T1"])
    response = client.get(
        "/v1/admin/audit",
        headers=auth_headers["admin"],
        params={"format": "csv", "account_id": seeded.accounts["T1"]},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["mutation"] == "account.update_fields"
    assert rows[0]["user"] == "mgr1"
    assert "owner_name:  → 王老板" in rows[0]["changes"]
    # every territory: both accounts' histories
    everything = client.get("/v1/admin/audit", headers=auth_headers["admin"]).json()
    assert {e["account_id"] for e in everything} >= set(seeded.accounts.values())
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    later = client.get("/v1/admin/audit", headers=auth_headers["admin"], params={"since": future})
    assert later.status_code == 200
    assert later.json() == []


def test_managers_cannot_read_the_audit_trail(
    client: TestClient, team: Team, auth_headers: dict[str, dict[str, str]]
) -> None:
    seeded = seed(client, auth_headers, team.territories)
    for params in ({}, {"account_id": seeded.accounts["T1"]}, {"format": "csv"}):
        response = client.get("/v1/admin/audit", headers=auth_headers["mgr1"], params=params)
        assert response.status_code == 403, response.text
        assert response.json()["detail"]["code"] == "auth.forbidden"
        assert "CANARY" not in response.text
    unknown = client.get(
        "/v1/admin/audit", headers=auth_headers["sup"], params={"account_id": "nope"}
    )
    assert (unknown.status_code, unknown.json()["detail"]["code"]) == (
        404,
        "admin.account_unknown",
    )
