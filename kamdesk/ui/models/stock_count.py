"""The stock-count sheet of one visit: each product, its last count, and this visit's count."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from kamdesk.services.visits import CountLine

MAX_UNITS = 100_000
_Index = QModelIndex | QPersistentModelIndex


class StockCountModel(QAbstractTableModel):
    """Columns: product, unit, previous count, its date, this count (the only editable one)."""

    PRODUCT, UNIT, PREVIOUS, PREVIOUS_ON, COUNT = range(5)
    countsChanged = Signal()

    def __init__(self, lines: Sequence[CountLine] = (), parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._lines = list(lines)
        self._counts: list[int | None] = [None] * len(self._lines)

    # -- data the form reads -----------------------------------------------------------------
    def set_lines(self, lines: Sequence[CountLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self._counts = [None] * len(self._lines)
        self.endResetModel()
        self.countsChanged.emit()

    def line(self, row: int) -> CountLine:
        return self._lines[row]

    def count_of(self, row: int) -> int | None:
        return self._counts[row]

    def counts(self) -> dict[str, int]:
        """Product id -> units, for the rows that were counted."""
        return {
            line.product_id: qty
            for line, qty in zip(self._lines, self._counts, strict=True)
            if qty is not None
        }

    def filled(self) -> int:
        return sum(qty is not None for qty in self._counts)

    def set_count(self, row: int, value: int | None) -> None:
        if value is not None and not 0 <= value <= MAX_UNITS:
            raise ValueError(value)
        if self._counts[row] == value:
            return
        self._counts[row] = value
        cell = self.index(row, self.COUNT)
        self.dataChanged.emit(cell, cell)
        self.countsChanged.emit()

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COUNT:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self._lines) else None
        titles = (
            self.tr("Product"),
            self.tr("Unit"),
            self.tr("Last count"),
            self.tr("Counted on"),
            self.tr("This count"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == self.PRODUCT:
                return f"{line.code}  {line.name}"
            if column == self.UNIT:
                return line.unit_name
            if column == self.PREVIOUS:
                return "" if line.previous_quantity is None else str(line.previous_quantity)
            if column == self.PREVIOUS_ON:
                return (
                    "" if line.previous_counted_on is None else line.previous_counted_on.isoformat()
                )
            if column == self.COUNT:
                qty = self._counts[index.row()]
                return "" if qty is None else str(qty)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.PREVIOUS, self.COUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.PREVIOUS, self.PREVIOUS_ON):
            return QBrush(QColor("#666666"))
        if role == Qt.ItemDataRole.BackgroundRole and column == self.COUNT:
            counted = self._counts[index.row()] is not None
            return QBrush(QColor("#e8f5e9" if counted else "#fffde7"))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.PRODUCT:
            return line.name
        return None

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() != self.COUNT
            or not 0 <= index.row() < len(self._lines)
        ):
            return False
        try:
            parsed = parse_units(value)
        except ValueError:
            return False
        self.set_count(index.row(), parsed)
        return True


def parse_units(value: object) -> int | None:
    """A typed count: an int in range, None for blank; ValueError when it is not a count."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    text = str(value).strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_UNITS:
        raise ValueError(text)
    return int(text)
