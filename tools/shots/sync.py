"""The Sync page with two issues listed (a field edited on both sides, a rejected change).

The issues are written straight into the demo workspace's ``sync_conflict`` table (what the sync
client writes after a push); the page is built on a session signed in to a demo server.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel
from sqlalchemy import select

from kamdesk.db.base import utcnow
from kamdesk.db.models import Account, SyncConflict
from kamdesk.services.sync_session import SignedInUser, SyncSession, TokenVault
from kamdesk.settings import Settings
from kamdesk.sync import state
from kamdesk.sync.engine import LAST_SYNC
from kamdesk.ui.pages.sync_page import SyncPage
from kamdesk.ui.sync_controller import SyncController
from kamdesk.ui.tasks import TaskRunner
from tools.shots.context import ShotContext

SERVER = "https://sync.hefei-kam.cn"


def _issues(ctx: ShotContext) -> None:
    with ctx.store.session() as session:
        accounts = session.scalars(select(Account).order_by(Account.code).limit(2)).all()
        session.add(
            SyncConflict(
                mutation_id=41,
                kind="field",
                entity_table="account",
                entity_id=accounts[0].id,
                field="remarks",
                base_value="周三上午送货",
                their_value="周四下午送货（主管已改）",
                your_value="周三上午送货，先电话联系",
                reason="changed on the server since you last synced; your later edit won",
            )
        )
        session.add(
            SyncConflict(
                mutation_id=42,
                kind="rejected",
                entity_table="account",
                entity_id=accounts[1].id,
                field=None,
                your_value={"fields": {"phone": "0551-123"}},
                reason="validation.phone: 电话号码应为 11 位手机号或带区号的座机号",
            )
        )
        state.put(session, LAST_SYNC, {"ok_at": (utcnow() - timedelta(minutes=7)).isoformat()})
        state.put(session, state.INITIAL, {"done": True})


def take(ctx: ShotContext) -> list[Path]:
    _issues(ctx)
    settings = Settings(server_url=SERVER, username="wanglei")
    user = SignedInUser("wanglei", "王磊", "manager", None)
    TokenVault(SERVER, "wanglei").save("shot-access", "shot-refresh", user)
    session = SyncSession(ctx.store, settings)
    page = SyncPage(SyncController(session, TaskRunner()), TaskRunner())
    page.controller.setParent(page)
    page.resize(1130, 640)
    page.controller.refresh_status()
    page.table.selectionModel().select(
        page.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    page.show()
    return [ctx.grab(page, "sync_page.png")]
