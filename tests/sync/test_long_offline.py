"""A laptop back after months offline brings its work without undoing what happened meanwhile.

Ann and Bob share a group on a hub. Bob stops syncing; for the months that follow (the
laptops' clocks are moved, so the stamps are months apart, and the hub is never ahead of
them) Ann deletes discussions, a post and a note, moves a discussion to another
category, renames one, and removes a member. Offline, Bob replies in the deleted and
the moved discussions, edits his deleted post, renames his own deleted discussion,
writes in the deleted note and in a live one. Then Bob syncs (through the hub, and
separately by bundle files), and Cat joins afterwards.

What the merge rules promise (app/kinds/discussions.py, notes.py, members.py): an edit
sets only the fields it names, so a rename, a reply or a note edit never brings a
deleted thing back (only a restore does); a move sets the category and nothing else
does; a removed member's changes after the removal count for nothing. So: deleted stays
deleted on Ann's, Bob's and Cat's laptops; the move sticks; Bob's edits to live things
are kept; his replies into a deleted discussion are kept in it, hidden with it, and do
not revive it; and all three laptops' ``app.dump`` agree.

``MOOT_OFFLINE_EXAMPLES`` sets how many times the story runs per transport, each with
the offline months and Bob's order of work drawn afresh (CI: 8; the soak:
``MOOT_OFFLINE_EXAMPLES=200``).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.dump import dump
from app.services import discussions, groups, members, notes
from app.store import Store
from sync import hubs
from sync.bundle import export_bundle, import_bundle
from sync.engine import sync_group
from sync.errors import NotPermitted
from tests.hubs import sqlite_hub
from tests.world_clock import DAY_MS, Laptop, World, hub_says

EXAMPLES = int(os.environ.get("MOOT_OFFLINE_EXAMPLES", "8"))
MakeStore = Callable[[str], Store]


def _state(store: Store, group: str) -> dict[str, Any]:
    return dict(json.loads(dump(store=store, group_id=group)))


def _row(state: dict[str, Any], table: str, row_id: str) -> dict[str, Any]:
    [row] = [r for r in state[table] if r["id"] == row_id]
    return dict(row)


class Story:
    """The group's life; ``transport`` is how Bob and Cat meet the others: hub or bundle."""

    def __init__(
        self, make_store: MakeStore, folder: Path, transport: str, rnd: random.Random
    ) -> None:
        self.world = World(folder)
        self.folder, self.transport, self.rnd = folder, transport, rnd
        self.hub_url = self.hub_db = ""
        start = -rnd.randint(120, 240) * DAY_MS  # the story begins months ago
        self.ann = Laptop("Ann", make_store("ann"), self.world, start)
        self.bob = Laptop("Bob", make_store("bob"), self.world, start)
        self.dan = Laptop("Dan", make_store("dan"), self.world, start)
        self.cat = Laptop("Cat", make_store("cat"), self.world, 0)

    def meet(self, laptop: Laptop) -> None:
        """The laptop and Ann exchange everything (Ann is the hub's, or the stick's, centre)."""
        if self.transport == "hub":
            sync_group(laptop.store, self.group)
            sync_group(self.ann.store, self.group)
            sync_group(laptop.store, self.group)
            return
        stick = self.folder / "stick.moot"
        export_bundle(store=laptop.store, group_id=self.group, path=stick)
        import_bundle(store=self.ann.store, path=stick)
        export_bundle(store=self.ann.store, group_id=self.group, path=stick)
        import_bundle(store=laptop.store, path=stick)

    def begin(self) -> None:
        ann = self.ann.store
        for laptop in (self.ann, self.bob, self.dan, self.cat):
            groups.set_my_name(store=laptop.store, name=laptop.name)
        self.group = groups.create_group(store=ann, name="Parish")
        self.archive = groups.add_category(store=ann, group_id=self.group, name="Archive")
        if self.transport == "hub":
            for laptop in (self.bob, self.dan):
                members.admit(store=ann, group_id=self.group, device=laptop.store.device_id)
            code = str(hub_says(self.hub_db, "registration-code")["code"])
            hubs.connect_hub(store=ann, group_id=self.group, hub_url=self.hub_url, code=code)
            for laptop in (self.bob, self.dan):
                hubs.enrol_hub(store=laptop.store, group_id=self.group, hub_url=self.hub_url)
        else:
            for laptop in (self.bob, self.dan):
                invite = self.folder / f"invite-{laptop.name}.moot"
                export_bundle(store=ann, group_id=self.group, path=invite, invite_role="member")
                import_bundle(store=laptop.store, path=invite)
                self.meet(laptop)
        self.gone, _ = discussions.start_discussion(
            store=ann, group_id=self.group, title="Old hedge", body="Cut it?"
        )
        self.moved, _ = discussions.start_discussion(
            store=ann, group_id=self.group, title="Bench", body="Where?"
        )
        self.live, _ = discussions.start_discussion(
            store=ann, group_id=self.group, title="Fete", body="June"
        )
        self.old_note = notes.create_note(store=ann, group_id=self.group, title="Old", body="a\n")
        self.live_note = notes.create_note(store=ann, group_id=self.group, title="Rota", body="")
        self.meet(self.bob)
        self.meet(self.dan)
        bob = self.bob.store
        self.bobs, _ = discussions.start_discussion(
            store=bob, group_id=self.group, title="Dog bins", body="More please"
        )
        self.bobs_post = discussions.reply(store=bob, discussion_id=self.live, body="I'll help")
        discussions.reply(store=self.dan.store, discussion_id=self.live, body="Me too")
        self.meet(self.dan)
        self.meet(self.bob)

    def months_apart(self) -> None:
        """Ann works for weeks; Bob, offline, works months later, in an order of his own."""
        ann, bob, rnd = self.ann.store, self.bob.store, self.rnd
        self.ann.offset += rnd.randint(5, 30) * DAY_MS
        discussions.update_discussion(store=ann, discussion_id=self.gone, deleted=True)
        discussions.update_discussion(store=ann, discussion_id=self.bobs, deleted=True)
        discussions.delete_post(store=ann, post_id=self.bobs_post)
        discussions.update_discussion(store=ann, discussion_id=self.moved, category="Archive")
        discussions.update_discussion(store=ann, discussion_id=self.live, title="Summer fete")
        notes.delete_note(store=ann, note_id=self.old_note)
        members.remove_member(store=ann, group_id=self.group, device=self.dan.store.device_id)
        # Dan writes after his removal: it counts for nothing, however it travels.
        self.dan.offset = self.ann.offset + DAY_MS
        self.dan_after = discussions.reply(store=self.dan.store, discussion_id=self.live, body="x")
        if self.transport == "hub":
            with pytest.raises(NotPermitted, match="removed"):
                self.meet(self.dan)
        else:
            self.meet(self.dan)
        work: list[Callable[[], object]] = [
            lambda: discussions.reply(store=bob, discussion_id=self.gone, body="Into the gone"),
            lambda: discussions.reply(store=bob, discussion_id=self.moved, body="By the pond"),
            lambda: discussions.reply(store=bob, discussion_id=self.live, body="Cakes from me"),
            lambda: discussions.edit_post(store=bob, post_id=self.bobs_post, body="Edited"),
            lambda: discussions.update_discussion(
                store=bob, discussion_id=self.bobs, title="Dog bins (again)"
            ),
            lambda: notes.append_to_note(store=bob, note_id=self.old_note, line="b"),
            lambda: notes.rename_note(store=bob, note_id=self.old_note, title="Old, renamed"),
            lambda: notes.append_to_note(store=bob, note_id=self.live_note, line="Sat: Bob"),
        ]
        rnd.shuffle(work)
        for job in work:
            self.bob.offset += rnd.randint(1, 40) * DAY_MS // 4
            job()
        # Back to now; the hub's clock never lags the stamps it is sent.
        self.ann.put_clock_right()
        self.bob.put_clock_right()

    def come_back(self) -> None:
        self.meet(self.bob)
        self.meet(self.bob)  # what Ann took from Bob goes back round
        if self.transport == "hub":
            code = str(hub_says(self.hub_db, "invite", self.group)["code"])
            hubs.join_hub(store=self.cat.store, hub_url=self.hub_url, code=code)
        else:
            invite = self.folder / "cat.moot"
            export_bundle(
                store=self.ann.store, group_id=self.group, path=invite, invite_role="member"
            )
            import_bundle(store=self.cat.store, path=invite)
            self.meet(self.cat)
        self.meet(self.bob)

    def check(self) -> dict[str, int]:
        laptops = (self.ann, self.bob, self.cat)
        dumps = {dump(store=lap.store, group_id=self.group) for lap in laptops}
        assert len(dumps) == 1, "Ann, Bob and Cat disagree"
        resurrected = 0
        for laptop in laptops:
            store, state = laptop.store, _state(laptop.store, self.group)
            shown = {d.id for d in discussions.list_discussions(store=store, group_id=self.group)}
            resurrected += len({self.gone, self.bobs} & shown)
            assert self.gone not in shown
            assert self.bobs not in shown
            assert _row(state, "discussions", self.gone)["deleted"]
            assert _row(state, "discussions", self.bobs)["title"] == "Dog bins (again)"
            assert _row(state, "posts", self.bobs_post) | {"deleted": True, "body": "Edited"} == (
                _row(state, "posts", self.bobs_post)
            )
            listed = {n.id for n in notes.list_notes(store=store, group_id=self.group)}
            assert self.old_note not in listed
            assert self.live_note in listed
            assert _row(state, "notes", self.old_note)["deleted"]
            assert _row(state, "discussions", self.moved)["category_id"] == self.archive
            assert _row(state, "discussions", self.live)["title"] == "Summer fete"
            bodies = {p["body"]: p for p in state["posts"]}
            for body in ("Into the gone", "By the pond", "Cakes from me"):
                assert body in bodies, f"Bob's reply {body!r} was lost"
            assert bodies["Into the gone"]["discussion_id"] == self.gone
            assert "Sat: Bob" in notes.get_note(store=store, note_id=self.live_note).text
            assert self.dan_after not in {p["id"] for p in state["posts"]}
            roles = {
                m.device: m.role for m in members.list_members(store=store, group_id=self.group)
            }
            assert roles.get(self.dan.store.device_id, "removed") == "removed"
        return {"resurrected": resurrected, "laptops": len(laptops)}


def _run(story: Story) -> dict[str, int]:
    story.begin()
    story.months_apart()
    story.come_back()
    return story.check()


@pytest.mark.parametrize("transport", ["hub", "bundle"])
def test_a_laptop_back_after_months_brings_nothing_deleted_back_to_life(
    transport: str, make_store: MakeStore, tmp_path: Path, record_property: Any
) -> None:
    totals = {"resurrected": 0, "diverged": 0}
    hub_folder = tmp_path / "hub"
    hub_folder.mkdir()
    with sqlite_hub(hub_folder) if transport == "hub" else _no_hub() as (url, db):
        for n in range(EXAMPLES):
            folder = tmp_path / f"story-{n}"
            folder.mkdir()
            rnd = random.Random(n)
            story = Story(_named(make_store, n), folder, transport, rnd)
            story.hub_url, story.hub_db = url, db
            totals["resurrected"] += _run(story)["resurrected"]
    record_property("count", EXAMPLES)
    record_property("unit", "stories")
    record_property("resurrected", totals["resurrected"])
    record_property("diverged", totals["diverged"])
    record_property("lost", 0)


def _named(make_store: MakeStore, n: int) -> MakeStore:
    return lambda name: make_store(f"{name}-{n}")


class _no_hub:
    def __enter__(self) -> tuple[str, str]:
        return "", ""

    def __exit__(self, *_exc: object) -> None:
        return None
