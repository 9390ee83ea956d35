"""The portfolio dashboard (Reports page) and the classification panel of one account card."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from kamdesk.db.models import Account
from kamdesk.services.classification import ClassificationService
from kamdesk.ui.pages.dashboard_reports import ReportsPage
from kamdesk.ui.widgets.classification_panel import ClassificationPanel
from tools.shots.context import DEMO_TODAY, ShotContext


def take(ctx: ShotContext) -> list[Path]:
    reports = ctx.window.show_page("reports")
    assert isinstance(reports, ReportsPage)
    dashboard = reports.dashboard
    dashboard._today = lambda: DEMO_TODAY  # the demo is anchored on this day
    dashboard.refresh()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and (
        dashboard._running is not None or dashboard.snapshot is None
    ):
        ctx.tasks.wait(200)
        ctx.app.processEvents()
    shots = [ctx.grab(ctx.window, "dashboard.png")]

    with ctx.store.session() as session:
        account_id = session.scalars(
            select(Account.id)
            .where(Account.abc_tier == "A", Account.vip_state == "candidate")
            .order_by(Account.code)
            .limit(1)
        ).one()
    panel = ClassificationPanel(ClassificationService(ctx.store), today=lambda: DEMO_TODAY)
    panel.load(account_id)
    layout = panel.layout()
    assert layout is not None
    panel.resize(780, layout.totalHeightForWidth(780) + 8)
    panel.show()
    shots.append(ctx.grab(panel, "card_classification.png"))
    panel.close()
    return shots
