"""The list of a group's notes: ids and a row cache, filled a page at a time on demand."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.services import notes
from app.services.notes import NoteRow
from ui.context import AppContext
from ui.two_line_delegate import SECOND_LINE_ROLE
from ui.when import ago, full

NOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class NoteListModel(QAbstractListModel):
    """Rows come from ``notes.list_note_rows`` in a worker; the view asks for more as it scrolls.

    ``reloaded`` fires after each refresh, so the view can put its selection back.
    """

    PAGE = 100
    reloaded = Signal()
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.group_id = ""
        self._rows: list[NoteRow] = []
        self._more = False
        self._fetching = False
        self._generation = 0  # answers for an older group or refresh are dropped

    # --- loading ---------------------------------------------------------------------

    def load(self, group_id: str) -> None:
        """Show ``group_id``'s notes, keeping as many rows loaded as there were."""
        if group_id != self.group_id:
            self.beginResetModel()
            self._rows, self._more = [], False
            self.endResetModel()
        self.group_id = group_id
        self._generation += 1
        self._fetching = False
        if not group_id:
            return
        generation, limit = self._generation, max(len(self._rows), self.PAGE)
        store = self.ctx.store
        self.ctx.tasks.run(
            lambda: notes.list_note_rows(store=store, group_id=group_id, limit=limit),
            done=lambda rows: self._replace(generation, rows, limit),
            failed=self.failed.emit,
            owner=self,
        )

    def _replace(self, generation: int, rows: list[NoteRow], limit: int) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rows, self._more = rows, len(rows) == limit
        self.endResetModel()
        self.reloaded.emit()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, offset, group_id = self._generation, len(self._rows), self.group_id
        store = self.ctx.store
        self.ctx.tasks.run(
            lambda: notes.list_note_rows(
                store=store, group_id=group_id, offset=offset, limit=self.PAGE
            ),
            done=lambda rows: self._append(generation, rows),
            failed=self.failed.emit,
            owner=self,
        )

    def _append(self, generation: int, rows: list[NoteRow]) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self._more = len(rows) == self.PAGE
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    # --- reading -----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == NOTE_ID_ROLE:
            return row.id
        if role == SECOND_LINE_ROLE:
            return self._edited(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._edited(row)} ({full(row.edited_hlc)})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.title}, {self._edited(row)}"
        return None

    def _edited(self, row: NoteRow) -> str:
        when = ago(row.edited_hlc)
        if row.edited_device == self.ctx.store.device_id:
            return self.tr("Edited {when} by you").format(when=when)
        if row.edited_by:
            return self.tr("Edited {when} by {who}").format(when=when, who=row.edited_by)
        return self.tr("Edited {when}").format(when=when)

    def row_of(self, note_id: str) -> int:
        """The row showing ``note_id``, or -1 if it is not loaded."""
        return next((i for i, r in enumerate(self._rows) if r.id == note_id), -1)

    def title_of(self, note_id: str) -> str:
        row = self.row_of(note_id)
        return self._rows[row].title if row >= 0 else ""
