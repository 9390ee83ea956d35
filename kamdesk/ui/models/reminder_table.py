"""Today's lists: reminders due today or overdue, and the visits planned for today."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kamdesk.services.reminder_feed import PlannedStop
from kamdesk.services.reminders import ReminderRow
from kamdesk.ui.dialogs.visit_labels import purpose_label
from kamdesk.ui.models.reminder_labels import kind_colour, kind_label

_Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1


class ReminderTableModel(QAbstractTableModel):
    KIND, DUE, ACCOUNT, TITLE = range(4)

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._rows: list[ReminderRow] = []
        self._today = date.min

    def set_rows(self, rows: Sequence[ReminderRow], today: date) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._today = today
        self.endResetModel()

    def rows(self) -> list[ReminderRow]:
        return list(self._rows)

    def row_at(self, row: int) -> ReminderRow:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("Kind"), self.tr("Due"), self.tr("Account"), self.tr("Reminder"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        overdue = row.due_on < self._today
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.KIND:
                return kind_label(row.kind)
            if column == self.DUE:
                if not overdue:
                    return self.tr("Today")
                return self.tr("%n day(s) late", "", (self._today - row.due_on).days)
            if column == self.ACCOUNT:
                return row.account_name
            if column == self.TITLE:
                return row.title
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.KIND:
            return kind_colour(row.kind)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DUE and overdue:
            return QBrush(QColor("#c62828"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.due_on.isoformat()} · {row.title}"
        if role == IdRole:
            return row.id
        return None


class TodayStopsModel(QAbstractTableModel):
    TIME, ACCOUNT, PURPOSE = range(3)

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._stops: list[PlannedStop] = []

    def set_stops(self, stops: Sequence[PlannedStop]) -> None:
        self.beginResetModel()
        self._stops = list(stops)
        self.endResetModel()

    def stop_at(self, row: int) -> PlannedStop:
        return self._stops[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._stops)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("Time"), self.tr("Account"), self.tr("Purpose"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._stops):
            return None
        stop = self._stops[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == self.TIME:
                return f"{stop.start_minute // 60:02d}:{stop.start_minute % 60:02d}"
            if index.column() == self.ACCOUNT:
                return stop.account_name
            if index.column() == self.PURPOSE:
                return purpose_label(stop.purpose)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{stop.account_code} {stop.account_name}"
        return None
