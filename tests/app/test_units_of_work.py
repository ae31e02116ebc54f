"""A service's check and its write are one transaction: what it checked cannot change first.

Each test holds another writer's transaction open (an organiser in a second window, or
a sync committing a page) while the service runs on a thread of its own; the service
must wait, then check what that writer committed, not what was there before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from app.errors import NotAllowed
from app.services import discussions, groups
from app.store import Store
from app.writer import writing


def run_meanwhile(work: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    """Start ``work`` on a thread; its result or error lands in the list."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_reply_cannot_slip_into_a_discussion_locked_meanwhile(store: Store) -> None:
    group_id = groups.create_group(store=store, name="Elm Street")
    discussion_id, _ = discussions.start_discussion(
        store=store, group_id=group_id, title="Bins", body="Tuesday?"
    )

    with writing(store) as organiser:
        organiser.emit(group_id, "discussion", discussion_id, "update", {"locked": True})
        thread, outcome = run_meanwhile(
            lambda: discussions.reply(store=store, discussion_id=discussion_id, body="Me too")
        )
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the lock's transaction to finish
    thread.join(15)

    (error,) = outcome
    assert isinstance(error, NotAllowed)
    assert "locked" in str(error)
    posts = discussions.thread(store=store, discussion_id=discussion_id)
    assert [p.body for p in posts] == ["Tuesday?"]


def test_two_categories_added_at_once_each_get_a_place_of_their_own(store: Store) -> None:
    group_id = groups.create_group(store=store, name="Elm Street")
    before = len(groups.list_categories(store=store, group_id=group_id))

    with writing(store) as other:
        other.emit(group_id, "category", "01a0", "create", {"name": "Events", "position": before})
        thread, outcome = run_meanwhile(
            lambda: groups.add_category(store=store, group_id=group_id, name="Roads")
        )
        thread.join(0.5)
        assert thread.is_alive()
    thread.join(15)

    assert not any(isinstance(o, Exception) for o in outcome), outcome
    listed = groups.list_categories(store=store, group_id=group_id)
    assert [c.name for c in listed][-2:] == ["Events", "Roads"]
    assert len({c.position for c in listed}) == len(listed)
