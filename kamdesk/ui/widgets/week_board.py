"""Days as columns: a header, the ordered stops (drag between days and positions) and the
day's totals. Keyboard: Ctrl+Left/Right moves the selected stop to the previous/next day,
Ctrl+Up/Down one place earlier/later, Delete skips it, Ctrl+K marks the shop closed today."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from kamdesk.services.planning_views import DayView, StopView
from kamdesk.ui.models.week_day_model import DayStopsModel, VisitIdRole
from kamdesk.ui.widgets.map_canvas import day_colour


def weekday_names() -> tuple[str, ...]:
    """Short weekday names, Monday first (literal calls so the translation tools see them)."""
    return (
        QCoreApplication.translate("DayColumn", "Mon"),
        QCoreApplication.translate("DayColumn", "Tue"),
        QCoreApplication.translate("DayColumn", "Wed"),
        QCoreApplication.translate("DayColumn", "Thu"),
        QCoreApplication.translate("DayColumn", "Fri"),
        QCoreApplication.translate("DayColumn", "Sat"),
        QCoreApplication.translate("DayColumn", "Sun"),
    )


class StopListView(QListView):
    """A day's list; keyboard commands are forwarded to the board as signals."""

    command = Signal(str, str)  # command, visit id

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        visit_id = index.data(VisitIdRole) if index.isValid() else None
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        commands = {
            (True, Qt.Key.Key_Left): "prev_day",
            (True, Qt.Key.Key_Right): "next_day",
            (True, Qt.Key.Key_Up): "earlier",
            (True, Qt.Key.Key_Down): "later",
            (False, Qt.Key.Key_Delete): "skip",
            (True, Qt.Key.Key_K): "closed",
        }
        name = commands.get((ctrl, Qt.Key(event.key())))
        if name is not None and visit_id:
            self.command.emit(name, visit_id)
            event.accept()
            return
        super().keyPressEvent(event)


class DayColumn(QFrame):
    def __init__(
        self, day: date, index: int, parent: QWidget | None = None, *, chinese: bool = True
    ) -> None:
        super().__init__(parent)
        self.day = day
        self.setFrameShape(QFrame.Shape.StyledPanel)
        colour = day_colour(index).name()
        self.header = QLabel(self)
        self.header.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.header.setStyleSheet(
            f"font-weight: bold; padding: 4px; border-bottom: 3px solid {colour};"
        )
        self.model = DayStopsModel(day, self, chinese=chinese)
        self.view = StopListView(self)
        self.view.setModel(self.model)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSpacing(1)
        self.view.setAlternatingRowColors(True)
        self.view.setIconSize(QSize(10, 10))
        self.view.setAccessibleName(day.isoformat())
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        self.totals.setStyleSheet("color: #444; padding: 2px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)

    def set_day(self, view: DayView | None) -> None:
        weekday = weekday_names()[self.day.weekday()]
        self.header.setText(f"{weekday} {self.day.month}/{self.day.day}")
        self.model.set_day(view)
        if view is None or not view.visits:
            self.totals.setText(self.tr("No visits"))
            return
        text = self.tr("%1 visits · %2 km\n%3 min driving")
        text = text.replace("%1", str(view.visits)).replace("%2", f"{view.travel_km:.1f}")
        text = text.replace("%3", str(view.travel_minutes))
        leave, back = view.leave, view.back
        span = self.tr("Out %1–%2").replace("%1", f"{leave // 60:02d}:{leave % 60:02d}")
        span = span.replace("%2", f"{back // 60:02d}:{back % 60:02d}")
        self.totals.setText(f"{text}\n{span}")


class WeekBoard(QWidget):
    """The columns; re-emits drops, selections and keyboard commands with the visit id."""

    stop_dropped = Signal(str, object, int)
    stop_selected = Signal(str)
    command = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, *, chinese: bool = True) -> None:
        super().__init__(parent)
        self.chinese = chinese
        self.columns: list[DayColumn] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)

    def set_week(self, days: Sequence[DayView]) -> None:
        if [c.day for c in self.columns] != [d.day for d in days]:
            for column in self.columns:
                self._layout.removeWidget(column)
                column.deleteLater()
            self.columns = []
            for index, d in enumerate(days):
                column = DayColumn(d.day, index, self, chinese=self.chinese)
                column.model.stop_dropped.connect(self.stop_dropped)
                column.view.command.connect(self.command)
                column.view.clicked.connect(self._clicked)
                column.view.activated.connect(self._clicked)
                self._layout.addWidget(column, 1)
                self.columns.append(column)
        for column, d in zip(self.columns, days, strict=True):
            column.set_day(d)

    def _clicked(self, index: QModelIndex) -> None:
        visit_id = index.data(VisitIdRole)
        if visit_id:
            self.stop_selected.emit(str(visit_id))

    def select(self, visit_id: str) -> bool:
        """Select and focus the stop (e.g. after a map click or a re-plan)."""
        for column in self.columns:
            row = column.model.row_of(visit_id)
            if row >= 0:
                index = column.model.index(row, 0)
                column.view.setCurrentIndex(index)
                column.view.scrollTo(index)
                column.view.setFocus()
                return True
        return False

    def selected(self) -> StopView | None:
        for column in self.columns:
            index = column.view.currentIndex()
            if column.view.hasFocus() and index.isValid():
                return column.model.stop(index.row())
        for column in self.columns:
            index = column.view.currentIndex()
            if index.isValid():
                return column.model.stop(index.row())
        return None
