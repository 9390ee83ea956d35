"""A seeded team with real synced data in both territories, written through /v1/sync/push.

Territory T2's rows carry the marker ``CANARY`` in their text, so any response that leaks them
to a T1 manager can be found by searching its body.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from kamdesk.ids import uuid7
from tests.server.conftest import CLIENT_IDS

CANARY = "CANARY"
_ids = itertools.count(1)


def mutation(name: str, entity_table: str, entity_id: str, **parts: Any) -> dict[str, Any]:
    return {
        "mutation_id": next(_ids),
        "name": name,
        "entity_table": entity_table,
        "entity_id": entity_id,
        "args": parts.get("args", {}),
        "base": parts.get("base", {}),
    }


def push(
    client: TestClient,
    headers: dict[str, str],
    user: str,
    mutations: list[dict[str, Any]],
    *,
    client_id: str | None = None,
) -> list[dict[str, Any]]:
    response = client.post(
        "/v1/sync/push",
        headers=headers,
        json={
            "client_id": client_id or CLIENT_IDS[user],
            "schema_version": 1,
            "mutations": mutations,
        },
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def pull_all(
    client: TestClient, headers: dict[str, str], user: str, cursors: dict[str, int] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Every change the caller may pull, plus the raw response bodies (to search for leaks)."""
    cursors = dict(cursors or {})
    changes: list[dict[str, Any]] = []
    bodies: list[str] = []
    for _ in range(100):
        response = client.post(
            "/v1/sync/pull",
            headers=headers,
            json={"client_id": CLIENT_IDS[user], "schema_version": 1, "cursors": cursors},
        )
        assert response.status_code == 200, response.text
        bodies.append(response.text)
        page = response.json()
        changes.extend(page["changes"])
        cursors.update(page["cursors"])
        if not page["more"]:
            return changes, bodies
    raise AssertionError("pull never finished")


@dataclass
class Seeded:
    product: str = ""
    accounts: dict[str, str] = field(default_factory=dict)  # territory code -> account id
    contacts: dict[str, str] = field(default_factory=dict)
    orders: dict[str, str] = field(default_factory=dict)
    visits: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def seed(
    client: TestClient, headers: dict[str, dict[str, str]], territories: dict[str, str]
) -> Seeded:
    out = Seeded(product=uuid7())
    product = mutation(
        "product.create",
        "product",
        out.product,
        args={
            "fields": {
                "code": "P-001",
                "name": "中华(硬)",
                "brand": "中华",
                "price_tier": 1,
                "wholesale_price_fen": 45000,
                "retail_price_fen": 50000,
            }
        },
    )
    assert [r["status"] for r in push(client, headers["admin"], "admin", [product])] == ["applied"]
    for code, user in (("T1", "mgr1"), ("T2", "mgr2")):
        marker = CANARY if code == "T2" else "own"
        account, contact, order, visit, note = (uuid7() for _ in range(5))
        batch = [
            mutation(
                "account.create",
                "account",
                account,
                args={
                    "territory_id": territories[code],
                    "fields": {
                        "code": f"A-{code}",
                        "name": f"{marker} 烟酒店 {code}",
                        "business_format": "tobacco_liquor",
                        "remarks": f"{marker} remarks",
                    },
                },
            ),
            mutation(
                "contact.create",
                "contact",
                contact,
                args={"account_id": account, "fields": {"name": f"{marker} 张老板"}},
            ),
            mutation(
                "note.add",
                "account_note",
                note,
                args={"account_id": account, "body": f"{marker} note"},
            ),
            mutation(
                "sales_order.create",
                "sales_order",
                order,
                args={
                    "fields": {
                        "account_id": account,
                        "lines": [{"product_id": out.product, "quantity": 2}],
                    }
                },
            ),
            mutation(
                "visit.record",
                "visit",
                visit,
                args={
                    "visit": {"id": visit, "account_id": account, "summary": f"{marker} visit"},
                    "stock_counts": [
                        {
                            "id": uuid7(),
                            "account_id": account,
                            "product_id": out.product,
                            "counted_on": "2026-03-01",
                            "quantity": 7,
                        }
                    ],
                },
            ),
        ]
        results = push(client, headers[user], user, batch)
        assert [r["status"] for r in results] == ["applied"] * len(batch), results
        out.accounts[code], out.contacts[code] = account, contact
        out.orders[code], out.visits[code], out.notes[code] = order, visit, note
    return out
