"""The first thing a new profile shows: three ways in, each a click and a short form.

It also stands in while the sample group of ``moot --demo`` is being made, with a
progress bar in place of the choices.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.groups import DEFAULT_COLOUR
from ui.i18n import tr
from ui.icons import app_icon, icon

COLUMN_WIDTH = 620


class ChoiceButton(QPushButton):
    """A large button with an icon, a title and a sentence under it."""

    def __init__(self, icon_name: str, title: str, text: str, shortcut: str) -> None:
        super().__init__()
        self.setObjectName("choice")
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)
        self.setToolTip(f"{title} ({shortcut})")
        self.setShortcut(QKeySequence(shortcut))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 14, 18, 14)
        row.setSpacing(16)
        picture = QLabel()
        picture.setPixmap(icon(icon_name, DEFAULT_COLOUR).pixmap(QSize(32, 32)))
        row.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(3)
        heading = QLabel(title)
        heading.setObjectName("choiceTitle")
        body = QLabel(text)
        body.setObjectName("choiceText")
        body.setWordWrap(True)
        words.addWidget(heading)
        words.addWidget(body)
        row.addLayout(words, 1)
        for label in (picture, heading, body):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setMinimumHeight(84)

    def sizeHint(self) -> QSize:
        layout = self.layout()
        hint = layout.sizeHint() if layout is not None else QSize(300, 84)
        return QSize(max(hint.width(), 300), max(hint.height(), 84))


class WelcomePage(QWidget):
    start_group = Signal()
    join_hub = Signal()
    open_bundle = Signal()
    cancel_busy = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setAutoFillBackground(True)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column_widget = QWidget()
        column_widget.setMaximumWidth(COLUMN_WIDTH)
        column = QVBoxLayout(column_widget)
        column.setSpacing(14)
        column.addStretch(2)

        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(64, 64)))
        logo.setAccessibleName("Moot")
        column.addWidget(logo, 0, Qt.AlignmentFlag.AlignLeft)
        title = QLabel(tr("Welcome to Moot"))
        title.setObjectName("welcomeTitle")
        column.addWidget(title)
        lead = QLabel(
            tr(
                "A quiet place for your group's discussions, notes and decisions. "
                "Everything is kept on this laptop, so it works with or without the "
                "internet."
            )
        )
        lead.setObjectName("welcomeLead")
        lead.setWordWrap(True)
        column.addWidget(lead)
        column.addSpacing(10)

        self.stack = QStackedWidget()
        column.addWidget(self.stack)
        column.addStretch(3)
        outer.addWidget(column_widget, 4)
        outer.addStretch(1)

        choices = QWidget()
        rows = QVBoxLayout(choices)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(12)
        self.start_button = ChoiceButton(
            "new-group",
            tr("Start a group"),
            tr("Give it a name, a colour and an emblem. You can invite people afterwards."),
            "Alt+S",
        )
        self.join_button = ChoiceButton(
            "join",
            tr("Join a group on a council hub"),
            tr("You have the hub's address and an invitation code from an organiser."),
            "Alt+J",
        )
        self.bundle_button = ChoiceButton(
            "import",
            tr("Open a bundle file"),
            tr("Someone gave you the group on a USB stick or by email (a .moot file)."),
            "Alt+O",
        )
        self.start_button.clicked.connect(self.start_group)
        self.join_button.clicked.connect(self.join_hub)
        self.bundle_button.clicked.connect(self.open_bundle)
        for button in (self.start_button, self.join_button, self.bundle_button):
            rows.addWidget(button)
        self.stack.addWidget(choices)

        busy = QWidget()
        busy_rows = QVBoxLayout(busy)
        busy_rows.setContentsMargins(0, 0, 0, 0)
        self.busy_label = QLabel()
        self.busy_label.setWordWrap(True)
        self.busy_bar = QProgressBar()
        self.busy_bar.setAccessibleName(tr("Progress"))
        self.busy_cancel = QPushButton(tr("Cancel"))
        self.busy_cancel.setAccessibleName(tr("Cancel"))
        self.busy_cancel.clicked.connect(self._on_cancel)
        busy_rows.addWidget(self.busy_label)
        busy_rows.addWidget(self.busy_bar)
        busy_rows.addWidget(self.busy_cancel, 0, Qt.AlignmentFlag.AlignRight)
        busy_rows.addStretch(1)
        self.stack.addWidget(busy)
        self.setTabOrder(self.start_button, self.join_button)
        self.setTabOrder(self.join_button, self.bundle_button)

    def show_choices(self) -> None:
        self.stack.setCurrentIndex(0)
        self.start_button.setFocus()

    def show_busy(self, text: str) -> None:
        """Replace the choices with a progress bar (making the sample group, say)."""
        self.busy_label.setText(text)
        self.busy_bar.setRange(0, 0)
        self.busy_cancel.setEnabled(True)
        self.stack.setCurrentIndex(1)

    def _on_cancel(self) -> None:
        self.busy_cancel.setEnabled(False)  # stopping: one press is enough
        self.busy_bar.setFormat(tr("Stopping…"))
        self.cancel_busy.emit()

    def set_progress(self, done: int, total: int, what: str) -> None:
        if total > 0:
            self.busy_bar.setRange(0, total)
            self.busy_bar.setValue(min(done, total))
        if what:
            self.busy_bar.setFormat(f"{what} · %p%" if total > 0 else what)
