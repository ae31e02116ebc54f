"""Recently deleted: what this member may bring back, each with a Restore button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.discussions import DeletedItem
from ui.discussions import tr
from ui.when import ago

PAGE = 50


class DeletedList(QScrollArea):
    restore_requested = Signal(object)  # a DeletedItem
    more_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deleted")
        self.setAccessibleName(tr("Recently deleted"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.items: list[DeletedItem] = []
        self.buttons: list[QPushButton] = []
        self.box = QWidget()
        self.box.setObjectName("deletedBox")
        self.rows = QVBoxLayout(self.box)
        self.rows.setContentsMargins(12, 6, 12, 12)
        self.rows.setSpacing(8)
        self.setWidget(self.box)
        self.limit = PAGE

    def show_items(self, items: list[DeletedItem], *, organiser: bool) -> None:
        while self.rows.count():
            taken = self.rows.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.items = items
        self.buttons = []
        if not items:
            empty = QLabel(
                tr("Nothing has been deleted lately.")
                if organiser
                else tr(
                    "Nothing of yours has been deleted lately."
                    " Organisers see the whole group's here."
                )
            )
            empty.setObjectName("empty")
            empty.setWordWrap(True)
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.rows.addWidget(empty)
        for item in items:
            self.rows.addWidget(self._row(item))
        if len(items) >= self.limit:
            more = QPushButton(tr("Show more"))
            more.clicked.connect(self._more)
            self.rows.addWidget(more)
        self.rows.addStretch(1)

    def _more(self) -> None:
        self.limit += PAGE
        self.more_requested.emit()

    def _row(self, item: DeletedItem) -> QFrame:
        row = QFrame()
        row.setObjectName("deletedRow")
        what = QLabel(item.title)
        what.setObjectName("author")
        what.setWordWrap(True)
        if item.post_id:
            words = " ".join(item.excerpt.split())
            detail = tr("A post by %1: “%2”").replace("%1", item.author_name or tr("someone"))
            detail = detail.replace("%2", words if len(words) <= 90 else words[:89] + "…")
        else:
            detail = tr("The whole discussion, started by %1").replace(
                "%1", item.author_name or tr("someone")
            )
        text = QLabel(detail)
        text.setWordWrap(True)
        when = QLabel(
            tr("Deleted %1 by %2")
            .replace("%1", ago(item.deleted_hlc))
            .replace("%2", item.deleted_by_name or tr("someone"))
        )
        when.setObjectName("muted")
        restore = QPushButton(tr("Restore"))
        restore.setAccessibleName(
            tr("Restore %1").replace("%1", detail if item.post_id else item.title)
        )
        restore.clicked.connect(lambda _=False, i=item: self._restore(i, restore))
        self.buttons.append(restore)
        words_box = QVBoxLayout()
        words_box.setSpacing(4)
        words_box.addWidget(what)
        words_box.addWidget(text)
        words_box.addWidget(when)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(words_box, 1)
        layout.addWidget(restore, 0, Qt.AlignmentFlag.AlignVCenter)
        return row

    def _restore(self, item: DeletedItem, button: QPushButton) -> None:
        button.setEnabled(False)
        self.restore_requested.emit(item)
