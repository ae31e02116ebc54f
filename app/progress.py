"""How far long work has got, and the request to stop it, in one object.

Long work (a sync, a join, a bundle, the sample group) takes a ``Progress``: it calls
``report`` as it goes and ``check`` at its safe points, the places where stopping
leaves nothing half done (before a transaction commits, or between two committed
ones). ``check`` raises ``Cancelled`` once ``cancel`` was called, from any thread.
The window gives work one whose reports travel to the GUI thread; the command line
and tests give none, and ``Progress.quiet()`` stands in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.errors import Cancelled

Report = Callable[[int, int, str], None]  # done, total (0: not known), what


class Progress:
    def __init__(
        self,
        report: Report | None = None,
        *,
        cancel: threading.Event | None = None,
        words: Callable[[str], str] | None = None,
    ) -> None:
        self._report = report
        self._cancel = cancel if cancel is not None else threading.Event()
        self._words = words

    @classmethod
    def quiet(cls) -> Progress:
        """Reports nowhere; stops only if someone holding it calls ``cancel``."""
        return cls()

    def report(self, done: int, total: int, what: str) -> None:
        if self._report is not None:
            self._report(done, total, self._words(what) if self._words else what)

    def check(self) -> None:
        """A safe point: raise ``Cancelled`` if stopping was asked for."""
        if self._cancel.is_set():
            raise Cancelled("Stopped; what was done so far is kept.")

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def reworded(self, words: Callable[[str], str]) -> Progress:
        """The same work seen by a caller with words of its own for what it reports.

        The core says what it does in plain phrases (``sync.engine.SENDING``); the
        window turns them into its translated words, naming the group, say.
        """
        outer = self._words

        def both(what: str) -> str:
            inner = words(what)
            return outer(inner) if outer else inner

        return Progress(self._report, cancel=self._cancel, words=both)


def quiet_if_none(progress: Progress | None) -> Progress:
    return progress if progress is not None else Progress.quiet()
