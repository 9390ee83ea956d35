"""What a screenshot recipe gets: the app, the main window on demo data, and a few helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from kamdesk.db.engine import Store
from kamdesk.ui.main_window import MainWindow
from kamdesk.ui.tasks import TaskRunner

# the demo workspace is built around this day; shots read the clock from here, not the machine
DEMO_TODAY = date(2026, 11, 23)
DEMO_NOW = datetime(2026, 11, 23, 10, 40, tzinfo=timezone(timedelta(hours=8)))  # Beijing time


@dataclass
class ShotContext:
    app: QApplication
    window: MainWindow
    store: Store
    out: Path

    @property
    def tasks(self) -> TaskRunner:
        """The task runner the main window's pages share (set by build_main_window)."""
        tasks: TaskRunner = getattr(self.window, "tasks")  # noqa: B009 - dynamic attribute
        return tasks

    def settle(self, rounds: int = 3) -> None:
        """Wait for the window's background tasks and deliver their results to the widgets."""
        for _ in range(rounds):
            self.tasks.wait()
            self.app.processEvents()

    def grab(self, widget: QWidget, name: str) -> Path:
        """Let pending events settle, then save ``widget`` as ``name`` (PNG)."""
        for _ in range(5):
            self.app.processEvents()
        path = self.out / name
        widget.grab().save(str(path))
        return path


@contextmanager
def inline_tasks() -> Iterator[None]:
    """Run every TaskRunner job synchronously, so a shot shows the finished result."""
    previous = TaskRunner.inline
    TaskRunner.inline = True
    try:
        yield
    finally:
        TaskRunner.inline = previous
