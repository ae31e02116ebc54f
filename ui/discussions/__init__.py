"""The parts of the discussions page: list, thread, posts, polls, composer, forms."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr(text: str, n: int = -1) -> str:
    """Translate a user-facing string of the discussions page (``%n`` takes ``n``)."""
    return QCoreApplication.translate("Discussions", text, None, n)
