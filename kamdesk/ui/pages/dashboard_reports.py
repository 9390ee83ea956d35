"""The Reports page: tabs, with the portfolio dashboard first; exports add their own tabs."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QTabWidget, QWidget

from kamdesk.db.engine import Store
from kamdesk.services.classification import ClassificationService
from kamdesk.services.portfolio import PortfolioService
from kamdesk.settings import Settings
from kamdesk.ui.pages.dashboard import DashboardPage
from kamdesk.ui.resources import pick_language
from kamdesk.ui.tasks import TaskRunner


class ReportsPage(QTabWidget):
    def __init__(self, dashboard: DashboardPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.dashboard = dashboard
        self.addTab(dashboard, self.tr("Portfolio dashboard"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setTabText(self.indexOf(self.dashboard), self.tr("Portfolio dashboard"))
        super().changeEvent(event)

    def add_report(self, widget: QWidget, title: str) -> int:
        """Add another report area (e.g. dossier exports) as a tab; returns its index."""
        return self.addTab(widget, title)


def build_reports_page(store: Store, *, tasks: TaskRunner, settings: Settings) -> ReportsPage:
    """The Reports page with its services (composition helper for ui/app.py)."""
    chinese = pick_language(settings.language) != "en"
    dashboard = DashboardPage(
        PortfolioService(store), ClassificationService(store), tasks, chinese=chinese
    )
    return ReportsPage(dashboard)
