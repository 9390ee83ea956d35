"""The dashboard's anomaly list as a table model (one row per account or product anomaly)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from kamdesk.domain.anomalies import Comparison, SubjectKind
from kamdesk.domain.explain import format_cny, format_pct
from kamdesk.services.portfolio import AnomalyRow

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the AnomalyRow itself
_UP = QColor("#1e8449")
_DOWN = QColor("#c0392b")


class AnomalyTableModel(QAbstractTableModel):
    KIND, NAME, COMPARISON, MONTH, CURRENT, BASE, CHANGE, SPECIAL, WHY = range(9)

    def __init__(self, parent: Any = None, *, chinese: bool = True) -> None:
        super().__init__(parent)
        self._rows: list[AnomalyRow] = []
        self._chinese = chinese

    def set_rows(self, rows: list[AnomalyRow] | tuple[AnomalyRow, ...]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> AnomalyRow:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 9

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = (
            self.tr("Type"),
            self.tr("Name"),
            self.tr("Compared with"),
            self.tr("Month"),
            self.tr("This month"),
            self.tr("Base"),
            self.tr("Change"),
            self.tr("Special visit"),
            self.tr("Why"),
        )
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.explanation.zh if self._chinese else row.explanation.en
        if role == Qt.ItemDataRole.ForegroundRole and col == self.CHANGE:
            return _UP if row.change > 0 else _DOWN
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            self.CURRENT,
            self.BASE,
            self.CHANGE,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        return None

    def _display(self, row: AnomalyRow, col: int) -> str:
        if col == self.KIND:
            return self.tr("Account") if row.kind is SubjectKind.ACCOUNT else self.tr("Product")
        if col == self.NAME:
            return row.name
        if col == self.COMPARISON:
            if row.comparison is Comparison.MONTH_ON_MONTH:
                return self.tr("Previous month")
            return self.tr("Same month last year")
        if col == self.MONTH:
            return f"{row.month.year}-{row.month.month:02d}"
        if col == self.CURRENT:
            return format_cny(row.current)
        if col == self.BASE:
            return format_cny(row.base)
        if col == self.CHANGE:
            sign = "+" if row.change > 0 else "−"
            return f"{sign}{format_pct(abs(row.change))}"
        if col == self.SPECIAL:
            return self.tr("Special visit") if row.special_visit else ""
        return row.explanation.zh if self._chinese else row.explanation.en
