"""Portfolio dashboard: Pareto curve, tier / format / stage mix, debt ageing, sales anomalies.

A refresh runs off the UI thread: it reclassifies first when purchases, visits or accounts
changed since the last run, then reads a PortfolioSnapshot and draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.explain import format_cny, format_pct
from kamdesk.errors import KamdeskError
from kamdesk.services.classification import ClassificationService
from kamdesk.services.portfolio import DEBT_BUCKETS, PortfolioService, PortfolioSnapshot
from kamdesk.ui import labels
from kamdesk.ui.pages.dashboard_models import AnomalyTableModel
from kamdesk.ui.tasks import TaskHandle, TaskRunner
from kamdesk.ui.widgets.charts import (
    TIER_COLOURS,
    ChartView,
    bar_chart,
    pareto_chart,
    pie_chart,
)


class DashboardPage(QWidget):
    refreshed = Signal()  # a snapshot was drawn
    failed = Signal(str)  # error code of a failed refresh

    def __init__(
        self,
        portfolio: PortfolioService,
        classification: ClassificationService,
        tasks: TaskRunner,
        *,
        today: Callable[[], date] = date.today,
        chinese: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._portfolio = portfolio
        self._classification = classification
        self._tasks = tasks
        self._today = today
        self._chinese = chinese
        self._running: TaskHandle | object | None = None
        self._again = False
        self.snapshot: PortfolioSnapshot | None = None

        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #566573;")
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addSpacing(12)
        head.addWidget(self.status, 1)
        head.addWidget(self.refresh_button)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setStyleSheet(
            "QLabel { background: #f4f6f7; border: 1px solid #d5d8dc; border-radius: 4px;"
            " padding: 8px; }"
        )
        self.pareto_view = ChartView(parent=self)
        self.tier_view = ChartView(parent=self)
        self.stage_view = ChartView(parent=self)
        self.format_view = ChartView(parent=self)
        self.debt_view = ChartView(parent=self)
        charts = QWidget(self)
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.pareto_view, 0, 0)
        grid.addWidget(self.tier_view, 0, 1)
        grid.addWidget(self.stage_view, 0, 2)
        grid.addWidget(self.format_view, 1, 0)
        grid.addWidget(self.debt_view, 1, 1)
        grid.addWidget(self.summary, 1, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)

        self.anomaly_label = QLabel(self)
        self.anomaly_label.setStyleSheet("font-weight: bold;")
        self.anomalies = AnomalyTableModel(self, chinese=chinese)
        self.anomaly_table = QTableView(self)
        self.anomaly_table.setModel(self.anomalies)
        self.anomaly_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.anomaly_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.anomaly_table.setAlternatingRowColors(True)
        self.anomaly_table.verticalHeader().setVisible(False)
        header = self.anomaly_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.anomaly_label)
        lower_layout.addWidget(self.anomaly_table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(charts)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Portfolio"))
        self.refresh_button.setText(self.tr("Refresh"))
        if self.snapshot is None:
            self.anomaly_label.setText(self.tr("Sales anomalies"))
        else:
            self.render(self.snapshot)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- loading ---------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.snapshot is None and self._running is None:
            self.refresh()

    def refresh(self) -> None:
        """Reclassify if the data changed, then reload the snapshot, in the background."""
        if self._running is not None:
            self._again = True  # one more pass when this one ends, with the newest data
            return
        as_of = self._today()
        classification, portfolio = self._classification, self._portfolio

        def work(progress: Any, cancel: Any) -> PortfolioSnapshot:
            classification.reclassify_if_stale(as_of, progress=progress, cancel=cancel)
            return portfolio.snapshot(as_of, cancel=cancel)

        self.status.setText(self.tr("Refreshing…"))
        self.refresh_button.setEnabled(False)
        token = object()  # inline runners finish before run() returns: keep what _finish set
        self._running = token
        handle = self._tasks.run(work, on_success=self._loaded, on_failure=self._failed)
        if self._running is token:
            self._running = handle

    def _finish(self) -> None:
        self._running = None
        self.refresh_button.setEnabled(True)
        if self._again:
            self._again = False
            self.refresh()

    def _loaded(self, snapshot: PortfolioSnapshot) -> None:
        self.render(snapshot)
        self._finish()
        self.refreshed.emit()

    def _failed(self, error: BaseException) -> None:
        code = error.code if isinstance(error, KamdeskError) else "error"
        message = error.message if isinstance(error, KamdeskError) else str(error)
        self.status.setText(self.tr("Refresh failed: %1").replace("%1", f"{message} [{code}]"))
        self._finish()
        self.failed.emit(code)

    # -- drawing ---------------------------------------------------------------------------
    def render(self, snap: PortfolioSnapshot) -> None:
        self.snapshot = snap
        p = snap.pareto
        cuts = [
            (self.tr("A cut-off"), p.a_accounts, p.a_value),
            (self.tr("B cut-off"), p.ab_accounts, p.ab_value),
        ]
        self.pareto_view.replace_chart(
            pareto_chart(
                self.tr("Pareto curve (12-month purchases)"),
                p.account_share,
                p.value_share,
                cuts,
                x_title=self.tr("Share of accounts"),
                y_title=self.tr("Share of value"),
                curve_name=self.tr("Cumulative share of value"),
            )
        )
        tiers = sorted(snap.tiers.counts)
        self.tier_view.replace_chart(
            pie_chart(
                self.tr("ABC tiers"),
                [(code, self.tr("%1 tier").replace("%1", code), n) for code, n in tiers],
                TIER_COLOURS,
            )
        )
        self.stage_view.replace_chart(
            bar_chart(
                self.tr("Lifecycle stages"),
                [labels.lifecycle(code) for code, _ in snap.stages.counts],
                [n for _, n in snap.stages.counts],
                series_name=self.tr("Accounts"),
            )
        )
        self.format_view.replace_chart(
            bar_chart(
                self.tr("Business formats"),
                [labels.business_format(code) for code, _ in snap.formats.counts],
                [n for _, n in snap.formats.counts],
                series_name=self.tr("Accounts"),
            )
        )
        bucket_names = {
            DEBT_BUCKETS[0]: self.tr("0–30 days"),
            DEBT_BUCKETS[1]: self.tr("31–60 days"),
            DEBT_BUCKETS[2]: self.tr("61–90 days"),
            DEBT_BUCKETS[3]: self.tr("Over 90 days"),
        }
        # in units of ¥10,000 (万元), the unit managers read debt in; keeps the axis narrow
        self.debt_view.replace_chart(
            bar_chart(
                self.tr("Outstanding debt by age (¥10,000)"),
                [bucket_names[code] for code, _ in snap.debt.buckets],
                [round(float(amount) / 10_000, 1) for _, amount in snap.debt.buckets],
                series_name=self.tr("Outstanding"),
                colour="#8e44ad",
                decimals=1,
            )
        )
        self.anomalies.set_rows(snap.anomalies)
        self.anomaly_table.resizeColumnsToContents()
        special = len({a.subject_id for a in snap.anomalies if a.special_visit})
        self.anomaly_label.setText(
            self.tr("Sales anomalies in %1: %2 (special visits suggested: %3)")
            .replace("%1", f"{snap.month.year}-{snap.month.month:02d}")
            .replace("%2", str(len(snap.anomalies)))
            .replace("%3", str(special))
        )
        self.summary.setText(self._summary_text(snap))
        self.status.setText(self.tr("As of %1").replace("%1", snap.as_of.isoformat()))

    def _summary_text(self, snap: PortfolioSnapshot) -> str:
        p = snap.pareto
        lines = [
            self.tr("Accounts: %1").replace("%1", str(snap.accounts)),
            self.tr("12-month purchases: %1").replace("%1", format_cny(snap.total_value)),
            self.tr("A tier: top %1 of accounts buy %2 of value")
            .replace("%1", format_pct(p.a_accounts))
            .replace("%2", format_pct(p.a_value)),
            self.tr("A and B: top %1 of accounts buy %2 of value")
            .replace("%1", format_pct(p.ab_accounts))
            .replace("%2", format_pct(p.ab_value)),
            self.tr("Outstanding debt: %1 at %2 accounts")
            .replace("%1", format_cny(snap.debt.total))
            .replace("%2", str(snap.debt.accounts)),
        ]
        return "\n".join(lines)
