"""What the meetings page does with the record as a whole and with papers: issuing the
summons, circulating, approving at a later meeting, the chair's signature, checking the
record, printing, and papers put with an item, opened and taken off.

A mixin of ``ui.pages.meetings.MeetingsPage``; ``_Page`` says what it uses of it.
Every read and write runs on a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app.meeting_view import MeetingView
from app.services import meeting_papers, meetings
from app.services.meetings import MeetingSummary, Verification
from ui.bundle_dialogs import documents_folder
from ui.context import AppContext
from ui.meetings import tr
from ui.meetings.record_dialogs import ApproveDialog, PrintDialog, SignDialog
from ui.meetings.words import day
from ui.notice import Notice


class _Page(Protocol):
    ctx: AppContext
    notice: Notice
    view: MeetingView | None
    meeting_id: str | None
    item_id: str | None
    summaries: list[MeetingSummary]
    people: list[tuple[str, str]]
    opened_paper: Path | None

    def _open(self) -> bool: ...
    def _earlier_drafts(self) -> list[MeetingSummary]: ...
    def _run(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None: ...
    def _open_dialog(self, dialog: QDialog, then: Callable[[dict[str, Any]], None]) -> None: ...
    def _done(self, words: str) -> Callable[[Any], None]: ...
    def _verified(self, checked: Verification) -> None: ...
    def _approve(self, values: dict[str, Any]) -> None: ...
    def _sign(self, values: dict[str, Any]) -> None: ...
    def _print(self, values: dict[str, Any]) -> None: ...
    def attach_file(self, path: Path) -> None: ...
    def open_paper(self, paper_id: str) -> None: ...


def _widget(page: _Page) -> QWidget:
    """The page as the parent of the forms it opens (it is a widget; _Page says less)."""
    assert isinstance(page, QWidget)
    return page


class RecordWork:
    opened_paper: Path | None = None  # the copy of a paper opened last (tests read it)

    def attach_paper(self: _Page) -> None:
        if not (self._open() and self.item_id):
            return
        chosen, _filter = QFileDialog.getOpenFileName(
            _widget(self), tr("Attach a paper"), str(documents_folder())
        )
        if chosen:
            self.attach_file(Path(chosen))

    def attach_file(self: _Page, path: Path) -> None:
        """Put the file with the item on screen; read and written on a worker."""
        store, item_id = self.ctx.store, self.item_id
        if self._open() and item_id:
            self._run(
                lambda: meeting_papers.attach_paper_file(store=store, item_id=item_id, path=path),
                done=self._done(tr("“{name}” is with the item now.").format(name=path.name)),
            )

    def _on_link(self: _Page, url: QUrl) -> None:
        kind, paper_id = url.scheme(), url.path()
        if kind == "paper":
            self.open_paper(paper_id)
        elif kind == "remove-paper" and self._open():
            store = self.ctx.store
            self._run(lambda: meeting_papers.remove_paper(store=store, paper_id=paper_id))

    def open_paper(self: _Page, paper_id: str) -> None:
        """Open a paper in the system's viewer, from a copy the worker writes out."""
        store, folder = self.ctx.store, self.ctx.store.settings.data_dir / "opened-papers"

        def copy_out() -> Path:
            name, data = meeting_papers.paper_file(store=store, paper_id=paper_id)
            target = folder / paper_id / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            return target

        def opened(path: Path) -> None:
            self.opened_paper = path
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self.notice.info(tr("Saved a copy of the paper at {file}.").format(file=path))

        self.ctx.tasks.run(copy_out, done=opened, failed=self.notice.error, owner=_widget(self))

    def summon(self: _Page) -> None:
        store, meeting_id = self.ctx.store, self.meeting_id
        if self._open() and meeting_id:
            self._run(
                lambda: meetings.issue_summons(store=store, meeting_id=meeting_id),
                done=self._done(
                    tr(
                        "The summons is issued today; the hub publishes the agenda"
                        " at the next sync."
                    )
                ),
            )

    def circulate(self: _Page) -> None:
        store, meeting_id = self.ctx.store, self.meeting_id
        if self._open() and meeting_id:
            self._run(
                lambda: meetings.circulate(store=store, meeting_id=meeting_id),
                done=self._done(tr("The draft minutes are circulated, every item numbered.")),
            )

    def approve(self: _Page) -> None:
        earlier = self._earlier_drafts()
        if self._open() and earlier:
            self._open_dialog(ApproveDialog(earlier, _widget(self)), self._approve)

    def _approve(self: _Page, values: dict[str, Any]) -> None:
        store, at = self.ctx.store, self.meeting_id
        earlier = next(m for m in self.summaries if m.id == values["meeting_id"])
        assert at is not None
        words = tr("The minutes of {day} are approved; they can no longer change.").format(
            day=day(earlier.starts_at)
        )
        self._run(
            lambda: meetings.approve(store=store, meeting_id=earlier.id, at=at),
            done=self._done(words),
        )

    def sign(self: _Page) -> None:
        view = self.view
        if view is not None and view.approval is not None and view.signature is None:
            self._open_dialog(SignDialog(self.people, view.chair, _widget(self)), self._sign)

    def _sign(self: _Page, values: dict[str, Any]) -> None:
        store, meeting_id = self.ctx.store, self.meeting_id
        assert meeting_id is not None
        self._run(lambda: meetings.sign(store=store, meeting_id=meeting_id, **values))

    def verify(self: _Page) -> None:
        store, meeting_id = self.ctx.store, self.meeting_id
        if meeting_id is not None:
            self.notice.hide()
            self.ctx.tasks.run(
                lambda: meetings.verify(store=store, meeting_id=meeting_id),
                done=self._verified,
                failed=self.notice.error,
                owner=_widget(self),
            )

    def _verified(self: _Page, checked: Verification) -> None:
        if checked.unchanged:
            self.notice.info(
                tr("The approved minutes are unchanged since approval; the signature checks.")
            )
        else:
            self.notice.error(
                tr("These minutes are not as they were approved: {problems}").format(
                    problems=" ".join(checked.problems)
                )
            )

    def print_papers(self: _Page) -> None:
        view = self.view
        if view is not None:
            self._open_dialog(PrintDialog(view.title, view.starts_at, _widget(self)), self._print)

    def _print(self: _Page, values: dict[str, Any]) -> None:
        store, meeting_id = self.ctx.store, self.meeting_id
        assert meeting_id is not None
        path = Path(values["path"])
        self.notice.info(tr("Making {file}…").format(file=path.name))
        self.ctx.tasks.run(
            lambda: meetings.export_paper(
                store=store,
                meeting_id=meeting_id,
                paper=values["paper"],
                path=path,
                include_exempt=values["include_exempt"],
            ),
            done=self._done(tr("Saved {file}.").format(file=str(path))),
            failed=self.notice.error,
            owner=_widget(self),
        )
