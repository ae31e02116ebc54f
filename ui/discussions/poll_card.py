"""Quick polls in a thread: one click votes, results show as bars; and the form to ask one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.clock import wall_ms
from app.services.polls import ThreadPoll
from ui.discussions import tr
from ui.discussions.keys import bind_keys
from ui.when import ago


class PollCard(QFrame):
    vote_requested = Signal(str, list)  # poll id, the option texts now chosen

    def __init__(self, poll: ThreadPoll) -> None:
        super().__init__()
        self.setObjectName("poll")
        self.poll = poll
        self.question = QLabel()
        self.question.setObjectName("pollQuestion")
        self.question.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        self.footer = QLabel()
        self.footer.setObjectName("muted")
        self.option_buttons: list[QPushButton] = []
        self.bars: list[QProgressBar] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.question)
        layout.addLayout(self.grid)
        layout.addWidget(self.footer)
        self.update_poll(poll)

    def update_poll(self, poll: ThreadPoll) -> None:
        self.poll = poll
        r = poll.results
        closed = r.closes_ms is not None and r.closes_ms <= wall_ms()
        self.question.setText(tr("Poll: %1").replace("%1", r.question))
        self.setAccessibleName(tr("Poll: %1").replace("%1", r.question))
        while len(self.option_buttons) < len(r.options):
            i = len(self.option_buttons)
            button = QPushButton()
            button.setObjectName("option")
            button.setCheckable(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, i=i: self._vote(i))
            bar = QProgressBar()
            bar.setTextVisible(True)
            bar.setObjectName("result")
            self.grid.addWidget(button, i, 0)
            self.grid.addWidget(bar, i, 1)
            self.option_buttons.append(button)
            self.bars.append(bar)
        for i, option in enumerate(r.options):
            count, button, bar = r.counts[i], self.option_buttons[i], self.bars[i]
            share = round(100 * count / r.voters) if r.voters else 0
            button.setText(option)
            button.setChecked(i in r.my_choices)
            button.setEnabled(not closed)
            button.setAccessibleName(tr("Vote for %1").replace("%1", option))
            votes = tr("1 vote") if count == 1 else tr("%n votes", count)
            bar.setRange(0, max(r.voters, 1))
            bar.setValue(count)
            bar.setFormat(f"{votes} · {share}%")
            bar.setAccessibleName(tr("%1: %2").replace("%1", option).replace("%2", votes))
        people = tr("1 person voted") if r.voters == 1 else tr("%n people voted", r.voters)
        asked = tr("asked by %1 %2").replace("%1", poll.author_name or tr("someone"))
        bits = [people, asked.replace("%2", ago(poll.created_hlc))]
        if r.multiple:
            bits.append(tr("pick any"))
        if closed:
            bits.append(tr("closed"))
        self.footer.setText("  ·  ".join(bits))

    def _vote(self, index: int) -> None:
        r = self.poll.results
        mine = set(r.my_choices)
        if r.multiple:
            mine ^= {index}
        else:
            # A second click on one's own choice takes the vote back.
            mine = set() if mine == {index} else {index}
        self.vote_requested.emit(r.id, [r.options[i] for i in sorted(mine)])


class PollForm(QFrame):
    """Ask a quick poll: a question and an option per line."""

    submitted = Signal(str, list, bool)  # question, options, more than one choice allowed
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pollForm")
        self.question = QLineEdit()
        self.question.setPlaceholderText(tr("Question, e.g. Which evening suits you?"))
        self.question.setAccessibleName(tr("Poll question"))
        self.options = QPlainTextEdit()
        self.options.setPlaceholderText(tr("One option per line"))
        self.options.setAccessibleName(tr("Poll options, one per line"))
        self.options.setFixedHeight(96)
        self.multiple = QCheckBox(tr("Let people pick &more than one"))
        self.multiple.setAccessibleName(tr("Let people pick more than one option"))
        self.add_button = QPushButton(tr("&Add poll"))
        self.add_button.setObjectName("primary")
        self.add_button.setAccessibleName(tr("Add the poll (Ctrl+Enter)"))
        self.add_button.clicked.connect(self._submit)
        cancel = QPushButton(tr("Cancel"))
        cancel.setAccessibleName(tr("Cancel the poll (Esc)"))
        cancel.clicked.connect(self.cancelled.emit)
        for widget in (self.question, self.options):
            bind_keys(widget, submit=self._submit, cancel=self.cancelled.emit)
        title = QLabel(tr("New quick poll"))
        title.setObjectName("formTitle")
        buttons = QHBoxLayout()
        buttons.addWidget(self.multiple)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.question)
        layout.addWidget(self.options)
        layout.addLayout(buttons)

    def start(self) -> None:
        self.show()
        self.question.setFocus()

    def clear(self) -> None:
        self.question.clear()
        self.options.clear()
        self.multiple.setChecked(False)

    def _submit(self) -> None:
        options = [line.strip() for line in self.options.toPlainText().splitlines()]
        self.submitted.emit(
            self.question.text(), [o for o in options if o], self.multiple.isChecked()
        )
