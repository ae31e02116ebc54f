"""The panel above a consultation's discussion: who asks, when it closes, how the group's
response stands, the questions; and, for the clerk or an organiser, the way to answer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.papers.words import short_date
from app.services.consultations import ConsultationView, consultation_of_discussion
from ui.consultations import tr
from ui.consultations.answer_dialog import AnswerDialog
from ui.context import AppContext
from ui.tasks import Newest


def heading(view: ConsultationView) -> str:
    """'Consultation from Ashby Council · closes 31 March 2027 · Draft'."""
    s = view.summary
    when = tr("closes %1") if s.open else tr("closed %1")
    return (
        tr("Consultation from %1 · %2 · %3")
        .replace("%1", s.sender)
        .replace("%2", when.replace("%1", short_date(s.closes)))
        .replace("%3", s.status)
    )


def question_lines(view: ConsultationView) -> str:
    lines = []
    for q in view.questions:
        options = f" ({' / '.join(q.options)})" if q.type in ("choice", "multi") else ""
        lines.append(f"{q.number}. {q.text}{options}")
    return "\n".join(lines)


class ConsultationPanel(QFrame):
    """Shown for a discussion a consultation was opened in; hidden for any other."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("consultation")
        self.view: ConsultationView | None = None
        self.dialog: AnswerDialog | None = None
        self._reads = Newest()

        self.heading = QLabel()
        self.heading.setObjectName("formTitle")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.questions = QLabel()
        self.questions.setWordWrap(True)
        self.questions.setTextFormat(Qt.TextFormat.PlainText)
        self.questions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.answer_button = QPushButton(tr("&Answer for the group…"))
        self.answer_button.setObjectName("primary")
        self.answer_button.setAccessibleName(tr("Answer the consultation for the group"))
        self.answer_button.clicked.connect(self.open_answers)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.answer_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.questions)
        layout.addLayout(buttons)
        self.hide()

    def show_for(self, discussion_id: str | None) -> None:
        """Read (off the GUI thread) whether the discussion is a consultation's, and show it."""
        if discussion_id is None:
            self._reads.drop()
            self.view = None
            self.hide()
            return
        store = self.ctx.store
        self.ctx.tasks.run(
            lambda: consultation_of_discussion(store=store, discussion_id=discussion_id),
            done=self._show,
            failed=self._failed,
            newest=self._reads,
            owner=self,
        )

    def _show(self, view: ConsultationView | None) -> None:
        self.view = view
        if view is None:
            self.hide()
            return
        self.heading.setText(heading(view))
        self.setAccessibleName(heading(view))
        self.questions.setText(question_lines(view))
        notes = []
        if view.amended:
            notes.append(tr("The draft has changed since the response was submitted."))
        if not view.may_answer:
            notes.append(tr("The group's clerk or an organiser answers for the group."))
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))
        self.answer_button.setVisible(view.may_answer)
        self.show()

    def _failed(self, message: str) -> None:
        self.hide()
        self.ctx.message.emit(message)

    def open_answers(self) -> None:
        if self.view is None or not self.view.may_answer:
            return
        self.dialog = AnswerDialog(self.ctx, self.view, self.window())
        self.dialog.open()
