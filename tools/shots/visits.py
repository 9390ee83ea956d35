"""The visit form with the stock count partly filled, and the Today panel, in Chinese."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QDateTime
from sqlalchemy import func, select

from tools.shots.context import DEMO_NOW, ShotContext, inline_tasks


def take(ctx: ShotContext) -> list[Path]:
    from kamdesk.db.models import StockCount
    from kamdesk.ui.dialogs.visit_form import VisitFormDialog
    from kamdesk.ui.dialogs.visit_services import VisitServices
    from kamdesk.ui.tasks import TaskRunner
    from kamdesk.ui.widgets.today_panel import TodayPanel

    now = DEMO_NOW
    services = VisitServices.from_store(ctx.store, now=lambda: now)
    with ctx.store.session() as session:
        account_id = str(
            session.scalars(
                select(StockCount.account_id)
                .group_by(StockCount.account_id)
                .order_by(func.count().desc(), StockCount.account_id)
                .limit(1)
            ).one()
        )
    shots: list[Path] = []

    dialog = VisitFormDialog(services, account_id)
    dialog.confirm_discard = lambda: True
    dialog.start_edit.setDateTime(QDateTime(now.replace(tzinfo=None, minute=15)))
    model = dialog.count_model
    for row in range(min(9, model.rowCount())):
        previous = model.line(row).previous_quantity or 0
        model.set_count(row, max(previous + (row % 3) - 1, 0))
    dialog.grid.setCurrentIndex(dialog.grid.count_cell(9))
    dialog.checks["display_ok"].setChecked(True)
    dialog.checks["price_compliant"].setChecked(True)
    dialog.sell_through.setCurrentIndex(dialog.sell_through.findData("normal"))
    dialog.repurchase.setCurrentIndex(dialog.repurchase.findData("high"))
    dialog.comments.setText("细支新品口感偏淡，中年顾客更认老品")
    dialog.summary.setPlainText("调整了柜台陈列，说明了节前备货建议；老板反映周末客流增加。")
    dialog.follow_ups.title.setText("送新品价目表")
    dialog.follow_ups.due.setDate(QDate(2026, 11, 26))
    dialog.follow_ups.add_current()
    dialog.show()
    shots.append(ctx.grab(dialog, "visit_form.png"))
    dialog.close()

    with inline_tasks():
        panel = TodayPanel(services, TaskRunner())
        panel.refresh()
    panel.resize(620, 720)
    panel.show()
    shots.append(ctx.grab(panel, "today_panel.png"))
    panel.close()
    return shots
