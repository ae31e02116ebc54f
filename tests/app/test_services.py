"""The services a person uses every day, on one laptop."""

from __future__ import annotations

import json

import pytest

from app.clock import wall_ms
from app.dump import dump
from app.errors import InvalidInput, NotAllowed, NotFound
from app.services import discussions, follows, groups, notes, polls, search
from app.store import Store


@pytest.fixture
def group(store: Store) -> str:
    groups.set_my_name(store=store, name="Margaret Clerk")
    return groups.create_group(store=store, name="Little Wold Parish", description="Our village")


def test_a_new_group_starts_with_general_and_off_topic(store: Store, group: str) -> None:
    state = json.loads(dump(store=store, group_id=group))
    assert [c["name"] for c in sorted(state["categories"], key=lambda c: c["position"])] == [
        "General",
        "Off-topic",
    ]
    [summary] = groups.list_groups(store=store)
    assert (summary.name, summary.my_role) == ("Little Wold Parish", "organiser")
    assert state["members"][0]["display_name"] == "Margaret Clerk"


def test_discussions_list_pinned_first_then_by_activity(store: Store, group: str) -> None:
    a, _ = discussions.start_discussion(store=store, group_id=group, title="Bins", body="b")
    b, _ = discussions.start_discussion(store=store, group_id=group, title="Fete", body="f")
    c, _ = discussions.start_discussion(
        store=store, group_id=group, title="Cakes", body="c", category="off-topic"
    )
    discussions.reply(store=store, discussion_id=a, body="Tuesday now")
    discussions.update_discussion(store=store, discussion_id=c, pinned=True)
    listed = discussions.list_discussions(store=store, group_id=group)
    assert [d.title for d in listed] == ["Cakes", "Bins", "Fete"]
    assert listed[0].category == "Off-topic"
    assert listed[1].posts == 2
    page = discussions.list_discussions(store=store, group_id=group, offset=1, limit=1)
    assert [d.id for d in page] == [a]
    assert b in {d.id for d in listed}


def test_reply_edit_delete_and_restore(store: Store, group: str) -> None:
    disc, first = discussions.start_discussion(store=store, group_id=group, title="Hall", body="x")
    reply = discussions.reply(store=store, discussion_id=disc, body="Booked", reply_to=first)
    discussions.edit_post(store=store, post_id=reply, body="Booked for Friday")
    posts = discussions.thread(store=store, discussion_id=disc)
    assert [(p.body, p.edited, p.reply_to) for p in posts] == [
        ("x", False, None),
        ("Booked for Friday", True, first),
    ]
    discussions.delete_post(store=store, post_id=reply)
    assert len(discussions.thread(store=store, discussion_id=disc)) == 1
    discussions.restore_post(store=store, post_id=reply)
    assert len(discussions.thread(store=store, discussion_id=disc)) == 2


def test_reactions_toggle_per_member(store: Store, group: str) -> None:
    disc, post = discussions.start_discussion(store=store, group_id=group, title="Hall", body="x")
    discussions.react(store=store, post_id=post, emoji="👍")
    discussions.react(store=store, post_id=post, emoji="👍")  # twice is still one
    discussions.react(store=store, post_id=post, emoji="🎉")
    discussions.react(store=store, post_id=post, emoji="🎉", present=False)
    [view] = discussions.thread(store=store, discussion_id=disc)
    assert view.reactions == {"👍": 1}
    assert view.my_reactions == frozenset({"👍"})


def test_a_locked_discussion_takes_no_new_replies(store: Store, group: str) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="Old", body="x")
    discussions.update_discussion(store=store, discussion_id=disc, locked=True)
    with pytest.raises(NotAllowed, match="locked"):
        discussions.reply(store=store, discussion_id=disc, body="late")


def test_polls_count_one_vote_per_member(store: Store, group: str) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="Fete", body="x")
    poll = polls.create_poll(
        store=store, discussion_id=disc, question="Which day?", options=["Sat", "Sun"]
    )
    polls.vote(store=store, poll_id=poll, choices=["Sat"])
    polls.vote(store=store, poll_id=poll, choices=["2"])  # changing one's mind
    results = polls.poll_results(store=store, poll_id=poll)
    assert (results.counts, results.voters, results.my_choices) == ([0, 1], 1, [1])
    with pytest.raises(InvalidInput, match="one choice"):
        polls.vote(store=store, poll_id=poll, choices=["Sat", "Sun"])
    with pytest.raises(NotFound, match="no option 'Mon'"):
        polls.vote(store=store, poll_id=poll, choices=["Mon"])
    multi = polls.create_poll(
        store=store,
        discussion_id=disc,
        question="Stalls?",
        options=["Cakes", "Books", "Plants"],
        multiple=True,
    )
    polls.vote(store=store, poll_id=multi, choices=["Cakes", "Plants"])
    assert polls.poll_results(store=store, poll_id=multi).counts == [1, 0, 1]


def test_votes_after_a_poll_closes_do_not_count(store: Store, group: str) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="Fete", body="x")
    poll = polls.create_poll(
        store=store,
        discussion_id=disc,
        question="Now?",
        options=["Yes", "No"],
        closes_ms=wall_ms() - 1,
    )
    with pytest.raises(NotAllowed, match="closed"):
        polls.vote(store=store, poll_id=poll, choices=["Yes"])
    assert polls.poll_results(store=store, poll_id=poll).voters == 0


def test_notes_append_and_edit(store: Store, group: str) -> None:
    note = notes.create_note(store=store, group_id=group, title="Agenda", body="1. Apologies\n")
    notes.append_to_note(store=store, note_id=note, line="2. Minutes")
    notes.edit_note(store=store, note_id=note, text="1. Apologies\n2. Minutes of May\n")
    assert notes.get_note(store=store, note_id=note).text == "1. Apologies\n2. Minutes of May\n"
    notes.rename_note(store=store, note_id=note, title="June agenda")
    assert [n.title for n in notes.list_notes(store=store, group_id=group)] == ["June agenda"]
    notes.delete_note(store=store, note_id=note)
    assert notes.list_notes(store=store, group_id=group) == []


def test_search_ranks_titles_and_finds_prefixes_with_snippets(store: Store, group: str) -> None:
    d1, _ = discussions.start_discussion(
        store=store, group_id=group, title="Speeding on the B1234", body="Cars are too fast"
    )
    d2, _ = discussions.start_discussion(store=store, group_id=group, title="Fete", body="Cakes")
    discussions.reply(store=store, discussion_id=d2, body="Traffic for the fete: speeding vans")
    notes.create_note(store=store, group_id=group, title="Minutes", body="Speeding raised again")
    hits = search.search(store=store, group_id=group, query="speed")
    assert hits[0].kind == "discussion"
    assert hits[0].id == d1
    assert {h.kind for h in hits} == {"discussion", "post", "note"}
    post_hit = next(h for h in hits if h.kind == "post")
    assert post_hit.discussion_id == d2
    assert "[speeding]" in post_hit.snippet
    assert search.search(store=store, group_id=group, query='"unbalanced ( AND') == []
    assert search.search(store=store, group_id=group, query="   ") == []


def test_deleted_posts_leave_search(store: Store, group: str) -> None:
    disc, post = discussions.start_discussion(store=store, group_id=group, title="T", body="gravel")
    discussions.delete_post(store=store, post_id=post)
    assert search.search(store=store, group_id=group, query="gravel") == []
    discussions.restore_post(store=store, post_id=post)
    assert [h.id for h in search.search(store=store, group_id=group, query="gravel")] == [post]
    assert disc


def test_follow_and_unread(store: Store, group: str) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="T", body="x")
    follows.follow(store=store, target_id=disc)
    assert follows.followed(store=store, group_id=group) == {disc: "following"}
    follows.follow(store=store, target_id=disc, state="muted")
    assert follows.followed(store=store, group_id=group) == {disc: "muted"}
    discussions.mark_read(store=store, discussion_id=disc)
    assert discussions.list_discussions(store=store, group_id=group)[0].unread == 0


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (
            lambda s, g: discussions.start_discussion(store=s, group_id=g, title=" ", body="x"),
            InvalidInput,
        ),
        (
            lambda s, g: discussions.start_discussion(store=s, group_id=g, title="t", body=""),
            InvalidInput,
        ),
        (
            lambda s, g: discussions.start_discussion(
                store=s, group_id="nope", title="t", body="x"
            ),
            NotFound,
        ),
        (
            lambda s, g: discussions.start_discussion(
                store=s, group_id=g, title="t", body="x", category="Nope"
            ),
            NotFound,
        ),
        (lambda s, g: discussions.reply(store=s, discussion_id="nope", body="x"), NotFound),
        (lambda s, g: follows.follow(store=s, target_id="nope"), NotFound),
        (lambda s, g: notes.append_to_note(store=s, note_id="nope", line="x"), NotFound),
        (lambda s, g: groups.create_group(store=s, name=""), InvalidInput),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(store: Store, group: str, call, error) -> None:  # type: ignore[no-untyped-def]
    before = dump(store=store, group_id=group)
    with store.read() as db:
        ops_before = db.execute("SELECT COUNT(*) FROM ops").fetchone()[0]
    with pytest.raises(error):
        call(store, group)
    assert dump(store=store, group_id=group) == before
    with store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM ops").fetchone()[0] == ops_before


def test_many_replies_in_a_row_land_in_order(store: Store, group: str) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="T", body="x")
    for i in range(50):
        discussions.reply(store=store, discussion_id=disc, body=f"reply {i}")
    bodies = [p.body for p in discussions.thread(store=store, discussion_id=disc)]
    assert bodies == ["x", *(f"reply {i}" for i in range(50))]
