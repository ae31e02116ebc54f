"""The main window: the side panel, the page for the chosen place, menus, status bar.

A profile with no group yet sees the welcome page instead of the empty panes; the
File menu offers the same ways in later. Every database and network call goes through
``ctx.tasks``; closing the window stops the sync timer, cancels what runs, and waits.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QInputDialog,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import Cancelled
from app.services import groups
from app.services.groups import CategoryView, GroupSummary
from sync.bundle import ImportResult
from sync.engine import SyncResult
from sync.hubs import Joined
from ui import theme
from ui.actions import Actions
from ui.bundle_dialogs import BundleImporter, ExportBundleDialog
from ui.context import AppContext
from ui.failure_notice import FailureNotice
from ui.group_dialogs import ConnectHubDialog, JoinHubDialog, NewGroupDialog
from ui.group_header import GroupHeader
from ui.help_dialogs import show_about, show_shortcuts
from ui.i18n import tr
from ui.icons import app_icon, icon
from ui.nav import NavPanel
from ui.notifier import Notifier
from ui.pages.base import Page
from ui.pages.discussions import DiscussionsPage
from ui.pages.meetings import MeetingsPage
from ui.pages.members import MembersPage
from ui.pages.notes import NotesPage
from ui.pages.notifications import NotificationsPage
from ui.pages.overview import OverviewPage
from ui.pages.welcome import WelcomePage
from ui.preferences import Preferences
from ui.search_box import SearchBox
from ui.settings_dialog import Chosen, SettingsDialog
from ui.status_bar import SyncStatusBar
from ui.sync_controller import SyncController
from ui.sync_words import not_connected_line
from ui.tasks import Newest, TaskHandle
from ui.welcome_dialog import WelcomeDialog

# The side panel's places and the page that shows each.
PAGE_OF = {
    "discussions": "discussions",
    "following": "discussions",
    "unread": "discussions",
    "deleted": "discussions",
    "notes": "notes",
    "meetings": "meetings",
    "members": "members",
    "overview": "overview",
    "notifications": "notifications",
}
STARTUP_SYNC_MS = 2_000  # sync soon after opening, once the window is drawn


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, *, preferences: Preferences | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.prefs = preferences or Preferences(ctx.store.settings.data_dir)
        self.setWindowTitle("Moot")
        self.setWindowIcon(app_icon())
        self.resize(1200, 760)
        self.group_list: list[GroupSummary] = []
        self.title_suffix = ""
        self.dialog: QDialog | None = None  # the dialog open now (tests reach it here)
        self.welcome_dialog: WelcomeDialog | None = None
        self._wanted_group = ""
        self._groups_loaded = False
        self._preparing = False
        self._demo_task: TaskHandle | None = None
        self._look: tuple[str, int, str] | None = None
        self._group_reads, self._detail_reads = Newest(), Newest()
        self._navigate_when_read = False  # an overtaken read's wish to go there carries on

        self.sync = SyncController(ctx, minutes=self.prefs.sync_minutes)
        self.commands = Actions(self)
        self._build_side()
        self.overview = OverviewPage(ctx)
        self.notifications = NotificationsPage(ctx)
        self.pages: dict[str, Page] = {
            "discussions": DiscussionsPage(ctx),
            "notes": NotesPage(ctx),
            "meetings": MeetingsPage(ctx),
            "members": MembersPage(ctx),
            "overview": self.overview,
            "notifications": self.notifications,
        }
        self.stack = QStackedWidget()
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.side)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 950])
        self.splitter.setChildrenCollapsible(False)
        self.welcome = WelcomePage()
        self.body = QStackedWidget()
        self.body.addWidget(self.splitter)
        self.body.addWidget(self.welcome)
        self.setCentralWidget(self.body)

        self.search = SearchBox(ctx)
        self.search.open_requested.connect(self.open_item)
        self.overview.open_wanted.connect(self.open_item)
        self.overview.hello_template_wanted.connect(self.edit_hello_template)
        self.notifier = Notifier(ctx, lambda: self.prefs.quiet_hours)
        self.notifier.open_wanted.connect(self._open_notified)
        self.notifications.open_wanted.connect(self.open_item)
        self.notifications.counted.connect(lambda n: self.nav.set_count("notifications", n))
        self._build_toolbar()
        menus = self.commands.build_menus(self)
        self.file_menu, self.go_menu, self.group_menu = menus["file"], menus["go"], menus["group"]
        for page in self.pages.values():
            if page.menu is not None:
                self.menuBar().insertMenu(menus["help"].menuAction(), page.menu)
        self.stack.currentChanged.connect(self._show_page_menu)
        self._show_page_menu()
        self.status = SyncStatusBar(ctx, self.sync)
        self.setStatusBar(self.status)
        self.importer = BundleImporter(ctx, self)
        self.failures = FailureNotice(self)
        self._connect_actions()
        self.setTabOrder(self.search, self.nav)
        self.setTabOrder(self.nav, self.stack)
        # F6 moves between the panes, as in a mail client; Shift+F6 goes back.
        QShortcut(QKeySequence("F6"), self, lambda: self.next_pane(1))
        QShortcut(QKeySequence("Shift+F6"), self, lambda: self.next_pane(-1))

        ctx.changed.connect(self._on_changed)
        ctx.group_selected.connect(self._on_group_selected)
        self.sync.changed.connect(self._on_sync_state)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        self.apply_look()
        geometry = self.prefs.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.commands.set_group_open(False)
        self.reload_groups()
        self.sync.refresh()
        QTimer.singleShot(STARTUP_SYNC_MS, self, self._startup_sync)

    # --- building -------------------------------------------------------------------

    def _build_side(self) -> None:
        self.header = GroupHeader()
        self.group_box = QComboBox()
        self.group_box.setAccessibleName(tr("Switch group"))
        self.group_box.setToolTip(tr("Switch to another group on this laptop"))
        self.group_box.setMinimumWidth(200)
        self.group_box.activated.connect(self._on_group_chosen)
        self.nav = NavPanel()
        self.nav.chosen.connect(self.navigate)
        self.side = QWidget()
        self.side.setObjectName("side")
        self.side.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QVBoxLayout(self.side)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(self.header)
        layout.addWidget(self.group_box)
        layout.addWidget(self.nav, 1)

    def _build_toolbar(self) -> None:
        bar = QToolBar(tr("Main"))
        bar.setObjectName("toolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setIconSize(QSize(18, 18))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_discussion_action = self.commands.new_discussion
        # The toolbar's own copy, drawn white on the accent; the menus keep the plain one.
        primary = QAction(
            icon("new-discussion", "#ffffff"), self.new_discussion_action.text(), self
        )
        primary.setToolTip(self.new_discussion_action.toolTip())
        primary.triggered.connect(self.new_discussion_action.trigger)
        self.new_discussion_action.enabledChanged.connect(primary.setEnabled)
        bar.addAction(primary)
        button = bar.widgetForAction(primary)
        if isinstance(button, QToolButton):
            button.setObjectName("primaryAction")
            button.setAccessibleName(tr("New discussion"))
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addWidget(self.search)
        bar.addAction(self.commands.sync_now)
        self.toolbar = bar
        self.addToolBar(bar)

    def _connect_actions(self) -> None:
        a = self.commands
        a.new_group.triggered.connect(self.start_group)
        a.join_hub.triggered.connect(self.join_group)
        a.import_bundle.triggered.connect(self.importer.choose_and_import)
        a.connect_hub.triggered.connect(self.connect_group)
        a.export_bundle.triggered.connect(self.export_group)
        a.settings.triggered.connect(self.open_settings)
        a.quit.triggered.connect(self.close)
        a.find.triggered.connect(self.search.focus_search)
        a.new_discussion.triggered.connect(self.new_discussion)
        a.sync_now.triggered.connect(self.sync_now)
        a.cancel_sync.triggered.connect(self.sync.cancel)
        a.shortcuts.triggered.connect(lambda: show_shortcuts(self, self.menuBar()))
        a.about.triggered.connect(lambda: show_about(self))
        for place, action in a.go.items():
            action.triggered.connect(lambda _=False, p=place: self.nav.select(p))
        self.welcome.start_group.connect(self.start_group)
        self.welcome.join_hub.connect(self.join_group)
        self.welcome.open_bundle.connect(self.importer.choose_and_import)
        self.welcome.cancel_busy.connect(self._cancel_demo)
        self.importer.imported.connect(self._on_imported)
        self.ctx.tasks.unhandled.connect(self.failures.show_failure)

    def _show_page_menu(self) -> None:
        for page in self.pages.values():
            if page.menu is not None:
                page.menu.menuAction().setVisible(page is self.stack.currentWidget())

    def next_pane(self, step: int) -> None:
        page = self.stack.currentWidget()
        panes = [w for w in (self.nav, page, self.search) if w is not None]
        focused = QApplication.focusWidget()
        here = -1
        for i, pane in enumerate(panes):
            if focused is not None and (focused is pane or pane.isAncestorOf(focused)):
                here = i
        target = panes[(here + step) % len(panes)]
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not target.hasFocus():  # a page hands focus to its first control
            target.focusNextChild()

    # --- the look -------------------------------------------------------------------

    def apply_look(self) -> None:
        """Theme and text size from the preferences; the group's colour where it shows."""
        group = self.current_group()
        look = (self.prefs.theme, self.prefs.text_size, group.colour if group else "")
        if look == self._look:
            return
        self._look = look
        scheme = theme.apply(theme=look[0], text_size=look[1], colour=look[2])
        group_sheet = theme.group_stylesheet(scheme, look[2])
        for widget in (self.header, self.nav, self.toolbar):
            if widget.styleSheet() != group_sheet:
                widget.setStyleSheet(group_sheet)
        self.header.set_group(group)

    def _on_system_scheme(self) -> None:
        if self.prefs.theme == "system":
            self._look = None
            self.apply_look()

    # --- groups ---------------------------------------------------------------------

    def reload_groups(self) -> None:
        self.ctx.tasks.run(
            lambda: groups.list_groups(store=self.ctx.store),
            done=self._got_groups,
            newest=self._group_reads,
        )

    def _got_groups(self, found: list[GroupSummary]) -> None:
        self.group_list = found
        self._groups_loaded = True
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for g in found:
            self.group_box.addItem(f"{g.emblem} {g.name}".strip(), g.id)
        self.group_box.blockSignals(False)
        self.group_box.setVisible(len(found) > 1)
        self._show_body()
        if not found:
            self.ctx.select_group("")
            return
        ids = [g.id for g in found]
        preferred = (self._wanted_group, self.ctx.group_id, self.prefs.last_group)
        chosen = next((g for g in preferred if g in ids), ids[0])
        self._wanted_group = ""
        self.group_box.setCurrentIndex(ids.index(chosen))
        if chosen == self.ctx.group_id:
            self._show_group_details(chosen)  # its name, colour or categories may have changed
        self.ctx.select_group(chosen)

    def _show_body(self) -> None:
        empty = self._groups_loaded and not self.group_list
        if empty and self._preparing:
            self.body.setCurrentWidget(self.welcome)
        elif empty:
            self.welcome.show_choices()
            self.body.setCurrentWidget(self.welcome)
        else:
            self.body.setCurrentWidget(self.splitter)
        self.toolbar.setVisible(not empty)
        self.commands.set_group_open(bool(self.group_list))

    def _on_group_chosen(self, index: int) -> None:
        self.ctx.select_group(str(self.group_box.itemData(index)))

    def current_group(self) -> GroupSummary | None:
        return next((g for g in self.group_list if g.id == self.ctx.group_id), None)

    def _on_group_selected(self, group_id: str) -> None:
        self._update_title()
        if not group_id:
            self.header.set_group(None)
            return
        self.prefs.last_group = group_id
        self.apply_look()
        self._show_group_details(group_id, go_there=True)
        store = self.ctx.store
        self.ctx.tasks.run(
            lambda: groups.welcome_to_show(store=store, group_id=group_id),
            done=self._welcome,
            owner=self,
        )

    def _welcome(self, group: GroupSummary | None) -> None:
        """A newcomer reads the group's welcome once, the first time they open it."""
        if group is None or group.id != self.ctx.group_id:
            return
        self.welcome_dialog = WelcomeDialog(group, self)
        store = self.ctx.store
        self.welcome_dialog.finished.connect(
            lambda _result: self.ctx.tasks.run(
                lambda: groups.mark_welcomed(store=store, group_id=group.id)
            )
        )
        self.welcome_dialog.open()

    def _show_group_details(self, group_id: str, *, go_there: bool = False) -> None:
        store = self.ctx.store

        def read() -> tuple[list[CategoryView], int]:
            return (
                groups.list_categories(store=store, group_id=group_id),
                groups.member_count(store=store, group_id=group_id),
            )

        self._navigate_when_read |= go_there
        self.ctx.tasks.run(
            read,
            done=lambda got: self._got_details(group_id, got),
            failed=self._details_failed,
            newest=self._detail_reads,
        )

    def _details_failed(self, message: str) -> None:
        self._navigate_when_read = False
        self.ctx.message.emit(message)

    def _got_details(self, group_id: str, got: tuple[list[CategoryView], int]) -> None:
        if group_id != self.ctx.group_id:
            return  # the person moved on to another group meanwhile
        go_there, self._navigate_when_read = self._navigate_when_read, False
        categories, members = got
        self.nav.set_categories(categories)
        self.apply_look()
        self.header.set_group(self.current_group(), members)
        self._update_title()
        if go_there:
            page, target = self.nav.current_place() or ("discussions", None)
            self.navigate(page, target)

    def _on_changed(self, changed: list[str]) -> None:
        known = {g.id for g in self.group_list}
        if set(changed) - known or self.ctx.group_id in changed:
            self.reload_groups()

    def _update_title(self) -> None:
        group = self.current_group()
        title = f"{group.name} — Moot" if group else "Moot"
        self.setWindowTitle(title + self.title_suffix)

    def show_group(self, group_id: str) -> None:
        """Bring a group (new, joined or imported) on screen once the list has it."""
        self._wanted_group = group_id
        self.reload_groups()
        self.sync.refresh()

    # --- ways in: start, join, import; connect, export -----------------------------------

    def _open_dialog(self, dialog: QDialog) -> None:
        """Window-modal, so the rest of the app (and a running sync) carries on."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.open()

    def _forget_dialog(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def start_group(self) -> None:
        dialog = NewGroupDialog(self.ctx, self)
        dialog.created.connect(self._on_created)
        self._open_dialog(dialog)

    def _on_created(self, group_id: str) -> None:
        self.ctx.message.emit(tr("Your group is ready. Start its first discussion!"))
        self.show_group(group_id)

    def join_group(self) -> None:
        dialog = JoinHubDialog(self.ctx, self)
        dialog.joined.connect(self._on_joined)
        self._open_dialog(dialog)

    def _on_joined(self, joined: Joined) -> None:
        self.ctx.message.emit(
            tr("Joined “{group}” as {role}; {n} changes copied.").format(
                group=joined.group_name, role=joined.role, n=joined.pulled
            )
        )
        self.show_group(joined.group_id)

    def _on_imported(self, result: ImportResult) -> None:
        self.show_group(result.group_id)

    def connect_group(self) -> None:
        group = self.current_group()
        if group is None:
            return
        dialog = ConnectHubDialog(self.ctx, group, self)
        dialog.connected.connect(self._on_connected)
        self._open_dialog(dialog)

    def _on_connected(self, result: SyncResult) -> None:
        self.ctx.message.emit(
            tr("Connected; {n} changes went up to the hub.").format(n=result.pushed)
        )
        self.sync.refresh()

    def export_group(self) -> None:
        group = self.current_group()
        if group is not None:
            self._open_dialog(ExportBundleDialog(self.ctx, group, self))

    # --- sync ------------------------------------------------------------------------

    def sync_now(self) -> None:
        group_id = self.ctx.group_id
        if group_id and self.sync.loaded and self.sync.status_for(group_id) is None:
            self.ctx.message.emit(not_connected_line())
            return
        if not self.sync.sync_now():
            self.ctx.message.emit(tr("Already syncing…"))

    def _startup_sync(self) -> None:
        if self.sync.statuses:
            self.sync.sync_now()

    def _on_sync_state(self) -> None:
        self.commands.cancel_sync.setEnabled(self.sync.is_running)

    # --- settings --------------------------------------------------------------------

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.ctx, self.prefs, list(self.sync.statuses.values()), self)
        dialog.chosen.connect(self.apply_settings)
        self._open_dialog(dialog)

    def apply_settings(self, chosen: Chosen) -> None:
        self.prefs.theme = chosen.theme
        self.prefs.text_size = chosen.text_size
        self.prefs.sync_minutes = chosen.sync_minutes
        self.prefs.quiet_hours = chosen.quiet_hours
        self.prefs.sync()
        self.sync.set_interval(chosen.sync_minutes)
        self._look = None
        self.apply_look()
        if chosen.name:
            store = self.ctx.store
            self.ctx.tasks.run(
                lambda: groups.rename_me(store=store, name=chosen.name),
                failed=self.ctx.message.emit,
            )

    # --- where the user goes -----------------------------------------------------------

    def navigate(self, place: str, target: str | None = None) -> None:
        """Show a place from the side panel (``target``: a category id, say)."""
        page = self.pages[PAGE_OF[place]]
        if self.nav.current_place() != (place, target):
            self.nav.select(place, target, emit=False)  # keep the panel's highlight true
        self.stack.setCurrentWidget(page)
        page.show_target(place if target is None else f"{place}:{target}")

    def open_item(self, kind: str, item_id: str, discussion_id: str = "") -> None:
        """Open a discussion, post, note, member or meeting in place (from search, say)."""
        if kind == "hello":  # an organiser greets a newcomer: a new discussion, drafted
            self.nav.select("discussions", emit=False)
            self.stack.setCurrentWidget(self.pages["discussions"])
            page = self.pages["discussions"]
            assert isinstance(page, DiscussionsPage)
            page.show_new_form()
            page.form.draft(
                tr("Welcome, {name}!").format(name=item_id),
                self.prefs.hello_template.replace("{name}", item_id),
            )
        elif kind in ("member", "meeting"):
            place = f"{kind}s"
            self.nav.select(place, emit=False)
            self.stack.setCurrentWidget(self.pages[place])
            self.pages[place].show_target(f"{kind}:{item_id}")
        elif kind == "note":
            self.nav.select("notes", emit=False)
            self.stack.setCurrentWidget(self.pages["notes"])
            self.pages["notes"].show_target(f"note:{item_id}")
        else:
            self.nav.select("discussions", emit=False)
            self.stack.setCurrentWidget(self.pages["discussions"])
            target = discussion_id or item_id
            post = f":{item_id}" if kind == "post" else ""
            self.pages["discussions"].show_target(f"discussion:{target}{post}")

    def edit_hello_template(self) -> None:
        text, ok = QInputDialog.getMultiLineText(
            self,
            tr("The hello"),
            tr("The words a welcome to a newcomer starts from; {name} is their name:"),
            self.prefs.hello_template,
        )
        if ok:
            self.prefs.hello_template = text

    def _open_notified(self, kind: str, item_id: str, discussion_id: str, group_id: str) -> None:
        """A notification clicked: its group in front, then the post, the window raised."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        found = self.group_box.findData(group_id)
        if group_id != self.ctx.group_id and found >= 0:
            self.group_box.setCurrentIndex(found)
            self._on_group_chosen(found)
        self.open_item(kind, item_id, discussion_id)

    def new_discussion(self) -> None:
        self.nav.select("discussions", emit=False)
        self.stack.setCurrentWidget(self.pages["discussions"])
        self.pages["discussions"].show_target("new")

    # --- the demo profile ----------------------------------------------------------------

    def prepare_demo(self) -> None:
        """Make (or find) the sample group in this profile, showing progress meanwhile."""
        from app.demo import ADDING, build_demo  # only the sample profile needs it

        self._preparing = True
        self.title_suffix = tr(" (sample group)")
        self._update_title()
        self.welcome.show_busy(
            tr("Setting up a sample parish group to explore. This takes a few seconds…")
        )
        self.body.setCurrentWidget(self.welcome)
        store = self.ctx.store
        words = {ADDING: tr("Adding the sample group")}
        self._demo_task = self.ctx.tasks.run_with_progress(
            lambda progress: build_demo(
                store, progress=progress.reworded(lambda what: words.get(what, what))
            ),
            done=self._demo_ready,
            error=self._demo_failed,
            progress=self.welcome.set_progress,
        )

    def _cancel_demo(self) -> None:
        if self._demo_task is not None:
            self._demo_task.cancel()

    def _demo_finished(self) -> None:
        self._preparing = False
        self._demo_task = None

    def _demo_ready(self, group_id: str) -> None:
        self._demo_finished()
        self.show_group(group_id)

    def _demo_failed(self, exc: BaseException) -> None:
        self._demo_finished()
        if isinstance(exc, Cancelled):
            self.ctx.message.emit(tr("The sample group was not made."))
        else:
            self.ctx.message.emit(tr("The sample group could not be made: {m}").format(m=exc))
        self._show_body()

    # --- closing ----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.prefs.set_geometry(self.saveGeometry())
        self.prefs.sync()
        self.sync.stop()
        self.ctx.tasks.shutdown()
        super().closeEvent(event)
