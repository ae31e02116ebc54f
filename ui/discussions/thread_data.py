"""All an open thread shows, read in one go on a worker (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass

from app.services import discussions, follows, groups, members, polls
from app.services.discussions import DiscussionSummary, PostView
from app.services.groups import CategoryView
from app.services.polls import ThreadPoll
from app.store import Store

PAGE = 50


@dataclass(frozen=True)
class ThreadData:
    summary: DiscussionSummary
    posts: list[PostView]  # the first ``limit`` posts, oldest first
    more: bool  # posts beyond those
    polls: list[ThreadPoll]
    following: str  # this member's state for the discussion: following, muted or none
    category_following: str  # ... and for its category
    role: str
    categories: list[CategoryView]
    me: str


def load_thread(
    *, store: Store, group_id: str, discussion_id: str, limit: int, focus_post: str | None = None
) -> ThreadData:
    """Read a thread up to ``limit`` posts (further, to reach ``focus_post``); mark it read."""
    if focus_post:
        _, before = discussions.post_position(store=store, post_id=focus_post)
        limit = max(limit, before + 1 + PAGE // 2)
    summary = discussions.get_discussion(store=store, discussion_id=discussion_id)
    posts = discussions.thread(store=store, discussion_id=discussion_id, limit=limit + 1)
    states = follows.followed(store=store, group_id=group_id)
    data = ThreadData(
        summary=summary,
        posts=posts[:limit],
        more=len(posts) > limit,
        polls=polls.polls_in_discussion(store=store, discussion_id=discussion_id),
        following=states.get(discussion_id, "none"),
        category_following=states.get(summary.category_id, "none"),
        role=members.my_role(store=store, group_id=group_id),
        categories=groups.list_categories(store=store, group_id=group_id),
        me=store.device_id,
    )
    # Read marks are this laptop's own: the write sends nothing to the group.
    discussions.mark_read(store=store, discussion_id=discussion_id)
    return data
