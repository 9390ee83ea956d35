"""Long work off the UI thread: run a plain function in a worker, show progress, allow cancel.

Core functions stay Qt-free and take ``progress(done, total, message)`` and a cancel
``threading.Event``; ``run_task`` runs one in the thread pool and hands the result (or the
error) back on the UI thread by signal. ``TaskRunner.inline = True`` runs tasks synchronously
(tests).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int, str], None]


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.cancel = cancel

    def run(self) -> None:
        try:
            result = self.fn(progress=self.signals.progressed.emit, cancel=self.cancel)
        except BaseException as exc:  # delivered to the UI thread, never lost in a worker
            exc.__kamdesk_traceback__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


class TaskHandle(QObject):
    """One running task: its cancel flag and the signals of its outcome."""

    def __init__(self, cancel: threading.Event, signals: _Signals) -> None:
        super().__init__()
        self.cancel_event = cancel
        self.signals = signals

    def cancel(self) -> None:
        self.cancel_event.set()


class TaskRunner:
    inline = False  # tests set this to run tasks on the calling thread

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self.pool = pool or QThreadPool.globalInstance()
        self._live: set[TaskHandle] = set()

    def run(
        self,
        fn: Callable[..., Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Progress | None = None,
    ) -> TaskHandle:
        """Run ``fn(progress=..., cancel=...)`` in the background."""
        cancel = threading.Event()
        signals = _Signals()
        handle = TaskHandle(cancel, signals)
        self._live.add(handle)

        def finish() -> None:
            self._live.discard(handle)

        if on_progress is not None:
            signals.progressed.connect(on_progress, Qt.ConnectionType.QueuedConnection)
        signals.succeeded.connect(lambda r: (finish(), on_success and on_success(r)))
        signals.failed.connect(lambda e: (finish(), on_failure and on_failure(e)))
        job = _Job(fn, signals, cancel)
        if self.inline:
            job.run()
        else:
            self.pool.start(job)
        return handle

    def run_with_dialog(
        self,
        parent: QWidget | None,
        title: str,
        fn: Callable[..., Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> TaskHandle:
        """As ``run``, with a modal progress dialog whose Cancel sets the task's cancel flag."""
        cancel_text = QCoreApplication.translate("TaskRunner", "Cancel")
        dialog = QProgressDialog(title, cancel_text, 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def progressed(done: int, total: int, message: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            dialog.setLabelText(f"{title}\n{message}")

        def closing(callback: Callable[[Any], None] | None) -> Callable[[Any], None]:
            def done(value: Any) -> None:
                dialog.close()
                if callback is not None:
                    callback(value)

            return done

        handle = self.run(
            fn,
            on_success=closing(on_success),
            on_failure=closing(on_failure),
            on_progress=progressed,
        )
        dialog.canceled.connect(handle.cancel)
        return handle

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
