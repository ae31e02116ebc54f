"""The list of discussions: a Qt model that loads rows a page at a time, in a worker.

The model holds only what it has fetched; the view asks for more as the person
scrolls (``canFetchMore``/``fetchMore``), so a group with years of history opens as
quickly as a new one. ``refresh`` re-reads the rows already shown, after a write or
a sync, without losing the place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.services.discussions import DiscussionSummary
from ui.discussions import tr
from ui.tasks import Tasks
from ui.when import ago

Fetch = Callable[[int, int], list[DiscussionSummary]]  # (offset, limit) -> rows
Index = QModelIndex | QPersistentModelIndex

PAGE = 50
ID_ROLE = Qt.ItemDataRole.UserRole
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1


class DiscussionListModel(QAbstractListModel):
    """Rows of :class:`DiscussionSummary`, fetched through ``fetch`` on a worker."""

    loaded = Signal()  # a page or a refresh has arrived
    failed = Signal(str)

    def __init__(self, tasks: Tasks, parent: Any = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._rows: list[DiscussionSummary] = []
        self._fetch: Fetch | None = None
        self._more = False
        self._loading = False
        # Bumped whenever the rows are replaced; answers for an older one are dropped.
        self._generation = 0

    # --- what is shown ---------------------------------------------------------------

    def set_source(self, fetch: Fetch | None) -> None:
        """Show the rows ``fetch`` returns, from the first page."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._fetch = fetch
        self._more = fetch is not None
        self._loading = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def refresh(self) -> None:
        """Re-read the rows shown so far (and any newer ones up to a page)."""
        fetch = self._fetch
        if fetch is None:
            return
        self._generation += 1
        generation, limit = self._generation, max(len(self._rows), PAGE)
        self._loading = True
        self._tasks.run(
            lambda: fetch(0, limit),
            done=lambda rows: self._replace(generation, limit, rows),
            failed=lambda message: self._fail(generation, message),
        )

    def summary(self, row: int) -> DiscussionSummary:
        return self._rows[row]

    def row_of(self, discussion_id: str) -> int:
        """The row showing a discussion, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == discussion_id), -1)

    def mark_read(self, discussion_id: str) -> None:
        """Show a discussion as read at once; the next refresh brings the truth."""
        row = self.row_of(discussion_id)
        if row >= 0 and self._rows[row].unread:
            self._rows[row] = dataclasses.replace(self._rows[row], unread=0)
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def is_loading(self) -> bool:
        return self._loading

    # --- the model -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return s.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(s)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return describe(s)
        if role == ID_ROLE:
            return s.id
        if role == SUMMARY_ROLE:
            return s
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: Index) -> None:
        fetch = self._fetch
        if fetch is None or not self.canFetchMore(parent):
            return
        self._loading = True
        generation, offset = self._generation, len(self._rows)
        self._tasks.run(
            lambda: fetch(offset, PAGE),
            done=lambda rows: self._append(generation, rows),
            failed=lambda message: self._fail(generation, message),
        )

    # --- answers from the worker -------------------------------------------------------

    def _append(self, generation: int, rows: list[DiscussionSummary]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._more = len(rows) == PAGE
        # Activity elsewhere may have shifted the list between pages; skip repeats.
        known = {r.id for r in self._rows}
        fresh = [r for r in rows if r.id not in known]
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()
        self.loaded.emit()

    def _replace(self, generation: int, limit: int, rows: list[DiscussionSummary]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._more = len(rows) == limit
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        self.loaded.emit()

    def _fail(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._more = False
        self.failed.emit(message)


def describe(s: DiscussionSummary) -> str:
    """One line saying all a row shows, for screen readers and tooltips."""
    parts = [s.title, s.category, ago(s.last_activity_hlc), replies_text(s.posts)]
    if s.unread:
        parts.append(tr("%n unread", s.unread))
    marks = ((s.pinned, tr("pinned")), (s.locked, tr("locked")), (s.resolved, tr("resolved")))
    parts += [word for flag, word in marks if flag]
    return ", ".join(parts)


def replies_text(posts: int) -> str:
    """The first post starts the discussion; the rest are replies."""
    replies = max(posts - 1, 0)
    if replies == 0:
        return tr("no replies")
    return tr("1 reply") if replies == 1 else tr("%n replies", replies)
