"""Shared notes: bodies that several people edit at once without losing words."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.errors import InvalidInput, NotFound
from app.ids import authored_id
from app.payload import MAX_TEXT
from app.services.common import clean_title, group_of, require_group
from app.store import Store
from app.text_crdt import edit_update
from app.text_merge import edit_from_base
from app.writer import writing


@dataclass(frozen=True)
class NoteView:
    id: str
    group_id: str
    title: str
    text: str
    created_by: str


def create_note(*, store: Store, group_id: str, title: str, body: str = "") -> str:
    title = clean_title(title, "note title")
    _check_length(body)
    note_id = authored_id(store.device_id)
    with writing(store) as w:
        require_group(w.db, group_id)
        w.emit(
            group_id,
            "note",
            note_id,
            "create",
            {"title": title, "update": edit_update(None, body, device=store.device_id)},
        )
    return note_id


def edit_note(*, store: Store, note_id: str, text: str) -> None:
    """Make the note read ``text``: only what changed is sent, so it merges with others."""
    _check_length(text)
    with writing(store) as w:
        group_id, state = _note_state(w.db, note_id)
        w.emit(
            group_id,
            "note",
            note_id,
            "edit",
            {"update": edit_update(state, text, device=store.device_id)},
        )


def append_to_note(*, store: Store, note_id: str, line: str) -> None:
    """Add a line at the end of the note."""
    with writing(store) as w:
        group_id, state = _note_state(w.db, note_id)
        current = get_note_text(w.db, note_id)
        sep = "" if not current or current.endswith("\n") else "\n"
        new_text = f"{current}{sep}{line}\n"
        _check_length(new_text)
        w.emit(
            group_id,
            "note",
            note_id,
            "edit",
            {"update": edit_update(state, new_text, device=store.device_id)},
        )


def rename_note(*, store: Store, note_id: str, title: str) -> None:
    _update_note(store, note_id, {"title": clean_title(title, "note title")})


def delete_note(*, store: Store, note_id: str) -> None:
    _update_note(store, note_id, {"deleted": True})


def restore_note(*, store: Store, note_id: str) -> None:
    _update_note(store, note_id, {"deleted": False})


def _update_note(store: Store, note_id: str, fields: dict[str, object]) -> None:
    with writing(store) as w:
        group_id = group_of(w.db, "notes", note_id, "note")
        w.emit(group_id, "note", note_id, "update", fields)


def get_note(*, store: Store, note_id: str) -> NoteView:
    with store.read() as db:
        row = db.execute(
            "SELECT id, group_id, title, text, created_by FROM notes WHERE id = ?", (note_id,)
        ).fetchone()
    if row is None:
        raise NotFound(f"No note with id {note_id!r} in this profile.")
    return NoteView(*row)


def list_notes(*, store: Store, group_id: str, offset: int = 0, limit: int = 100) -> list[NoteView]:
    with store.read() as db:
        require_group(db, group_id)
        rows = db.execute(
            "SELECT id, group_id, title, text, created_by FROM notes"
            " WHERE group_id = ? AND deleted = 0 ORDER BY title COLLATE NOCASE, id"
            " LIMIT ? OFFSET ?",
            (group_id, limit, offset),
        ).fetchall()
    return [NoteView(*r) for r in rows]


def get_note_text(db: sqlite3.Connection, note_id: str) -> str:
    row = db.execute("SELECT text FROM notes WHERE id = ?", (note_id,)).fetchone()
    return str(row[0]) if row else ""


def _note_state(db: sqlite3.Connection, note_id: str) -> tuple[str, bytes]:
    row = db.execute("SELECT group_id, ydoc FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        raise NotFound(f"No note with id {note_id!r} in this profile.")
    return str(row[0]), bytes(row[1])


def _check_length(text: str) -> None:
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"A note can hold at most {MAX_TEXT:,} characters.")


# --- for an editor that stays open while others' edits arrive ----------------------


@dataclass(frozen=True)
class NoteBody:
    """Text an editor holds, and the stored state its edits are to be made against.

    Right after a load the state renders exactly ``text``; after a save that raced with
    more typing it may already hold others' edits too, and the next save rebases.
    """

    text: str
    state: bytes


@dataclass(frozen=True)
class OpenNote:
    id: str
    group_id: str
    title: str
    deleted: bool
    body: NoteBody


@dataclass(frozen=True)
class SavedBody:
    mine: NoteBody  # the text just saved, as the base for typing that came after it
    note: OpenNote  # the note as stored now, with whatever arrived from elsewhere


@dataclass(frozen=True)
class NoteRow:
    """A line in the list of notes: no body, so a long list stays light."""

    id: str
    title: str
    edited_hlc: int
    edited_by: str  # display name of who last changed it ('' if unknown)
    edited_device: str


def open_note(*, store: Store, note_id: str) -> OpenNote:
    with store.read() as db:
        return _open(db, note_id)


def save_note_body(*, store: Store, note_id: str, base: NoteBody, text: str) -> SavedBody:
    """Save the changes that turned ``base.text`` into ``text``; return the merged note.

    Edits that reached the store since ``base`` was read (another laptop's, merged by a
    sync) are kept: the changes are made on ``base``, not diffed against the store.
    """
    _check_length(text)
    with writing(store) as w:
        group_id, state = _note_state(w.db, note_id)
        mine = base
        if text != base.text:
            update, made = edit_from_base(
                base.state, base.text, state, text, device=store.device_id
            )
            w.emit(group_id, "note", note_id, "edit", {"update": update})
            mine = NoteBody(text, made)
        return SavedBody(mine, _open(w.db, note_id))


def list_note_rows(
    *, store: Store, group_id: str, offset: int = 0, limit: int = 100
) -> list[NoteRow]:
    """The group's notes by title, each with when and by whom it was last changed."""
    with store.read() as db:
        require_group(db, group_id)
        rows = db.execute(
            "WITH last AS (SELECT entity, MAX(hlc) AS hlc, device FROM ops"
            "   WHERE group_id = ? AND kind = 'note' AND state = 1 GROUP BY entity)"
            " SELECT n.id, n.title, COALESCE(last.hlc, n.created_hlc),"
            "  COALESCE(m.display_name, ''), COALESCE(last.device, n.created_by) FROM notes n"
            " LEFT JOIN last ON last.entity = n.id"
            " LEFT JOIN members m ON m.group_id = n.group_id"
            "  AND m.device = COALESCE(last.device, n.created_by)"
            " WHERE n.group_id = ? AND n.deleted = 0 ORDER BY n.title COLLATE NOCASE, n.id"
            " LIMIT ? OFFSET ?",
            (group_id, group_id, limit, offset),
        ).fetchall()
    return [NoteRow(*r) for r in rows]


def _open(db: sqlite3.Connection, note_id: str) -> OpenNote:
    row = db.execute(
        "SELECT id, group_id, title, deleted, text, ydoc FROM notes WHERE id = ?", (note_id,)
    ).fetchone()
    if row is None:
        raise NotFound("That note is no longer in this profile.")
    return OpenNote(row[0], row[1], row[2], bool(row[3]), NoteBody(row[4], bytes(row[5])))
