"""Small builders for tests that need reference rows (seeded like server data, no outbox)."""

from __future__ import annotations

from kamdesk.db.engine import Store
from kamdesk.db.models import Territory
from kamdesk.ids import uuid7
from kamdesk.services.outbox import BULK_SEED_KEY


def seed_territory(store: Store, code: str = "HF-SS", name: str = "蜀山片区") -> str:
    territory_id = uuid7()
    with store.session() as session:
        session.info[BULK_SEED_KEY] = True
        session.add(Territory(id=territory_id, code=code, name=name, city="合肥市"))
    return territory_id
