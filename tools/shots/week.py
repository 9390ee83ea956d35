"""The week view in Chinese: planned routes per day and the offline map."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDockWidget

from tools.shots.context import ShotContext, inline_tasks


def take(ctx: ShotContext) -> list[Path]:
    from kamdesk.ui.pages.week import WeekPage

    page = ctx.window.show_page("week")
    assert isinstance(page, WeekPage)
    ctx.settle()
    with inline_tasks():  # plan synchronously so the shot shows the result
        page.plan()
    if page.outcome is not None and page.outcome.days and page.outcome.days[0].visit_stops:
        first = page.outcome.days[0].visit_stops[0].visit_id
        if first:
            page.board.select(first)
            page.map.highlight(first)
    # five day columns and the map need the width: close the Today dock (F9) for this shot
    dock = ctx.window.findChild(QDockWidget, "todayDock")
    if dock is not None:
        dock.hide()
    try:
        return [ctx.grab(ctx.window, "week_view.png")]
    finally:
        if dock is not None:
            dock.show()
