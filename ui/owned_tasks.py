"""Background work on behalf of a widget that may be gone by the time the answer comes.

A window can close while a task is still running; its answer must then be dropped
rather than delivered to widgets Qt has already destroyed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject

from ui.context import AppContext
from ui.tasks import TaskHandle


def run_for(
    owner: QObject,
    ctx: AppContext,
    fn: Callable[[], Any],
    *,
    done: Callable[[Any], None] | None = None,
    failed: Callable[[str], None] | None = None,
) -> TaskHandle:
    """``ctx.tasks.run``, with ``done`` and ``failed`` skipped once ``owner`` is destroyed."""

    def alive() -> bool:
        return shiboken6.isValid(owner)

    def on_done(result: Any) -> None:
        if done is not None and alive():
            done(result)

    def on_failed(message: str) -> None:
        if failed is not None and alive():
            failed(message)

    return ctx.tasks.run(fn, done=on_done, failed=on_failed)
