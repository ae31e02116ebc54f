"""The parts of the meetings page: words and the record as read, dialogs, attendance,
the minutes editor.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr(text: str, n: int = -1) -> str:
    """Translate a user-facing string of the meetings page (``%n`` takes ``n``)."""
    return QCoreApplication.translate("Meetings", text, None, n)
