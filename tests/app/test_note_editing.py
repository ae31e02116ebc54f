"""An open note keeps both the user's typing and what other laptops wrote meanwhile."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.errors import NotFound
from app.services import groups, members, notes
from app.store import Store
from app.text_merge import rebase_text
from tests.support import deliver, ops_of

MakeStore = Callable[[str], Store]


def _two_laptops(make_store: MakeStore) -> tuple[Store, Store, str, str]:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Allotments")
    members.admit(store=alice, group_id=group, device=bob.device_id)
    note = notes.create_note(store=alice, group_id=group, title="Agenda", body="1. Water\n")
    deliver(ops_of(alice), bob)
    return alice, bob, group, note


def test_saving_from_an_old_base_keeps_edits_that_arrived_since(make_store: MakeStore) -> None:
    alice, bob, _group, note = _two_laptops(make_store)
    base = notes.open_note(store=alice, note_id=note).body
    notes.append_to_note(store=bob, note_id=note, line="2. Sheds")
    deliver(ops_of(bob), alice)
    saved = notes.save_note_body(
        store=alice, note_id=note, base=base, text="1. Water (tap by gate)\n"
    )
    assert saved.note.body.text == "1. Water (tap by gate)\n2. Sheds\n"
    assert saved.mine.text == "1. Water (tap by gate)\n"
    deliver(ops_of(alice), bob)
    assert notes.get_note(store=bob, note_id=note).text == saved.note.body.text


def test_typing_after_a_save_rebases_on_its_result(make_store: MakeStore) -> None:
    alice, bob, _group, note = _two_laptops(make_store)
    base = notes.open_note(store=alice, note_id=note).body
    notes.append_to_note(store=bob, note_id=note, line="2. Sheds")
    deliver(ops_of(bob), alice)
    first = notes.save_note_body(store=alice, note_id=note, base=base, text="1. Water!\n")
    # More typing happened while that save ran: it is saved on the save's own base.
    second = notes.save_note_body(
        store=alice, note_id=note, base=first.mine, text="0. Welcome\n1. Water!\n"
    )
    assert second.note.body.text == "0. Welcome\n1. Water!\n2. Sheds\n"


def test_another_writer_on_this_laptop_is_not_undone(store: Store) -> None:
    group = groups.create_group(store=store, name="Allotments")
    note = notes.create_note(store=store, group_id=group, title="Agenda", body="Cost £5\n")
    base = notes.open_note(store=store, note_id=note).body
    notes.append_to_note(store=store, note_id=note, line="From the command line – ok")
    saved = notes.save_note_body(store=store, note_id=note, base=base, text="Cost £50\n")
    assert saved.note.body.text == "Cost £50\nFrom the command line – ok\n"


def test_non_ascii_edits_land_where_they_were_made(store: Store) -> None:
    group = groups.create_group(store=store, name="Allotments")
    note = notes.create_note(store=store, group_id=group, title="Fees", body="Plot – £5 😀\n")
    notes.edit_note(store=store, note_id=note, text="Plot – £50 😀\nShed – £2\n")
    assert notes.get_note(store=store, note_id=note).text == "Plot – £50 😀\nShed – £2\n"


def test_an_unchanged_save_writes_nothing(store: Store) -> None:
    group = groups.create_group(store=store, name="Allotments")
    note = notes.create_note(store=store, group_id=group, title="Agenda", body="x\n")
    before = len(ops_of(store))
    base = notes.open_note(store=store, note_id=note).body
    notes.save_note_body(store=store, note_id=note, base=base, text="x\n")
    assert len(ops_of(store)) == before


def test_note_rows_say_who_edited_last(make_store: MakeStore) -> None:
    alice, bob, group, note = _two_laptops(make_store)
    groups.set_my_name(store=bob, name="Bob")
    members.update_profile(store=bob, group_id=group, display_name="Bob")
    notes.create_note(store=alice, group_id=group, title="budget", body="")
    notes.append_to_note(store=bob, note_id=note, line="2. Sheds")
    deliver(ops_of(bob), alice)
    rows = notes.list_note_rows(store=alice, group_id=group)
    assert [(r.title, r.edited_by) for r in rows] == [("Agenda", "Bob"), ("budget", "")]
    [bobs_edit] = [op for op in ops_of(bob) if op.kind == "note" and op.action == "edit"]
    assert rows[0].edited_hlc == bobs_edit.hlc
    assert notes.list_note_rows(store=alice, group_id=group, offset=1, limit=5)[0].title == (
        "budget"
    )


def test_opening_a_note_that_is_gone_says_so(store: Store) -> None:
    with pytest.raises(NotFound, match="no longer"):
        notes.open_note(store=store, note_id="nope")


@pytest.mark.parametrize(
    ("base", "mine", "theirs", "merged"),
    [
        ("abc", "aXbc", "abcY", "aXbcY"),
        ("", "mine", "theirs", "minetheirs"),
        ("hello world", "hello", "hello big world", "hello"),
        ("one\ntwo\n", "one\ntwo\nthree\n", "zero\none\ntwo\n", "zero\none\ntwo\nthree\n"),
    ],
)
def test_rebase_text(base: str, mine: str, theirs: str, merged: str) -> None:
    assert rebase_text(base, mine, theirs) == merged
