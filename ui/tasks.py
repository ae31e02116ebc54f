"""Background work for the window: every database and network call runs here.

A task is a plain function run on a worker thread; its result, failure or progress
comes back to the GUI thread by a queued signal. Long tasks take a ``cancel`` event
(a ``threading.Event``) and check it between steps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.errors import MootError

Progress = Callable[[int, int, str], None]  # done, total (0: unknown), what


class _Signals(QObject):
    """Emitted from the worker; received by this object's own slots on the GUI thread.

    Connecting the signals to the caller's plain functions directly could run them on
    the worker thread; slots of an object that lives on the GUI thread are queued there.
    """

    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int, str)

    def __init__(
        self,
        parent: QObject,
        done: Callable[[Any], None] | None,
        failed: Callable[[str], None] | None,
        progress: Callable[[int, int, str], None] | None,
        finished: Callable[[_Signals], None],
    ) -> None:
        super().__init__(parent)
        self._callbacks = (done, failed, progress, finished)
        self.done.connect(self._on_done)
        self.failed.connect(self._on_failed)
        self.progress.connect(self._on_progress)

    @Slot(object)
    def _on_done(self, result: Any) -> None:
        if self._callbacks[0]:
            self._callbacks[0](result)
        self._callbacks[3](self)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._callbacks[1]:
            self._callbacks[1](message)
        self._callbacks[3](self)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, what: str) -> None:
        if self._callbacks[2]:
            self._callbacks[2](done, total, what)


class TaskHandle:
    """What the caller holds of a running task: a way to cancel it."""

    def __init__(self) -> None:
        self.cancel_event = threading.Event()
        self.finished = False

    def cancel(self) -> None:
        self.cancel_event.set()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals, handle: TaskHandle) -> None:
        super().__init__()
        self.fn, self.signals, self.handle = fn, signals, handle
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except MootError as exc:
            self.signals.failed.emit(str(exc))
        except OSError as exc:
            self.signals.failed.emit(f"{exc.strerror or exc} ({exc.filename or 'profile'})")
        except Exception as exc:  # a worker must always report back
            self.signals.failed.emit(f"Something went wrong: {exc}")
        else:
            self.signals.done.emit(result)
        finally:
            self.handle.finished = True


class Tasks(QObject):
    """Runs functions off the GUI thread and hands their outcome back on it."""

    def __init__(self, parent: QObject | None = None, *, threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._live: set[_Signals] = set()

    def run(
        self,
        fn: Callable[[], Any],
        *,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None,
    ) -> TaskHandle:
        """Run ``fn()`` on a worker; ``done(result)`` or ``failed(message)`` on this thread."""
        return self.run_with_progress(lambda _report, _cancel: fn(), done=done, failed=failed)

    def run_with_progress(
        self,
        fn: Callable[[Progress, threading.Event], Any],
        *,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> TaskHandle:
        """Run ``fn(report, cancel)``; ``report`` may be called from the worker freely."""
        handle = TaskHandle()
        signals = _Signals(self, done, failed, progress, self._forget)
        self._live.add(signals)

        def call() -> Any:
            return fn(signals.progress.emit, handle.cancel_event)

        self.pool.start(_Runnable(call, signals, handle))
        return handle

    def _forget(self, signals: _Signals) -> None:
        self._live.discard(signals)
        signals.deleteLater()

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for every task to finish (tests and shutdown)."""
        return bool(self.pool.waitForDone(msecs))
