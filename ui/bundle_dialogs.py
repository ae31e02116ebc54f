"""Carrying a group on a USB stick: export a bundle file, import one.

The same calls as ``moot bundle export`` (with its optional one-use invitation) and
``moot bundle import``; files are chosen with the system's file dialogs.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from app.errors import Cancelled
from app.progress import Progress
from app.roles import ROLES
from app.services.groups import GroupSummary
from sync.bundle import (
    APPLYING,
    READING,
    WRITING,
    ExportResult,
    ImportResult,
    export_bundle,
    import_bundle,
)
from ui.context import AppContext
from ui.i18n import tr
from ui.sync_words import describe_failure
from ui.task_dialog import TaskDialog
from ui.tasks import TaskHandle

FILTER = "Moot bundles (*.moot);;All files (*)"
SUFFIX = ".moot"
ROLE_WORDS = {"member": "a member", "clerk": "a clerk", "organiser": "an organiser"}
SHOW_IMPORT_AFTER_MS = 500  # a small file imports before a dialog would flash up


def _bundle_words(what: str) -> str:
    return {
        WRITING: tr("Writing changes"),
        READING: tr("Reading the file"),
        APPLYING: tr("Applying changes"),
    }.get(what, what)


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def suggested_name(group_name: str) -> str:
    slug = re.sub(r"[^\w]+", "-", group_name.lower()).strip("-") or "group"
    return f"{slug}{SUFFIX}"


class ExportBundleDialog(TaskDialog):
    exported = Signal(object)  # ExportResult

    def __init__(self, ctx: AppContext, group: GroupSummary, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            parent,
            tr("Export “{group}” to a file").format(group=group.name),
            tr(
                "Writes every change in the group to one signed file. Carry it on a USB "
                "stick to a laptop with no connection and import it there; its changes "
                "come back the same way."
            ),
        )
        self.group = group
        self.invite = QCheckBox(tr("Let a new laptop &join with this file, as"))
        self.invite.setAccessibleName(tr("Include a one-use invitation"))
        self.role = QComboBox()
        self.role.setAccessibleName(tr("Role for the new laptop"))
        for role in ROLES:
            self.role.addItem(ROLE_WORDS.get(role, role), role)
        self.role.setEnabled(False)
        self.invite.toggled.connect(self.role.setEnabled)
        self.form.addRow(self.invite, self.role)
        if group.my_role != "organiser":
            self.invite.setEnabled(False)
            self.invite.setToolTip(tr("Only organisers can invite"))
        self.ok_button.setText(tr("&Save bundle…"))
        self.ok_button.setAccessibleName(tr("Save bundle"))

    def inputs(self) -> list[QWidget]:
        return [self.invite, self.role]

    def submit(self) -> None:
        start = str(documents_folder() / suggested_name(self.group.name))
        chosen, _filter = QFileDialog.getSaveFileName(self, tr("Export bundle"), start, FILTER)
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(SUFFIX)
        role = str(self.role.currentData()) if self.invite.isChecked() else None
        store, group_id = self.ctx.store, self.group.id

        def work(progress: Progress) -> ExportResult:
            return export_bundle(
                store=store,
                group_id=group_id,
                path=path,
                invite_role=role,
                progress=progress.reworded(_bundle_words),
            )

        self.start(work, self._done)

    def _done(self, result: ExportResult) -> None:
        text = tr("Wrote {n} changes to {file}").format(n=result.ops, file=result.path.name)
        if result.invitation is not None:
            text += tr(", with a one-use invitation to join as {role}").format(
                role=ROLE_WORDS.get(result.invitation.role, result.invitation.role)
            )
        self.ctx.message.emit(text + ".")
        self.exported.emit(result)
        self.accept()

    def cancelled(self) -> None:
        self.ctx.message.emit(tr("Export stopped; no file was written."))
        self.reject()


class BundleImporter(QObject):
    """File ▸ Import bundle…: choose a file, apply it in a worker, say what came of it.

    A big file shows a progress dialog whose Cancel stops the import with nothing
    changed.
    """

    imported = Signal(object)  # ImportResult

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.parent_widget = ctx, parent
        self.running: TaskHandle | None = None
        self.progress_dialog: QProgressDialog | None = None

    def choose_and_import(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self.parent_widget, tr("Import bundle"), str(documents_folder()), FILTER
        )
        if chosen:
            self.import_file(Path(chosen))

    def import_file(self, path: Path) -> None:
        store = self.ctx.store
        self.ctx.message.emit(tr("Importing {file}…").format(file=path.name))
        dialog = QProgressDialog(
            tr("Importing {file}…").format(file=path.name), tr("Cancel"), 0, 0, self.parent_widget
        )
        dialog.setWindowTitle(tr("Import bundle"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_IMPORT_AFTER_MS)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        self.progress_dialog = dialog
        self.running = self.ctx.tasks.run_with_progress(
            lambda progress: import_bundle(
                store=store, path=path, progress=progress.reworded(_bundle_words)
            ),
            done=self._done,
            error=self._failed,
            progress=self._on_progress,
        )
        dialog.canceled.connect(self.running.cancel)

    def _on_progress(self, done: int, total: int, what: str) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText(f"{what}…")
            self.progress_dialog.setRange(0, total)
            self.progress_dialog.setValue(min(done, total))

    def _finish(self) -> None:
        self.running = None
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect()
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _done(self, result: ImportResult) -> None:
        self._finish()
        if not result.founded:
            words = tr(
                "Kept {n} changes of a group this laptop does not have yet. They wait for the "
                "change that starts the group: import a bundle made from a laptop that has "
                "the whole group."
            ).format(n=result.received)
            self.ctx.message.emit(words)
            _tell(self.parent_widget, tr("Bundle imported"), words)
            return
        lines = [
            tr("Imported {n} new changes into “{group}”.").format(
                n=result.received, group=result.group_name
            )
        ]
        if result.joined_as:
            lines.append(
                tr("This laptop has joined the group as {role}.").format(
                    role=ROLE_WORDS.get(result.joined_as, result.joined_as)
                )
            )
        elif result.invitation_refused:
            lines.append(
                tr("The file's invitation could not be used: {why}").format(
                    why=result.invitation_refused
                )
            )
        if result.role == "removed":
            lines.append(
                tr(
                    "You can read this group, but not write in it until an organiser admits "
                    "this laptop. Its device id is {device}."
                ).format(device=self.ctx.store.device_id)
            )
        if result.waiting:
            lines.append(tr("{n} changes wait for others they depend on.").format(n=result.waiting))
        self.ctx.message.emit(lines[0])
        self.imported.emit(result)
        if len(lines) > 1:
            _tell(self.parent_widget, tr("Bundle imported"), "\n\n".join(lines))

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, Cancelled):
            self.ctx.message.emit(tr("Import stopped; nothing was changed."))
            return
        _tell(
            self.parent_widget, tr("Could not import the bundle"), describe_failure(exc), warn=True
        )


def _tell(parent: QWidget, title: str, text: str, *, warn: bool = False) -> QMessageBox:
    """A message that does not block the window (it is window-modal, not app-modal)."""
    icon = QMessageBox.Icon.Warning if warn else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("notice")
    box.open()
    return box
