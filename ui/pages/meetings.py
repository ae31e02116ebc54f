"""The meetings page: the group's meetings on the left, the selected meeting on the right.

The list groups meetings as a clerk thinks of them: still to come, held but with
minutes to approve, and approved. The meeting's side has its header (when, where,
the summons date, and whether its minutes are approved and as approved), the agenda
and attendance to work from, the whole record as it reads, and the selected item's
minutes. Every read and write runs on a worker; the service's refusals (approved
minutes cannot change) show in the page's notice. What it does with the record as a
whole (summons, approval, signature, printing) and with papers is in
``ui.meetings.record_work``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.meeting_view import MeetingView
from app.roles import CLERK, ROLE_RANK
from app.services import meetings, members
from app.services.meetings import LoggedAction, MeetingSummary
from ui.context import AppContext
from ui.meetings import tr
from ui.meetings.action_log import ActionLog
from ui.meetings.attendance import AttendanceList
from ui.meetings.dialogs import (
    MODE_WORDS,
    ActionDialog,
    DetailsDialog,
    ItemDialog,
    NewMeetingDialog,
    VoteDialog,
)
from ui.meetings.menu import MeetingActions
from ui.meetings.minutes_editor import MinutesEditor
from ui.meetings.record_dialogs import DeclareDialog
from ui.meetings.record_work import RecordWork
from ui.meetings.words import (
    SECTIONS,
    UPCOMING,
    approval_line,
    long_when,
    record_html,
    row_text,
    section_of,
    stage_text,
    summons_line,
)
from ui.notice import Notice
from ui.pages.base import Page
from ui.tasks import Newest
from ui.two_line_delegate import SECOND_LINE_ROLE, TwoLineDelegate

ID_ROLE = Qt.ItemDataRole.UserRole
Listing = tuple[list[MeetingSummary], list[tuple[str, str]], list[LoggedAction], str]


def _listing(store: Any, group_id: str) -> Listing:
    found = meetings.list_meetings(store=store, group_id=group_id)
    people = [
        (m.device, m.display_name or tr("member {id}").format(id=m.device[:8]))
        for m in members.list_members(store=store, group_id=group_id)
        if m.role != "removed"
    ]
    logged = meetings.action_log(store=store, group_id=group_id)
    return found, people, logged, members.my_role(store=store, group_id=group_id)


class MeetingsPage(RecordWork, Page):
    title = "Meetings"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.notice = Notice(ctx)
        self.summaries: list[MeetingSummary] = []
        self.people: list[tuple[str, str]] = []
        self.role = "member"
        self.view: MeetingView | None = None
        self.meeting_id: str | None = None
        self.item_id: str | None = None
        self.dialog: QDialog | None = None  # the form open now (tests reach it here)
        self._list_reads, self._meeting_reads = Newest(), Newest()

        heading = QLabel(tr("Meetings"))
        heading.setObjectName("dialogTitle")
        self.list = QTreeWidget()
        self.list.setAccessibleName(tr("Meetings of this group"))
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setIndentation(0)
        self.list.setItemDelegate(TwoLineDelegate())  # the stage goes under the meeting
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.currentItemChanged.connect(self._on_meeting_chosen)
        heading.setBuddy(self.list)
        self.new_button = QPushButton(tr("&New meeting…"))
        self.new_button.setToolTip(tr("Call a new meeting (Ctrl+Shift+C)"))
        self.new_button.clicked.connect(self.new_meeting)
        self.action_log = ActionLog()
        self.action_log.status_chosen.connect(self.set_action_status)
        self.action_log.meeting_chosen.connect(self._open_from_log)
        self.commands = MeetingActions(self)
        self.menu = self.commands.menu(self)

        self._build_meeting_side()
        self._build_layout(heading)
        self._connect_actions()
        self._update_controls()
        ctx.changed.connect(self._on_changed)
        ctx.group_selected.connect(self._on_group)
        if ctx.group_id:
            self._on_group(ctx.group_id)

    def _build_meeting_side(self) -> None:
        self.title_label = QLabel()
        self.title_label.setObjectName("dialogTitle")
        self.title_label.setWordWrap(True)
        self.when_label = QLabel()
        self.when_label.setWordWrap(True)
        self.summons_label = QLabel()
        self.approval_label = QLabel()
        self.approval_label.setObjectName("meetingCalm")
        self.approval_label.setWordWrap(True)
        self.altered_label = QLabel(
            tr(
                "These minutes are not as they were approved: the record on this laptop "
                "was changed outside Moot. Keep the signed copy; see “moot meeting verify”."
            )
        )
        self.altered_label.setObjectName("meetingWarning")
        self.altered_label.setWordWrap(True)

        self.item_button = QPushButton(tr("Add &item…"))
        self.item_button.setToolTip(tr("Add an item at the end of the agenda (Ctrl+Shift+I)"))
        self.item_button.clicked.connect(self.add_item)
        self.vote_button = QPushButton(tr("Record a &vote…"))
        self.vote_button.setToolTip(tr("Record a resolution on the selected item (Ctrl+Shift+V)"))
        self.vote_button.clicked.connect(self.record_vote)
        self.action_button = QPushButton(tr("Add a&ction…"))
        self.action_button.setToolTip(tr("Add an action on the selected item (Ctrl+Shift+A)"))
        self.action_button.clicked.connect(self.add_action)
        self.approve_button = QPushButton(tr("A&pprove earlier minutes…"))
        self.approve_button.setToolTip(
            tr("At this meeting, approve the minutes of an earlier one (Ctrl+Shift+Y)")
        )
        self.approve_button.clicked.connect(self.approve)
        self.print_button = QPushButton(tr("P&rint…"))
        self.print_button.setToolTip(tr("Print the minutes, agenda or sign-in sheet (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_papers)

        self.agenda = QListWidget()
        self.agenda.setAccessibleName(tr("Agenda"))
        self.agenda.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.agenda.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.agenda.currentItemChanged.connect(self._on_item_chosen)
        self.agenda.setToolTip(tr("Alt+Up and Alt+Down move the item; Delete takes it off"))
        for keys, slot in (
            ("Alt+Up", lambda: self.move_item(-1)),
            ("Alt+Down", lambda: self.move_item(1)),
            (QKeySequence.StandardKey.Delete, self.remove_item),
        ):
            key = QShortcut(QKeySequence(keys), self.agenda)
            key.setContext(Qt.ShortcutContext.WidgetShortcut)
            key.activated.connect(slot)
        self.attendance = AttendanceList()
        self.attendance.marked.connect(self.mark)
        self.record = QTextBrowser()
        self.record.setAccessibleName(tr("The minutes as they read"))
        self.record.setOpenLinks(False)
        self.record.anchorClicked.connect(self._on_link)
        self.record.document().setDocumentMargin(14)
        self.editor = MinutesEditor(self.ctx, self.notice)

    def _build_layout(self, heading: QLabel) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 6, 0, 0)
        listing_layout.addWidget(self.list, 1)
        listing_layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(listing, tr("&Meetings"))
        self.tabs.addTab(self.action_log, tr("Action &log"))
        left_layout.addWidget(heading)
        left_layout.addWidget(self.tabs, 1)

        buttons = QHBoxLayout()
        for button in (
            self.item_button,
            self.vote_button,
            self.action_button,
            self.approve_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        agenda_label, people_label = QLabel(tr("&Agenda")), QLabel(tr("A&ttendance"))
        agenda_label.setBuddy(self.agenda)
        people_label.setBuddy(self.attendance)
        working = QWidget()
        working_layout = QVBoxLayout(working)
        working_layout.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in (
            (agenda_label, 0),
            (self.agenda, 3),
            (people_label, 0),
            (self.attendance, 2),
        ):
            working_layout.addWidget(widget, stretch)
        reading = QSplitter(Qt.Orientation.Vertical)
        reading.addWidget(self.record)
        reading.addWidget(self.editor)
        reading.setStretchFactor(0, 3)
        reading.setStretchFactor(1, 1)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(working)
        body.addWidget(reading)
        body.setStretchFactor(1, 1)
        body.setSizes([260, 520])

        meeting = QWidget()
        meeting_layout = QVBoxLayout(meeting)
        meeting_layout.setContentsMargins(12, 0, 0, 0)
        meeting_layout.setSpacing(4)
        for widget in (
            self.title_label,
            self.when_label,
            self.summons_label,
            self.approval_label,
            self.altered_label,
        ):
            meeting_layout.addWidget(widget)
        meeting_layout.addLayout(buttons)
        meeting_layout.addWidget(body, 1)
        self.empty = QLabel(
            tr("Choose a meeting on the left, or call one with New meeting (Ctrl+Shift+C).")
        )
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(meeting)
        self.meeting_pane = meeting

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 680])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)

    def _connect_actions(self) -> None:
        a = self.commands
        for action, slot in (
            (a.new_meeting, self.new_meeting),
            (a.details, self.edit_details),
            (a.add_item, self.add_item),
            (a.declare, self.declare),
            (a.attach, self.attach_paper),
            (a.vote, self.record_vote),
            (a.action, self.add_action),
            (a.summon, self.summon),
            (a.circulate, self.circulate),
            (a.approve, self.approve),
            (a.sign, self.sign),
            (a.verify, self.verify),
            (a.print, self.print_papers),
        ):
            action.triggered.connect(slot)
        a.exempt.triggered.connect(self.set_exempt)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_controls()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._update_controls()

    # --- loading ------------------------------------------------------------------------

    def show_target(self, target: str | None) -> None:
        """The page keeps its selection; ``meeting:ID`` opens that meeting."""
        if target and target.startswith("meeting:"):
            self.open(target.removeprefix("meeting:"))

    def _on_group(self, _group_id: str) -> None:
        self.editor.show_item(None, "", editable=False)
        self.meeting_id = self.item_id = None
        self.view = None
        self._meeting_reads.drop()
        self.right.setCurrentWidget(self.empty)
        self.notice.hide()
        self.reload()

    def _on_changed(self, groups: list[str]) -> None:
        if self.ctx.group_id in groups:
            self.reload()

    def reload(self) -> None:
        group_id, store = self.ctx.group_id, self.ctx.store
        self._update_controls()
        if not group_id:
            self._list_reads.drop()
            self._show_list([])
            return
        self.ctx.tasks.run(
            lambda: _listing(store, group_id),
            done=self._got_list,
            failed=self.notice.error,
            owner=self,
            newest=self._list_reads,
        )
        if self.meeting_id:
            self._read_meeting(self.meeting_id)

    def _got_list(self, listing: Listing) -> None:
        self.summaries, self.people, logged, self.role = listing
        self._show_list(self.summaries)
        self._show_attendance()
        self.action_log.set_actions(logged)
        self._update_controls()

    def _show_list(self, found: list[MeetingSummary]) -> None:
        today = date.today().isoformat()
        self.list.blockSignals(True)
        self.list.clear()
        for key, label in SECTIONS:
            rows = [m for m in found if section_of(m, today) == key]
            if not rows:
                continue
            heading = QTreeWidgetItem([tr(label)])
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            self.list.addTopLevelItem(heading)
            rows.sort(key=lambda m: m.starts_at, reverse=key != UPCOMING)
            for m in rows:
                row = QTreeWidgetItem([row_text(m)])
                row.setData(0, ID_ROLE, m.id)
                row.setData(0, SECOND_LINE_ROLE, stage_text(m.stage))
                row.setToolTip(0, tr("{n} agenda items").format(n=m.items))
                self.list.addTopLevelItem(row)
                if m.id == self.meeting_id:
                    self.list.setCurrentItem(row)
        self.list.blockSignals(False)

    def _rows(self) -> list[QTreeWidgetItem]:
        found = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [item for item in found if item is not None]

    def rows(self) -> list[str]:
        """The list as it reads, headings and rows (for tests and screen readers alike)."""
        out = []
        for item in self._rows():
            stage = item.data(0, SECOND_LINE_ROLE)
            out.append(f"{item.text(0)} · {stage}" if stage else item.text(0))
        return out

    def open(self, meeting_id: str) -> None:
        self.meeting_id = meeting_id
        self._select_row(meeting_id)
        self._read_meeting(meeting_id)

    def _select_row(self, meeting_id: str) -> None:
        for item in self._rows():
            if item.data(0, ID_ROLE) == meeting_id:
                self.list.blockSignals(True)
                self.list.setCurrentItem(item)
                self.list.blockSignals(False)

    def _on_meeting_chosen(self, item: QTreeWidgetItem | None, _old: Any) -> None:
        meeting_id = item.data(0, ID_ROLE) if item is not None else None
        if meeting_id and meeting_id != self.meeting_id:
            self.editor.flush()
            self.item_id = None
            self.open(str(meeting_id))

    def _read_meeting(self, meeting_id: str) -> None:
        store = self.ctx.store
        self.ctx.tasks.run(
            lambda: meetings.read_meeting(store=store, meeting_id=meeting_id),
            done=self._got_meeting,
            failed=self.notice.error,
            owner=self,
            newest=self._meeting_reads,
        )

    def _got_meeting(self, view: MeetingView) -> None:
        if view.id != self.meeting_id:
            return
        self.view = view
        self.right.setCurrentWidget(self.meeting_pane)
        self.title_label.setText(view.title)
        where = f" · {view.place}" if view.place else ""
        if view.mode != "in_person":
            where += f" · {tr(MODE_WORDS[view.mode])}"
        self.when_label.setText(long_when(view.starts_at) + where)
        words, late = summons_line(view, date.today().isoformat())
        self.summons_label.setText(words)
        self.summons_label.setObjectName("meetingLate" if late else "muted")
        self.summons_label.style().unpolish(self.summons_label)
        self.summons_label.style().polish(self.summons_label)
        self.summons_label.setVisible(view.approval is None)
        self.approval_label.setText(approval_line(view))
        self.approval_label.setVisible(view.approval is not None)
        self.altered_label.setVisible(view.altered)
        self._show_agenda(view)
        self._show_attendance()
        bar = self.record.verticalScrollBar()
        at = bar.value()
        self.record.setHtml(record_html(view, editable=self._open()))
        bar.setValue(at)
        self._update_controls()

    def _show_agenda(self, view: MeetingView) -> None:
        self.agenda.blockSignals(True)
        self.agenda.clear()
        chosen = None
        for item in view.items:
            number = item.minute_number or f"{item.number}."
            row = QListWidgetItem(f"{number}  {item.title}")
            row.setToolTip(item.title)
            row.setData(ID_ROLE, item.id)
            self.agenda.addItem(row)
            if item.id == self.item_id:
                chosen = row
        if chosen is None and self.agenda.count():
            chosen = self.agenda.item(0)
        if chosen is not None:
            self.agenda.setCurrentItem(chosen)
        self.agenda.blockSignals(False)
        self._open_item(str(chosen.data(ID_ROLE)) if chosen else None, scroll=False)

    def _show_attendance(self) -> None:
        """The whole group to mark while the meeting is live; once approved, who was recorded."""
        if self.view is not None:
            people = self.people if self._open() else []
            self.attendance.set_people(people, self.view.attendees)

    def _on_item_chosen(self, row: QListWidgetItem | None, _old: Any) -> None:
        self._open_item(str(row.data(ID_ROLE)) if row else None, scroll=True)

    def _open_item(self, item_id: str | None, *, scroll: bool) -> None:
        self.item_id = item_id
        item = next((i for i in self.view.items if i.id == item_id), None) if self.view else None
        self.editor.show_item(
            item_id, item.minutes if item else "", editable=item is not None and self._may_draft()
        )
        if item is not None and scroll:
            self.record.scrollToAnchor(f"item-{item.number}")
        self._update_controls()

    def _open(self) -> bool:
        """Whether this laptop may change the meeting on screen: a clerk's or organiser's
        may, until its minutes are approved.
        """
        return self._may_draft() and ROLE_RANK.get(self.role, 0) >= CLERK

    def _may_draft(self) -> bool:
        """Whether this laptop may write the minutes (members may, where the clerk allows)."""
        view = self.view
        if view is None or view.approval is not None:
            return False
        return ROLE_RANK.get(self.role, 0) >= CLERK or (
            view.members_draft and self.role != "removed"
        )

    def _item(self) -> Any:
        """The agenda item chosen, as read (None when there is none)."""
        if self.view is None:
            return None
        return next((i for i in self.view.items if i.id == self.item_id), None)

    def _earlier_drafts(self) -> list[MeetingSummary]:
        """Meetings before this one whose minutes are still to approve."""
        if self.view is None:
            return []
        starts = self.view.starts_at
        return [
            m
            for m in self.summaries
            if m.starts_at < starts and m.stage not in ("approved", "signed")
        ]

    def _update_controls(self) -> None:
        has_group = bool(self.ctx.group_id) and ROLE_RANK.get(self.role, 0) >= CLERK
        self.new_button.setEnabled(has_group)
        live = self._open()
        item = self._item()
        self.item_button.setEnabled(live)
        self.vote_button.setEnabled(live and item is not None)
        self.action_button.setEnabled(live and item is not None)
        self.approve_button.setEnabled(live and bool(self._earlier_drafts()))
        for button in (self.item_button, self.vote_button, self.action_button, self.approve_button):
            button.setVisible(self.view is None or live)
        self.print_button.setEnabled(self.view is not None)
        self.attendance.editable = live
        self.editor.setVisible(self.view is None or self._may_draft())

        # The menu acts only on what is on screen.
        shown = self.isVisible()
        view, a = self.view, self.commands
        a.new_meeting.setEnabled(shown and has_group)
        a.details.setEnabled(shown and live)
        for action in (a.add_item,):
            action.setEnabled(shown and live)
        for action in (a.declare, a.vote, a.action, a.exempt, a.attach):
            action.setEnabled(shown and live and item is not None)
        a.exempt.setChecked(bool(item is not None and item.exempt))
        a.summon.setEnabled(
            shown and live and view is not None and view.starts_at[:10] >= date.today().isoformat()
        )
        a.circulate.setEnabled(shown and live and view is not None and view.stage == "draft")
        a.approve.setEnabled(shown and self.approve_button.isEnabled())
        a.sign.setEnabled(
            shown and view is not None and view.approval is not None and view.signature is None
        )
        a.verify.setEnabled(shown and view is not None and view.approval is not None)
        a.print.setEnabled(shown and view is not None)

    # --- doing --------------------------------------------------------------------------

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None:
        self.notice.hide()
        self.ctx.tasks.run(work, done=done, failed=self._refused, owner=self)

    def _refused(self, message: str) -> None:
        self.notice.error(message)
        self.reload()  # put back what the screen showed before the refused change

    def _open_dialog(self, dialog: QDialog, then: Callable[[dict[str, Any]], None]) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(then)  # type: ignore[attr-defined]
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    def new_meeting(self) -> None:
        if not self.ctx.group_id:
            return
        last = max(self.summaries, key=lambda m: m.starts_at, default=None)
        place = self.view.place if self.view else ""
        self._open_dialog(
            NewMeetingDialog(last.title if last else tr("Parish council"), place, self),
            self._create,
        )

    def _create(self, values: dict[str, Any]) -> None:
        store, group_id = self.ctx.store, self.ctx.group_id
        self._run(
            lambda: meetings.create_meeting(store=store, group_id=group_id, **values),
            done=self.open,
        )

    def add_item(self) -> None:
        if self._open():
            self._open_dialog(ItemDialog(self), self._add_item)

    def _add_item(self, values: dict[str, Any]) -> None:
        store, meeting_id = self.ctx.store, self.meeting_id
        assert meeting_id is not None

        def added(item_id: str) -> None:
            self.item_id = item_id

        self._run(
            lambda: meetings.add_item(store=store, meeting_id=meeting_id, **values), done=added
        )

    def mark(self, device: str, status: str, accepted: bool | None) -> None:
        store, meeting_id = self.ctx.store, self.meeting_id
        if meeting_id is not None:
            self._run(
                lambda: meetings.set_attendance(
                    store=store,
                    meeting_id=meeting_id,
                    member=device,
                    status=status,
                    apologies_accepted=accepted,
                )
            )

    def _item_form(self, dialog: Callable[[], QDialog], write: Callable[..., Any]) -> None:
        """Open a form about the item on screen; what it says is written to that item."""
        store, item_id = self.ctx.store, self.item_id
        if self._open() and item_id:
            self._open_dialog(
                dialog(),
                lambda values: self._run(lambda: write(store=store, item_id=item_id, **values)),
            )

    def record_vote(self) -> None:
        self._item_form(lambda: VoteDialog(self.people, self), meetings.resolve)

    def add_action(self) -> None:
        self._item_form(lambda: ActionDialog(self.people, self), meetings.add_action)

    def _done(self, words: str) -> Callable[[Any], None]:
        return lambda _result: self.notice.info(words)

    def edit_details(self) -> None:
        if self._open() and self.view is not None:
            self._open_dialog(DetailsDialog(self.view, self.people, self), self._save_details)

    def _save_details(self, values: dict[str, Any]) -> None:
        store, meeting_id = self.ctx.store, self.meeting_id
        assert meeting_id is not None
        if values:
            self._run(lambda: meetings.update_meeting(store=store, meeting_id=meeting_id, **values))

    def declare(self) -> None:
        self._item_form(lambda: DeclareDialog(self.people, self), meetings.declare)

    def set_exempt(self, exempt: bool) -> None:
        store, item_id = self.ctx.store, self.item_id
        if self._open() and item_id:
            self._run(lambda: meetings.update_item(store=store, item_id=item_id, exempt=exempt))

    def move_item(self, step: int) -> None:
        store, item_id = self.ctx.store, self.item_id
        if self._open() and item_id:
            self._run(lambda: meetings.move_item(store=store, item_id=item_id, step=step))

    def remove_item(self) -> None:
        item = self._item()
        if not self._open() or item is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Take the item off the agenda?"),
            tr("Take “{title}” off the agenda, with anything minuted under it?").format(
                title=item.title
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        store, item_id = self.ctx.store, item.id

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes:
                self.item_id = None
                self._run(lambda: meetings.update_item(store=store, item_id=item_id, deleted=True))

        box.finished.connect(answered)
        box.open()

    def set_action_status(self, action_id: str, status: str) -> None:
        store = self.ctx.store
        self._run(
            lambda: meetings.set_action_status(store=store, action_id=action_id, status=status)
        )

    def _open_from_log(self, meeting_id: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.editor.flush()
        self.item_id = None
        self.open(meeting_id)
