"""Runs sync in the background: on a timer, on demand (F5), and when the network comes back.

One sync at a time, always through the TaskRunner (the UI never waits for the network). A run
that failed because the server was unreachable is retried with backoff (30 s doubling up to the
sync interval) unless the OS tells us about reachability (QNetworkInformation), in which case
the "online again" signal triggers the retry too.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kamdesk.errors import KamdeskError
from kamdesk.services.sync_session import SyncSession
from kamdesk.sync.engine import SyncReport, SyncStatus
from kamdesk.ui.tasks import TaskHandle, TaskRunner

FIRST_RETRY_S = 30
STATUS_REFRESH_MS = 15_000


class SyncController(QObject):
    started = Signal()
    progressed = Signal(str, int, int)  # phase "push"|"pull", done, total (0 = unknown)
    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # KamdeskError raised before the engine could run (e.g. signed out)
    statusChanged = Signal(object)  # SyncStatus
    authRequired = Signal()

    def __init__(
        self, session: SyncSession, tasks: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = tasks
        self.handle: TaskHandle | None = None
        self.last_report: SyncReport | None = None
        self._retry_s = FIRST_RETRY_S
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self.sync_now)
        # local edits elsewhere in the app change the pending count: re-read it (one COUNT query)
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_REFRESH_MS)
        self.status_timer.timeout.connect(self._refresh_if_idle)
        self.reachability: Any = None
        self.apply_interval()

    # -- scheduling --------------------------------------------------------------------------
    def apply_interval(self) -> None:
        minutes = max(1, int(self.session.settings.sync_interval_minutes or 10))
        self.timer.setInterval(minutes * 60_000)

    def start(self) -> None:
        """Begin background syncing (timer + reachability); a first run right away."""
        self.apply_interval()
        self.timer.start()
        self.status_timer.start()
        self._watch_network()
        self.refresh_status()
        if self.session.signed_in():
            QTimer.singleShot(0, self.sync_now)

    def stop(self) -> None:
        self.timer.stop()
        self.status_timer.stop()
        self.retry_timer.stop()
        if self.handle is not None:
            self.handle.cancel()

    def _watch_network(self) -> None:
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if QNetworkInformation.instance() is None:
                QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability)
            info = QNetworkInformation.instance()
        except (ImportError, RuntimeError, AttributeError):
            info = None
        if info is None:
            return  # no backend: the backoff retry covers "network returned"
        self.reachability = info
        info.reachabilityChanged.connect(self._reachability_changed)

    def _reachability_changed(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online and self.session.signed_in():
            self.sync_now()

    # -- running -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.handle is not None

    def sync_now(self) -> bool:
        """Start a run unless one is in flight; returns whether one started."""
        if self.handle is not None:
            return False
        try:
            engine = self.session.engine()
        except KamdeskError as exc:
            self.failed.emit(exc)
            if exc.code == "sync.auth":
                self.authRequired.emit()
            self.refresh_status()
            return False

        def work(progress: Any, cancel: threading.Event) -> SyncReport:
            def report(phase: str, done: int, total: int | None) -> None:
                progress(done, total or 0, phase)

            return engine.sync_once(progress=report, cancel=cancel.is_set)

        self.started.emit()
        self.handle = self.tasks.run(
            work,
            on_success=self._done,
            on_failure=self._crashed,
            on_progress=lambda done, total, phase: self.progressed.emit(phase, done, total),
        )
        if self.tasks.inline:
            self.handle = None  # already finished on this thread
        return True

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()

    def _done(self, report: SyncReport) -> None:
        self.handle = None
        self.last_report = report
        if report.error == "sync.offline":
            self.retry_timer.start(self._retry_s * 1000)
            self._retry_s = min(self._retry_s * 2, self.timer.interval() // 1000)
        else:
            self._retry_s = FIRST_RETRY_S
        if report.error == "sync.auth":
            self.authRequired.emit()
        self.finished.emit(report)
        self.refresh_status()

    def _crashed(self, error: BaseException) -> None:
        self.handle = None
        self.failed.emit(error)
        self.refresh_status()

    def _refresh_if_idle(self) -> None:
        if self.handle is None:
            self.refresh_status()

    def refresh_status(self) -> SyncStatus:
        status = self.session.local_engine().status()
        self.statusChanged.emit(status)
        return status
