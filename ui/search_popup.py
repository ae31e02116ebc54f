"""The list of search results that drops down under the search box."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QVBoxLayout, QWidget

from app.services.search import SearchHit
from ui.two_line_delegate import SECOND_LINE_ROLE, TwoLineDelegate

HIT_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchPopup(QFrame):
    """A floating frame inside the window, never focused: the search box keeps the keys.

    It is a child of the window rather than a popup window of its own, so typing carries
    on in the box while results change under it.
    """

    chosen = Signal(object)  # the SearchHit to open
    MAX_ROWS = 8

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("searchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#searchPopup { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 6px; }"
        )
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.kinds = {
            "discussion": self.tr("Discussion"),
            "post": self.tr("Post in"),
            "note": self.tr("Note"),
        }
        self.model = QStandardItemModel(self)
        self.view = QListView()
        self.view.setAccessibleName(self.tr("Search results"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(TwoLineDelegate(marked=True))
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.clicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.view)
        self.hide()

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.model.clear()
        for hit in hits:
            label = self.kinds.get(hit.kind, hit.kind.capitalize())
            item = QStandardItem(f"{label} · {hit.title}")
            item.setData(hit.snippet, SECOND_LINE_ROLE)
            item.setData(hit, HIT_ROLE)
            item.setData(f"{label} {hit.title}: {hit.snippet}", Qt.ItemDataRole.AccessibleTextRole)
            self.model.appendRow(item)
        if not hits:
            empty = QStandardItem(self.tr("No matches"))
            empty.setData(self.tr("Try fewer or different words."), SECOND_LINE_ROLE)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.model.appendRow(empty)
        else:
            self.view.setCurrentIndex(self.model.index(0, 0))

    def show_under(self, box: QWidget) -> None:
        parent = self.parentWidget()
        assert parent is not None
        width = max(box.width(), 440)
        rows = min(max(self.model.rowCount(), 1), self.MAX_ROWS)
        row_height = self.view.sizeHintForRow(0) if self.model.rowCount() else 40
        height = rows * row_height + 8
        where = box.mapTo(parent, QPoint(0, box.height() + 2))
        where.setX(max(0, min(where.x(), parent.width() - width)))
        self.setGeometry(where.x(), where.y(), width, height)
        self.show()
        self.raise_()

    def sizeHint(self) -> QSize:
        return self.size()

    def move_selection(self, step: int) -> None:
        count = self.model.rowCount()
        if not count or not self.current_hit():
            return
        row = (self.view.currentIndex().row() + step) % count
        self.view.setCurrentIndex(self.model.index(row, 0))

    def current_hit(self) -> SearchHit | None:
        hit = self.view.currentIndex().data(HIT_ROLE)
        return hit if isinstance(hit, SearchHit) else None

    def _clicked(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.chosen.emit(hit)
