"""The Advice screen and an account's advice panel, in Chinese."""

from __future__ import annotations

from pathlib import Path

from tools.shots.context import ShotContext, inline_tasks


def take(ctx: ShotContext) -> list[Path]:
    from kamdesk.domain.ordering import AdviceKind
    from kamdesk.ui.pages.advice import AdvicePage
    from kamdesk.ui.tasks import TaskRunner
    from kamdesk.ui.widgets.advice_panel import AdvicePanel

    ctx.settle()  # a run the window may have started in the background
    with inline_tasks():  # compute synchronously so the shot shows the result
        page = ctx.window.show_page("advice")
        assert isinstance(page, AdvicePage)
        if page.snapshot is None:
            page.refresh()
        # show the working of a reorder item that comes with a suggested order
        page.kind_combo.setCurrentIndex(page.kind_combo.findData(AdviceKind.REORDER_NOW))
        for row in range(page.proxy.rowCount()):
            item = page.model.row_at(page.proxy.mapToSource(page.proxy.index(row, 0)).row())
            if item.order is not None and item.order.qty > 0:
                page.select_row(row)
                break
        page.kind_combo.setCurrentIndex(0)
        page.table.scrollTo(page.table.currentIndex())
        shots = [ctx.grab(ctx.window, "advice_screen.png")]
        current = page.current_row()
        account_id = current.account_id if current else page.model.row_at(0).account_id
        panel = AdvicePanel(page.service, TaskRunner(), chinese=True)
        panel.resize(1000, 760)
        panel.show()
        panel.load(account_id)
        shots.append(ctx.grab(panel, "advice_panel.png"))
        panel.close()
    return shots
