"""Starting a discussion: a title, a category and the first post; Ctrl+Enter starts it.
An organiser may write it ahead, to show on every laptop from a day and time."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.groups import CategoryView
from ui.discussions import tr
from ui.discussions.keys import bind_keys


class NewDiscussionForm(QWidget):
    submitted = Signal(str, str, str, object)  # title, category id, first post, show from (ms)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newForm")
        heading = QLabel(tr("Start a discussion"))
        heading.setObjectName("threadTitle")
        self.title = QLineEdit()
        self.title.setPlaceholderText(tr("What is it about?"))
        self.title.setAccessibleName(tr("Title"))
        self.category = QComboBox()
        self.category.setAccessibleName(tr("Category"))
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText(
            tr("Say what you would like to discuss. Markdown works: **bold**, lists, links.")
        )
        self.body.setAccessibleName(tr("First post"))
        self.body.setTabChangesFocus(True)
        self.ahead = QCheckBox(tr("Write it &ahead: show it from"))
        self.ahead.setAccessibleName(tr("Write it ahead, to show from a day and time"))
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.when.setAccessibleName(tr("Show it from"))
        self.when.setEnabled(False)
        self.ahead.toggled.connect(self.when.setEnabled)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.start_button = QPushButton(tr("&Start discussion"))
        self.start_button.setObjectName("primary")
        self.start_button.setAccessibleName(tr("Start the discussion (Ctrl+Enter)"))
        self.start_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setAccessibleName(tr("Cancel (Esc)"))
        self.cancel_button.clicked.connect(self.cancelled.emit)
        for widget in (self.title, self.category, self.body):
            bind_keys(widget, submit=self.submit, cancel=self.cancelled.emit)

        form = QFormLayout()
        form.setSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        title_label = QLabel(tr("&Title"))
        title_label.setBuddy(self.title)
        category_label = QLabel(tr("&Category"))
        category_label.setBuddy(self.category)
        form.addRow(title_label, self.title)
        form.addRow(category_label, self.category)
        self.ahead_row = QWidget()
        ahead = QHBoxLayout(self.ahead_row)
        ahead.setContentsMargins(0, 0, 0, 0)
        ahead.addWidget(self.ahead)
        ahead.addWidget(self.when)
        ahead.addStretch(1)
        form.addRow("", self.ahead_row)
        self.ahead_row.hide()  # organisers only: set_organiser
        hint = QLabel(tr("Ctrl+Enter starts it · Esc cancels"))
        hint.setObjectName("muted")
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(self.error, 1)
        buttons.addStretch(1)
        buttons.addWidget(hint)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.start_button)
        body_label = QLabel(tr("First &post"))
        body_label.setBuddy(self.body)
        form_box = QWidget()
        form_box.setMaximumWidth(820)
        layout = QVBoxLayout(form_box)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(body_label)
        layout.addWidget(self.body, 1)
        layout.addLayout(buttons)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(form_box)
        outer.addStretch(0)
        self.setTabOrder(self.title, self.category)
        self.setTabOrder(self.category, self.body)
        self.setTabOrder(self.body, self.start_button)
        self.setTabOrder(self.start_button, self.cancel_button)

    def set_categories(self, categories: list[CategoryView], preferred: str | None = None) -> None:
        current = preferred or self.category.currentData()
        self.category.clear()
        for category in categories:
            self.category.addItem(category.name, category.id)
        found = self.category.findData(current)
        self.category.setCurrentIndex(max(found, 0))

    def set_organiser(self, organiser: bool) -> None:
        """Organisers seed discussions ahead; the choice is theirs alone."""
        self.ahead_row.setVisible(organiser)
        if not organiser:
            self.ahead.setChecked(False)

    def start(self) -> None:
        self.show_error("")
        self.set_busy(False)
        if not self.ahead.isChecked():  # tomorrow morning is the likeliest wish
            tomorrow = QDateTime.currentDateTime().addDays(1)
            tomorrow.setTime(QTime(9, 0))
            self.when.setDateTime(tomorrow)
        self.title.setFocus()

    def submit(self) -> None:
        if self.start_button.isEnabled():
            self.show_error("")
            ahead = self.when.dateTime().toMSecsSinceEpoch() if self.ahead.isChecked() else None
            self.submitted.emit(
                self.title.text(),
                str(self.category.currentData() or ""),
                self.body.toPlainText(),
                ahead,
            )

    def set_busy(self, busy: bool) -> None:
        self.start_button.setEnabled(not busy)

    def draft(self, title: str, body: str) -> None:
        """Start from these words (a greeting, say), for the person to change and send."""
        self.title.setText(title)
        self.body.setPlainText(body)
        self.body.setFocus()

    def clear(self) -> None:
        self.title.clear()
        self.body.clear()
        self.ahead.setChecked(False)
        self.set_busy(False)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.set_busy(False)
