"""Item models of the advice screens: advice rows (with a filter proxy) and order lines."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from kamdesk.domain.ordering import AdviceKind, Cap
from kamdesk.services.advice_views import AdviceRow, DecisionState, OrderLine
from kamdesk.ui.pages.advice_text import (
    cap_name,
    kind_name,
    money,
    qty_text,
    reason,
    severity_colour,
    severity_name,
    state_name,
)

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the AdviceRow / OrderLine itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class AdviceTableModel(QAbstractTableModel):
    SEVERITY, KIND, ACCOUNT, PRODUCT, REASON, ORDER, STATE = range(7)

    def __init__(self, parent: Any = None, *, chinese: bool = True) -> None:
        super().__init__(parent)
        self._rows: list[AdviceRow] = []
        self._chinese = chinese
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list[AdviceRow] | tuple[AdviceRow, ...]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[AdviceRow]:
        return list(self._rows)

    def row_at(self, row: int) -> AdviceRow:
        return self._rows[row]

    def replace(self, row: int, new: AdviceRow) -> None:
        self._rows[row] = new
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = (
            self.tr("Severity"),
            self.tr("Type"),
            self.tr("Account"),
            self.tr("Product"),
            self.tr("Why"),
            self.tr("Suggested order"),
            self.tr("State"),
        )
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.REASON:
            return reason(row, self._chinese)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.SEVERITY:
            return severity_colour(row.severity)
        if role == Qt.ItemDataRole.FontRole and col == self.SEVERITY and row.severity <= 1:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.ORDER:
            return _RIGHT
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == ROW_ROLE:
            return row
        return None

    def _display(self, row: AdviceRow, col: int) -> str:
        if col == self.SEVERITY:
            return severity_name(row.severity)
        if col == self.KIND:
            return kind_name(row.kind)
        if col == self.ACCOUNT:
            return row.account_name
        if col == self.PRODUCT:
            return row.product_name
        if col == self.REASON:
            return reason(row, self._chinese)
        if col == self.ORDER:
            return _order_cell(row)
        if col == self.STATE:
            return state_name(row.state)
        return ""

    def _sort_key(self, row: AdviceRow, col: int) -> Any:
        if col == self.SEVERITY:
            return row.severity
        if col == self.ORDER:
            return row.order.qty if row.order is not None else 0
        return self._display(row, col)


def _order_cell(row: AdviceRow) -> str:
    """The suggested quantity, or the cap that took a needed order down to zero."""
    line = row.order
    if line is None:
        return ""
    if line.qty > 0:
        return qty_text(line)
    if line.working.rounded_qty > 0:
        for cap in (Cap.DELISTED, Cap.DEBT_OVER_LIMIT, Cap.QUOTA, Cap.CREDIT):
            if cap in line.working.caps:
                return f"0 · {cap_name(cap)}"
    return ""


class AdviceFilterModel(QSortFilterProxyModel):
    """Filters by kind, severity, decision state and account (name or code contains text)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind: AdviceKind | None = None
        self.severity: int | None = None
        self.state: DecisionState | None = DecisionState.OPEN
        self.account_text = ""
        self.account_id: str | None = None
        self.setSortRole(SORT_ROLE)

    def set_filters(
        self,
        *,
        kind: AdviceKind | None = None,
        severity: int | None = None,
        state: DecisionState | None = DecisionState.OPEN,
        account_text: str = "",
        account_id: str | None = None,
    ) -> None:
        self.beginFilterChange()
        self.kind, self.severity, self.state = kind, severity, state
        self.account_text = account_text.strip().lower()
        self.account_id = account_id
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, AdviceTableModel) or source_parent.isValid():
            return False
        row = model.row_at(source_row)
        if self.kind is not None and row.kind != self.kind:
            return False
        if self.severity is not None and row.severity != self.severity:
            return False
        if self.state is not None and row.state != self.state:
            return False
        if self.account_id is not None and row.account_id != self.account_id:
            return False
        if self.account_text:
            text = self.account_text
            return text in row.account_name.lower() or text in row.account_code.lower()
        return True


class OrderLinesModel(QAbstractTableModel):
    """Suggested order lines of one account."""

    PRODUCT, QTY, VALUE, COVER, REASON = range(5)

    def __init__(self, parent: Any = None, *, chinese: bool = True) -> None:
        super().__init__(parent)
        self._lines: list[OrderLine] = []
        self._chinese = chinese

    def set_lines(self, lines: list[OrderLine] | tuple[OrderLine, ...]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def line_at(self, row: int) -> OrderLine:
        return self._lines[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = (
            self.tr("Product"),
            self.tr("Suggested"),
            self.tr("Value"),
            self.tr("Days of cover"),
            self.tr("Why"),
        )
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.PRODUCT:
                return line.product_name
            if col == self.QTY:
                return qty_text(line)
            if col == self.VALUE:
                return money(line.value_fen)
            if col == self.COVER:
                cover = line.days_of_cover
                return "∞" if cover == float("inf") else f"{cover:.1f}"
            if col == self.REASON:
                return reason(line, self._chinese)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and col == self.REASON:
            return reason(line, self._chinese)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.QTY, self.VALUE, self.COVER):
            return _RIGHT
        if role == ROW_ROLE:
            return line
        return None
