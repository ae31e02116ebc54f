"""Starting a group and reading the list of groups this profile holds."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.clock import DAY_MS, physical_ms
from app.errors import InvalidInput, NotFound
from app.ids import authored_id, new_group_id
from app.services.common import clean_title, get_meta, require_group, set_meta
from app.store import Store
from app.writer import writing

DEFAULT_CATEGORIES = ("General", "Off-topic")
# The calm colours a group may take, the first its colour until one is chosen.
COLOURS = (
    ("#2f6f4f", "Green"),
    ("#2d5f8b", "Blue"),
    ("#1f6f78", "Teal"),
    ("#5b4a8b", "Purple"),
    ("#7a3e65", "Plum"),
    ("#9b3b3b", "Red"),
    ("#8a6a1f", "Ochre"),
    ("#4a5563", "Slate"),
)
DEFAULT_COLOUR = COLOURS[0][0]
MY_NAME = "display_name"


@dataclass(frozen=True)
class GroupSummary:
    id: str
    name: str
    description: str
    colour: str
    emblem: str
    my_role: str  # 'removed' where this device is not (or no longer) a member
    welcome: str = ""  # what a newcomer reads on joining (Markdown), set by organisers
    conduct: str = ""  # the group's code of conduct (Markdown)


def set_my_name(*, store: Store, name: str) -> None:
    """The name this profile's person goes by in groups they start or join."""
    with store.write() as db:
        set_meta(db, MY_NAME, clean_title(name, "name"))


def my_name(*, store: Store) -> str:
    with store.read() as db:
        return get_meta(db, MY_NAME)


def rename_me(*, store: Store, name: str) -> list[str]:
    """Go by a new name: here, and in every group this laptop writes in; the groups changed.

    A group this laptop was removed from keeps the old name: an op from a removed
    member would have no effect anyway.
    """
    name = clean_title(name, "name")
    with writing(store) as w:
        set_meta(w.db, MY_NAME, name)
        rows = w.db.execute(
            "SELECT group_id FROM members WHERE device = ? AND role != 'removed'"
            " AND display_name != ? ORDER BY group_id",
            (store.device_id, name),
        ).fetchall()
        changed = [r[0] for r in rows]
        for group_id in changed:
            w.emit(group_id, "member", store.device_id, "update", {"display_name": name})
    return changed


def member_count(*, store: Store, group_id: str) -> int:
    """How many people are in the group (removed members not counted)."""
    with store.read() as db:
        require_group(db, group_id)
        (count,) = db.execute(
            "SELECT COUNT(*) FROM members WHERE group_id = ? AND role != 'removed'", (group_id,)
        ).fetchone()
    return int(count)


def create_group(
    *, store: Store, name: str, description: str = "", colour: str = "", emblem: str = ""
) -> str:
    """Found a group with this device as its first organiser; returns the group id."""
    group_id, seed = new_group_id(store.device_id)
    with writing(store) as w:
        fields = {
            "name": clean_title(name, "group name"),
            "description": description.strip(),
            "colour": colour,
            "emblem": emblem,
            "display_name": get_meta(w.db, MY_NAME),
            "seed": seed,
        }
        w.emit(group_id, "group", group_id, "create", fields, op_id=group_id)
        for position, category in enumerate(DEFAULT_CATEGORIES):
            w.emit(
                group_id,
                "category",
                authored_id(store.device_id),
                "create",
                {"name": category, "position": position},
            )
    return group_id


def update_group(*, store: Store, group_id: str, **fields: str) -> None:
    """Change the group's name, description, colour or emblem (organisers only)."""
    if "name" in fields:
        fields["name"] = clean_title(fields["name"], "group name")
    with writing(store) as w:
        require_group(w.db, group_id)
        w.emit(group_id, "group", group_id, "update", dict(fields))


WELCOMED = "welcomed:"  # meta key prefix: this laptop has shown the group's welcome


def set_welcome(*, store: Store, group_id: str, welcome: str, conduct: str | None = None) -> None:
    """The welcome each newcomer reads on joining, and the code of conduct (organisers).

    Who writes it has read it: their own laptop will not show it to them as news.
    """
    if len(welcome) > 10_000:
        raise InvalidInput("A welcome is a short message: at most 10,000 characters.")
    if conduct is not None and len(conduct) > 20_000:
        raise InvalidInput("The code of conduct is too long: at most 20,000 characters.")
    fields = {"welcome": welcome.strip()}
    if conduct is not None:
        fields["conduct"] = conduct.strip()
    with writing(store) as w:
        require_group(w.db, group_id)
        w.emit(group_id, "group", group_id, "update", fields)
        set_meta(w.db, WELCOMED + group_id, "1")


def welcome_to_show(*, store: Store, group_id: str) -> GroupSummary | None:
    """The group, if this laptop's member should now read its welcome: once, for a
    member who joined after it was written (or in the last 30 days), never again."""
    with store.read() as db:
        if get_meta(db, WELCOMED + group_id):
            return None
        r = db.execute(_SUMMARY + " WHERE g.id = ?", (store.device_id, group_id)).fetchone()
        if r is None or r[5] == "removed" or not (r[6] or r[7]):
            return None
        (joined,) = db.execute(
            "SELECT joined_hlc FROM members WHERE group_id = ? AND device = ?",
            (group_id, store.device_id),
        ).fetchone()
    if physical_ms(joined) < store.clock.wall_ms() - 30 * DAY_MS:
        return None  # an old hand: the welcome is for newcomers
    return GroupSummary(*r)


def mark_welcomed(*, store: Store, group_id: str) -> None:
    with store.write() as db:
        set_meta(db, WELCOMED + group_id, "1")


def add_category(*, store: Store, group_id: str, name: str) -> str:
    category_id = authored_id(store.device_id)
    name = clean_title(name, "category name")
    # Counted in the writing transaction: two categories added at once get two places.
    with writing(store) as w:
        require_group(w.db, group_id)
        (count,) = w.db.execute(
            "SELECT COUNT(*) FROM categories WHERE group_id = ?", (group_id,)
        ).fetchone()
        w.emit(
            group_id,
            "category",
            category_id,
            "create",
            {"name": name, "position": count},
        )
    return category_id


_SUMMARY = (
    "SELECT g.id, g.name, g.description, g.colour, g.emblem, COALESCE(m.role, 'removed'),"
    " COALESCE(g.welcome, ''), COALESCE(g.conduct, '') FROM groups g"
    " LEFT JOIN members m ON m.group_id = g.id AND m.device = ?"
)


def list_groups(*, store: Store) -> list[GroupSummary]:
    with store.read() as db:
        rows = db.execute(_SUMMARY + " ORDER BY g.name, g.id", (store.device_id,)).fetchall()
    return [GroupSummary(*r) for r in rows]


def get_group(*, store: Store, group_id: str) -> GroupSummary:
    with store.read() as db:
        r = db.execute(_SUMMARY + " WHERE g.id = ?", (store.device_id, group_id)).fetchone()
    if r is None:
        raise NotFound(f"No group with id {group_id!r} in this profile.")
    return GroupSummary(*r)


@dataclass(frozen=True)
class CategoryView:
    id: str
    name: str
    position: int


def list_categories(*, store: Store, group_id: str) -> list[CategoryView]:
    """The group's categories in the order the organiser gave them."""
    with store.read() as db:
        return categories_in(db, group_id)


def categories_in(db: sqlite3.Connection, group_id: str) -> list[CategoryView]:
    require_group(db, group_id)
    rows = db.execute(
        "SELECT id, name, position FROM categories WHERE group_id = ? AND deleted = 0"
        " ORDER BY position, created_hlc, id",
        (group_id,),
    ).fetchall()
    return [CategoryView(r[0], r[1], r[2]) for r in rows]
