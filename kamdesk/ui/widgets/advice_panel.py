"""The account card's advice panel: the shop's current advice and suggested order lines.

``load(account_id)`` reads from the advice service's cached territory run (computed off the
UI thread the first time), so the card opens instantly once the Advice screen has run.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kamdesk.errors import KamdeskError
from kamdesk.services.advice import AccountAdviceView, AdviceService
from kamdesk.services.advice_views import DecisionState
from kamdesk.ui.models.advice_models import AdviceFilterModel, AdviceTableModel, OrderLinesModel
from kamdesk.ui.pages.advice_text import money, order_html
from kamdesk.ui.tasks import TaskHandle, TaskRunner


def _table(parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    return view


class AdvicePanel(QWidget):
    loaded = Signal(str)  # account id
    failed = Signal(str)  # error code

    def __init__(
        self,
        service: AdviceService,
        tasks: TaskRunner,
        *,
        today: date | None = None,
        chinese: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._today = today
        self._chinese = chinese
        self._running: TaskHandle | None = None
        self._pending: str | None = None
        self._busy = False
        self.view: AccountAdviceView | None = None

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.advice_label = QLabel(self.tr("Advice"), self)
        self.advice_label.setStyleSheet("font-weight: bold;")
        self.advice_model = AdviceTableModel(self, chinese=chinese)
        self.advice_proxy = AdviceFilterModel(self)
        self.advice_proxy.setSourceModel(self.advice_model)
        self.advice_proxy.set_filters(state=DecisionState.OPEN)
        self.advice_table = _table(self)
        self.advice_table.setModel(self.advice_proxy)
        for col in (AdviceTableModel.ACCOUNT, AdviceTableModel.STATE):
            self.advice_table.setColumnHidden(col, True)
        header = self.advice_table.horizontalHeader()
        for col, width in ((0, 56), (1, 84), (3, 120), (5, 128)):
            self.advice_table.setColumnWidth(col, width)
        header.setSectionResizeMode(AdviceTableModel.REASON, QHeaderView.ResizeMode.Stretch)

        self.orders_label = QLabel(self.tr("Suggested order"), self)
        self.orders_label.setStyleSheet("font-weight: bold;")
        self.orders_model = OrderLinesModel(self, chinese=chinese)
        self.orders_table = _table(self)
        self.orders_table.setModel(self.orders_model)
        for col, width in ((0, 130), (1, 120), (2, 90), (3, 70)):
            self.orders_table.setColumnWidth(col, width)
        self.orders_table.horizontalHeader().setSectionResizeMode(
            OrderLinesModel.REASON, QHeaderView.ResizeMode.Stretch
        )
        self.orders_table.selectionModel().currentRowChanged.connect(self._line_changed)
        self.working = QTextBrowser(self)
        self.working.setMaximumHeight(220)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.advice_label)
        layout.addWidget(self.advice_table, 2)
        layout.addWidget(self.orders_label)
        layout.addWidget(self.orders_table, 2)
        layout.addWidget(self.working, 1)
        self.summary.setText(self.tr("Choose an account to see its ordering advice."))

    def load(self, account_id: str) -> None:
        """Show ``account_id``'s advice (computing the territory run off the UI thread)."""
        if self._busy:
            self._pending = account_id  # the newest request wins
            return
        self.summary.setText(self.tr("Computing the advice…"))

        def work(progress: Any, cancel: Any) -> AccountAdviceView:
            return self._service.account_advice(
                account_id, self._today, progress=progress, cancel=cancel
            )

        self._busy = True
        handle = self._tasks.run(work, on_success=self._show, on_failure=self._failed)
        if self._busy:  # an inline runner has already finished it
            self._running = handle

    def _next(self) -> None:
        self._busy = False
        self._running = None
        pending, self._pending = self._pending, None
        if pending is not None:
            self.load(pending)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, KamdeskError):
            self._next()
            raise exc
        self.summary.setText(
            self.tr("The advice could not be computed: %1").replace(
                "%1", f"{exc.message} [{exc.code}]"
            )
        )
        self.failed.emit(exc.code)
        self._next()

    def _show(self, view: AccountAdviceView) -> None:
        self.view = view
        self.advice_model.set_rows(view.rows)
        self.orders_model.set_lines(view.orders)
        self.working.clear()
        if not view.advised:
            self.summary.setText(
                self.tr("%1 has no ordering history yet, so there is no advice.").replace(
                    "%1", view.account_name
                )
            )
        else:
            margin = view.margin.monthly_margin if view.margin is not None else 0.0
            self.summary.setText(
                self.tr("<b>%1</b> · order %2 · monthly margin ≈ %3 · debt %4 · %5 open items")
                .replace("%1", view.account_name)
                .replace("%2", money(view.order_value_fen))
                .replace("%3", money(round(margin * 100)))
                .replace("%4", money(view.debt_fen))
                .replace("%5", str(self.advice_proxy.rowCount()))
            )
        if self.orders_model.rowCount():
            self.orders_table.selectRow(0)
        self.loaded.emit(view.account_id)
        self._next()

    def _line_changed(self, current: Any, _previous: Any) -> None:
        if not current.isValid():
            self.working.clear()
            return
        line = self.orders_model.line_at(current.row())
        self.working.setHtml(order_html(line, self._chinese))
