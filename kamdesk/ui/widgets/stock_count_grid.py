"""A keyboard-first count grid: type a number, Enter, the next product's count cell is ready.

Typing a digit anywhere on a row starts editing that row's count; Enter commits and moves down;
Esc while editing abandons the typed value, Esc (or Delete) on a cell clears its count.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from kamdesk.ui.models.stock_count import MAX_UNITS, StockCountModel

_Index = QModelIndex | QPersistentModelIndex


class _CountDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setValidator(QIntValidator(0, MAX_UNITS, editor))
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setObjectName("countEditor")
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        # Enter commits at once and is consumed, so the view moves down exactly one row
        if (
            isinstance(editor, QLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.SubmitModelCache)
            return True
        return super().eventFilter(editor, event)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class StockCountGrid(QTableView):
    def __init__(self, model: StockCountModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stockCountGrid")
        self.setModel(model)
        self._model = model
        self.setItemDelegateForColumn(StockCountModel.COUNT, _CountDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setTabKeyNavigation(False)  # Tab leaves the grid for the rest of the form
        self.setAlternatingRowColors(True)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setSectionResizeMode(StockCountModel.PRODUCT, QHeaderView.ResizeMode.Stretch)
        for column in (
            StockCountModel.UNIT,
            StockCountModel.PREVIOUS,
            StockCountModel.PREVIOUS_ON,
            StockCountModel.COUNT,
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(64)
        model.modelReset.connect(self.go_to_first)
        self.go_to_first()

    def go_to_first(self) -> None:
        if self._model.rowCount():
            self.setCurrentIndex(self._model.index(0, StockCountModel.COUNT))

    def count_cell(self, row: int) -> QModelIndex:
        return self._model.index(row, StockCountModel.COUNT)

    def _move_down(self) -> None:
        row = self.currentIndex().row()
        if row + 1 < self._model.rowCount():
            target = self.count_cell(row + 1)
            self.setCurrentIndex(target)
            self.scrollTo(target)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter / Return
            self._move_down()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        current = self.currentIndex()
        if current.isValid() and current.column() != StockCountModel.COUNT:
            # whatever column the cursor is on, the count is what the keyboard fills
            current = self.count_cell(current.row())
            self.setCurrentIndex(current)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._move_down()
            event.accept()
            return
        if (
            key in (Qt.Key.Key_Escape, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and current.isValid()
        ):
            self._model.set_count(current.row(), None)
            event.accept()
            return
        super().keyPressEvent(event)
