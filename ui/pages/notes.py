"""The notes page: the group's shared notes on the left, the open note on the right."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import notes
from ui.context import AppContext
from ui.note_editor import NoteEditor
from ui.note_model import NOTE_ID_ROLE, NoteListModel
from ui.notice import Notice
from ui.pages.base import Page
from ui.two_line_delegate import TwoLineDelegate


class NotesPage(Page):
    title = "Notes"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.notice = Notice(ctx)
        self.model = NoteListModel(ctx, self)
        self.model.reloaded.connect(self._reselect)
        self.model.failed.connect(self.notice.error)
        self._wanted: str | None = None  # note to select once the list has it

        heading = QLabel(self.tr("Notes"))
        heading.setObjectName("dialogTitle")
        self.list = QListView()
        self.list.setAccessibleName(self.tr("Notes in this group"))
        self.list.setModel(self.model)
        self.list.setItemDelegate(TwoLineDelegate())
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.selectionModel().selectionChanged.connect(self._on_selected)
        heading.setBuddy(self.list)

        self.new_button = QPushButton(self.tr("&New note"))
        self.new_button.setAccessibleName(self.tr("New note"))
        self.new_button.setToolTip(self.tr("Start a new note (Ctrl+Shift+N)"))
        self.new_button.clicked.connect(self.new_note)
        self.rename_button = QPushButton(self.tr("&Rename"))
        self.rename_button.setAccessibleName(self.tr("Rename note"))
        self.rename_button.setToolTip(self.tr("Change the open note's title (F2)"))
        self.rename_button.clicked.connect(self.rename_note)
        self.delete_button = QPushButton(self.tr("&Delete…"))
        self.delete_button.setAccessibleName(self.tr("Delete note"))
        self.delete_button.setToolTip(self.tr("Delete the open note for everyone (Delete)"))
        self.delete_button.clicked.connect(self.delete_note)

        self.editor = NoteEditor(ctx, self.notice)
        self.empty = QLabel(
            self.tr(
                "Choose a note on the left, or start a new one with New note (Ctrl+Shift+N).\n"
                "Notes are shared with everyone in the group and saved as you type."
            )
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("muted")
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(self.editor)

        self._build_layout(heading)
        self._build_shortcuts()
        self._update_buttons()
        ctx.changed.connect(self._on_changed)
        ctx.group_selected.connect(self._on_group)
        if ctx.group_id:
            self._on_group(ctx.group_id)

    def _build_layout(self, heading: QLabel) -> None:
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (self.new_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(heading)
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(buttons)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 0, 0, 0)
        right_layout.addWidget(self.right, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 680])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.list, self.new_button)
        self.setTabOrder(self.new_button, self.rename_button)
        self.setTabOrder(self.rename_button, self.delete_button)
        self.setTabOrder(self.delete_button, self.editor.title_edit)
        self.setTabOrder(self.editor.title_edit, self.editor.body)

    def _build_shortcuts(self) -> None:
        self.new_action = QAction(self.tr("New note"), self)
        self.new_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        # Window-wide, but only while this page is the one shown (hidden pages' shortcuts
        # do not fire), so the key works from the side panel too.
        self.new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.new_action.triggered.connect(self.new_note)
        self.addAction(self.new_action)
        self.rename_action = QAction(self.tr("Rename note"), self)
        self.rename_action.setShortcut(QKeySequence("F2"))
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.rename_action.triggered.connect(self.rename_note)
        self.addAction(self.rename_action)
        # Delete only from the list: in the editor the key deletes characters.
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_note)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            into = QShortcut(QKeySequence(key), self.list)
            into.setContext(Qt.ShortcutContext.WidgetShortcut)
            into.activated.connect(self._into_note)

    # --- what the window asks ---------------------------------------------------------

    def show_target(self, target: str | None) -> None:
        if target and target.startswith("note:"):
            self.open(target.removeprefix("note:"), focus="body")

    def open(self, note_id: str, *, focus: str = "") -> None:
        """Open a note and select it in the list once the list holds it."""
        self._wanted = note_id
        self._reselect()
        self._show_note(note_id, focus=focus)

    # --- reacting ---------------------------------------------------------------------

    def _on_group(self, group_id: str) -> None:
        self.editor.close_note()
        self._wanted = None
        self.right.setCurrentWidget(self.empty)
        self.notice.hide()
        self.model.load(group_id)
        self._update_buttons()

    def _on_changed(self, groups: list[str]) -> None:
        if self.ctx.group_id in groups:
            self.model.load(self.ctx.group_id)
            self.editor.sync()

    def _on_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            note_id = str(indexes[0].data(NOTE_ID_ROLE))
            self._wanted = note_id
            self._show_note(note_id)

    def _show_note(self, note_id: str, *, focus: str = "") -> None:
        self.editor.open_note(note_id, focus=focus)
        self.right.setCurrentWidget(self.editor)
        self._update_buttons()

    def _reselect(self) -> None:
        """Keep the open note selected across list refreshes, without reopening it."""
        row = self.model.row_of(self._wanted) if self._wanted else -1
        selection = self.list.selectionModel()
        current = self.list.currentIndex()
        if row < 0 or (current.isValid() and current.row() == row and selection.hasSelection()):
            return
        index = self.model.index(row, 0)
        selection.blockSignals(True)
        self.list.setCurrentIndex(index)
        selection.blockSignals(False)
        self.list.scrollTo(index)
        self.list.viewport().update()

    def _into_note(self) -> None:
        """Enter on the list goes on to the open note's text."""
        if self.editor.note_id is not None:
            self.editor.open_note(self.editor.note_id, focus="body")

    def _update_buttons(self) -> None:
        has_note = self.editor.note_id is not None
        self.rename_button.setEnabled(has_note)
        self.delete_button.setEnabled(has_note)
        self.new_button.setEnabled(bool(self.ctx.group_id))

    # --- actions ----------------------------------------------------------------------

    def new_note(self) -> None:
        group_id, store = self.ctx.group_id, self.ctx.store
        if not group_id:
            return
        title = self.tr("Untitled note")
        self.ctx.tasks.run(
            lambda: notes.create_note(store=store, group_id=group_id, title=title),
            done=self._created,
            failed=self.notice.error,
            owner=self,
        )

    def _created(self, note_id: str) -> None:
        # The new note's title is selected, so typing names it; Enter goes on to the text.
        self.open(note_id, focus="title")

    def rename_note(self) -> None:
        if self.editor.note_id is not None:
            self.editor.title_edit.setFocus()
            self.editor.title_edit.selectAll()

    def delete_note(self) -> None:
        note_id = self.editor.note_id
        if note_id is None:
            return
        title = self.editor.title_edit.text() or self.model.title_of(note_id)
        question = self.tr("Delete the note “{title}” for everyone in the group?").format(
            title=title
        )
        if not self.confirm(question):
            return
        store = self.ctx.store
        self.editor.close_note()
        self._wanted = None
        self.list.clearSelection()
        self.right.setCurrentWidget(self.empty)
        self._update_buttons()
        self.ctx.tasks.run(
            lambda: notes.delete_note(store=store, note_id=note_id),
            done=lambda _: self.notice.info(self.tr("Note deleted.")),
            failed=self.notice.error,
            owner=self,
        )

    def confirm(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Delete note"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes
