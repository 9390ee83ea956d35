"""The Today panel: reminders due today and overdue, today's planned visits, quick actions.

Reminders are regenerated (``ReminderService.refresh``) off the UI thread at start-up and every
hour; the panel then reloads and hands the due list to the desktop notifier.
``install_today_dock(window, services, tasks=...)`` puts it in a right-side dock (F9).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.reminders import ReorderItem
from kamdesk.errors import KamdeskError
from kamdesk.services.reminder_feed import PlannedStop, planned_stops
from kamdesk.services.reminders import ReminderRow
from kamdesk.ui.dialogs.visit_form import open_visit_form
from kamdesk.ui.dialogs.visit_services import VisitServices
from kamdesk.ui.models.reminder_table import ReminderTableModel, TodayStopsModel
from kamdesk.ui.notifications import (
    DesktopNotifier,
    NotificationThrottle,
    notifications_enabled,
    set_notifications_enabled,
)
from kamdesk.ui.tasks import TaskRunner

REFRESH_MS = 60 * 60 * 1000
ReorderSource = Callable[[date], Sequence[ReorderItem]]


def _table(parent: QWidget, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.setWordWrap(False)
    return view


class TodayPanel(QWidget):
    openAccount = Signal(str)
    visitRecorded = Signal(str)
    remindersLoaded = Signal(object)  # list[ReminderRow]

    def __init__(
        self,
        services: VisitServices,
        tasks: TaskRunner,
        *,
        reorders: ReorderSource | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("todayPanel")
        self._services = services
        self._tasks = tasks
        self._reorders = reorders
        # the visit form is modal; tests replace this to drive it
        self.open_form: Callable[[str, PlannedStop | None], str | None] = lambda account_id, stop: (
            open_visit_form(self, services, account_id, stop)
        )
        self.heading = QLabel(self)
        self.heading.setObjectName("todayHeading")
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #666;")
        self.reminder_model = ReminderTableModel(self)
        self.reminders = _table(self, "todayReminders")
        self.reminders.setModel(self.reminder_model)
        header = self.reminders.horizontalHeader()
        header.setSectionResizeMode(
            ReminderTableModel.KIND, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(ReminderTableModel.DUE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReminderTableModel.ACCOUNT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ReminderTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(ReminderTableModel.ACCOUNT, 130)
        self.reminders.doubleClicked.connect(lambda _i: self.open_selected_account())

        self.done_button = QPushButton(self.tr("Done (Space)"), self)
        self.tomorrow_button = QPushButton(self.tr("Tomorrow"), self)
        self.next_week_button = QPushButton(self.tr("Next week"), self)
        self.account_button = QPushButton(self.tr("Open account"), self)
        self.done_button.clicked.connect(self.mark_selected_done)
        self.tomorrow_button.clicked.connect(lambda: self.snooze_selected(1))
        self.next_week_button.clicked.connect(lambda: self.snooze_selected(7))
        self.account_button.clicked.connect(self.open_selected_account)
        self.reminders.installEventFilter(self)  # Space marks the selected reminder done
        actions = QHBoxLayout()
        for button in (
            self.done_button,
            self.tomorrow_button,
            self.next_week_button,
            self.account_button,
        ):
            button.setAutoDefault(False)
            actions.addWidget(button)
        actions.addStretch(1)

        self.stops_title = QLabel(self)
        self.stops_model = TodayStopsModel(self)
        self.stops = _table(self, "todayStops")
        self.stops.setModel(self.stops_model)
        stops_header = self.stops.horizontalHeader()
        stops_header.setSectionResizeMode(
            TodayStopsModel.TIME, QHeaderView.ResizeMode.ResizeToContents
        )
        stops_header.setSectionResizeMode(TodayStopsModel.ACCOUNT, QHeaderView.ResizeMode.Stretch)
        stops_header.setSectionResizeMode(
            TodayStopsModel.PURPOSE, QHeaderView.ResizeMode.ResizeToContents
        )
        self.stops.doubleClicked.connect(lambda _i: self.record_visit())
        # one list selected at a time, so "Record visit" knows which account is meant
        self.stops.clicked.connect(lambda _i: self.reminders.clearSelection())
        self.reminders.clicked.connect(lambda _i: self.stops.clearSelection())
        self.visit_button = QPushButton(self.tr("Record visit…"), self)
        self.visit_button.setObjectName("recordVisit")
        self.visit_button.setAutoDefault(False)
        self.visit_button.clicked.connect(self.record_visit)

        self.notify_toggle = QAction(self.tr("Desktop notifications"), self)
        self.notify_toggle.setCheckable(True)
        self.notify_toggle.setChecked(notifications_enabled())
        self.notify_toggle.toggled.connect(set_notifications_enabled)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.reminders, 3)
        layout.addLayout(actions)
        layout.addWidget(self.stops_title)
        layout.addWidget(self.stops, 2)
        layout.addStretch(0)
        visit_row = QHBoxLayout()
        visit_row.addWidget(self.visit_button)
        visit_row.addStretch(1)
        visit_row.addWidget(self.status)
        notify_button = QToolButton(self)
        notify_button.setObjectName("notifyToggle")
        notify_button.setDefaultAction(self.notify_toggle)
        notify_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        visit_row.addWidget(notify_button)
        layout.addLayout(visit_row)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.reminders
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
        ):
            self.mark_selected_done()
            return True
        return super().eventFilter(watched, event)

    # -- loading -------------------------------------------------------------------------------
    def today(self) -> date:
        return self._services.today()

    def reload(self) -> None:
        """Read due reminders and today's plan (quick reads) and show them."""
        today = self.today()
        rows = self._services.reminders.due(today)
        self.reminder_model.set_rows(rows, today)
        stops = planned_stops(self._services.store, today)
        self.stops_model.set_stops(stops)
        self.stops.setVisible(bool(stops))  # an empty table says less than the line above it
        overdue = sum(r.due_on < today for r in rows)
        self.heading.setText(
            "<b>"
            + self.tr("Today, %1").replace("%1", today.isoformat())
            + "</b>  "
            + self.tr("%n reminder(s) due", "", len(rows))
            + (("，" + self.tr("%n overdue", "", overdue)) if overdue else "")
        )
        self.stops_title.setText(
            "<b>" + self.tr("Planned visits today (%n)", "", len(stops)) + "</b>"
            if stops
            else "<b>" + self.tr("No visits planned for today") + "</b>"
        )
        if rows and not self.reminders.currentIndex().isValid():
            self.reminders.selectRow(0)
        self.remindersLoaded.emit(rows)

    def refresh(self) -> None:
        """Regenerate reminders in the background, then reload."""
        today = self.today()
        reminders = self._services.reminders
        reorders = self._reorders

        def work(progress: Any = None, cancel: Any = None) -> int:
            items = list(reorders(today)) if reorders is not None else []
            return reminders.refresh(today, reorders=items)

        self.status.setText(self.tr("Updating reminders…"))
        self._tasks.run(work, on_success=self._refreshed, on_failure=self._failed)

    def start(self) -> None:
        """Refresh now and every hour after."""
        self.refresh()
        self.timer.start()

    def _refreshed(self, added: object) -> None:
        self.status.setText(self.tr("%n new reminder(s)", "", int(added)) if added else "")  # type: ignore[call-overload]
        self.reload()

    def _failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, KamdeskError) else str(error)
        self.status.setText(self.tr("Reminders could not be updated: %1").replace("%1", message))

    # -- actions -------------------------------------------------------------------------------
    def selected_reminder(self) -> ReminderRow | None:
        index = self.reminders.currentIndex()
        if not index.isValid():
            return None
        return self.reminder_model.row_at(index.row())

    def _after_change(self, row: int) -> None:
        self.reload()
        count = self.reminder_model.rowCount()
        if count:
            self.reminders.selectRow(min(row, count - 1))

    def mark_selected_done(self) -> None:
        selected = self.selected_reminder()
        if selected is None:
            return
        row = self.reminders.currentIndex().row()
        self._services.reminders.mark_done(selected.id)
        self._after_change(row)

    def snooze_selected(self, days: int) -> None:
        selected = self.selected_reminder()
        if selected is None:
            return
        row = self.reminders.currentIndex().row()
        self._services.reminders.snooze(selected.id, self.today() + timedelta(days=days))
        self._after_change(row)

    def open_selected_account(self) -> None:
        selected = self.selected_reminder()
        if selected is not None and selected.account_id:
            self.openAccount.emit(selected.account_id)

    def record_visit(self) -> None:
        """Record a visit: the selected planned stop, else the selected reminder's account."""
        stop: PlannedStop | None = None
        if self.stops.selectionModel().hasSelection():
            stop = self.stops_model.stop_at(self.stops.currentIndex().row())
        account_id = stop.account_id if stop is not None else None
        if account_id is None:
            reminder = self.selected_reminder()
            account_id = reminder.account_id if reminder is not None else None
        if not account_id:
            self.status.setText(self.tr("Select a planned visit or a reminder of an account."))
            return
        visit_id = self.open_form(account_id, stop)
        if visit_id:
            self.visitRecorded.emit(visit_id)
            self.reload()


def install_today_dock(
    window: QMainWindow,
    services: VisitServices,
    *,
    tasks: TaskRunner | None = None,
    reorders: ReorderSource | None = None,
    open_account: Callable[[str], object] | None = None,
    notifier: DesktopNotifier | None = None,
    start_after_ms: int | None = 3000,
) -> TodayPanel:
    """Add the Today panel as a right-side dock (F9 toggles it) with desktop notifications.

    The first refresh waits ``start_after_ms`` so the window paints first (None: not started,
    0: refresh now), then repeats hourly."""
    panel = TodayPanel(services, tasks or TaskRunner(), reorders=reorders)
    dock = QDockWidget(QCoreApplication.translate("TodayPanel", "Today"), window)
    dock.setObjectName("todayDock")
    dock.setWidget(panel)
    dock.setAllowedAreas(
        Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
    )
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    toggle = dock.toggleViewAction()
    toggle.setShortcut(QKeySequence(Qt.Key.Key_F9))
    window.addAction(toggle)
    window.addAction(panel.notify_toggle)

    def show_account(account_id: str) -> None:
        if open_account is not None:
            open_account(account_id)
            return
        show_page = getattr(window, "show_page", None)
        if show_page is None:
            return
        page = show_page("accounts")
        opener = getattr(page, "open_account", None)
        if callable(opener):
            opener(account_id)

    panel.openAccount.connect(show_account)
    if notifier is None:
        notifier = DesktopNotifier(
            window, NotificationThrottle(services.now), enabled=panel.notify_toggle.isChecked()
        )
    panel.notify_toggle.toggled.connect(lambda on: setattr(notifier, "enabled", on))
    panel.remindersLoaded.connect(notifier.notify)
    panel.notifier = notifier  # type: ignore[attr-defined]
    window.today_panel = panel  # type: ignore[attr-defined]
    # other pages (account card, week) open the visit form with the same services
    window.visit_services = services  # type: ignore[attr-defined]
    if start_after_ms == 0:
        panel.start()
    elif start_after_ms is not None:
        QTimer.singleShot(start_after_ms, panel, panel.start)
    return panel
