"""End to end: another manager's edit, pulled by sync, shows in this desktop's card history
as changed by them on the server; the first sync and our own pushes add nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from kamdesk.db.models import AuditEntry
from kamdesk.services.accounts import AccountService
from kamdesk.services.audit import AuditService
from tests.sync import local_ops
from tests.sync.conftest import World

ACC = "T1-A0"


def test_other_users_change_arrives_in_the_card_history(world: World) -> None:
    a_store, a = world.client("m1")
    b_store, b = world.client("m2")
    a.sync_once()  # first sync: the seeded territory downloads without audit rows
    b.sync_once()
    with a_store.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0
    AccountService(a_store).update_fields(ACC, {"remarks": "A的备注"})
    a.sync_once()  # our own push comes back by pull: not audited a second time
    local_ops.update_account(b_store, ACC, {"address": "B路1号"})
    assert b.sync_once().applied == 1

    a.sync_once()

    history = AuditService(a_store).account_history(ACC)
    assert [(e.source, e.action) for e in history] == [
        ("server", "account.update_fields"),
        ("local", "account.update_fields"),
    ]
    theirs = history[0]
    assert theirs.user_id == "m2"
    assert theirs.who == "m2"  # the display name from the synced user list
    assert theirs.client_id == b.client_id
    assert {c.field: (c.old, c.new) for c in theirs.changes} == {"address": ("", "B路1号")}
