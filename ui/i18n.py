"""The one call every user-facing string of the window's shell goes through.

A second language is then a Qt translation file (``moot_<lang>.qm``), not a rewrite.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr(text: str, context: str = "Moot") -> str:
    return QCoreApplication.translate(context, text)
