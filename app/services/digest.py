"""A summary of a group's week (or any stretch) for those who do not use the app: the
parish newsletter, the noticeboard. New discussions, the busiest ones, what meetings
decided, and the meetings coming up, worked out on the laptop from the group's copy.

Made to be handed round, so it holds only what any member may see and nothing of
what stays in the group: no Part II (exempt) business, no contact details, no
discussions written ahead that have not shown yet, nothing deleted.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.clock import pack
from app.services.common import require_group
from app.services.members import names_in
from app.store import Store

BUSIEST = 5
# When a post was said to the group: a discussion written ahead speaks when it shows.
_SAID = "MAX(p.created_hlc, COALESCE(d.publish_ms, 0) << 16)"
UPCOMING_DAYS = 60


@dataclass(frozen=True)
class DigestDiscussion:
    id: str
    title: str
    category: str
    started_by: str
    posts: int  # in the stretch


@dataclass(frozen=True)
class Decision:
    meeting: str
    held: str  # the meeting's start, ISO
    minute: str  # its minute number, where it has one
    text: str
    carried: bool


@dataclass(frozen=True)
class Upcoming:
    title: str
    starts_at: str  # ISO, local time
    place: str


@dataclass(frozen=True)
class Digest:
    group: str
    since: str  # ISO date, the first day
    until: str  # ISO date, the last day
    new: tuple[DigestDiscussion, ...]
    busiest: tuple[DigestDiscussion, ...]
    decisions: tuple[Decision, ...]
    upcoming: tuple[Upcoming, ...]
    posts: int  # posts in the stretch, all discussions
    people: int  # members who posted in it


def digest(*, store: Store, group_id: str, since: datetime | None = None) -> Digest:
    """The group from ``since`` (a week ago, by default) until now."""
    now = datetime.fromtimestamp(store.clock.wall_ms() / 1000)
    start = since or (now - timedelta(days=7)).replace(hour=0, minute=0, second=0, microsecond=0)
    with store.read() as db:
        require_group(db, group_id)
        return digest_in(db, group_id, start, now)


def digest_in(db: sqlite3.Connection, group_id: str, start: datetime, now: datetime) -> Digest:
    names = names_in(db, group_id)
    (group,) = db.execute("SELECT name FROM groups WHERE id = ?", (group_id,)).fetchone()
    lo, now_ms = int(start.timestamp() * 1000), int(now.timestamp() * 1000)
    shown = "(d.publish_ms IS NULL OR d.publish_ms <= :now)"
    params = {"group": group_id, "lo": pack(lo), "lo_ms": lo, "now": now_ms}
    counted = {
        r[0]: r[1]
        for r in db.execute(
            "SELECT p.discussion_id, COUNT(*) FROM posts p"
            " JOIN discussions d ON d.id = p.discussion_id"
            f" WHERE p.group_id = :group AND p.deleted = 0 AND d.deleted = 0 AND {shown}"
            f" AND {_SAID} >= :lo GROUP BY p.discussion_id",
            params,
        )
    }
    rows = db.execute(
        "SELECT d.id, d.title, COALESCE(c.name, ''), d.created_by,"
        " MAX(d.created_hlc >> 16, COALESCE(d.publish_ms, 0)) AS started"
        " FROM discussions d LEFT JOIN categories c ON c.id = d.category_id"
        f" WHERE d.group_id = :group AND d.deleted = 0 AND {shown}",
        params,
    ).fetchall()

    def seen(r: tuple[str, str, str, str, int]) -> DigestDiscussion:
        return DigestDiscussion(r[0], r[1], r[2], names.get(r[3], ""), counted.get(r[0], 0))

    new = sorted((seen(r) for r in rows if r[4] >= lo), key=lambda d: d.title.casefold())
    fresh = {d.id for d in new}
    busiest = sorted(
        (seen(r) for r in rows if r[0] in counted and r[0] not in fresh and counted[r[0]] > 1),
        key=lambda d: (-d.posts, d.title.casefold()),
    )[:BUSIEST]
    (posts, people) = db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT p.created_by) FROM posts p"
        " JOIN discussions d ON d.id = p.discussion_id"
        f" WHERE p.group_id = :group AND p.deleted = 0 AND d.deleted = 0 AND {shown}"
        f" AND {_SAID} >= :lo",
        params,
    ).fetchone()
    return Digest(
        group=group,
        since=start.date().isoformat(),
        until=now.date().isoformat(),
        new=tuple(new),
        busiest=tuple(busiest),
        decisions=_decisions(db, group_id, start, now),
        upcoming=_upcoming(db, group_id, now),
        posts=posts,
        people=people,
    )


def _decisions(
    db: sqlite3.Connection, group_id: str, start: datetime, now: datetime
) -> tuple[Decision, ...]:
    """What the group's meetings in the stretch resolved, Part II left out."""
    rows = db.execute(
        "SELECT e.title, e.starts_at, COALESCE(i.minute_number, ''), r.text, r.carried"
        " FROM resolutions r JOIN meeting_items i ON i.id = r.item_id"
        " JOIN meetings e ON e.id = i.meeting_id"
        " WHERE r.group_id = ? AND r.deleted = 0 AND i.deleted = 0 AND e.deleted = 0"
        " AND i.exempt = 0 AND e.starts_at >= ? AND e.starts_at <= ?"
        " ORDER BY e.starts_at, i.position, r.created_hlc",
        (group_id, start.isoformat(timespec="minutes"), now.isoformat(timespec="minutes")),
    )
    return tuple(Decision(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows)


def _upcoming(db: sqlite3.Connection, group_id: str, now: datetime) -> tuple[Upcoming, ...]:
    until = now + timedelta(days=UPCOMING_DAYS)
    rows = db.execute(
        "SELECT title, starts_at, place FROM meetings WHERE group_id = ? AND deleted = 0"
        " AND starts_at > ? AND starts_at <= ? ORDER BY starts_at",
        (group_id, now.isoformat(timespec="minutes"), until.isoformat(timespec="minutes")),
    )
    return tuple(Upcoming(r[0], r[1], r[2]) for r in rows)
