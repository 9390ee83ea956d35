"""The main window: a navigation sidebar and one page per area."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QWidget,
)


@dataclass
class Page:
    key: str
    title: str
    widget: QWidget


class MainWindow(QMainWindow):
    def __init__(self, pages: list[Page], *, workspace_label: str, demo: bool) -> None:
        super().__init__()
        self.setWindowTitle(
            self.tr("KAMDesk — key-account workbench") + (self.tr(" (demo)") if demo else "")
        )
        self.resize(1280, 800)
        self.pages = pages
        self._tools_menu: QMenu | None = None
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget(self)
        for index, page in enumerate(pages):
            item = QListWidgetItem(page.title)
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            self.nav.addItem(item)
            self.stack.addWidget(page.widget)
            shortcut = QAction(self)
            shortcut.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            shortcut.triggered.connect(lambda _=False, i=index: self.nav.setCurrentRow(i))
            self.addAction(shortcut)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.workspace_label = QLabel(workspace_label, self)
        self.statusBar().addPermanentWidget(self.workspace_label)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

    def tools_menu(self) -> QMenu:
        """The Tools menu, made on first use, for actions other areas install."""
        if self._tools_menu is None:
            self._tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        return self._tools_menu

    def show_page(self, key: str) -> QWidget:
        for index, page in enumerate(self.pages):
            if page.key == key:
                self.nav.setCurrentRow(index)
                return page.widget
        raise KeyError(key)
