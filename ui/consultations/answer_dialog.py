"""The group's answers, drafted: each question with its text box, options or scale, saved
as the clerk types, and the way on to submitting the response.

Text saves as a note's does: the dialog keeps, per question, the answer as it stood
when it last agreed with the store (its base), and a save sends the changes from
there, so words another drafter wrote meanwhile are kept. Saves run one at a time on
a worker, texts and choices together, so a submission made after them sends them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.papers.words import short_date
from app.services import consultations
from app.services.consultations import Answer, ConsultationView, Question, Submitted
from app.services.notes import NoteBody
from ui.autosave import autosave
from ui.consultations import tr
from ui.consultations.submit_dialog import SubmitDialog
from ui.context import AppContext

Saved = dict[int, consultations.SavedAnswer]


class AnswerDialog(QDialog):
    SAVE_DELAY_MS = 600

    def __init__(self, ctx: AppContext, view: ConsultationView, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx, self.view = ctx, view
        self.consultation = view.summary.id
        self.group_id = view.summary.group_id
        self.submit_form: SubmitDialog | None = None
        self.texts: dict[int, QPlainTextEdit] = {}
        self.options: dict[int, list[QAbstractButton]] = {}
        self._bases: dict[int, NoteBody] = {}
        self._typed: set[int] = set()  # questions whose text changed since the last save
        self._chosen: dict[int, list[str]] = {}  # choices still to save
        self._busy = False  # a save is in flight
        self._again = False  # something asked for a save while one was in flight
        self._after: list[Callable[[], None]] = []  # to run once everything is saved
        self.setWindowTitle(tr("Answer for the group: %1").replace("%1", view.summary.title))
        self.setMinimumSize(560, 520)

        s = view.summary
        lead = QLabel(
            tr(
                "%1 asks the group. The answers are saved as you type; the council sees them"
            ).replace("%1", s.sender)
            + tr(" once the group's response is submitted. It closes on %1.").replace(
                "%1", short_date(s.closes)
            )
        )
        lead.setObjectName("formHint")
        lead.setWordWrap(True)
        lead.setTextFormat(Qt.TextFormat.PlainText)  # the sender's name is theirs to choose
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setAccessibleName(tr("Save status"))
        self.status.setWordWrap(True)

        body = QWidget()
        questions = QVBoxLayout(body)
        questions.setSpacing(14)
        for q, answer in zip(view.questions, view.answers, strict=True):
            questions.addWidget(self._question_box(q, answer))
        questions.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.submit_button = QPushButton(tr("&Submit the group's response…"))
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.open_submit)
        close = QPushButton(tr("&Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(lead)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        self._timer = autosave(self, self.SAVE_DELAY_MS, self.save, self.save)
        store = ctx.store
        ctx.tasks.run(
            lambda: consultations.answer_bodies(
                store=store, consultation_id=self.consultation, group_id=self.group_id
            ),
            done=self._loaded,
            failed=self._say,
            owner=self,
        )

    # --- the questions ------------------------------------------------------------------

    def _question_box(self, q: Question, answer: Answer) -> QFrame:
        box = QFrame()
        box.setObjectName("consultationQuestion")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        words = QLabel(f"{q.number}. {q.text}")
        bold = QFont(words.font())
        bold.setWeight(QFont.Weight.DemiBold)
        words.setFont(bold)
        words.setWordWrap(True)
        words.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(words)
        if q.type != "text":
            buttons: list[QAbstractButton] = []
            group = QButtonGroup(box)
            group.setExclusive(q.type != "multi")
            for option in q.options:
                label = option.replace("&", "&&")  # an option's "&" is not a shortcut
                button: QAbstractButton = (
                    QCheckBox(label) if q.type == "multi" else QRadioButton(label)
                )
                button.setChecked(option in answer.choice)
                button.setAccessibleName(
                    tr("Question %1: %2").replace("%1", str(q.number)).replace("%2", option)
                )
                group.addButton(button)
                layout.addWidget(button)
                buttons.append(button)
            group.buttonClicked.connect(lambda _b, n=q.number: self._choice_made(n))
            self.options[q.number] = buttons
            if q.type != "multi":
                clear = QPushButton(tr("Clear the choice"))
                clear.clicked.connect(lambda _=False, n=q.number: self._clear_choice(n))
                layout.addWidget(clear, 0, Qt.AlignmentFlag.AlignLeft)
        text = QPlainTextEdit(answer.text)
        text.setTabChangesFocus(True)
        text.setReadOnly(True)  # until the stored texts, and the base to save on, are read
        if q.type == "text":
            text.setAccessibleName(tr("Answer to question %1").replace("%1", str(q.number)))
            text.setPlaceholderText(tr("The group's answer"))
            text.setMinimumHeight(110)
        else:
            text.setAccessibleName(tr("Comment on question %1").replace("%1", str(q.number)))
            text.setPlaceholderText(tr("A comment (optional)"))
            text.setMaximumHeight(80)
        text.textChanged.connect(lambda n=q.number: self._text_typed(n))
        layout.addWidget(text)
        self.texts[q.number] = text
        return box

    def _loaded(self, bodies: dict[int, NoteBody]) -> None:
        self._bases = dict(bodies)
        for number, editor in self.texts.items():
            body = bodies.get(number)
            if body is not None and editor.toPlainText() != body.text:
                editor.blockSignals(True)
                editor.setPlainText(body.text)
                editor.blockSignals(False)
            editor.setReadOnly(False)

    def _text_typed(self, number: int) -> None:
        if number in self._bases:
            self._typed.add(number)
            self.status.setText(tr("Saving…"))
            self._timer.start()

    def _choice_made(self, number: int) -> None:
        # By position, not by the buttons' words, which a style may give shortcuts.
        options = self.view.questions[number - 1].options
        buttons = self.options[number]
        self._chosen[number] = [o for o, b in zip(options, buttons, strict=True) if b.isChecked()]
        self.save()

    def _clear_choice(self, number: int) -> None:
        buttons = self.options[number]
        group = buttons[0].group() if buttons else None
        if group is not None:
            group.setExclusive(False)
        for button in buttons:
            button.setChecked(False)
        if group is not None:
            group.setExclusive(True)
        self._chosen[number] = []
        self.save()

    # --- saving -------------------------------------------------------------------------

    def save(self) -> None:
        """Save what changed, on a worker; typing meanwhile is saved by the next save."""
        self._timer.stop()
        if self._busy:
            self._again = True
            return
        texts = {n: (self._bases[n], self.texts[n].toPlainText()) for n in self._typed}
        choices = dict(self._chosen)
        self._typed.clear()
        self._chosen.clear()
        if not texts and not choices:
            self._saved_all()
            return
        self._busy = True
        self.status.setText(tr("Saving…"))
        store, c, group = self.ctx.store, self.consultation, self.group_id

        def work() -> Saved:
            for number, choice in choices.items():
                consultations.set_answer_choice(
                    store=store, consultation_id=c, group_id=group, question=number, choice=choice
                )
            return {
                number: consultations.save_answer_text(
                    store=store,
                    consultation_id=c,
                    group_id=group,
                    question=number,
                    base=base,
                    text=text,
                )
                for number, (base, text) in texts.items()
            }

        self.ctx.tasks.run(work, done=self._on_saved, failed=self._save_failed)

    def _on_saved(self, saved: Saved) -> None:
        self._busy = False
        for number, result in saved.items():
            self._bases[number] = result.mine
        if self._again or self._typed or self._chosen:
            self._again = False
            self.save()
        else:
            self._saved_all()

    def _save_failed(self, message: str) -> None:
        self._busy = False
        self._again = False
        self._after.clear()  # a submission waiting on this save does not go
        if self.submit_form is not None and self.submit_form.isVisible():
            self.submit_form.refused(message)
        self._say(message)

    def _saved_all(self) -> None:
        if not self._busy:
            self.status.setText(tr("All changes saved."))
            after, self._after = self._after, []
            for then in after:
                then()

    def _say(self, message: str) -> None:
        self.status.setText(message)
        self.ctx.message.emit(message)

    def when_saved(self, then: Callable[[], None]) -> None:
        """Run ``then`` once everything typed and chosen so far is saved."""
        self._after.append(then)
        self.save()

    def done(self, result: int) -> None:
        # Closed however (the button, Esc, the window's ×): what was typed last is saved.
        self.save()
        super().done(result)

    # --- submitting ---------------------------------------------------------------------

    def open_submit(self) -> None:
        store, group = self.ctx.store, self.group_id
        self.ctx.tasks.run(
            lambda: consultations.meetings_to_name(store=store, group_id=group),
            done=self._show_submit,
            failed=self._say,
            owner=self,
        )

    def _show_submit(self, meetings: list[tuple[str, str, str]]) -> None:
        self.submit_form = SubmitDialog(self.view, meetings, self)
        self.submit_form.submitted.connect(self._submit)
        self.submit_form.open()

    def _submit(self, values: dict[str, object]) -> None:
        store, c, group = self.ctx.store, self.consultation, self.group_id
        form = self.submit_form

        def send() -> None:
            self.ctx.tasks.run(
                lambda: consultations.submit(
                    store=store,
                    consultation_id=c,
                    group_id=group,
                    how=str(values["how"]),
                    meeting=_text_or_none(values.get("meeting")),
                    minute=_text_or_none(values.get("minute")),
                    votes_for=_int_or_none(values.get("votes_for")),
                    votes_against=_int_or_none(values.get("votes_against")),
                    votes_abstain=_int_or_none(values.get("votes_abstain")),
                    dissent=str(values.get("dissent", "")),
                ),
                done=self._submitted,
                failed=form.refused if form is not None else self._say,
            )

        self.when_saved(send)

    def _submitted(self, result: Submitted) -> None:
        if self.submit_form is not None:
            self.submit_form.accept()
        self._say(result.message)


def _text_or_none(value: object) -> str | None:
    return str(value) if value else None


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) else None
