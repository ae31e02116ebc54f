"""Discussions and their posts: start, reply, edit, delete, moderate, list, read."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.errors import InvalidInput, NotAllowed, NotFound
from app.ids import authored_id
from app.payload import moment
from app.services.common import clean_body, clean_title, group_of, require_group
from app.services.members import role_in
from app.store import Store
from app.writer import writing

MAX_HLC = 2**63 - 1  # no mark limit: read up to the newest activity


@dataclass(frozen=True)
class DiscussionSummary:
    id: str
    title: str
    category_id: str
    category: str
    pinned: bool
    locked: bool
    resolved: bool
    created_by: str
    last_activity_hlc: int  # a discussion written ahead is active from when it shows
    posts: int
    unread: int
    publish_ms: int | None = None  # written ahead by an organiser, to show from then on


NEWCOMER_MS = 30 * 86_400_000  # a member's first post within this of joining is marked


@dataclass(frozen=True)
class PostView:
    id: str
    discussion_id: str
    reply_to: str | None
    author: str
    author_name: str
    body: str
    created_hlc: int
    edited: bool
    reactions: dict[str, int]  # emoji -> count
    my_reactions: frozenset[str]
    newcomers_first: bool = False  # a new member's first post: the group may say hello


def _category_id(db: sqlite3.Connection, group_id: str, category: str | None) -> str:
    require_group(db, group_id)
    rows = db.execute(
        "SELECT id, name FROM categories WHERE group_id = ? AND deleted = 0 ORDER BY position, id",
        (group_id,),
    ).fetchall()
    if not rows:
        raise NotFound("This group has no categories yet; it has not fully arrived.")
    if category is None:
        return str(rows[0][0])
    for cat_id, name in rows:
        if category in (cat_id, name) or name.casefold() == category.casefold():
            return str(cat_id)
    names = ", ".join(r[1] for r in rows)
    raise NotFound(f"No category {category!r} in this group (there is: {names}).")


def start_discussion(
    *,
    store: Store,
    group_id: str,
    title: str,
    body: str,
    category: str | None = None,
    publish_ms: int | None = None,
) -> tuple[str, str]:
    """Open a discussion with its first post; returns (discussion id, post id).

    With ``publish_ms`` (organisers), it is written ahead: every laptop shows it from
    that time on, whichever of them is on then, because the time travels in the op.
    """
    title = clean_title(title, "title")
    body = clean_body(body, "first post")
    fields: dict[str, object] = {"title": title}
    if publish_ms is not None:
        if publish_ms <= store.clock.wall_ms():
            raise InvalidInput("A discussion written ahead needs a time still to come.")
        if not moment(publish_ms):
            raise InvalidInput("That time is too far ahead.")
        fields["publish_ms"] = publish_ms
    discussion_id, post_id = authored_id(store.device_id), authored_id(store.device_id)
    with writing(store) as w:
        if publish_ms is not None and role_in(w.db, group_id, store.device_id) != "organiser":
            raise NotAllowed("Only the group's organisers write discussions ahead.")
        fields["category_id"] = _category_id(w.db, group_id, category)
        w.emit(group_id, "discussion", discussion_id, "create", fields)
        w.emit(group_id, "post", post_id, "create", {"discussion_id": discussion_id, "body": body})
    return discussion_id, post_id


def reply(*, store: Store, discussion_id: str, body: str, reply_to: str | None = None) -> str:
    body = clean_body(body, "reply")
    post_id = authored_id(store.device_id)
    fields: dict[str, object] = {"discussion_id": discussion_id, "body": body}
    if reply_to is not None:
        fields["reply_to"] = reply_to
    # The lock is checked in the transaction that writes the reply, so a lock made
    # meanwhile (in another window, or arriving by a sync) cannot be slipped past.
    with writing(store) as w:
        group_id = group_of(w.db, "discussions", discussion_id, "discussion")
        (locked,) = w.db.execute(
            "SELECT locked FROM discussions WHERE id = ?", (discussion_id,)
        ).fetchone()
        if reply_to is not None and group_of(w.db, "posts", reply_to, "post") != group_id:
            raise NotFound(f"No post with id {reply_to!r} in this discussion's group.")
        if locked:
            # Enforced here rather than in the merge rules: a reply written offline
            # before the lock arrived still appears, so nobody's words are lost.
            raise NotAllowed("This discussion is locked; it takes no new replies.")
        w.emit(group_id, "post", post_id, "create", fields)
    return post_id


def edit_post(*, store: Store, post_id: str, body: str) -> None:
    _update_post(store, post_id, {"body": clean_body(body, "post")})


def delete_post(*, store: Store, post_id: str) -> None:
    """Hide a post; an organiser can restore it from any laptop."""
    _update_post(store, post_id, {"deleted": True})


def restore_post(*, store: Store, post_id: str) -> None:
    _update_post(store, post_id, {"deleted": False})


def _update_post(store: Store, post_id: str, fields: dict[str, object]) -> None:
    with writing(store) as w:
        group_id = group_of(w.db, "posts", post_id, "post")
        w.emit(group_id, "post", post_id, "update", fields)


def update_discussion(*, store: Store, discussion_id: str, **fields: object) -> None:
    """Rename, pin, lock, resolve, move (``category``), delete or restore a discussion."""
    if "title" in fields:
        fields["title"] = clean_title(str(fields["title"]), "title")
    with writing(store) as w:
        group_id = group_of(w.db, "discussions", discussion_id, "discussion")
        if "category" in fields:
            fields["category_id"] = _category_id(w.db, group_id, str(fields.pop("category")))
        w.emit(group_id, "discussion", discussion_id, "update", fields)


def list_discussions(
    *,
    store: Store,
    group_id: str,
    category_id: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[DiscussionSummary]:
    """Pinned first, then by last activity; deleted ones left out."""
    if category_id is None:
        return _summaries(store, group_id, "", [], offset=offset, limit=limit)
    where = " AND d.category_id = ?"
    return _summaries(store, group_id, where, [category_id], offset=offset, limit=limit)


def list_following(
    *, store: Store, group_id: str, offset: int = 0, limit: int = 50
) -> list[DiscussionSummary]:
    """Discussions this member follows, or whose category they follow, less muted ones.

    A discussion's own state beats its category's: following one discussion in a
    muted category shows it, muting one in a followed category hides it.
    """
    where = (
        " AND (fd.state = 'following'"
        " OR (COALESCE(fd.state, 'none') = 'none' AND fc.state = 'following'))"
    )
    return _summaries(store, group_id, where, [], offset=offset, limit=limit)


def list_unread(
    *, store: Store, group_id: str, offset: int = 0, limit: int = 50
) -> list[DiscussionSummary]:
    """Discussions with posts from others since this member last read them."""
    return _summaries(store, group_id, "", [], offset=offset, limit=limit, unread_only=True)


def get_discussion(*, store: Store, discussion_id: str) -> DiscussionSummary:
    """One discussion as the list shows it; NotFound once it is deleted."""
    with store.read() as db:
        return summary_in(db, store.device_id, discussion_id)


def summary_in(db: sqlite3.Connection, me: str, discussion_id: str) -> DiscussionSummary:
    """``get_discussion`` inside a transaction the caller holds."""
    group_id = group_of(db, "discussions", discussion_id, "discussion")
    found = summaries_in(db, me, group_id, " AND d.id = ?", [discussion_id], offset=0, limit=1)
    if not found:
        raise NotFound("This discussion has been deleted.")
    return found[0]


def _summaries(
    store: Store,
    group_id: str,
    where: str,
    params: list[object],
    *,
    offset: int,
    limit: int,
    unread_only: bool = False,
) -> list[DiscussionSummary]:
    with store.read() as db:
        return summaries_in(
            db,
            store.device_id,
            group_id,
            where,
            params,
            offset=offset,
            limit=limit,
            unread_only=unread_only,
            shown_by=store.clock.wall_ms(),
        )


def summaries_in(
    db: sqlite3.Connection,
    me: str,
    group_id: str,
    where: str,
    params: list[object],
    *,
    offset: int,
    limit: int,
    unread_only: bool = False,
    shown_by: int | None = None,
) -> list[DiscussionSummary]:
    """The discussions ``where`` picks, as the list shows them. Given ``shown_by`` (ms),
    only those showing by then: a discussion written ahead waits for its time."""
    shown = ""
    if shown_by is not None:
        shown = " AND (d.publish_ms IS NULL OR d.publish_ms <= ?)"
        params = [shown_by, *params]
    query = (
        "SELECT d.id, d.title, d.category_id, c.name, d.pinned, d.locked, d.resolved,"
        " d.created_by, MAX(d.last_activity_hlc, COALESCE(d.publish_ms, 0) << 16) AS activity,"
        " (SELECT COUNT(*) FROM posts p WHERE p.discussion_id = d.id AND p.deleted = 0),"
        " (SELECT COUNT(*) FROM posts p WHERE p.discussion_id = d.id AND p.deleted = 0"
        "   AND p.created_hlc > COALESCE((SELECT read_hlc FROM read_marks r"
        "   WHERE r.discussion_id = d.id), 0) AND p.created_by != ?) AS unread,"
        " d.publish_ms, d.pinned AS pin"
        " FROM discussions d JOIN categories c ON c.id = d.category_id"
        " LEFT JOIN follows fd ON fd.member = ? AND fd.target_id = d.id"
        " LEFT JOIN follows fc ON fc.member = ? AND fc.target_id = d.category_id"
        f" WHERE d.group_id = ? AND d.deleted = 0{shown}{where}"
    )
    if unread_only:
        query = f"SELECT * FROM ({query}) WHERE unread > 0"
    query += " ORDER BY pin DESC, activity DESC, 1 LIMIT ? OFFSET ?"
    require_group(db, group_id)
    rows = db.execute(query, [me, me, me, group_id, *params, limit, offset]).fetchall()
    return [
        DiscussionSummary(
            r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5]), bool(r[6]), r[7], r[8], r[9], r[10],
            r[11],
        )
        for r in rows
    ]  # fmt: skip


def next_to_show(*, store: Store) -> tuple[str, int] | None:
    """The group and time of the soonest discussion written ahead, in any group here."""
    with store.read() as db:
        row = db.execute(
            "SELECT group_id, publish_ms FROM discussions WHERE deleted = 0 AND publish_ms > ?"
            " ORDER BY publish_ms LIMIT 1",
            (store.clock.wall_ms(),),
        ).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))


def list_scheduled(*, store: Store, group_id: str) -> list[DiscussionSummary]:
    """The discussions written ahead that have not shown yet, the soonest first."""
    with store.read() as db:
        found = summaries_in(
            db,
            store.device_id,
            group_id,
            " AND d.publish_ms > ?",
            [store.clock.wall_ms()],
            offset=0,
            limit=1_000,
        )
    return sorted(found, key=lambda d: (d.publish_ms or 0, d.id))


@dataclass(frozen=True)
class DeletedItem:
    """A deleted discussion (``post_id`` empty) or post that this member may restore."""

    discussion_id: str
    post_id: str
    title: str  # the discussion's
    excerpt: str  # the post's first words; empty for a discussion
    author_name: str
    deleted_hlc: int
    deleted_by_name: str


def recently_deleted(
    *, store: Store, group_id: str, offset: int = 0, limit: int = 50
) -> list[DeletedItem]:
    """Deleted discussions and posts, newest deletion first.

    Organisers see the whole group's; anyone else sees only their own, as the merge
    rules let an author restore what they wrote and an organiser restore anything.
    """
    with store.read() as db:
        require_group(db, group_id)
        everyone = role_in(db, group_id, store.device_id) == "organiser"
        rows = db.execute(
            "SELECT * FROM ("
            " SELECT d.id, '', d.title, '', d.created_by,"
            "  json_extract(d.clocks, '$.deleted[0]') AS at,"
            "  json_extract(d.clocks, '$.deleted[1]') AS who"
            "  FROM discussions d WHERE d.group_id = ? AND d.deleted = 1"
            " UNION ALL"
            " SELECT p.discussion_id, p.id, d.title, substr(p.body, 1, 200), p.created_by,"
            "  json_extract(p.clocks, '$.deleted[0]'), json_extract(p.clocks, '$.deleted[1]')"
            "  FROM posts p JOIN discussions d ON d.id = p.discussion_id"
            "  WHERE p.group_id = ? AND p.deleted = 1"
            ") WHERE (? OR created_by = ?)"
            " ORDER BY at DESC, 2, 1 LIMIT ? OFFSET ?",
            (group_id, group_id, everyone, store.device_id, limit, offset),
        ).fetchall()
        names = dict(
            db.execute(
                "SELECT device, display_name FROM members WHERE group_id = ?", (group_id,)
            ).fetchall()
        )
    return [
        DeletedItem(r[0], r[1], r[2], r[3], names.get(r[4], ""), r[5] or 0, names.get(r[6], ""))
        for r in rows
    ]


def post_position(*, store: Store, post_id: str) -> tuple[str, int]:
    """(discussion id, how many posts come before it in its thread) for a post."""
    with store.read() as db:
        return position_in(db, post_id)


def position_in(db: sqlite3.Connection, post_id: str) -> tuple[str, int]:
    group_of(db, "posts", post_id, "post")
    discussion_id, hlc = db.execute(
        "SELECT discussion_id, created_hlc FROM posts WHERE id = ?", (post_id,)
    ).fetchone()
    (before,) = db.execute(
        "SELECT COUNT(*) FROM posts WHERE discussion_id = ? AND deleted = 0"
        " AND (created_hlc < ? OR (created_hlc = ? AND id < ?))",
        (discussion_id, hlc, hlc, post_id),
    ).fetchone()
    return str(discussion_id), int(before)


def thread(
    *, store: Store, discussion_id: str, offset: int = 0, limit: int = 200
) -> list[PostView]:
    """A discussion's posts, oldest first, with reaction counts."""
    with store.read() as db:
        return posts_in(db, store.device_id, discussion_id, offset=offset, limit=limit)


def posts_in(
    db: sqlite3.Connection, me: str, discussion_id: str, *, offset: int, limit: int
) -> list[PostView]:
    """``thread`` inside a transaction the caller holds."""
    group_of(db, "discussions", discussion_id, "discussion")
    rows = db.execute(
        "SELECT p.id, p.discussion_id, p.reply_to, p.created_by, m.display_name, p.body,"
        " p.created_hlc, p.clocks != '{}',"
        # The author's first post (the first in their own chain of ops), within a month
        # of joining: someone new speaking up, whom the group may welcome.
        " (p.created_hlc >> 16) - (m.joined_hlc >> 16) <= ?"
        " AND p.created_by != (SELECT founder FROM groups WHERE id = p.group_id)"
        # nor the council's hub, whose first words are a consultation
        " AND NOT EXISTS (SELECT 1 FROM consultations c"
        "   WHERE c.group_id = p.group_id AND c.created_by = p.created_by) AND p.id = ("
        "   SELECT o.id FROM ops o WHERE o.group_id = p.group_id AND o.device = p.created_by"
        "   AND o.kind = 'post' AND o.action = 'create' ORDER BY o.seq LIMIT 1)"
        " FROM posts p"
        " LEFT JOIN members m ON m.group_id = p.group_id AND m.device = p.created_by"
        " WHERE p.discussion_id = ? AND p.deleted = 0"
        " ORDER BY p.created_hlc, p.id LIMIT ? OFFSET ?",
        (NEWCOMER_MS, discussion_id, limit, offset),
    ).fetchall()
    ids = [r[0] for r in rows]
    counts: dict[str, dict[str, int]] = {}
    mine: dict[str, set[str]] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        for post_id, emoji, member in db.execute(
            f"SELECT post_id, emoji, member FROM reactions WHERE present = 1"
            f" AND post_id IN ({marks}) ORDER BY emoji",
            ids,
        ):
            counts.setdefault(post_id, {}).setdefault(emoji, 0)
            counts[post_id][emoji] += 1
            if member == me:
                mine.setdefault(post_id, set()).add(emoji)
    return [
        PostView(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4] or "",
            r[5],
            r[6],
            bool(r[7]),
            counts.get(r[0], {}),
            frozenset(mine.get(r[0], ())),
            bool(r[8]),
        )
        for r in rows
    ]


def mark_read(*, store: Store, discussion_id: str, up_to: int | None = None) -> None:
    """Remember that this profile's member has read the discussion up to now.

    ``up_to`` (a last-activity stamp) marks only what was shown, so posts that came
    after a thread was read stay unread; a mark never moves back.
    """
    with store.write() as db:
        group_of(db, "discussions", discussion_id, "discussion")
        mark_read_in(db, discussion_id, up_to)


def mark_read_in(db: sqlite3.Connection, discussion_id: str, up_to: int | None = None) -> None:
    db.execute(
        "INSERT OR REPLACE INTO read_marks (discussion_id, read_hlc)"
        " SELECT d.id, MAX(COALESCE(r.read_hlc, 0), MIN(d.last_activity_hlc, COALESCE(?, ?)))"
        " FROM discussions d LEFT JOIN read_marks r ON r.discussion_id = d.id WHERE d.id = ?",
        (up_to, MAX_HLC, discussion_id),
    )


def react(*, store: Store, post_id: str, emoji: str, present: bool = True) -> None:
    emoji = clean_title(emoji, "reaction")
    with writing(store) as w:
        group_id = group_of(w.db, "posts", post_id, "post")
        w.emit(group_id, "reaction", post_id, "set", {"emoji": emoji, "present": present})
