"""Starting a group, joining one on a council hub, and connecting one to a hub.

Each does its work through the same core calls as ``moot group create``, ``moot join``
and ``moot hub connect``, in a worker, with the form kept filled in if it fails.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.progress import Progress
from app.services import groups
from app.services.groups import DEFAULT_COLOUR, GroupSummary
from app.store import Store
from sync import hubs
from sync.engine import SyncResult
from sync.hubs import Joined
from sync.proofs import hub_address
from ui.context import AppContext
from ui.emblems import DEFAULT_EMBLEM, emblem_tile
from ui.i18n import tr
from ui.pickers import ColourPicker, EmblemPicker
from ui.task_dialog import TaskDialog, sync_words

PREVIEW = 56


def hub_url_from(text: str) -> str:
    """What a person typed as the hub's address, as a URL ('' if it cannot be one)."""
    text = text.strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        return hub_address(text)
    except ValueError:
        return ""


def _name_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    field.setMaxLength(80)
    return field


def _set_buddy(form: QFormLayout, row: int, field: QWidget) -> None:
    """Let the row label's mnemonic (Alt+N for 'Group &name') move to its field."""
    item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
    label = item.widget() if item is not None else None
    if isinstance(label, QLabel):
        label.setBuddy(field)


def _take_name(store: Store, name: str) -> None:
    """Go by ``name`` from now on (in every group already here, too)."""
    if name and name != groups.my_name(store=store):
        groups.rename_me(store=store, name=name)


class _NameLoader(QObject):
    """Fills 'Your name' with the name this profile goes by, read in a worker.

    A child of the field, so an answer that comes after the dialog closed is dropped.
    """

    def __init__(self, ctx: AppContext, field: QLineEdit) -> None:
        super().__init__(field)
        self.field = field
        ctx.tasks.run(lambda: groups.my_name(store=ctx.store), done=self._got)

    def _got(self, name: str) -> None:
        if not self.field.text():
            self.field.setText(name)


class NewGroupDialog(TaskDialog):
    """Start a group: name, what it is for, colour, emblem, and the starter's own name."""

    created = Signal(str)  # the new group's id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            parent,
            tr("Start a group"),
            tr("You will be its first organiser. You can invite others once it exists."),
        )
        self.preview = QLabel()
        self.preview.setFixedSize(PREVIEW, PREVIEW)
        self.preview.setAccessibleName(tr("How the group's emblem will look"))
        self.header.insertWidget(0, self.preview, 0, Qt.AlignmentFlag.AlignTop)

        self.name = _name_field(tr("e.g. Ashby Parish Council"))
        self.name.setAccessibleName(tr("Group name"))
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(tr("A line or two about what the group is for"))
        self.description.setAccessibleName(tr("What the group is for"))
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 18)
        self.colour = ColourPicker()
        self.emblem = EmblemPicker()
        self.my_name = _name_field(tr("How the others will see you"))
        self.my_name.setAccessibleName(tr("Your name"))
        self.form.addRow(tr("Group &name"), self.name)
        self.form.addRow(tr("&What it is for"), self.description)
        self.form.addRow(tr("Colour"), self.colour)
        self.form.addRow(tr("Emblem"), self.emblem)
        self.form.addRow(tr("&Your name"), self.my_name)
        for label_for, field in ((0, self.name), (1, self.description), (4, self.my_name)):
            _set_buddy(self.form, label_for, field)
        self.ok_button.setText(tr("&Start the group"))
        self.ok_button.setAccessibleName(tr("Start the group"))

        self.colour.chosen.connect(self._on_colour)
        self.emblem.chosen.connect(lambda _e: self._update_preview())
        self.name.textChanged.connect(self._update_ok)
        self.my_name.textChanged.connect(self._update_ok)
        self._names = _NameLoader(ctx, self.my_name)
        self._update_preview()
        self._update_ok()
        self.name.setFocus()

    def inputs(self) -> list[QWidget]:
        return [self.name, self.description, self.colour, self.emblem, self.my_name]

    def _on_colour(self, colour: str) -> None:
        self.emblem.set_colour(colour)
        self._update_preview()

    def _update_preview(self) -> None:
        colour = self.colour.value() or DEFAULT_COLOUR
        emblem = self.emblem.value() or DEFAULT_EMBLEM
        self.preview.setPixmap(emblem_tile(emblem, colour, PREVIEW, self.devicePixelRatioF()))

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.name.text().strip() and self.my_name.text().strip()))

    def submit(self) -> None:
        name, me = self.name.text().strip(), self.my_name.text().strip()
        if not name or not me:
            self.show_error(tr("Give the group a name, and say what you are called."))
            return
        description = self.description.toPlainText().strip()
        colour, emblem = self.colour.value(), self.emblem.value()
        store = self.ctx.store

        def work(_progress: Progress) -> str:
            _take_name(store, me)
            return groups.create_group(
                store=store, name=name, description=description, colour=colour, emblem=emblem
            )

        self.start(work, self._done)

    def _done(self, group_id: str) -> None:
        self.created.emit(group_id)
        self.accept()


class JoinHubDialog(TaskDialog):
    """Join a group on a council hub with an invitation code; its whole history comes down."""

    joined = Signal(object)  # Joined

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            parent,
            tr("Join a group on a hub"),
            tr(
                "The group's organiser or the council gives you the hub's address and an "
                "invitation code. The group's whole history is copied to this laptop, so "
                "you can read and write without a connection."
            ),
        )
        self.address = QLineEdit()
        self.address.setPlaceholderText(tr("e.g. hub.westshire.gov.uk"))
        self.address.setAccessibleName(tr("Hub address"))
        self.code = QLineEdit()
        self.code.setPlaceholderText(tr("The invitation code you were given"))
        self.code.setAccessibleName(tr("Invitation code"))
        self.my_name = _name_field(tr("How the others will see you"))
        self.my_name.setAccessibleName(tr("Your name"))
        self.form.addRow(tr("Hub &address"), self.address)
        self.form.addRow(tr("Invitation &code"), self.code)
        self.form.addRow(tr("&Your name"), self.my_name)
        for row, field in enumerate((self.address, self.code, self.my_name)):
            _set_buddy(self.form, row, field)
        self.ok_button.setText(tr("&Join"))
        self.ok_button.setAccessibleName(tr("Join"))
        for field in (self.address, self.code, self.my_name):
            field.textChanged.connect(self._update_ok)
        self._names = _NameLoader(ctx, self.my_name)
        self._update_ok()
        self.address.setFocus()

    def inputs(self) -> list[QWidget]:
        return [self.address, self.code, self.my_name]

    def _update_ok(self) -> None:
        filled = all(f.text().strip() for f in (self.address, self.code, self.my_name))
        self.ok_button.setEnabled(filled)

    def submit(self) -> None:
        url = hub_url_from(self.address.text())
        code, me = self.code.text().strip(), self.my_name.text().strip()
        if not url:
            self.show_error(tr("That does not look like a hub address (hub.example.org)."))
            return
        if not code or not me:
            self.show_error(tr("Fill in the invitation code and your name."))
            return
        self.hub_url = url
        store = self.ctx.store

        def work(progress: Progress) -> Joined:
            progress.check()
            _take_name(store, me)
            progress.report(0, 0, tr("Asking the hub to let this laptop in…"))
            copying = progress.reworded(sync_words(tr("Copying the group's history")))
            return hubs.join_hub(store=store, hub_url=url, code=code, progress=copying)

        self.start(work, self._done)

    def _done(self, joined: Joined) -> None:
        self.joined.emit(joined)
        self.accept()

    def cancelled(self) -> None:
        self.ctx.message.emit(
            tr("Joining stopped; the rest of the group's history comes at the next sync.")
        )
        self.reject()


class ConnectHubDialog(TaskDialog):
    """Connect a group started on this laptop to a hub, with a registration code."""

    connected = Signal(object)  # SyncResult

    def __init__(self, ctx: AppContext, group: GroupSummary, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            parent,
            tr("Connect “{group}” to a hub").format(group=group.name),
            tr(
                "The council gives you the hub's address and a registration code. The "
                "group's history goes up to the hub; then members can join there with "
                "invitation codes, and every laptop syncs through it."
            ),
        )
        self.group = group
        self.address = QLineEdit()
        self.address.setPlaceholderText(tr("e.g. hub.westshire.gov.uk"))
        self.address.setAccessibleName(tr("Hub address"))
        self.code = QLineEdit()
        self.code.setPlaceholderText(tr("The registration code from the council"))
        self.code.setAccessibleName(tr("Registration code"))
        self.form.addRow(tr("Hub &address"), self.address)
        self.form.addRow(tr("Registration &code"), self.code)
        for row, field in enumerate((self.address, self.code)):
            _set_buddy(self.form, row, field)
        self.ok_button.setText(tr("&Connect"))
        self.ok_button.setAccessibleName(tr("Connect"))
        for field in (self.address, self.code):
            field.textChanged.connect(self._update_ok)
        if group.my_role != "organiser":
            self.show_error(tr("Only an organiser of the group can connect it to a hub."))
        self._update_ok()
        self.address.setFocus()

    def inputs(self) -> list[QWidget]:
        return [self.address, self.code]

    def _update_ok(self) -> None:
        filled = all(f.text().strip() for f in (self.address, self.code))
        self.ok_button.setEnabled(filled and self.group.my_role == "organiser")

    def submit(self) -> None:
        url = hub_url_from(self.address.text())
        code = self.code.text().strip()
        if not url or not code:
            self.show_error(tr("Fill in the hub's address (hub.example.org) and the code."))
            return
        self.hub_url = url
        store, group_id = self.ctx.store, self.group.id

        def work(progress: Progress) -> SyncResult:
            progress.report(0, 0, tr("Registering the group with the hub…"))
            receiving = progress.reworded(sync_words(tr("Receiving changes")))
            return hubs.connect_hub(
                store=store, group_id=group_id, hub_url=url, code=code, progress=receiving
            )

        self.start(work, self._done)

    def _done(self, result: SyncResult) -> None:
        self.connected.emit(result)
        self.accept()
