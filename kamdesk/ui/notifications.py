"""Desktop notifications of due reminders: at start-up and when new ones become due, never more
than one an hour; through the system tray when there is one, else the status bar.

The on/off preference lives in its own small JSON file beside the settings (the shared
``Settings`` schema belongs to the lead).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMainWindow, QStyle, QSystemTrayIcon

from kamdesk.paths import app_paths
from kamdesk.services.reminders import ReminderRow
from kamdesk.ui.models.reminder_labels import kind_label

MIN_INTERVAL = timedelta(hours=1)
SHOWN_IN_SUMMARY = 3


class NotificationThrottle:
    """Decides whether a list of due reminders deserves a notification now (pure logic)."""

    def __init__(
        self, clock: Callable[[], datetime], min_interval: timedelta = MIN_INTERVAL
    ) -> None:
        self._clock = clock
        self._interval = min_interval
        self._last: datetime | None = None
        self._seen: set[str] = set()
        self._pending_new = False

    def should_notify(self, due_ids: Iterable[str]) -> bool:
        """True at the first call with anything due and later when reminders not seen before
        are due, at most once per interval (new ones wait for the next allowed moment)."""
        ids = set(due_ids)
        if ids - self._seen:
            self._pending_new = True
        self._seen |= ids
        if not ids or not self._pending_new:
            return False
        now = self._clock()
        if self._last is not None and now - self._last < self._interval:
            return False
        self._last = now
        self._pending_new = False
        return True


def summary_text(rows: Sequence[ReminderRow]) -> str:
    """今天有3条提醒：… — the count and the first few, account and title."""
    head = QCoreApplication.translate("notifications", "%n reminder(s) due today: ", "", len(rows))
    parts = [
        f"{row.account_name} {kind_label(row.kind)}" if row.account_name else row.title
        for row in rows[:SHOWN_IN_SUMMARY]
    ]
    more = (
        QCoreApplication.translate(
            "notifications", " and %n more", "", len(rows) - SHOWN_IN_SUMMARY
        )
        if len(rows) > SHOWN_IN_SUMMARY
        else ""
    )
    return head + "；".join(parts) + more


def _prefs_file() -> Path:
    return app_paths().config_dir / "notifications.json"


def notifications_enabled(path: Path | None = None) -> bool:
    try:
        raw = json.loads((path or _prefs_file()).read_text(encoding="utf-8"))
        return bool(raw.get("enabled", True))
    except (OSError, ValueError, AttributeError):
        return True


def set_notifications_enabled(enabled: bool, path: Path | None = None) -> None:
    target = path or _prefs_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"enabled": enabled}), encoding="utf-8")


class DesktopNotifier(QObject):
    """Shows the summary of due reminders, throttled; ``shown`` keeps what was shown (tests)."""

    def __init__(
        self,
        window: QMainWindow,
        throttle: NotificationThrottle,
        *,
        enabled: bool = True,
        use_tray: bool | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._throttle = throttle
        self.enabled = enabled
        self.shown: list[str] = []
        tray = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self._tray: QSystemTrayIcon | None = None
        if tray:
            icon = window.windowIcon()
            if icon.isNull():
                icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self._tray = QSystemTrayIcon(QIcon(icon), self)
            self._tray.setToolTip("KAMDesk")
            self._tray.show()

    def notify(self, rows: Sequence[ReminderRow]) -> bool:
        """Show a summary if the throttle allows it; True when something was shown."""
        if not self.enabled or not self._throttle.should_notify(r.id for r in rows):
            return False
        text = summary_text(rows)
        self.shown.append(text)
        if self._tray is not None:
            self._tray.showMessage(
                self.tr("KAMDesk reminders"), text, QSystemTrayIcon.MessageIcon.Information
            )
        else:
            self._window.statusBar().showMessage(text, 30_000)
        return True
