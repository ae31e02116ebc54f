"""The toolbar search: results as you type, chosen by keyboard or mouse, opened in place."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import discussions, groups, notes
from app.store import Store
from ui.pages.notes import NotesPage
from ui.search_box import SearchBox
from ui.two_line_delegate import marked_spans
from ui.window import MainWindow


@pytest.fixture
def group(store: Store) -> str:
    return groups.create_group(store=store, name="Little Wold Parish")


def ready(qtbot: QtBot, window: MainWindow, group_id: str) -> SearchBox:
    qtbot.waitUntil(lambda: window.ctx.group_id == group_id)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    return window.search


def shown_titles(box: SearchBox) -> list[str]:
    model = box.popup.model
    return [str(model.index(r, 0).data()) for r in range(model.rowCount())]


def test_typing_finds_a_note_and_enter_opens_it(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    note = notes.create_note(store=store, group_id=group, title="Grit bins", body="By the church")
    notes.create_note(store=store, group_id=group, title="Fete", body="Cakes")
    window = make_window()
    box = ready(qtbot, window, group)
    qtbot.keyClicks(box, "chur")
    qtbot.waitUntil(lambda: box.popup.isVisible())
    assert shown_titles(box) == ["Note · Grit bins"]
    assert "[church]" in box.popup.model.index(0, 0).data(Qt.ItemDataRole.UserRole + 10)
    with qtbot.waitSignal(box.open_requested) as opened:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert opened.args == ["note", note, ""]
    assert not box.popup.isVisible()
    page = window.pages["notes"]
    assert isinstance(page, NotesPage)
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.editor.title_edit.text() == "Grit bins")
    assert page.editor.body.toPlainText() == "By the church"


def test_down_then_enter_opens_a_discussion_on_its_page(
    qtbot: QtBot,
    store: Store,
    group: str,
    make_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    disc, _ = discussions.start_discussion(
        store=store, group_id=group, title="Hall roof quotes", body="Two quotes in"
    )
    notes.create_note(store=store, group_id=group, title="Agenda", body="Item: hall roof")
    window = make_window()
    targets: list[str | None] = []
    monkeypatch.setattr(window.pages["discussions"], "show_target", targets.append)
    box = ready(qtbot, window, group)
    qtbot.keyClicks(box, "hall roof")
    qtbot.waitUntil(lambda: box.popup.isVisible())
    titles = shown_titles(box)
    assert "Discussion · Hall roof quotes" in titles
    for _ in range(titles.index("Discussion · Hall roof quotes")):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.pages["discussions"]
    assert targets[-1] == f"discussion:{disc}"


def test_a_click_opens_a_result_and_escape_closes_the_list(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    note = notes.create_note(store=store, group_id=group, title="Footpaths", body="Stile broken")
    window = make_window()
    box = ready(qtbot, window, group)
    qtbot.keyClicks(box, "stile")
    qtbot.waitUntil(lambda: box.popup.isVisible())
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not box.popup.isVisible()
    assert box.text() == "stile"
    qtbot.keyClick(box, Qt.Key.Key_Down)  # brings the results back
    qtbot.waitUntil(lambda: box.popup.isVisible())
    view = box.popup.view
    with qtbot.waitSignal(box.open_requested) as opened:
        qtbot.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=view.visualRect(box.popup.model.index(0, 0)).center(),
        )
    assert opened.args == ["note", note, ""]


def test_no_matches_says_so_and_stale_answers_are_dropped(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    notes.create_note(store=store, group_id=group, title="Footpaths", body="Stile broken")
    window = make_window()
    box = ready(qtbot, window, group)
    box._answered(box._asked - 1, [])  # an answer to a query no longer in the box
    assert box._popup is None or not box._popup.isVisible()
    qtbot.keyClicks(box, "zebra")
    qtbot.waitUntil(lambda: box.popup.isVisible())
    assert shown_titles(box) == ["No matches"]
    qtbot.keyClick(box, Qt.Key.Key_Return)  # nothing to open: stays put
    box.clear()
    assert not box.popup.isVisible()


def test_snippet_marks_become_bold_runs() -> None:
    assert marked_spans("…the [roof] and [hall]") == [
        ("…the ", False),
        ("roof", True),
        (" and ", False),
        ("hall", True),
    ]
