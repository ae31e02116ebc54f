"""All an open thread shows, read in one transaction: the window and ``moot thread`` share it.

One snapshot, so the posts, polls, counts and this member's role agree with each other
even while a sync commits pages beside the read.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.common import group_of
from app.services.discussions import (
    DiscussionSummary,
    PostView,
    mark_read,
    position_in,
    posts_in,
    summary_in,
)
from app.services.follows import follows_in
from app.services.groups import CategoryView, categories_in
from app.services.members import mentionable_in, role_in
from app.services.polls import ThreadPoll, polls_in
from app.store import Store

PAGE = 50


@dataclass(frozen=True)
class ThreadContents:
    summary: DiscussionSummary
    posts: list[PostView]  # ``limit`` posts from ``offset``, oldest first
    more: bool  # posts beyond those
    polls: list[ThreadPoll]
    following: str  # this member's state for the discussion: following, muted or none
    category_following: str  # ... and for its category
    role: str
    categories: list[CategoryView]
    me: str
    names: list[str]  # who may be @mentioned


def read_thread(
    *,
    store: Store,
    discussion_id: str,
    offset: int = 0,
    limit: int = PAGE,
    focus_post: str | None = None,
) -> ThreadContents:
    """Read a thread up to ``limit`` posts (further, to reach ``focus_post``)."""
    me = store.device_id
    with store.read() as db:
        if focus_post:
            _, before = position_in(db, focus_post)
            limit = max(limit, before + 1 + PAGE // 2)
        group_id = group_of(db, "discussions", discussion_id, "discussion")
        summary = summary_in(db, me, discussion_id)
        posts = posts_in(db, me, discussion_id, offset=offset, limit=limit + 1)
        states = follows_in(db, me, group_id)
        return ThreadContents(
            summary=summary,
            posts=posts[:limit],
            more=len(posts) > limit,
            polls=polls_in(db, me, discussion_id),
            following=states.get(discussion_id, "none"),
            category_following=states.get(summary.category_id, "none"),
            role=role_in(db, group_id, me),
            categories=categories_in(db, group_id),
            me=me,
            names=mentionable_in(db, group_id),
        )


def open_thread(
    *, store: Store, discussion_id: str, limit: int = PAGE, focus_post: str | None = None
) -> ThreadContents:
    """Read a thread as the window opens it, and mark read what it shows (no more)."""
    view = read_thread(store=store, discussion_id=discussion_id, limit=limit, focus_post=focus_post)
    # Read marks are this laptop's own: the write sends nothing to the group.
    mark_read(store=store, discussion_id=discussion_id, up_to=view.summary.last_activity_hlc)
    return view
