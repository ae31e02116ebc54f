"""What brings a member back: replies to them, @mentions of them, and new posts in the
discussions they follow, worked out on their laptop from the posts that arrive.

A post by someone else notifies this member when it mentions them by name ("@Ann
Smith"), answers one of their posts or a discussion they started, or lands in a
discussion they follow (or in a followed category, unless that discussion is muted).
A muted discussion notifies of nothing but a mention. Deleted posts, and discussions
written ahead until they show, notify of nothing.

Two marks per group live in the profile's own ``meta`` (never synced): how far this
laptop has *notified* (so a desktop notification says each post once, whatever
brought it: a sync, a bundle), and how far the member has *read* the list. Both
count the op log's arrival order, so a post written offline weeks ago notifies when
it arrives, not never, and a rebuild of the group tells nothing again; and each
keeps its time, so the posts of a discussion written ahead are news when it shows.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from app.services.common import get_meta, require_group, set_meta
from app.store import Store

LISTED = 100  # the list shows the newest hundred
_MARKUP = re.compile(r"\*\*|__|`")  # Markdown's bold and code marks, noise in a one-liner
MENTION, REPLY, FOLLOWED = "mention", "reply", "followed"


@dataclass(frozen=True)
class Notification:
    group_id: str
    post_id: str
    discussion_id: str
    title: str  # the discussion's
    author: str  # the post's author's name
    why: str  # MENTION, REPLY or FOLLOWED
    excerpt: str
    created_hlc: int
    unread: bool


@dataclass(frozen=True)
class Mark:
    """How far a member has been told, or has read: the ops that had arrived by then
    (``ops.n`` grows in arrival order and a rebuild keeps it), and the time, for the
    discussions written ahead that have shown since."""

    n: int
    ms: int


def _mark(db: sqlite3.Connection, kind: str, group_id: str) -> Mark | None:
    value = get_meta(db, f"notifications.{kind}:{group_id}")
    if not value:
        return None
    n, _, ms = value.partition(":")
    return Mark(int(n), int(ms or 0))


def _set_mark(db: sqlite3.Connection, kind: str, group_id: str, now_ms: int) -> None:
    (newest,) = db.execute("SELECT COALESCE(MAX(n), 0) FROM ops").fetchone()
    set_meta(db, f"notifications.{kind}:{group_id}", f"{newest}:{now_ms}")


def _my_name(db: sqlite3.Connection, group_id: str, me: str) -> str:
    row = db.execute(
        "SELECT display_name FROM members WHERE group_id = ? AND device = ?", (group_id, me)
    ).fetchone()
    return str(row[0]).strip() if row and row[0] else ""


def notifications_in(
    db: sqlite3.Connection,
    me: str,
    group_id: str,
    now_ms: int,
    *,
    after: Mark | None = None,
    limit: int = LISTED,
) -> list[Notification]:
    """This member's notifications among the posts that arrived after ``after`` (or
    showed since, in a discussion written ahead), the newest first."""
    since = after or Mark(0, -1)
    name = _my_name(db, group_id, me)
    mentions = _mention_pattern(name)
    read = _mark(db, "read", group_id) or Mark(0, -1)
    rows = db.execute(
        # Posts that arrived since the mark, driven by the log's own order, and the
        # posts of discussions written ahead that have shown since, whenever they came.
        "WITH arrived(id, n) AS ("
        "   SELECT o.id, o.n FROM ops o WHERE o.n > :after_n AND o.group_id = :group"
        "   AND o.kind = 'post' AND o.action = 'create'"
        " UNION"
        "   SELECT p.id, (SELECT n FROM ops WHERE id = p.id) FROM discussions d"
        "   JOIN posts p ON p.discussion_id = d.id WHERE d.group_id = :group"
        "   AND d.publish_ms > :after_ms AND d.publish_ms <= :now)"
        " SELECT a.n, p.id, p.discussion_id, d.title, COALESCE(m.display_name, ''), p.body,"
        " p.created_hlc, (:name != '' AND instr(p.body, '@') > 0),"
        " (d.created_by = :me OR p.reply_to IN (SELECT id FROM posts WHERE group_id = :group"
        "   AND created_by = :me)),"
        " (fd.state = 'following' OR (COALESCE(fd.state, 'none') = 'none'"
        "   AND fc.state = 'following')),"
        " COALESCE(fd.state, '') = 'muted', COALESCE(d.publish_ms, 0)"
        " FROM arrived a JOIN posts p ON p.id = a.id JOIN discussions d ON d.id = p.discussion_id"
        " LEFT JOIN members m ON m.group_id = p.group_id AND m.device = p.created_by"
        " LEFT JOIN follows fd ON fd.member = :me AND fd.target_id = d.id"
        " LEFT JOIN follows fc ON fc.member = :me AND fc.target_id = d.category_id"
        " WHERE p.created_by != :me AND p.deleted = 0 AND d.deleted = 0"
        " AND (d.publish_ms IS NULL OR d.publish_ms <= :now)"
        " ORDER BY a.n DESC",
        {
            "me": me,
            "group": group_id,
            "name": name,
            "after_n": since.n,
            "after_ms": since.ms,
            "now": now_ms,
        },
    )
    found = []
    for (
        n,
        post,
        discussion,
        title,
        author,
        body,
        hlc,
        maybe,
        answered,
        followed,
        muted,
        shows,
    ) in rows:
        if maybe and mentions is not None and mentions.search(body):
            why = MENTION
        elif muted:
            continue
        elif answered:
            why = REPLY
        elif followed:
            why = FOLLOWED
        else:
            continue
        excerpt = " ".join(_MARKUP.sub("", body).split())[:160]
        unread = n > read.n or shows > read.ms
        found.append(
            Notification(group_id, post, discussion, title, author, why, excerpt, hlc, unread)
        )
        if len(found) == limit:
            break
    return found


def _mention_pattern(name: str) -> re.Pattern[str] | None:
    """ "@Ann Smith", whole: not the start of "@Ann Smithson"."""
    if not name:
        return None
    return re.compile("@" + re.escape(name) + r"(?!\w)", re.IGNORECASE)


def notifications(*, store: Store, group_id: str, limit: int = LISTED) -> list[Notification]:
    """The member's notifications, the newest first, unread ones marked."""
    now = store.clock.wall_ms()
    with store.read() as db:
        require_group(db, group_id)
        return notifications_in(db, store.device_id, group_id, now, limit=limit)


def take_new(*, store: Store, group_id: str) -> list[Notification]:
    """The notifications that arrived since this was last asked, each said once.

    The first time a group is asked about (a profile just joined, say), nothing is
    new: its whole history arriving is not news to notify of, one post at a time.
    """
    now = store.clock.wall_ms()
    with store.write() as db:
        require_group(db, group_id)
        told = _mark(db, "notified", group_id)
        _set_mark(db, "notified", group_id, now)
        if told is None:
            return []
        return notifications_in(db, store.device_id, group_id, now, after=told)


def mark_all_read(*, store: Store, group_id: str) -> None:
    now = store.clock.wall_ms()
    with store.write() as db:
        require_group(db, group_id)
        _set_mark(db, "read", group_id, now)


def unread_count(*, store: Store, group_id: str) -> int:
    """How many are unread: those that arrived, or showed, since the list was read, which
    only the posts since then are read for."""
    now = store.clock.wall_ms()
    with store.read() as db:
        require_group(db, group_id)
        read = _mark(db, "read", group_id)
        return len(notifications_in(db, store.device_id, group_id, now, after=read, limit=999))
