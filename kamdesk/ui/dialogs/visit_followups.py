"""Follow-ups of a visit: a title and a due date each; they become reminders when saved."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kamdesk.services.visits import FollowUp


class _FollowUpList(QListWidget):
    removeRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.removeRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class FollowUpEditor(QWidget):
    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[FollowUp] = []
        self.title = QLineEdit(self)
        self.title.setObjectName("followUpTitle")
        self.title.setPlaceholderText(self.tr("e.g. bring the new-product price list"))
        self.due = QDateEdit(self)
        self.due.setObjectName("followUpDue")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setDate(QDate(today + timedelta(days=3)))
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName("followUpAdd")
        self.add_button.clicked.connect(self.add_current)
        self.title.returnPressed.connect(self.add_current)
        self.list = _FollowUpList(self)
        self.list.setObjectName("followUpList")
        self.list.setMaximumHeight(90)
        self.list.removeRequested.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(self.due)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)

    def add_current(self) -> bool:
        """Add the typed follow-up; False (and nothing added) when the title is blank."""
        title = self.title.text().strip()
        if not title:
            return False
        item = FollowUp(title, self.due.date().toPython())
        self._items.append(item)
        QListWidgetItem(f"{item.due_on.isoformat()}  ·  {item.title}", self.list)
        self.title.clear()
        self.changed.emit()
        return True

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._items):
            del self._items[row]
            self.list.takeItem(row)
            self.changed.emit()

    def follow_ups(self) -> list[FollowUp]:
        return list(self._items)
