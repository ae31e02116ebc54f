"""Where a background task's failure goes when the code that started it did not say.

Nothing that fails is left unsaid: the window shows one warning, which gathers the
failures that come while it is open rather than stacking a box for each. It is
window-modal and opened without blocking, so the rest of the window goes on working.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.i18n import tr

MOST = 5  # a storm of failures (a broken disk, say) shows its first few


class FailureNotice:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.box: QMessageBox | None = None
        self.messages: list[str] = []

    def show_failure(self, message: str) -> None:
        if self.box is None or not self.box.isVisible():
            self.messages = []
        if message in self.messages or len(self.messages) >= MOST:
            return
        self.messages.append(message)
        if self.box is None:
            self.box = QMessageBox(
                QMessageBox.Icon.Warning,
                tr("Something could not be done"),
                "",
                QMessageBox.StandardButton.Ok,
                self.parent,
            )
            self.box.setObjectName("failureNotice")
        self.box.setText("\n\n".join(self.messages))
        if not self.box.isVisible():
            self.box.open()
