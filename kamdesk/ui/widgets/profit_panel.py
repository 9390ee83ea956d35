"""Estimated monthly gross margin — (retail − wholesale) × estimated sales — for one account or
the whole territory, computed off the UI thread from the ordering engine's sell-through."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.services.profitability import MarginSummary, ProfitabilityService
from kamdesk.ui.tasks import TaskRunner

ROWS = 15


def yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


class ProfitPanel(QWidget):
    """``load(account_id)`` for an account card; ``load(None)`` for the territory."""

    def __init__(
        self,
        service: ProfitabilityService,
        tasks: TaskRunner,
        *,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.tasks = tasks
        self.today = today
        self.summary_label = QLabel(self.tr("Estimating…"), self)
        self.summary_label.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        note = QLabel(
            self.tr(
                "Margin = (retail price − wholesale price) × estimated monthly sales, from "
                "counted stock and deliveries."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #566573;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self._wanted: str | None = None
        self._shown_once = False
        self.territory_on_show = False  # the dashboard's copy loads the territory when first shown
        self.last: MarginSummary | None = None

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if self.territory_on_show and not self._shown_once:
            self._shown_once = True
            self.load(None)

    def load(self, account_id: str | None) -> None:
        self._wanted = account_id
        self.summary_label.setText(self.tr("Estimating…"))

        def work(progress: object = None, cancel: object = None) -> MarginSummary:
            return self.service.monthly_margin(account_id, today=self.today)

        self.tasks.run(work, on_success=self._show, on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.summary_label.setText(
            self.tr("Margin could not be estimated: %1").replace("%1", str(exc))
        )

    def _show(self, summary: MarginSummary) -> None:
        if summary.account_id != self._wanted:
            return  # a newer request is under way
        self.last = summary
        self.summary_label.setText(
            self.tr("Estimated monthly gross margin %1 on sales of %2 (%3 %)")
            .replace("%1", yuan(summary.monthly_margin_fen))
            .replace("%2", yuan(summary.monthly_revenue_fen))
            .replace("%3", f"{summary.margin_rate * 100:.1f}")
        )
        by_account = summary.account_id is None
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Account") if by_account else self.tr("Product"),
                self.tr("Monthly margin"),
                self.tr("Monthly sales"),
                self.tr("Units / month") if not by_account else self.tr("Share of margin"),
            ]
        )
        rows: list[tuple[str, int, int, str]]
        if by_account:
            total = max(summary.monthly_margin_fen, 1)
            rows = [
                (
                    a.account_name,
                    a.monthly_margin_fen,
                    a.monthly_revenue_fen,
                    f"{a.monthly_margin_fen / total * 100:.1f} %",
                )
                for a in summary.accounts[:ROWS]
            ]
        else:
            rows = [
                (
                    p.product_name,
                    p.monthly_margin_fen,
                    p.monthly_revenue_fen,
                    f"{p.monthly_units:.1f}",
                )
                for p in summary.products[:ROWS]
            ]
        self.table.setRowCount(len(rows))
        for r, (name, margin, revenue, extra) in enumerate(rows):
            for c, text in enumerate((name, yuan(margin), yuan(revenue), extra)):
                self.table.setItem(r, c, QTableWidgetItem(text))
