"""The Exports tab of the Reports page (dossiers and the route brief as PDF)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTabWidget

from kamdesk.ui.pages.reports_exports import ExportsPanel
from tools.shots.context import ShotContext


def take(ctx: ShotContext) -> list[Path]:
    reports = ctx.window.show_page("reports")
    assert isinstance(reports, QTabWidget)
    panel = next(
        reports.widget(i)
        for i in range(reports.count())
        if isinstance(reports.widget(i), ExportsPanel)
    )
    assert isinstance(panel, ExportsPanel)
    reports.setCurrentWidget(panel)
    panel.code.setText("HF000002")
    # the status line as it reads after a dossier was saved
    saved = panel.controller.tr("Dossier saved to %1")
    panel.status.setText(saved.replace("%1", "~/文档/HF000002_旺鼎生活超市_客户档案.pdf"))
    return [ctx.grab(ctx.window, "exports_panel.png")]
