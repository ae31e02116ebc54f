"""Small checks shared by the services: clean text in, clear errors out."""

from __future__ import annotations

import sqlite3

from app.errors import InvalidInput, NotFound
from app.payload import MAX_TEXT, MAX_TITLE


def clean_title(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(f"The {what} cannot be empty.")
    if len(value) > MAX_TITLE:
        raise InvalidInput(f"The {what} is too long (at most {MAX_TITLE} characters).")
    return value


def clean_body(value: str, what: str) -> str:
    if not value.strip():
        raise InvalidInput(f"The {what} cannot be empty.")
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"The {what} is too long (at most {MAX_TEXT:,} characters).")
    return value


def group_of(db: sqlite3.Connection, table: str, entity_id: str, what: str) -> str:
    """The group an entity belongs to; NotFound with the kind of thing named if none."""
    row = db.execute(f"SELECT group_id FROM {table} WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise NotFound(f"No {what} with id {entity_id!r} in this profile.")
    return str(row[0])


def require_group(db: sqlite3.Connection, group_id: str) -> None:
    if db.execute("SELECT 1 FROM groups WHERE id = ?", (group_id,)).fetchone() is None:
        raise NotFound(f"No group with id {group_id!r} in this profile.")


def get_meta(db: sqlite3.Connection, key: str, default: str = "") -> str:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else default


def set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
