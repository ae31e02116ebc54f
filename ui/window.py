"""The main window: the side panel, the page for the chosen place, menus, status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services import groups
from app.services.groups import CategoryView, GroupSummary
from ui.context import AppContext
from ui.nav import NavPanel
from ui.pages.base import Page
from ui.pages.discussions import DiscussionsPage
from ui.pages.members import MembersPage
from ui.pages.notes import NotesPage
from ui.search_box import SearchBox

# The side panel's places and the page that shows each.
PAGE_OF = {
    "discussions": "discussions",
    "following": "discussions",
    "unread": "discussions",
    "deleted": "discussions",
    "notes": "notes",
    "members": "members",
}


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle("Moot")
        self.resize(1200, 760)
        self.group_list: list[GroupSummary] = []

        self.group_box = QComboBox()
        self.group_box.setAccessibleName("Group")
        self.group_box.setMinimumWidth(200)
        self.group_box.activated.connect(self._on_group_chosen)
        self.nav = NavPanel()
        self.nav.chosen.connect(self.navigate)
        side = QWidget()
        side.setObjectName("side")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 8, 0, 8)
        side_layout.addWidget(self.group_box)
        side_layout.addWidget(self.nav, 1)

        self.pages: dict[str, Page] = {
            "discussions": DiscussionsPage(ctx),
            "notes": NotesPage(ctx),
            "members": MembersPage(ctx),
        }
        self.stack = QStackedWidget()
        for page in self.pages.values():
            self.stack.addWidget(page)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(side)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 960])
        self.setCentralWidget(splitter)

        self.search = SearchBox(ctx)
        self.search.open_requested.connect(self.open_item)
        self._build_toolbar()
        self._build_menus()

        ctx.changed.connect(self._on_changed)
        ctx.group_selected.connect(self._on_group_selected)
        self.reload_groups()

    # --- building ---------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("toolbar")
        bar.setMovable(False)
        self.new_discussion_action = QAction("&New discussion", self)
        self.new_discussion_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_discussion_action.triggered.connect(self.new_discussion)
        bar.addAction(self.new_discussion_action)
        bar.addWidget(self.search)
        self.addToolBar(bar)

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.file_menu = file_menu

        edit = menus.addMenu("&Edit")
        find = edit.addAction("&Find…")
        find.setShortcut(QKeySequence("Ctrl+K"))
        find.triggered.connect(self.search.focus_search)

        go = menus.addMenu("&Go")
        for number, (place, label) in enumerate(
            [
                ("discussions", "&Discussions"),
                ("following", "&Following"),
                ("unread", "&Unread"),
                ("notes", "&Notes"),
                ("members", "&Members"),
                ("deleted", "Recently &deleted"),
            ],
            start=1,
        ):
            action = go.addAction(label)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, p=place: self.nav.select(p))
        self.go_menu = go
        self.group_menu = menus.addMenu("&Group")
        self.group_menu.addAction(self.new_discussion_action)

    # --- groups -------------------------------------------------------------------

    def reload_groups(self) -> None:
        self.ctx.tasks.run(lambda: groups.list_groups(store=self.ctx.store), done=self._got_groups)

    def _got_groups(self, found: list[GroupSummary]) -> None:
        self.group_list = found
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for g in found:
            self.group_box.addItem(f"{g.emblem} {g.name}".strip(), g.id)
        self.group_box.blockSignals(False)
        if found:
            ids = [g.id for g in found]
            chosen = self.ctx.group_id if self.ctx.group_id in ids else ids[0]
            self.group_box.setCurrentIndex(ids.index(chosen))
            if chosen == self.ctx.group_id:
                self._on_group_selected(chosen)  # same group: its categories may have changed
            self.ctx.select_group(chosen)

    def _on_group_chosen(self, index: int) -> None:
        self.ctx.select_group(str(self.group_box.itemData(index)))

    def current_group(self) -> GroupSummary | None:
        return next((g for g in self.group_list if g.id == self.ctx.group_id), None)

    def _on_group_selected(self, group_id: str) -> None:
        if not group_id:
            return
        self.ctx.tasks.run(
            lambda: groups.list_categories(store=self.ctx.store, group_id=group_id),
            done=self._got_categories,
        )

    def _got_categories(self, categories: list[CategoryView]) -> None:
        self.nav.set_categories(categories)
        page, target = self.nav.current_place() or ("discussions", None)
        self.navigate(page, target)

    def _on_changed(self, changed: list[str]) -> None:
        known = {g.id for g in self.group_list}
        if set(changed) - known or self.ctx.group_id in changed:
            self.reload_groups()

    # --- where the user goes -------------------------------------------------------

    def navigate(self, place: str, target: str | None = None) -> None:
        """Show a place from the side panel (``target``: a category id, say)."""
        page = self.pages[PAGE_OF[place]]
        self.stack.setCurrentWidget(page)
        page.show_target(place if target is None else f"{place}:{target}")

    def open_item(self, kind: str, item_id: str, discussion_id: str = "") -> None:
        """Open a discussion, post or note in place (from search, say)."""
        if kind == "note":
            self.nav.select("notes", emit=False)
            self.stack.setCurrentWidget(self.pages["notes"])
            self.pages["notes"].show_target(f"note:{item_id}")
        else:
            self.nav.select("discussions", emit=False)
            self.stack.setCurrentWidget(self.pages["discussions"])
            target = discussion_id or item_id
            post = f":{item_id}" if kind == "post" else ""
            self.pages["discussions"].show_target(f"discussion:{target}{post}")

    def new_discussion(self) -> None:
        self.nav.select("discussions", emit=False)
        self.stack.setCurrentWidget(self.pages["discussions"])
        self.pages["discussions"].show_target("new")
