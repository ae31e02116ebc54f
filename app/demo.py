"""A sample parish group to explore: forty neighbours, months of talk, polls and notes.

Everything in it is a genuine signed op. Each sample member writes from a device of
their own (keys derived from the group's id: they belong to nobody), this profile's
member writes from this device, and the ops go in through ``ingest`` as a sync's
would, so the group merges, syncs and rebuilds like any other. Its stamps lie in
the past months, so it reads like a group that has been going a while.

The content is seeded: the same seed and the same profile give the same group.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app import hub_links
from app.apply import ingest
from app.clock import DAY_MS, pack, wall_ms
from app.demo_content import (
    CATEGORIES,
    CHATTER,
    EARLY_MEMBERS,
    EMOJI,
    FALLBACK_NAME,
    GROUP,
    NOTES,
    PEOPLE,
    THROWAWAY,
    TOPICS,
    YOU,
    Note,
    Topic,
)
from app.demo_content import Poll as PollSpec
from app.demo_meetings import (
    CLERK,
    MinuteText,
    approval_payloads,
    plan_meetings,
    summons_payload,
)
from app.feeds import Feed
from app.identity import DeviceIdentity
from app.ops import Op
from app.progress import Progress, quiet_if_none
from app.services import discussions
from app.services.groups import my_name
from app.store import Store
from app.text_crdt import apply_update, edit_update, render

DEMO_SEED = 2024
HOUR_MS = 60 * 60 * 1000
FOUNDED_DAYS_AGO = 120
READ_OLDER_THAN_DAYS = 30  # discussions quiet for longer than this count as read
_BATCH = 250  # ops per ingest call, so progress moves
ADDING = "Adding the sample group"


def build_demo(
    store: Store,
    *,
    progress: Progress | None = None,
    seed: int = DEMO_SEED,
    now_ms: int | None = None,
) -> str:
    """Make the sample group in ``store`` (once; a second call finds it) and return its id.

    It is made in one transaction: cancelled at any point, the profile is as it was.
    """
    progress = quiet_if_none(progress)
    now = wall_ms() if now_ms is None else now_ms
    existing = _existing_demo(store)
    if existing is not None:
        return existing
    rng = random.Random(f"{seed}:{store.device_id}")
    group_id = _uuid7_at(rng, now - FOUNDED_DAYS_AGO * DAY_MS)
    you = my_name(store=store) or FALLBACK_NAME
    plan = _Plan(rng, group_id, now, store.identity, you)
    plan.write_all()
    ops = plan.sign()
    progress.check()
    _apply(store, ops, plan, now, progress)
    store.notify({group_id})
    return group_id


def _existing_demo(store: Store) -> str | None:
    """The sample group already in this profile: its name, founded by its sample clerk."""
    with store.read() as db:
        rows = db.execute(
            "SELECT id, founder FROM groups WHERE name = ?", (GROUP["name"],)
        ).fetchall()
    for group_id, founder in rows:
        if founder == _member_identity(group_id, 0).device_id:
            return str(group_id)
    return None


def _apply(store: Store, ops: Sequence[Op], plan: _Plan, now: int, progress: Progress) -> None:
    total = len(ops)
    max_hlc = 0
    with store.write() as db:
        for start in range(0, total, _BATCH):
            progress.check()
            result = ingest(db, ops[start : start + _BATCH], sealer=store.sealer)
            if result.waiting:
                # The sample's own plan is wrong (an author writing before joining,
                # say): fail whole rather than leave a half-made group behind.
                raise RuntimeError(f"sample group ops did not apply: {result.reasons}")
            max_hlc = max(max_hlc, result.max_hlc)
            progress.report(min(start + _BATCH, total), total, ADDING)
        approvals = plan.sign_approvals(db)
        result = ingest(db, approvals, sealer=store.sealer)
        if result.waiting:
            raise RuntimeError(f"sample approvals did not apply: {result.reasons}")
        max_hlc = max(max_hlc, result.max_hlc)
        # What this device wrote waits for a hub, as its own edits always do.
        hub_links.queue(db, [op.id for op in ops if op.device == store.device_id])
        # The member has caught up with older talk; the last weeks' discussions stay unread.
        for discussion_id, last_ms in plan.last_activity.items():
            if now - last_ms > READ_OLDER_THAN_DAYS * DAY_MS:
                discussions.mark_read_in(db, discussion_id)
        progress.check()
    store.clock.observe(max_hlc)


def _uuid7_at(rng: random.Random, ms: int) -> str:
    """A UUIDv7 for the moment ``ms``, its random bits drawn from the seeded ``rng``."""
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rng.getrandbits(12) << 64
    value |= 0b10 << 62 | rng.getrandbits(62)
    hexed = f"{value:032x}"
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def _member_identity(group_id: str, index: int) -> DeviceIdentity:
    seed = hashlib.sha256(f"moot-sample-member:{group_id}:{index}".encode()).digest()
    return DeviceIdentity(Ed25519PrivateKey.from_private_bytes(seed))


@dataclass(frozen=True)
class _NoteAddition:
    """A note edit whose update is made at signing time, on the note's text by then."""

    note_id: str
    lines: str


@dataclass
class _Planned:
    ms: int
    author: str  # a name, or YOU
    kind: str
    entity: str
    action: str
    payload: dict[str, Any] | _NoteAddition | MinuteText


class _Plan:
    """Decides who writes what and when, then signs it all in time order."""

    def __init__(
        self, rng: random.Random, group_id: str, now: int, you: DeviceIdentity, your_name: str
    ) -> None:
        self.rng = rng
        self.group_id = group_id
        self.now = now
        self.your_name = your_name
        self.founder = PEOPLE[0].name
        self.founded = now - FOUNDED_DAYS_AGO * DAY_MS
        self.identities = {YOU: you}
        for i, person in enumerate(PEOPLE):
            self.identities[person.name] = _member_identity(group_id, i)
        self.events: list[_Planned] = []
        self.joined: dict[str, int] = {}
        self.categories: dict[str, str] = {}
        self.last_activity: dict[str, int] = {}
        self.starts = [self._start_of(t) for t in TOPICS]

    def _id(self, ms: int) -> str:
        return _uuid7_at(self.rng, ms)

    def _add(self, ms: int, author: str, kind: str, entity: str, action: str, payload: Any) -> None:
        self.events.append(_Planned(ms, author, kind, entity, action, payload))

    def _start_of(self, topic: Topic) -> int:
        # Mostly in the day, a little jitter so the list does not look machine-made.
        return self.now - int(topic.days_ago * DAY_MS) + self.rng.randint(-5, 5) * HOUR_MS

    def _before_now(self, ms: int) -> int:
        return min(ms, self.now - 5 * 60 * 1000)

    # --- the group and its people ---------------------------------------------------

    def write_all(self) -> None:
        self._found()
        self._admit_everyone()
        for topic, start in zip(TOPICS, self.starts, strict=True):
            self._topic(topic, start)
        self._throwaway()
        for note in NOTES:
            self._note(note)
        self._add(
            self.founded + 3 * DAY_MS,
            YOU,
            "follow",
            self.categories["Green Spaces"],
            "set",
            {"target_kind": "category", "state": "following"},
        )
        # The council's year of meetings, entered by its deputy clerk in the first weeks.
        self.meetings = plan_meetings(
            self.rng,
            self._add,
            self._id,
            self._device,
            start_ms=self.founded + 25 * DAY_MS,
            today=date.fromtimestamp(self.now / 1000),
        )

    def _found(self) -> None:
        fields = {**GROUP, "display_name": self.founder}
        self._add(self.founded, self.founder, "group", self.group_id, "create", fields)
        self.joined[self.founder] = self.founded
        for position, name in enumerate(CATEGORIES):
            ms = self.founded + (position + 1) * 60_000
            self.categories[name] = cat_id = self._id(ms)
            payload = {"name": name, "position": position}
            self._add(ms, self.founder, "category", cat_id, "create", payload)

    def _first_appearance(self) -> dict[str, int]:
        """When each person first writes in a topic, so they can join before it."""
        first: dict[str, int] = {}
        for topic, start in zip(TOPICS, self.starts, strict=True):
            names = [topic.author, *(r.author for r in topic.replies), *topic.followers]
            for name in names:
                first[name] = min(first.get(name, start), start)
        return first

    def _admit_everyone(self) -> None:
        first = self._first_appearance()
        admitted = [(YOU, "organiser", self.founded + DAY_MS)]
        late = len(PEOPLE) - EARLY_MEMBERS
        for i, person in enumerate(PEOPLE[1:], start=1):
            if i < EARLY_MEMBERS:
                at = self.founded + DAY_MS + i * (20 * DAY_MS // EARLY_MEMBERS)
            else:  # later joiners arrive over the months, before they first speak
                at = self.now - (60 - (i - EARLY_MEMBERS) * 50 // late) * DAY_MS
            if person.name in first:
                at = min(at, first[person.name] - DAY_MS)
            at += self.rng.randint(0, 8) * HOUR_MS
            admitted.append((person.name, person.role, at))
        for name, role, at in admitted:
            shown = self.your_name if name == YOU else name
            payload = {"role": role, "display_name": shown}
            self._add(at, self.founder, "member", self._device(name), "set_role", payload)
            self.joined[name] = at
        for person in PEOPLE:
            profile: dict[str, Any] = {}
            if person.bio:
                profile["bio"] = person.bio
            if person.interests:
                profile["interests"] = list(person.interests)
            if profile:
                at = self.joined[person.name] + self.rng.randint(1, 30) * HOUR_MS
                device = self._device(person.name)
                self._add(at, person.name, "member", device, "update", profile)

    def _device(self, name: str) -> str:
        return self.identities[name].device_id

    def _someone(self, at: int, *, not_: str = "") -> str:
        """A member who had joined by ``at``; the keenest speak up most.

        Never this profile's member: what they said is written out in the topics.
        """
        names = [n for n, t in self.joined.items() if t < at and n not in (not_, YOU)]
        weights = [1.0 / (1 + i) ** 0.6 for i in range(len(names))]
        return self.rng.choices(names, weights)[0]

    # --- discussions -----------------------------------------------------------------

    def _topic(self, topic: Topic, start: int) -> None:
        discussion_id = self._id(start)
        payload = {"title": topic.title, "category_id": self.categories[topic.category]}
        self._add(start, topic.author, "discussion", discussion_id, "create", payload)
        posts = [self._post(start + 1000, topic.author, discussion_id, topic.body, None)]
        curated = [posts[0]]
        times = self._reply_times(start, len(topic.replies) + topic.extra)
        order = [True] * len(topic.replies) + [False] * topic.extra
        self.rng.shuffle(order)
        # Curated replies keep their order: only the chatter moves between them.
        replies = iter(topic.replies)
        author = topic.author
        for at, is_curated in zip(times, order, strict=True):
            if is_curated:
                reply = next(replies)
                to = None if reply.to is None else curated[reply.to]
                post = self._post(at, reply.author, discussion_id, reply.body, to)
                curated.append(post)
                if reply.edited:
                    edit = {"body": reply.edited}
                    self._add(at + HOUR_MS, reply.author, "post", post, "update", edit)
                author = reply.author
            else:
                author = self._someone(at, not_=author)
                to = self.rng.choice(posts) if self.rng.random() < 0.3 else None
                post = self._post(at, author, discussion_id, self.rng.choice(CHATTER), to)
            posts.append(post)
        last = times[-1] if times else start
        self.last_activity[discussion_id] = last
        if topic.poll:
            self._poll(topic.poll, topic.author, discussion_id, start, last)
        self._moderate(topic, discussion_id, start, last)
        for name in topic.followers:
            at = max(start, self.joined[name]) + 2 * HOUR_MS
            follow = {"target_kind": "discussion", "state": "following"}
            self._add(self._before_now(at), name, "follow", discussion_id, "set", follow)

    def _reply_times(self, start: int, count: int) -> list[int]:
        room = self._before_now(self.now - HOUR_MS) - start
        gaps = [self.rng.expovariate(1 / (7 * HOUR_MS)) + 10 * 60_000 for _ in range(count)]
        scale = min(1.0, 0.9 * room / max(sum(gaps), 1))
        times, at = [], start + 60_000
        for gap in gaps:
            at += int(gap * scale) + 1000
            times.append(at)
        return times

    def _post(self, at: int, author: str, discussion_id: str, body: str, to: str | None) -> str:
        post_id = self._id(at)
        payload: dict[str, Any] = {"discussion_id": discussion_id, "body": body}
        if to is not None:
            payload["reply_to"] = to
        self._add(at, author, "post", post_id, "create", payload)
        self._react(at, author, post_id)
        return post_id

    def _react(self, at: int, author: str, post_id: str) -> None:
        count = self.rng.choices((0, 1, 2, 3, 5, 8), (40, 25, 15, 10, 6, 4))[0]
        reactors: set[tuple[str, str]] = set()
        for _ in range(count):
            when = self._before_now(at + int(self.rng.expovariate(1 / (5 * HOUR_MS))) + 60_000)
            who = self._someone(when, not_=author)
            emoji = self.rng.choice(EMOJI)
            if (who, emoji) in reactors or when <= at:
                continue
            reactors.add((who, emoji))
            self._add(when, who, "reaction", post_id, "set", {"emoji": emoji, "present": True})

    def _poll(self, poll: PollSpec, author: str, discussion_id: str, start: int, last: int) -> None:
        at = start + 2 * 60_000
        poll_id = self._id(at)
        payload = {
            "discussion_id": discussion_id,
            "question": poll.question,
            "options": list(poll.options),
            "multiple": poll.multiple,
        }
        self._add(at, author, "poll", poll_id, "create", payload)
        voters = [n for n, joined in self.joined.items() if joined < at]
        # This member has voted in the older polls; the newest waits for them.
        if self.now - start < 35 * DAY_MS:
            voters.remove(YOU)
        chosen = self.rng.sample(voters, min(poll.voters, len(voters)))
        span = max(last - at, HOUR_MS)
        options = range(len(poll.options))
        for name in chosen:
            picks = {self.rng.choices(options, poll.weights)[0]}
            if poll.multiple and self.rng.random() < 0.4:
                picks.add(self.rng.choices(options, poll.weights)[0])
            when = self._before_now(at + 60_000 + int(self.rng.random() * span))
            self._add(when, name, "vote", poll_id, "set", {"choices": sorted(picks)})

    def _moderate(self, topic: Topic, discussion_id: str, start: int, last: int) -> None:
        if topic.pinned:
            at = start + 30 * 60_000
            self._add(at, self.founder, "discussion", discussion_id, "update", {"pinned": True})
        if topic.resolved:
            at = self._before_now(last + 2 * HOUR_MS)
            self._add(at, topic.author, "discussion", discussion_id, "update", {"resolved": True})

    def _throwaway(self) -> None:
        """A test post the founder tidied away: what 'Recently deleted' is for."""
        start = self._start_of(THROWAWAY)
        discussion_id = self._id(start)
        payload = {"title": THROWAWAY.title, "category_id": self.categories[THROWAWAY.category]}
        self._add(start, THROWAWAY.author, "discussion", discussion_id, "create", payload)
        self._post(start + 1000, THROWAWAY.author, discussion_id, THROWAWAY.body, None)
        at = start + 20 * 60_000
        self._add(at, self.founder, "discussion", discussion_id, "update", {"deleted": True})

    # --- notes -----------------------------------------------------------------------

    def _note(self, note: Note) -> None:
        at = self.now - int(note.days_ago * DAY_MS)
        note_id = self._id(at)
        written = {"title": note.title, "text": note.text}
        self._add(at, note.author, "note", note_id, "create", written)
        for author, lines in note.additions:
            at = self._before_now(at + self.rng.randint(1, 20) * DAY_MS)
            self._add(at, author, "note", note_id, "edit", _NoteAddition(note_id, lines))

    # --- signing ---------------------------------------------------------------------

    def sign(self) -> list[Op]:
        """Sign every planned op in time order, each author's ops chained on their feed."""
        self.feeds = {n: Feed(identity, self.group_id) for n, identity in self.identities.items()}
        texts: dict[str, bytes] = {}  # note and minute bodies as they stand
        ops: list[Op] = []
        self.last_ms = 0
        for event in sorted(self.events, key=lambda e: e.ms):
            ops.append(self._sign(event, texts))
        return ops

    def _sign(self, event: _Planned, texts: dict[str, bytes]) -> Op:
        self.last_ms = max(event.ms, self.last_ms + 1)  # one op per millisecond: no ties
        feed = self.feeds[event.author]
        payload = self._payload(event, feed.device, texts)
        op = feed.sign(
            hlc=pack(self.last_ms),
            kind=event.kind,
            entity=event.entity,
            action=event.action,
            payload=payload,
            op_id=None if event.action == "create" else self._id(self.last_ms),
        )
        if "update" in payload:
            texts[event.entity] = apply_update(texts.get(event.entity), payload["update"])
        return op

    def sign_approvals(self, db: sqlite3.Connection) -> list[Op]:
        """Each past meeting approved at the next and signed by the chair, as it stands."""
        ops = []
        for meeting_id, payload in approval_payloads(db, self.meetings):
            at = self.last_ms + 1
            ops.append(
                self._sign(_Planned(at, CLERK, "meeting", meeting_id, "approve", payload), {})
            )
            (when,) = db.execute(
                "SELECT starts_at FROM meetings WHERE id = ?", (payload["at"],)
            ).fetchone()
            signed = {"chair": self.meetings.chair, "signed_at": f"{when[:10]}T21:00"}
            ops.append(
                self._sign(_Planned(at + 1, CLERK, "meeting", meeting_id, "sign", signed), {})
            )
        today = date.fromtimestamp(self.now / 1000)
        summons = summons_payload(db, self.meetings, today)
        upcoming = self.meetings.upcoming
        ops.append(
            self._sign(
                _Planned(self.last_ms + 1, CLERK, "meeting", upcoming, "summon", summons), {}
            )
        )
        return ops

    @staticmethod
    def _payload(event: _Planned, device: str, notes: dict[str, bytes]) -> dict[str, Any]:
        """The op's payload; note and minute text becomes the CRDT update that writes it."""
        if isinstance(event.payload, MinuteText):
            state = notes.get(event.payload.item_id)
            return {"update": edit_update(state, event.payload.text, device=device)}
        if isinstance(event.payload, _NoteAddition):
            state = notes[event.payload.note_id]
            text = render(state) + event.payload.lines
            return {"update": edit_update(state, text, device=device)}
        if event.kind == "note" and event.action == "create":
            title, text = event.payload["title"], event.payload["text"]
            return {"title": title, "update": edit_update(None, text, device=device)}
        return event.payload
