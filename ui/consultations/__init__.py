"""A council's consultation in its discussion: the panel above the thread, the dialog the
clerk or an organiser answers in, and the form saying how the group agreed its response.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr(text: str, n: int = -1) -> str:
    """Translate a user-facing string of the consultation panel (``%n`` takes ``n``)."""
    return QCoreApplication.translate("Consultations", text, None, n)
