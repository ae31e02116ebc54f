"""The organiser's overview of a group: named people and discussions to act on, and the
group's pulse, worked out on this laptop from the group's own history.

Nothing here leaves the laptop: it reads the materialised tables and the op log, in
one read transaction, as of the laptop's clock. The lists name people, because an
organiser acts on people ("say hello to Priya"), not on ratios; each item carries the
id the window needs to open the place to act.

What the words mean, decided here once:
- *active*: a member did anything the group can see (a post, a reaction, a vote, a
  follow, a profile edit): any op of theirs in the group's log.
- *unanswered*: a discussion nobody but its starter has replied to, leaving out pinned
  notices and locked discussions, which are not asking for replies.
- *new and silent*: joined between a week and three months ago, and has never posted.
- *gone quiet*: active in the last quarter, and nothing for four weeks.
- *time to a first reply*: from a discussion's start to the first post by someone else,
  for discussions started in the last six months; the median, so one slow week does
  not hide the rest.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.clock import DAY_MS, pack, physical_ms
from app.services.common import require_group
from app.services.meetings import action_log_in
from app.services.members import names_in
from app.store import Store

WEEK_MS = 7 * DAY_MS
NEW_AFTER_MS = WEEK_MS  # a newcomer has had a week to say something
NEW_FOR_MS = 91 * DAY_MS  # after a quarter nobody is new any more
QUIET_AFTER_MS = 28 * DAY_MS
REGULAR_WITHIN_MS = 91 * DAY_MS
PULSE_WEEKS = 26
NEW_MEMBER_MONTHS = 12
OFF_TOPIC = "off-topic"  # the room every group starts with (app.services.groups)


@dataclass(frozen=True)
class Unanswered:
    id: str
    title: str
    started_by: str  # the starter's name
    started_ms: int
    category: str


@dataclass(frozen=True)
class Person:
    id: str  # the member's device
    name: str
    since_ms: int  # joined (newcomers) or last active (gone quiet)


@dataclass(frozen=True)
class OpenPoll:
    id: str
    question: str
    discussion_id: str
    voted: int
    not_voted: tuple[Person, ...]  # since_ms: when they joined


@dataclass(frozen=True)
class OverdueAction:
    id: str
    text: str
    owner: str | None
    due: str
    meeting_id: str
    meeting_title: str


@dataclass(frozen=True)
class WeekCount:
    week: str  # the Monday the week starts, ISO
    posts: int


@dataclass(frozen=True)
class MonthCount:
    month: str  # YYYY-MM
    joined: int


@dataclass(frozen=True)
class Overview:
    group_id: str
    as_of_ms: int
    members: int
    unanswered: tuple[Unanswered, ...]
    new_silent: tuple[Person, ...]
    gone_quiet: tuple[Person, ...]
    open_polls: tuple[OpenPoll, ...]
    overdue_actions: tuple[OverdueAction, ...]
    active_week: int
    active_month: int
    median_first_reply_s: float | None
    replied_discussions: int  # how many the median is taken over
    posts_per_week: tuple[WeekCount, ...]
    off_topic_share: float | None  # of the posts in the pulse's weeks; None with no posts
    new_members_per_month: tuple[MonthCount, ...]


def overview(*, store: Store, group_id: str) -> Overview:
    """The group's overview as of this laptop's clock."""
    now = store.clock.wall_ms()
    with store.read() as db:
        require_group(db, group_id)
        return overview_in(db, group_id, now)


def overview_in(db: sqlite3.Connection, group_id: str, now_ms: int) -> Overview:
    names = names_in(db, group_id)
    members = {
        r[0]: physical_ms(r[1])
        for r in db.execute(
            "SELECT device, joined_hlc FROM members WHERE group_id = ? AND role != 'removed'",
            (group_id,),
        )
    }
    last_active = _last_active(db, group_id, members)
    newcomers = [
        device
        for device, joined in members.items()
        if now_ms - NEW_FOR_MS <= joined <= now_ms - NEW_AFTER_MS
    ]

    def person(device: str, since_ms: int) -> Person:
        return Person(device, names.get(device, ""), since_ms)

    new_silent = sorted(
        (
            person(device, members[device])
            for device in newcomers
            if not _has_posted(db, group_id, device)
        ),
        key=lambda p: (p.since_ms, p.id),
    )
    gone_quiet = sorted(
        (
            person(device, last)
            for device, last in last_active.items()
            if now_ms - REGULAR_WITHIN_MS <= last < now_ms - QUIET_AFTER_MS
        ),
        key=lambda p: (p.since_ms, p.id),
    )
    first_week = _week_start(now_ms, PULSE_WEEKS - 1)
    median_wait, replied = _first_replies(db, group_id, now_ms)
    per_week, off_topic = _pulse(db, group_id, first_week, now_ms)
    return Overview(
        group_id=group_id,
        as_of_ms=now_ms,
        members=len(members),
        unanswered=_unanswered(db, group_id, now_ms, names),
        new_silent=tuple(new_silent),
        gone_quiet=tuple(gone_quiet),
        open_polls=_open_polls(db, group_id, now_ms, members, names),
        overdue_actions=_overdue(db, group_id, now_ms),
        active_week=sum(1 for t in last_active.values() if t >= now_ms - WEEK_MS),
        active_month=sum(1 for t in last_active.values() if t >= now_ms - 30 * DAY_MS),
        median_first_reply_s=median_wait,
        replied_discussions=replied,
        posts_per_week=per_week,
        off_topic_share=off_topic,
        new_members_per_month=_joined_per_month(members.values(), now_ms),
    )


def _last_active(db: sqlite3.Connection, group_id: str, members: Iterable[str]) -> dict[str, int]:
    """When each member last did anything, where they ever did.

    A device stamps its ops in the order it numbers them, so its newest op is its
    last in its chain: one index seek a member, however long the history.
    """
    last = {}
    for device in members:
        row = db.execute(
            "SELECT hlc FROM ops WHERE group_id = ? AND device = ? ORDER BY seq DESC LIMIT 1",
            (group_id, device),
        ).fetchone()
        if row is not None:
            last[device] = physical_ms(row[0])
    return last


def _has_posted(db: sqlite3.Connection, group_id: str, device: str) -> bool:
    """Whether the member ever wrote a post (a reply, or a discussion's first post)."""
    return (
        db.execute(
            "SELECT 1 FROM ops WHERE group_id = ? AND device = ? AND kind = 'post'"
            " AND action = 'create' LIMIT 1",
            (group_id, device),
        ).fetchone()
        is not None
    )


def _unanswered(
    db: sqlite3.Connection, group_id: str, now_ms: int, names: dict[str, str]
) -> tuple[Unanswered, ...]:
    # A discussion written ahead counts from when it showed, and not at all before.
    rows = db.execute(
        "SELECT d.id, d.title, d.created_by,"
        " MAX(d.created_hlc >> 16, COALESCE(d.publish_ms, 0)) AS started, COALESCE(c.name, '')"
        " FROM discussions d LEFT JOIN categories c ON c.id = d.category_id"
        " WHERE d.group_id = ? AND d.deleted = 0 AND d.pinned = 0 AND d.locked = 0"
        " AND (d.publish_ms IS NULL OR d.publish_ms <= ?)"
        " AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.discussion_id = d.id"
        "   AND p.created_by != d.created_by AND p.deleted = 0)"
        " ORDER BY started, d.id",
        (group_id, now_ms),
    )
    return tuple(Unanswered(r[0], r[1], names.get(r[2], ""), r[3], r[4]) for r in rows)


def _open_polls(
    db: sqlite3.Connection,
    group_id: str,
    now_ms: int,
    members: dict[str, int],
    names: dict[str, str],
) -> tuple[OpenPoll, ...]:
    polls = db.execute(
        "SELECT p.id, p.question, p.discussion_id FROM polls p"
        " JOIN discussions d ON d.id = p.discussion_id"
        " WHERE p.group_id = ?1 AND d.deleted = 0 AND (p.closes_ms IS NULL OR p.closes_ms > ?2)"
        " AND (d.publish_ms IS NULL OR d.publish_ms <= ?2)"
        " ORDER BY p.created_hlc, p.id",
        (group_id, now_ms),
    ).fetchall()
    voters: dict[str, set[str]] = {}
    for poll_id, member, choices in db.execute(
        "SELECT poll_id, member, choices FROM votes WHERE group_id = ?", (group_id,)
    ):
        if json.loads(choices):  # a vote taken back leaves an empty choice
            voters.setdefault(poll_id, set()).add(member)
    out = []
    for poll_id, question, discussion_id in polls:
        voted = voters.get(poll_id, set())
        missing = [
            Person(d, names.get(d, ""), joined) for d, joined in members.items() if d not in voted
        ]
        missing.sort(key=lambda p: (p.name.casefold(), p.id))
        out.append(OpenPoll(poll_id, question, discussion_id, len(voted), tuple(missing)))
    return tuple(out)


def _overdue(db: sqlite3.Connection, group_id: str, now_ms: int) -> tuple[OverdueAction, ...]:
    today = _local_date(now_ms).isoformat()
    return tuple(
        OverdueAction(
            x.action.id,
            x.action.text,
            x.action.owner,
            x.action.due or "",
            x.meeting_id,
            x.meeting_title,
        )
        for x in action_log_in(db, group_id, today)
        if x.action.overdue
    )


def _first_replies(db: sqlite3.Connection, group_id: str, now_ms: int) -> tuple[float | None, int]:
    """The median wait for a first reply, in seconds, and how many discussions had one."""
    # From when a discussion showed: one written ahead waited for nobody before then.
    waits = [
        (physical_ms(first) - started) / 1000
        for started, first in db.execute(
            "SELECT MAX(d.created_hlc >> 16, COALESCE(d.publish_ms, 0)) AS started,"
            " (SELECT MIN(p.created_hlc) FROM posts p WHERE p.discussion_id = d.id"
            "   AND p.created_by != d.created_by AND p.deleted = 0)"
            " FROM discussions d WHERE d.group_id = ? AND d.deleted = 0"
            " AND (d.publish_ms IS NULL OR d.publish_ms <= ?) AND started >= ?",
            (group_id, now_ms, now_ms - PULSE_WEEKS * WEEK_MS),
        )
        if first is not None
    ]
    return (statistics.median(waits) if waits else None), len(waits)


def _pulse(
    db: sqlite3.Connection, group_id: str, first_week: datetime, now_ms: int
) -> tuple[tuple[WeekCount, ...], float | None]:
    """Posts a week for the pulse's weeks, and the off-topic room's share of them.

    The weeks start at local midnight on Mondays (a clock change makes one an hour
    shorter or longer), so each post is put in its week by SQLite against the weeks'
    bounds, not by dividing by seven days.
    """
    starts = [first_week + timedelta(weeks=i) for i in range(PULSE_WEEKS + 1)]
    bounds = [pack(int(start.timestamp() * 1000)) for start in starts]
    week_of = " ".join(f"WHEN created_hlc < {b} THEN {i}" for i, b in enumerate(bounds[1:]))
    counts = [0] * PULSE_WEEKS
    off_topic = 0
    for week, posts, off in db.execute(
        f"SELECT CASE {week_of} END AS week, COUNT(*), SUM(discussion_id IN ("
        "   SELECT d.id FROM discussions d JOIN categories c ON c.id = d.category_id"
        "   WHERE d.group_id = ?1 AND lower(c.name) = ?4))"
        " FROM posts WHERE group_id = ?1 AND deleted = 0 AND created_hlc >= ?2"
        " AND created_hlc < ?3 AND discussion_id NOT IN ("
        "   SELECT id FROM discussions WHERE group_id = ?1"
        "   AND (deleted = 1 OR publish_ms > ?5))"  # written ahead: not yet part of the talk
        " GROUP BY week",
        (group_id, bounds[0], bounds[-1], OFF_TOPIC, now_ms),
    ):
        counts[week] = posts
        off_topic += off
    total = sum(counts)
    weeks = tuple(
        WeekCount(start.date().isoformat(), n) for start, n in zip(starts, counts, strict=False)
    )
    return weeks, (off_topic / total if total else None)


def _joined_per_month(joined: Iterable[int], now_ms: int) -> tuple[MonthCount, ...]:
    today = _local_date(now_ms)
    months = []
    year, month = today.year, today.month
    for _ in range(NEW_MEMBER_MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    counts = dict.fromkeys(reversed(months), 0)
    for ms in joined:
        key = _local_date(ms).strftime("%Y-%m")
        if key in counts:
            counts[key] += 1
    return tuple(MonthCount(k, n) for k, n in counts.items())


def _local_date(ms: int) -> date:
    return datetime.fromtimestamp(ms / 1000).date()


def _week_start(now_ms: int, weeks_back: int) -> datetime:
    """Local midnight of the Monday ``weeks_back`` weeks before this week's."""
    today = _local_date(now_ms)
    monday = today - timedelta(days=today.weekday(), weeks=weeks_back)
    return datetime(monday.year, monday.month, monday.day)
