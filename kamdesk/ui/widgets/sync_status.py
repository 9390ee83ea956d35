"""Status-bar widget: last sync time, pending changes, error state; click to sync now."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QToolButton, QWidget

from kamdesk.sync.engine import SyncReport, SyncStatus
from kamdesk.ui.sync_controller import SyncController


def error_text(code: str | None) -> str:
    """Words for the sync client's error codes (shared by the page and the status bar)."""
    if code is None:
        return ""
    if code == "sync.offline":
        return QCoreApplication.translate("sync", "Server unreachable")
    if code == "sync.auth":
        return QCoreApplication.translate("sync", "Sign in again")
    if code.startswith("sync."):
        return QCoreApplication.translate("sync", "The server refused sync")
    return QCoreApplication.translate("sync", "Sync failed")


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return QCoreApplication.translate("sync", "never")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


class SyncStatusWidget(QToolButton):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAutoRaise(True)
        self.controller = controller
        self.status: SyncStatus | None = None
        self.syncing = False
        self.clicked.connect(controller.sync_now)
        controller.statusChanged.connect(self.show_status)
        controller.started.connect(self._started)
        controller.finished.connect(self._finished)
        self.setToolTip(self.tr("Click to sync now (F5)"))
        self.setText(self.tr("Not synced yet"))

    def _started(self) -> None:
        self.syncing = True
        self.setText(self.tr("Syncing…"))

    def _finished(self, _report: SyncReport) -> None:
        self.syncing = False

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        if self.syncing:
            return
        parts: list[str] = []
        if status.upgrade_required:
            parts.append(self.tr("Sync paused: update KAMDesk"))
        elif not self.controller.session.signed_in():
            parts.append(self.tr("Not signed in"))
        elif status.last_error:
            parts.append(error_text(status.last_error))
        else:
            parts.append(self.tr("Synced %1").replace("%1", local_time(status.last_sync_at)))
        parts.append(self.tr("%n pending change(s)", "", status.pending))
        if status.open_issues:
            parts.append(self.tr("%n sync issue(s)", "", status.open_issues))
        self.setText(" · ".join(parts))
        error = bool(status.last_error or status.upgrade_required)
        self.setProperty("error", error)
        self.setStyleSheet("color: #b3261e;" if error else "")
