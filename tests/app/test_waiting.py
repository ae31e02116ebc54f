"""Ops that wait take effect exactly when what they wait for arrives, and not before.

Replies delivered before their discussions, profile changes before their member's
admission, an outsider's words before an invitation: each freed by its own arrival,
whatever else is waiting, and still after a profile from before waits were indexed is
migrated.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from app import migrate
from app.dump import dump
from app.services import discussions, groups, members
from app.settings import DB_FILE
from app.store import Store, open_store
from tests.support import deliver, ops_of

MakeStore = Callable[[str], Store]


def _waiting(store: Store) -> int:
    with store.read() as db:
        return int(db.execute("SELECT COUNT(*) FROM ops WHERE state = 0").fetchone()[0])


def _threads(store: Store, group_id: str) -> dict[str, int]:
    return {
        d.title: d.posts
        for d in discussions.list_discussions(store=store, group_id=group_id, limit=100)
    }


def test_each_waiting_reply_takes_effect_when_its_own_discussion_arrives(
    make_store: MakeStore,
) -> None:
    founder, member, late = make_store("founder"), make_store("member"), make_store("late")
    group_id = groups.create_group(store=founder, name="Ashby Parish")
    members.admit(store=founder, group_id=group_id, device=member.device_id)
    deliver(ops_of(founder), member)
    titles = [f"Lane {i}" for i in range(12)]
    for title in titles:
        d, _ = discussions.start_discussion(store=member, group_id=group_id, title=title, body="?")
        discussions.reply(store=member, discussion_id=d, body="Yes")
    log = ops_of(member)
    openings = {op.id: op for op in log if (op.kind, op.action) == ("discussion", "create")}
    rest = [op for op in log if op.id not in openings]
    deliver(rest, late)  # the founding and admission, then every post: all posts wait
    assert _waiting(late) == 2 * len(titles)
    assert _threads(late, group_id) == {}

    order = list(openings.values())
    random.Random(3).shuffle(order)
    for i, opening in enumerate(order, start=1):
        deliver([opening], late)
        shown = _threads(late, group_id)
        assert len(shown) == i
        assert shown[opening.fields["title"]] == 2
        assert _waiting(late) == 2 * (len(titles) - i)
    assert dump(store=late, group_id=group_id) == dump(store=member, group_id=group_id)


def test_an_outsiders_words_and_profile_wait_for_their_admission(make_store: MakeStore) -> None:
    founder, newcomer, other = make_store("founder"), make_store("newcomer"), make_store("other")
    group_id = groups.create_group(store=founder, name="Ashby Parish")
    d, _ = discussions.start_discussion(store=founder, group_id=group_id, title="Bins", body="?")
    invitation = members.create_invitation(store=founder, group_id=group_id)
    deliver(ops_of(founder), newcomer)
    members.redeem_invitation(store=newcomer, invitation=invitation)
    discussions.reply(store=newcomer, discussion_id=d, body="Tuesdays, I think")
    members.update_profile(store=newcomer, group_id=group_id, bio="New to the village")

    redeem = [op for op in ops_of(newcomer) if (op.kind, op.action) == ("invite", "redeem")]
    words = [op for op in ops_of(newcomer) if op.device == newcomer.device_id and op not in redeem]
    deliver(ops_of(founder), other)
    deliver(words, other)
    assert _threads(other, group_id) == {"Bins": 1}
    deliver(redeem, other)
    assert _threads(other, group_id) == {"Bins": 2}
    assert _waiting(other) == 0
    bios = {m.device: m.bio for m in members.list_members(store=other, group_id=group_id)}
    assert bios[newcomer.device_id] == "New to the village"


def test_ops_waiting_in_a_profile_from_before_still_take_effect_once_it_is_migrated(
    make_store: MakeStore, tmp_path: Path
) -> None:
    member = make_store("member")
    old = open_store(tmp_path / "old", use_keyring=False)
    group_id = groups.create_group(store=member, name="Ashby Parish")
    d, _ = discussions.start_discussion(store=member, group_id=group_id, title="Bins", body="?")
    reply = discussions.reply(store=member, discussion_id=d, body="Tuesdays")
    opening = [op for op in ops_of(member) if op.id == d]
    deliver([op for op in ops_of(member) if op.id != d], old)
    assert _waiting(old) == 2
    old.close()

    # The profile as it was before waits were indexed: the table and its rows gone.
    engine = create_engine(f"sqlite:///{tmp_path / 'old' / DB_FILE}")
    with engine.connect() as conn:
        command.downgrade(migrate.alembic_config(conn), "0006")
        conn.commit()
    engine.dispose()

    reopened = open_store(tmp_path / "old", use_keyring=False)
    try:
        deliver(opening, reopened)
        assert _waiting(reopened) == 0
        posts = discussions.thread(store=reopened, discussion_id=d)
        assert [(p.id, p.body) for p in posts][-1] == (reply, "Tuesdays")
    finally:
        reopened.close()
