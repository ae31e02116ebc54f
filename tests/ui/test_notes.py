"""The notes page: writing a note, and keeping the user's typing while others' edits merge in."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from app.services import groups, members, notes
from app.store import Store
from tests.support import deliver, ops_of
from ui.pages.notes import NotesPage
from ui.two_line_delegate import SECOND_LINE_ROLE
from ui.window import MainWindow

MakeStore = Callable[[str], Store]


def notes_page(qtbot: QtBot, window: MainWindow, group_id: str) -> NotesPage:
    qtbot.waitUntil(lambda: window.ctx.group_id == group_id)
    window.nav.select("notes")
    page = window.pages["notes"]
    assert isinstance(page, NotesPage)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page)
    return page


def open_note(qtbot: QtBot, page: NotesPage, note_id: str) -> None:
    qtbot.waitUntil(lambda: page.model.row_of(note_id) >= 0)
    index = page.model.index(page.model.row_of(note_id), 0)
    page.list.scrollTo(index)
    qtbot.mouseClick(
        page.list.viewport(), Qt.MouseButton.LeftButton, pos=page.list.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: not page.editor.body.isReadOnly())


def caret_to(page: NotesPage, position: int) -> None:
    cursor = page.editor.body.textCursor()
    cursor.setPosition(position)
    page.editor.body.setTextCursor(cursor)


@pytest.fixture
def group(store: Store) -> str:
    groups.set_my_name(store=store, name="Margaret")
    return groups.create_group(store=store, name="Little Wold Parish")


def test_a_new_note_is_named_typed_and_saved(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    page = notes_page(qtbot, make_window(), group)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.editor.title_edit.text() == "Untitled note")
    qtbot.waitUntil(page.editor.title_edit.hasFocus)
    qtbot.keyClicks(page.editor.title_edit, "June agenda")
    qtbot.keyClick(page.editor.title_edit, Qt.Key.Key_Return)
    assert page.editor.body.hasFocus()
    qtbot.keyClicks(page.editor.body, "1. Apologies")
    note_id = page.editor.note_id
    assert note_id is not None

    def saved() -> bool:
        note = notes.get_note(store=store, note_id=note_id)
        return (note.title, note.text) == ("June agenda", "1. Apologies")

    qtbot.waitUntil(saved)
    qtbot.waitUntil(lambda: page.model.title_of(note_id) == "June agenda")
    assert page.model.index(0, 0).data(SECOND_LINE_ROLE) == "Edited just now by you"
    qtbot.waitUntil(lambda: page.editor.status.text() == "Saved")


def test_leaving_a_note_saves_it_at_once(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    first = notes.create_note(store=store, group_id=group, title="A", body="")
    second = notes.create_note(store=store, group_id=group, title="B", body="")
    page = notes_page(qtbot, make_window(), group)
    open_note(qtbot, page, first)
    page.editor.SAVE_DELAY_MS = 60_000  # only leaving the note can save it now
    page.editor._timer.setInterval(60_000)
    qtbot.keyClicks(page.editor.body, "Hedges")
    open_note(qtbot, page, second)
    qtbot.waitUntil(lambda: notes.get_note(store=store, note_id=first).text == "Hedges")
    assert page.editor.title_edit.text() == "B"


def test_typing_survives_another_laptops_edit_arriving(
    qtbot: QtBot,
    store: Store,
    group: str,
    make_store: MakeStore,
    make_window: Callable[[], MainWindow],
) -> None:
    other = make_store("other")
    members.admit(store=store, group_id=group, device=other.device_id)
    note = notes.create_note(store=store, group_id=group, title="Agenda", body="1. Apologies\n")
    deliver(ops_of(store), other)
    page = notes_page(qtbot, make_window(), group)
    open_note(qtbot, page, note)
    caret_to(page, len("1. Apologies"))
    qtbot.keyClicks(page.editor.body, " and welcome")

    # Before the typing pause is over, a sync brings the other laptop's new line.
    notes.append_to_note(store=other, note_id=note, line="2. Minutes of May")
    deliver(ops_of(other), store)
    store.notify({group})

    merged = "1. Apologies and welcome\n2. Minutes of May\n"
    qtbot.waitUntil(lambda: page.editor.body.toPlainText() == merged)
    assert page.editor.body.textCursor().position() == len("1. Apologies and welcome")
    qtbot.keyClicks(page.editor.body, "!")
    assert page.editor.body.toPlainText().startswith("1. Apologies and welcome!\n")
    qtbot.waitUntil(
        lambda: (
            notes.get_note(store=store, note_id=note).text == merged.replace("welcome", "welcome!")
        )
    )
    deliver(ops_of(store), other)
    assert notes.get_note(store=other, note_id=note).text == page.editor.body.toPlainText()


def test_typing_while_a_save_is_in_flight_is_saved_before_the_merge_is_shown(
    qtbot: QtBot,
    store: Store,
    group: str,
    make_store: MakeStore,
    make_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = make_store("other")
    members.admit(store=store, group_id=group, device=other.device_id)
    note = notes.create_note(store=store, group_id=group, title="Agenda", body="Intro\n")
    deliver(ops_of(store), other)
    page = notes_page(qtbot, make_window(), group)
    open_note(qtbot, page, note)

    started, release = threading.Event(), threading.Event()
    real_save = notes.save_note_body

    def slow_save(**kwargs: object) -> notes.SavedBody:
        started.set()
        release.wait(10)
        return real_save(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(notes, "save_note_body", slow_save)
    notes.append_to_note(store=other, note_id=note, line="From the other laptop")
    deliver(ops_of(other), store)

    caret_to(page, len("Intro"))
    qtbot.keyClicks(page.editor.body, " one")
    store.notify({group})  # the sync starts the save of " one"
    qtbot.waitUntil(started.is_set)
    qtbot.keyClicks(page.editor.body, " two")  # typed while that save is in flight
    release.set()

    final = "Intro one two\nFrom the other laptop\n"
    qtbot.waitUntil(lambda: page.editor.body.toPlainText() == final, timeout=5000)
    assert page.editor.body.textCursor().position() == len("Intro one two")
    qtbot.waitUntil(lambda: notes.get_note(store=store, note_id=note).text == final)


def test_rename_and_delete_from_the_keyboard(
    qtbot: QtBot,
    store: Store,
    group: str,
    make_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    note = notes.create_note(store=store, group_id=group, title="Grit bins", body="Mill Hill\n")
    page = notes_page(qtbot, make_window(), group)
    open_note(qtbot, page, note)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_F2)
    assert page.editor.title_edit.hasFocus()
    qtbot.keyClicks(page.editor.title_edit, "Grit bin places")
    qtbot.keyClick(page.editor.title_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.model.title_of(note) == "Grit bin places")
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Return)
    assert page.editor.body.hasFocus()

    asked: list[str] = []

    def confirm(question: str) -> bool:
        asked.append(question)
        return True

    monkeypatch.setattr(page, "confirm", confirm)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Delete)
    assert asked == ["Delete the note “Grit bin places” for everyone in the group?"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert notes.list_notes(store=store, group_id=group) == []
    assert page.right.currentWidget() is page.empty


def test_an_empty_title_is_refused_in_plain_words(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    note = notes.create_note(store=store, group_id=group, title="Fees", body="")
    page = notes_page(qtbot, make_window(), group)
    open_note(qtbot, page, note)
    page.editor.title_edit.setFocus()
    page.editor.title_edit.selectAll()
    qtbot.keyClick(page.editor.title_edit, Qt.Key.Key_Delete)
    qtbot.keyClick(page.editor.title_edit, Qt.Key.Key_Return)
    assert page.notice.text() == "A note needs a title."
    assert page.editor.title_edit.text() == "Fees"


def test_the_list_loads_a_page_at_a_time(
    qtbot: QtBot, qtmodeltester: object, store: Store, group: str,
    make_window: Callable[[], MainWindow],
) -> None:  # fmt: skip
    for i in range(130):
        notes.create_note(store=store, group_id=group, title=f"Note {i:03}", body="")
    page = notes_page(qtbot, make_window(), group)
    qtbot.waitUntil(lambda: page.model.rowCount() >= 100)
    page.list.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 130)
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


def test_editing_keeps_the_caret_with_emoji_before_it(
    qtbot: QtBot,
    store: Store,
    group: str,
    make_store: MakeStore,
    make_window: Callable[[], MainWindow],
) -> None:
    other = make_store("other")
    members.admit(store=store, group_id=group, device=other.device_id)
    note = notes.create_note(store=store, group_id=group, title="Fête", body="Cakes 🍰\nEnd\n")
    deliver(ops_of(store), other)
    page = notes_page(qtbot, make_window(), group)
    open_note(qtbot, page, note)
    page.editor.body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(page.editor.body, "Tea")
    notes.edit_note(store=other, note_id=note, text="Top 🎉\nCakes 🍰\nEnd\n")
    deliver(ops_of(other), store)
    store.notify({group})
    qtbot.waitUntil(lambda: page.editor.body.toPlainText() == "Top 🎉\nCakes 🍰\nEnd\nTea")
    cursor = page.editor.body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    assert page.editor.body.textCursor().position() == cursor.position()
