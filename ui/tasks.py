"""Background work for the window: every database and network call runs here.

A task is a plain function run on a worker thread; its result, failure or progress
comes back to the GUI thread by a queued signal. Long tasks take an
``app.progress.Progress``: what they report reaches ``progress`` here, and the
handle's ``cancel`` makes their next safe point raise ``Cancelled``.

A failure reaches ``failed`` as a message; a caller that chooses its words by the kind
of error (a sync's, say) passes ``error`` and receives the exception itself. A caller
that passes neither has its failures shown by ``unhandled`` (the window puts them in
front of the person); every failure is logged either way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.errors import Cancelled, MootError
from app.progress import Progress

log = logging.getLogger(__name__)


class Newest:
    """Numbers the reads of one thing, so that only the newest read's answer is used.

    Reads run side by side on the pool and may answer out of order; an older answer
    arriving last would otherwise put stale data back on screen.
    """

    def __init__(self) -> None:
        self._count = 0

    def begin(self) -> int:
        """A read starts; from now on, every earlier read's answer is dropped."""
        self._count += 1
        return self._count

    def drop(self) -> None:
        """Drop the answers of every read under way (what they would show has gone)."""
        self._count += 1

    def is_newest(self, ticket: int) -> bool:
        return ticket == self._count


class _Signals(QObject):
    """Emitted from the worker; received by this object's own slots on the GUI thread.

    Connecting the signals to the caller's plain functions directly could run them on
    the worker thread; slots of an object that lives on the GUI thread are queued there.
    """

    done = Signal(object)
    failed = Signal(str, object)  # the message, and the exception
    progress = Signal(int, int, str)

    def __init__(
        self,
        parent: QObject,
        done: Callable[[Any], None] | None,
        failed: Callable[[str], None] | None,
        error: Callable[[BaseException], None] | None,
        progress: Callable[[int, int, str], None] | None,
        finished: Callable[[_Signals], None],
        owner: QObject | None,
        newest: Newest | None,
        unhandled: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._done, self._failed, self._error = done, failed, error
        self._unhandled = unhandled
        self._progress, self._finished, self._owner = progress, finished, owner
        self._newest, self._ticket = newest, newest.begin() if newest else 0
        self.muted = False  # set at shutdown: the widgets these would touch are gone
        self.done.connect(self._on_done)
        self.failed.connect(self._on_failed)
        self.progress.connect(self._on_progress)

    def _wanted(self, callback: Callable[..., None] | None) -> bool:
        """Whether to call back: not after shutdown, nor into a widget closed meanwhile,
        nor with the answer to a read that a newer one has overtaken.

        The widget is the task's ``owner`` if given (a lambda names none), else the
        object a bound-method callback belongs to.
        """
        if callback is None or self.muted:
            return False
        if self._newest is not None and not self._newest.is_newest(self._ticket):
            return False
        owner = self._owner or getattr(callback, "__self__", None)
        return not isinstance(owner, QObject) or shiboken6.isValid(owner)

    @Slot(object)
    def _on_done(self, result: Any) -> None:
        if self._done and self._wanted(self._done):
            self._done(result)
        self._finished(self)

    @Slot(str, object)
    def _on_failed(self, message: str, exc: BaseException) -> None:
        if self._error or self._failed:
            if self._error and self._wanted(self._error):
                self._error(exc)
            elif self._failed and self._wanted(self._failed):
                self._failed(message)
        elif not self.muted and not isinstance(exc, Cancelled):
            self._unhandled(message)
        self._finished(self)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, what: str) -> None:
        if self._progress and self._wanted(self._progress):
            self._progress(done, total, what)


class TaskHandle:
    """What the caller holds of a running task: a way to cancel it."""

    def __init__(self) -> None:
        self.cancel_event = threading.Event()
        self.finished = False

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals, handle: TaskHandle) -> None:
        super().__init__()
        self.fn, self.signals, self.handle = fn, signals, handle
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except Cancelled as exc:
            log.info("A background task was stopped on request: %s", exc)
            self.signals.failed.emit(str(exc), exc)
        except MootError as exc:
            log.warning("A background task failed: %s", exc)
            self.signals.failed.emit(str(exc), exc)
        except OSError as exc:
            log.warning("A background task failed: %s", exc, exc_info=exc)
            self.signals.failed.emit(f"{exc.strerror or exc} ({exc.filename or 'profile'})", exc)
        except Exception as exc:  # a worker must always report back
            log.exception("A background task failed")
            self.signals.failed.emit(f"Something went wrong: {exc}", exc)
        else:
            self.signals.done.emit(result)
        finally:
            self.handle.finished = True


class Tasks(QObject):
    """Runs functions off the GUI thread and hands their outcome back on it.

    ``unhandled`` carries the message of a failure whose caller gave no handler.
    """

    unhandled = Signal(str)

    def __init__(self, parent: QObject | None = None, *, threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._live: dict[_Signals, TaskHandle] = {}

    def run(
        self,
        fn: Callable[[], Any],
        *,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None,
        error: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
        newest: Newest | None = None,
    ) -> TaskHandle:
        """Run ``fn()`` on a worker; ``done(result)`` or ``failed(message)`` on this thread.

        Nothing is called back once ``owner`` (a widget, say) has been destroyed, nor,
        given ``newest``, once a newer read counted by it has begun.
        """
        return self.run_with_progress(
            lambda _progress: fn(),
            done=done,
            failed=failed,
            error=error,
            owner=owner,
            newest=newest,
        )

    def run_with_progress(
        self,
        fn: Callable[[Progress], Any],
        *,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None,
        error: Callable[[BaseException], None] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        owner: QObject | None = None,
        newest: Newest | None = None,
    ) -> TaskHandle:
        """Run ``fn(progress)``: its reports reach ``progress``, the handle cancels it."""
        handle = TaskHandle()
        signals = _Signals(
            self, done, failed, error, progress, self._forget, owner, newest, self.unhandled.emit
        )
        self._live[signals] = handle
        reporter = Progress(signals.progress.emit, cancel=handle.cancel_event)

        def call() -> Any:
            return fn(reporter)

        self.pool.start(_Runnable(call, signals, handle))
        return handle

    def _forget(self, signals: _Signals) -> None:
        self._live.pop(signals, None)
        signals.deleteLater()

    def busy(self) -> bool:
        """Whether any task has still to report: running, or finished with its outcome
        not yet handed back on this thread.
        """
        return bool(self._live)

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for every task to finish (tests and shutdown)."""
        return bool(self.pool.waitForDone(msecs))

    def shutdown(self, msecs: int = 30_000) -> bool:
        """Cancel every task, wait for them, and drop what they would still report."""
        for signals, handle in self._live.items():
            handle.cancel()
            signals.muted = True
        stopped = self.wait(msecs)
        if stopped:
            self._live.clear()  # muted: nothing is left to report
        return stopped
