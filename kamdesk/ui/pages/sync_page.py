"""The Sync page: sign-in state, Sync now (F5), first-sync progress, and the Sync issues panel."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kamdesk.db.engine import Store
from kamdesk.errors import KamdeskError
from kamdesk.services.sync_session import SyncSession, list_issues
from kamdesk.settings import Settings
from kamdesk.sync.conflicts import Resolution, resolve
from kamdesk.sync.engine import SyncReport, SyncStatus
from kamdesk.ui.dialogs.sign_in import SignInDialog
from kamdesk.ui.models.sync_issue import SyncIssueModel, value_text
from kamdesk.ui.sync_controller import SyncController
from kamdesk.ui.tasks import TaskRunner
from kamdesk.ui.widgets.sync_status import SyncStatusWidget, error_text, local_time

BANNER_STYLE = "background: #fff4e5; border: 1px solid #f0b429; padding: 8px; color: #5c3c00;"


class SupervisorPanel(QGroupBox):
    """Supervisor/admin only: move an account to another territory (server admin endpoint).

    The manager who loses the account gets its pending edits back as "moved" sync issues."""

    def __init__(self, session: SyncSession, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Supervisor: reassign an account"))
        self.session = session
        self.tasks = tasks
        self.code = QLineEdit(self)
        self.code.setPlaceholderText(self.tr("Account code"))
        self.territory = QComboBox(self)
        self.button = QPushButton(self.tr("Reassign"), self)
        self.button.clicked.connect(self.reassign)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Account code"), self))
        row.addWidget(self.code)
        row.addWidget(QLabel(self.tr("to territory"), self))
        row.addWidget(self.territory, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "Other territories are shown read-only; reassigning moves the account's history."
            ),
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(row)
        layout.addWidget(self.result)

    def load_territories(self) -> None:
        def work(progress: Any, cancel: threading.Event) -> list[tuple[str, str]]:
            return self.session.territories()

        self.tasks.run(work, on_success=self._territories, on_failure=self._failed)

    def _territories(self, rows: list[tuple[str, str]]) -> None:
        self.territory.clear()
        for code, name in rows:
            self.territory.addItem(f"{code} {name}", code)

    def reassign(self) -> None:
        code, territory = self.code.text(), self.territory.currentData()
        if not territory:
            return
        self.button.setEnabled(False)

        def work(progress: Any, cancel: threading.Event) -> dict[str, Any]:
            return self.session.assign_account(code, str(territory))

        self.tasks.run(work, on_success=self._moved, on_failure=self._failed)

    def _moved(self, result: dict[str, Any]) -> None:
        self.button.setEnabled(True)
        self.result.setStyleSheet("")
        self.result.setText(
            self.tr("%1 moved from %2 to %3.")
            .replace("%1", str(result.get("account_code", "")))
            .replace("%2", str(result.get("from_territory", "")))
            .replace("%3", str(result.get("to_territory", "")))
        )

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.result.setStyleSheet("color: #b3261e;")
        code = getattr(exc, "code", "")
        if code == "admin.account_unknown" or code == "validation":
            text = self.tr("No account with that code on the server.")
        elif code == "sync.sign_in.unreachable":
            text = self.tr("The server cannot be reached; try again when online.")
        else:
            text = self.tr("The server refused the reassignment (%1).").replace("%1", code)
        self.result.setText(text)


class SyncPage(QWidget):
    def __init__(
        self, controller: SyncController, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.session: SyncSession = controller.session
        self.tasks = tasks
        title = QLabel(self.tr("Team sync"), self)
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.account = QLabel(self)
        self.sign_in_button = QPushButton(self.tr("Sign in…"), self)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.sign_out_button = QPushButton(self.tr("Sign out"), self)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.sync_button = QPushButton(self.tr("Sync now (F5)"), self)
        self.sync_button.clicked.connect(controller.sync_now)
        top = QHBoxLayout()
        top.addWidget(self.account, 1)
        top.addWidget(self.sign_in_button)
        top.addWidget(self.sign_out_button)
        top.addWidget(self.sync_button)
        self.banner = QLabel(
            self.tr(
                "Sync is paused: the server needs a newer KAMDesk. Your local changes are kept "
                "safely on this laptop and will be sent after you update."
            ),
            self,
        )
        self.banner.setObjectName("upgradeBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.state = QLabel(self)
        self.state.setObjectName("syncState")
        self.state.setWordWrap(True)
        self.phase = QLabel(self)
        self.progress = QProgressBar(self)
        self.phase.hide()
        self.progress.hide()
        issues_title = QLabel(self.tr("Sync issues"), self)
        issues_title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.empty = QLabel(self.tr("No sync issues: everything you changed has been accepted."))
        self.model = SyncIssueModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.keep_button = QPushButton(self.tr("Keep mine"), self)
        self.take_button = QPushButton(self.tr("Take theirs"), self)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.keep_button.clicked.connect(lambda: self.resolve_selected("keep_mine"))
        self.take_button.clicked.connect(lambda: self.resolve_selected("take_theirs"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.issue_error = QLabel(self)
        self.issue_error.setObjectName("issueError")
        self.issue_error.setWordWrap(True)
        self.issue_error.setStyleSheet("color: #b3261e;")
        self.issue_error.hide()
        actions = QHBoxLayout()
        actions.addWidget(self.issue_error, 1)
        actions.addStretch(1)  # keeps the buttons at their size while no error shows
        for button in (self.keep_button, self.take_button, self.edit_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.state)
        layout.addWidget(self.phase)
        layout.addWidget(self.progress)
        layout.addSpacing(8)
        layout.addWidget(issues_title)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.supervisor = SupervisorPanel(self.session, tasks, self)
        self.supervisor.hide()
        layout.addWidget(self.supervisor)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(controller.sync_now)
        controller.started.connect(self._started)
        controller.progressed.connect(self._progressed)
        controller.finished.connect(self._finished)
        controller.failed.connect(self._failed)
        controller.statusChanged.connect(self.show_status)
        self.reload_issues()
        self._update_account()
        self._selection_changed()

    # -- account -----------------------------------------------------------------------------
    def _update_account(self) -> None:
        user = self.session.user() if self.session.signed_in() else None
        if user is None:
            self.account.setText(self.tr("Not signed in. Your work stays on this laptop."))
        else:
            self.account.setText(
                self.tr("Signed in as %1 on %2")
                .replace("%1", user.display_name or user.username)
                .replace("%2", self.session.settings.server_url)
            )
        staff = user is not None and user.is_staff
        if staff and self.supervisor.isHidden():
            self.supervisor.load_territories()
        self.supervisor.setVisible(staff)
        self.sign_in_button.setVisible(user is None)
        self.sign_out_button.setVisible(user is not None)
        self.sync_button.setEnabled(user is not None)

    def sign_in(self) -> None:
        dialog = SignInDialog(self.session, self.tasks, self)
        if dialog.exec():
            self._update_account()
            self.controller.sync_now()

    def sign_out(self) -> None:
        self.controller.cancel()  # a running sync stops at its next checkpoint
        self.session.sign_out()
        self._update_account()
        self.controller.refresh_status()

    # -- progress ----------------------------------------------------------------------------
    def _started(self) -> None:
        self.sync_button.setEnabled(False)
        self.phase.setText(self.tr("Connecting…"))
        self.phase.show()
        self.progress.setRange(0, 0)
        self.progress.show()

    def _progressed(self, phase: str, done: int, total: int) -> None:
        if phase == "push":
            self.phase.setText(
                self.tr("Sending your changes: %1 of %2")
                .replace("%1", str(done))
                .replace("%2", str(total))
            )
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(done, total))
        else:
            self.phase.setText(self.tr("Receiving changes: page %1").replace("%1", str(done)))
            self.progress.setRange(0, 0)

    def _finished(self, report: SyncReport) -> None:
        self.phase.hide()
        self.progress.hide()
        self._update_account()
        self.reload_issues()
        if report.error is None and not report.upgrade_required:
            self.phase.setText(
                self.tr("Sent %1 change(s), received %2.")
                .replace("%1", str(report.pushed))
                .replace("%2", str(report.pulled))
            )
            self.phase.show()

    def _failed(self, error: BaseException) -> None:
        self.phase.hide()
        self.progress.hide()
        self._update_account()

    def show_status(self, status: SyncStatus) -> None:
        self.banner.setVisible(status.upgrade_required)
        parts = [
            self.tr("Last successful sync: %1").replace("%1", local_time(status.last_sync_at)),
            self.tr("%n change(s) waiting to be sent", "", status.pending),
        ]
        if status.last_error and self.session.signed_in():
            parts.append(error_text(status.last_error))
        if not status.initial_sync_done and self.session.signed_in():
            parts.append(self.tr("first sync not finished yet"))
        self.state.setText(" · ".join(parts))
        self.state.setStyleSheet("color: #b3261e;" if status.last_error else "")

    # -- issues ------------------------------------------------------------------------------
    def reload_issues(self) -> None:
        issues = list_issues(self.session.store)
        self.model.set_issues(issues)
        self.empty.setVisible(not issues)
        self.table.setVisible(bool(issues))
        self._selection_changed()

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _selection_changed(self) -> None:
        row = self._selected_row()
        issue = self.model.issue(row) if row is not None else None
        field = issue is not None and bool(issue.conflict.field)
        self.keep_button.setEnabled(issue is not None and issue.conflict.resolvable)
        self.take_button.setEnabled(issue is not None)
        self.edit_button.setEnabled(field)

    def resolve_selected(self, resolution: Resolution) -> bool:
        row = self._selected_row()
        if row is None:
            return False
        try:
            resolve(self.session.store, self.model.issue(row).conflict.id, resolution)
        except KamdeskError as exc:  # shown under the table: no modal box over the work
            self.issue_error.setText(
                self.tr("Cannot resolve: %1").replace("%1", f"{exc.message} [{exc.code}]")
            )
            self.issue_error.show()
            return False
        self.issue_error.hide()
        self.reload_issues()
        self.controller.refresh_status()
        return True

    def edit_selected(self) -> bool:
        row = self._selected_row()
        if row is None:
            return False
        conflict = self.model.issue(row).conflict
        text, ok = QInputDialog.getText(
            self,
            self.tr("Edit the value"),
            self.tr("New value for %1:").replace("%1", conflict.field or ""),
            text=value_text(conflict.your_value),
        )
        if not ok:
            return False
        return self.resolve_selected(("edit", text))


def build_sync_page(store: Store, *, tasks: TaskRunner, settings: Settings) -> SyncPage:
    """The page with its own session and controller (started later by ``start_sync``)."""
    controller = SyncController(SyncSession(store, settings), tasks)
    page = SyncPage(controller, tasks)
    controller.setParent(page)
    return page


def start_sync(window: QMainWindow) -> SyncController | None:
    """Put the sync status in the window's status bar and start background syncing."""
    pages = [p.widget for p in getattr(window, "pages", []) if isinstance(p.widget, SyncPage)]
    if not pages:
        return None
    controller = pages[0].controller
    status = SyncStatusWidget(controller, window)
    window.statusBar().addPermanentWidget(status)
    window.sync_status = status  # type: ignore[attr-defined]
    controller.start()
    return controller
