"""A dialog whose main button starts background work: a form, then progress, then done.

While the work runs, the form is read-only, a progress bar shows how far it got, and
Cancel asks the work to stop (closing the dialog does the same); a failure is shown in
plain words under the form, which stays filled in so the person can fix and retry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import Cancelled, MootError
from app.progress import Progress
from sync.engine import RECEIVING
from ui.context import AppContext
from ui.i18n import tr
from ui.sync_words import describe_failure
from ui.tasks import TaskHandle


def sync_words(receiving: str) -> Callable[[str], str]:
    """The window's words for what a join's or a connect's sync reports."""
    return lambda what: receiving if what == RECEIVING else tr("Sending changes")


class TaskDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None, title: str, lead: str) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.handle: TaskHandle | None = None
        self.hub_url = ""  # for the wording of failures
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(12)
        self.header = QHBoxLayout()
        self.header.setSpacing(14)
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        heading.setAccessibleName(title)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addWidget(heading)
        if lead:
            lead_label = QLabel(lead)
            lead_label.setObjectName("formHint")
            lead_label.setWordWrap(True)
            texts.addWidget(lead_label)
        self.header.addLayout(texts, 1)
        outer.addLayout(self.header)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.form.setVerticalSpacing(10)
        self.form.setHorizontalSpacing(14)
        outer.addLayout(self.form)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(tr("Problem"))
        self.error.hide()
        outer.addWidget(self.error)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(tr("Progress"))
        self.progress.hide()
        outer.addWidget(self.progress)
        outer.addStretch(1)

        self.buttons = QDialogButtonBox()
        self.ok_button = QPushButton()
        self.ok_button.setDefault(True)
        self.ok_button.setAutoDefault(True)
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName(tr("Cancel"))
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        outer.addWidget(self.buttons)

    # --- for subclasses ------------------------------------------------------------

    def submit(self) -> None:
        """Check the form and call ``start``."""

    def inputs(self) -> list[QWidget]:
        """The widgets to lock while the work runs."""
        return []

    def start(self, fn: Callable[[Progress], Any], done: Callable[[Any], None]) -> None:
        self.show_error("")
        self._lock(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat(tr("Working…"))
        self.progress.show()

        def finished(result: Any) -> None:
            self.handle = None
            self._lock(False)
            self.progress.hide()
            done(result)

        self.handle = self.ctx.tasks.run_with_progress(
            fn, done=finished, error=self._failed, progress=self._on_progress
        )

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # --- the rest ------------------------------------------------------------------

    def _failed(self, exc: BaseException) -> None:
        self.handle = None
        self._lock(False)
        self.progress.hide()
        if isinstance(exc, Cancelled):
            self.cancelled()
            return
        self.show_error(
            describe_failure(exc, self.hub_url)
            if isinstance(exc, MootError | OSError)
            else str(exc)
        )

    def cancelled(self) -> None:
        """The person stopped the work; by default the dialog closes."""
        self.reject()

    def _on_progress(self, done: int, total: int, what: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress.setFormat(f"{what} · {done:,} of {total:,}")
        else:
            self.progress.setFormat(what)

    def _lock(self, busy: bool) -> None:
        for widget in self.inputs():
            widget.setEnabled(not busy)
        self.ok_button.setEnabled(not busy)

    def cancel_or_close(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.progress.setFormat(tr("Stopping…"))
        else:
            self.reject()

    def reject(self) -> None:
        if self.handle is not None:  # Esc or the close box while working: stop first
            self.handle.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.handle is not None:
            self.handle.cancel()
            event.ignore()
            return
        super().closeEvent(event)
