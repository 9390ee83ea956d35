"""The Advice screen: every ordering-advice item of the territory, filters, working, decisions.

The list is computed off the UI thread (progress bar and Cancel in the header). Enter accepts
the selected item, Delete dismisses it; both are kept as history, and a decided item leaves
the "Open" list until the advice about it changes materially.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kamdesk.db.engine import Store
from kamdesk.domain.ordering import AdviceKind
from kamdesk.errors import KamdeskError
from kamdesk.services.advice import STEPS, AdviceService, AdviceSnapshot
from kamdesk.services.advice_views import AdviceRow, DecisionState
from kamdesk.settings import Settings
from kamdesk.ui.models.advice_models import AdviceFilterModel, AdviceTableModel
from kamdesk.ui.pages.advice_text import kind_name, row_html, severity_name, state_name
from kamdesk.ui.resources import pick_language
from kamdesk.ui.tasks import TaskHandle, TaskRunner


class AdviceTableView(QTableView):
    """Enter accepts, Delete dismisses the current row; arrows move as usual."""

    accept_requested = Signal()
    dismiss_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_requested.emit()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.dismiss_requested.emit()
            return
        super().keyPressEvent(event)


class AdvicePage(QWidget):
    refreshed = Signal()  # a new list is shown
    failed = Signal(str)  # error code
    decided = Signal(str, str)  # advice key, decision

    def __init__(
        self,
        service: AdviceService,
        tasks: TaskRunner,
        *,
        today: Callable[[], date] | None = None,
        chinese: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._today = today or service.today
        self._chinese = chinese
        self._running: TaskHandle | None = None
        self._busy = False
        self.snapshot: AdviceSnapshot | None = None
        self._product_names: dict[str, str] = {}

        self.title = QLabel(self.tr("Ordering advice"), self)
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #566573;")
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.progress.setRange(0, STEPS)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        self.refresh_button = QPushButton(self.tr("Recompute"), self)
        self.refresh_button.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addSpacing(12)
        head.addWidget(self.status, 1)
        head.addWidget(self.progress)
        head.addWidget(self.cancel_button)
        head.addWidget(self.refresh_button)

        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(self.tr("All types"), None)
        for kind in AdviceKind:
            self.kind_combo.addItem(kind_name(kind), kind)
        self.severity_combo = QComboBox(self)
        self.severity_combo.addItem(self.tr("All severities"), None)
        for level in range(5):
            self.severity_combo.addItem(severity_name(level), level)
        self.state_combo = QComboBox(self)
        for state in DecisionState:
            self.state_combo.addItem(state_name(state), state)
        self.state_combo.addItem(self.tr("All decisions"), None)
        self.account_edit = QLineEdit(self)
        self.account_edit.setPlaceholderText(self.tr("Account name or code"))
        self.account_edit.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("Type"), self.kind_combo),
            (self.tr("Severity"), self.severity_combo),
            (self.tr("Decision"), self.state_combo),
            (self.tr("Account"), self.account_edit),
        ):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        for combo in (self.kind_combo, self.severity_combo, self.state_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.account_edit.textChanged.connect(self.apply_filters)

        self.model = AdviceTableModel(self, chinese=chinese)
        self.proxy = AdviceFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = AdviceTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in ((0, 48), (1, 76), (2, 110), (3, 110), (4, 360), (5, 128), (6, 56)):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(AdviceTableModel.REASON, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.accept_requested.connect(self.accept_current)
        self.table.dismiss_requested.connect(self.dismiss_current)

        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        self.accept_button = QPushButton(self.tr("Accept (Enter)"), self)
        self.dismiss_button = QPushButton(self.tr("Dismiss (Del)"), self)
        self.accept_button.clicked.connect(self.accept_current)
        self.dismiss_button.clicked.connect(self.dismiss_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.detail, 1)
        side_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([820, 300])

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self._set_buttons(None)
        self.table.setColumnHidden(AdviceTableModel.STATE, True)  # "open" is the default
        self.status.setText(self.tr("Not computed yet."))

    # -- computing ---------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.snapshot is None and not self._busy:
            self.refresh()

    def refresh(self) -> None:
        if self._busy:
            return
        today = self._today()
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.refresh_button.setEnabled(False)
        self.status.setText(self.tr("Computing the advice…"))

        def work(progress: Any, cancel: Any) -> AdviceSnapshot:
            return self._service.advise(today, progress=progress, cancel=cancel)

        self._busy = True
        handle = self._tasks.run(
            work,
            on_success=self._show,
            on_failure=self._failed,
            on_progress=self._progressed,
        )
        if self._busy:  # an inline runner has already finished it
            self._running = handle

    def cancel(self) -> None:
        if self._running is not None:
            self._running.cancel()

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, total))

    def _finish(self) -> None:
        self._busy = False
        self._running = None
        self.progress.hide()
        self.cancel_button.hide()
        self.refresh_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, KamdeskError):
            if exc.code == "advice.cancelled":
                self.status.setText(self.tr("Cancelled; the previous list is still shown."))
            else:
                self.status.setText(
                    self.tr("The advice could not be computed: %1").replace(
                        "%1", f"{exc.message} [{exc.code}]"
                    )
                )
            self.failed.emit(exc.code)
            return
        self.failed.emit("error")
        raise exc

    def _show(self, snapshot: AdviceSnapshot) -> None:
        self._finish()
        self.snapshot = snapshot
        self._product_names = {pid: p.name for pid, p in snapshot.run.products.items()}
        self.model.set_rows(snapshot.rows)
        self.proxy.sort(-1)
        run = snapshot.run
        self.status.setText(
            self.tr("%1 accounts · as of %2 · computed in %3 s")
            .replace("%1", str(len(run.territory.accounts)))
            .replace("%2", snapshot.today.isoformat())
            .replace("%3", f"{run.db_load_s + run.engine_s:.1f}")
        )
        self._update_count()
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.select_row(0)
        self.refreshed.emit()

    # -- filters and selection ---------------------------------------------------------------
    def apply_filters(self) -> None:
        # combo data comes back as plain str/int: turn it into the enums again
        kind, severity, state = (
            self.kind_combo.currentData(),
            self.severity_combo.currentData(),
            self.state_combo.currentData(),
        )
        # one decision state shown: its column says nothing
        self.table.setColumnHidden(AdviceTableModel.STATE, state is not None)
        self.proxy.set_filters(
            kind=AdviceKind(kind) if kind is not None else None,
            severity=int(severity) if severity is not None else None,
            state=DecisionState(state) if state is not None else None,
            account_text=self.account_edit.text(),
        )
        self._update_count()
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.select_row(0)
        elif not self.proxy.rowCount():
            self._current_changed(QModelIndex(), QModelIndex())

    def _update_count(self) -> None:
        self.count_label.setText(
            self.tr("%1 of %2 items")
            .replace("%1", f"{self.proxy.rowCount():,}")
            .replace("%2", f"{self.model.rowCount():,}")
        )

    def select_row(self, proxy_row: int) -> None:
        index = self.proxy.index(proxy_row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def current_row(self) -> AdviceRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.current_row() if current.isValid() else None
        self._set_buttons(row)
        if row is None:
            self.detail.setHtml(
                "<p style='color:#566573'>" + self.tr("Select an item to see its working.") + "</p>"
            )
            return
        self.detail.setHtml(row_html(row, self._chinese, self._product_names))

    def _set_buttons(self, row: AdviceRow | None) -> None:
        self.accept_button.setEnabled(row is not None and row.state is not DecisionState.ACCEPTED)
        self.dismiss_button.setEnabled(row is not None and row.state is not DecisionState.DISMISSED)

    # -- decisions ---------------------------------------------------------------------------
    def accept_current(self) -> None:
        self._decide(DecisionState.ACCEPTED)

    def dismiss_current(self) -> None:
        self._decide(DecisionState.DISMISSED)

    def _decide(self, decision: DecisionState) -> None:
        index = self.table.currentIndex()
        if not index.isValid() or self.snapshot is None:
            return
        proxy_row = index.row()
        source_row = self.proxy.mapToSource(index).row()
        row = self.model.row_at(source_row)
        if row.state is decision:
            return
        try:
            new = self._service.decide(row, decision, today=self.snapshot.today)
        except KamdeskError as exc:
            self.status.setText(f"{exc.message} [{exc.code}]")
            self.failed.emit(exc.code)
            return
        self.model.replace(source_row, new)  # the proxy drops it when filtered by state
        self._update_count()
        if self.proxy.rowCount():
            self.select_row(min(proxy_row, self.proxy.rowCount() - 1))
        else:
            self._current_changed(QModelIndex(), QModelIndex())
        self.decided.emit(row.key, decision.value)

    @property
    def service(self) -> AdviceService:
        """Shared with the account card's AdvicePanel, so both use one cached run."""
        return self._service


def build_advice_page(
    store: Store,
    *,
    tasks: TaskRunner,
    settings: Settings,
    service: AdviceService | None = None,
) -> AdvicePage:
    chinese = pick_language(settings.language) != "en"
    return AdvicePage(service or AdviceService(store), tasks, chinese=chinese)
