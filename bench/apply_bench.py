"""How fast a profile takes in a group's history, and how fast one local reply lands.

Run from the repository root:

    .venv/bin/python -m bench.apply_bench [--ops 100000] [--devices 40] [--profile]

It builds one group's history outside every timing: device 0 founds the group, makes
categories and admits the other devices, who then start discussions, write posts and
replies, react, edit, open polls and vote. Every op is signed with the project's own
``sign_op`` and chained per device, with increasing hybrid-clock stamps over the last
two months. Then it times, and prints:

- applying all ops to a fresh profile the way a bundle import does (full chain,
  signature and schema checks, materialising, search indexing, commit), as one
  ``ingest`` call and as batches, in one transaction and in one per batch;
- two baselines in the same run: raw ``sqlite3`` ``executemany`` of the equivalent
  rows, and checking every signature one by one;
- the latency of single local replies, on a small profile and on the full one;
- with ``--profile``, where an apply spends its time (cProfile).

It prints figures and never fails on time; it exits non-zero only if the applied
state is wrong (ops left waiting, rows missing, search finding nothing).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import math
import pstats
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.apply import IngestResult, ingest
from app.clock import DAY_MS, pack, wall_ms
from app.feeds import Feed
from app.identity import DEVICE_KEY_NAME, DeviceIdentity, load_or_create
from app.ids import new_group_id, uuid7
from app.keystore import key_path
from app.ops import Op, verify_signature
from app.services import discussions, groups
from app.services.search import search
from app.store import Store, open_store

GOAL_OPS_PER_S = 20_000
GOAL_REPLY_MEDIAN_MS = 5.0
SEARCH_WORD = "defibrillator"
REPO_ROOT = Path(__file__).resolve().parent.parent

# --- realistic text -------------------------------------------------------------

PLACES = (
    "the village hall",
    "Church Lane",
    "the allotments",
    "Mill Road",
    "the recreation ground",
    "the bus shelter on High Street",
    "the library",
    "Orchard Close",
    "the primary school",
    "the war memorial",
    "the pond",
    "the Station Road car park",
)
NAMES = (
    "Margaret",
    "Tom",
    "Priya",
    "Dave",
    "Helen",
    "Ahmed",
    "Siobhan",
    "Gareth",
    "Wendy",
    "Raj",
    "Linda",
    "Pete",
    "Olu",
    "Beata",
)
SURNAMES = ("Hughes", "Patel", "O'Connor", "Evans", "Nowak", "Okafor", "Clarke", "Reid")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "the 14th")
THINGS = (
    "the defibrillator",
    "the speed signs",
    "the litter bins",
    "the hanging baskets",
    "the grit bin",
    "the noticeboard",
    "the bench by the pond",
    "the Christmas lights",
    "the footpath signs",
    "the planters",
    "the play equipment",
    "the streetlight",
)
SENTENCES = (
    "Has anyone else noticed that {thing} near {place} needs looking at again?",
    "I walked past {place} on {day} and {thing} was in a sorry state.",
    "{name} said she would ring the county council about {thing} this week.",
    "Could we put {thing} on the agenda for the next meeting, please?",
    "Thanks {name}, that is really helpful and I agree with every word.",
    "The quote we had for {thing} was about £{num}, which seems steep to me.",
    "I can help on {day} morning if someone brings the keys to {place}.",
    "We tried this two years ago and the grant came through in the end.",
    "Just to say the minutes from last month are now on the noticeboard.",
    "My neighbour has offered to look after {thing} over the summer.",
    "Is there a risk assessment for the work at {place}? The insurers will ask.",
    "I'd suggest we get at least three quotes before deciding anything.",
    "The volunteers did a brilliant job clearing {place} on {day}.",
    "Parking outside {place} has got worse since the new houses went up.",
    "{name} from the school asked whether the children could help with {thing}.",
    "Can we check the budget line for {thing} before we commit to it?",
    "The footpath from {place} to the church is very muddy after the rain.",
    "I've emailed the clerk with photos of {thing}; they should arrive today.",
    "Let's not forget the litter pick starts at ten on {day} from {place}.",
    "We need {num} more volunteers for the fun day, so please ask around.",
    "Good point. I had not thought about access for wheelchairs and buggies.",
    "The highways team say {thing} is on their list but gave no date.",
    "Would anyone object if we moved the meeting to {place} next time?",
    "I've put my name down for the rota; {day} evenings suit me best.",
    "The last survey had {num} replies, so people clearly care about this.",
    "A quick reminder that the deadline for comments is {day}.",
    "Sorry I missed the last meeting, I was at my daughter's in Leeds.",
    "Does anybody know who owns the hedge along {place}? It blocks the path.",
    "The training for the defibrillator is free and takes about two hours.",
    "I'm happy to draft a letter, but someone should check my spelling!",
    "Perhaps {name} could share the figures so we can all see them?",
    "The new bins at {place} have made a real difference, well done all.",
    "There is a planning application in for the field behind {place}.",
    "We should thank the {num} households who sent in their photos.",
    "Agreed. Let's vote on it properly rather than go round in circles.",
    "Could the organisers pin this so new members can find it?",
)
TITLES = (
    "{thing} at {place}",
    "Volunteers needed for {place} on {day}",
    "Quotes for {thing}",
    "Parking near {place}",
    "Ideas for the summer fun day",
    "Minutes and actions from the last meeting",
    "Planning application behind {place}",
    "Grant bid for {thing}",
    "Litter pick on {day}",
    "Welcome to new members",
    "Footpaths and hedges around {place}",
    "Budget for next year",
)
CATEGORIES = ("General", "Planning", "Events", "Maintenance", "Off-topic")
POLL_QUESTIONS = (
    ("Which day suits the litter pick?", ["Saturday morning", "Sunday afternoon", "Either"]),
    ("Should we apply for the grant?", ["Yes", "No", "Need more information"]),
    ("Where should the next meeting be?", ["Village hall", "Library", "Online"]),
)
EMOJI = ("👍", "👍", "👍", "❤️", "🎉", "😄", "🙏")


class Prose:
    """Varied English bodies and titles, 100–400 characters, from a seeded source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            place=rng.choice(PLACES),
            name=rng.choice(NAMES),
            day=rng.choice(DAYS),
            thing=rng.choice(THINGS),
            num=rng.randint(3, 950),
        )

    def body(self) -> str:
        target = self.rng.randint(100, 400)
        text = self._fill(self.rng.choice(SENTENCES))
        while len(text) < target:
            more = f"{text} {self._fill(self.rng.choice(SENTENCES))}"
            if len(more) > 400:
                break
            text = more
        return text

    def title(self) -> str:
        title = self._fill(self.rng.choice(TITLES))
        return title[0].upper() + title[1:]

    def person(self) -> str:
        return f"{self.rng.choice(NAMES)} {self.rng.choice(SURNAMES)}"


# --- the workload -----------------------------------------------------------------


@dataclass
class Expected:
    """What the applied state must hold, counted while the ops are made."""

    kinds: dict[str, int] = field(default_factory=dict)
    posts: int = 0
    discussions: int = 0
    polls: int = 0
    reactions: set[tuple[str, str, str]] = field(default_factory=set)
    votes: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class Workload:
    group_id: str
    ops: list[Op]
    expected: Expected
    last_discussion: str
    build_s: float


class HistoryBuilder:
    """Makes one group's signed history, in the order and at the pace people write."""

    def __init__(self, founder: DeviceIdentity, n_ops: int, n_devices: int, seed: int) -> None:
        self.n_ops = n_ops
        self.rng = random.Random(seed)
        self.prose = Prose(self.rng)
        self.group_id, self.group_seed = new_group_id(founder.device_id)
        others = (DeviceIdentity.generate() for _ in range(n_devices - 1))
        self.devices = [Feed(i, self.group_id) for i in (founder, *others)]
        self.admitted: list[Feed] = []
        self.weights: list[float] = []
        self.ops: list[Op] = []
        self.expected = Expected()
        self.categories: list[str] = []
        self.discussion_ids: list[str] = []
        self.recent_posts: dict[str, list[tuple[str, str]]] = {}  # discussion -> (post, author)
        self.latest_posts: list[tuple[str, str]] = []
        self.polls: list[tuple[str, int]] = []  # (poll id, number of options)
        span = 58 * DAY_MS
        self.ms = wall_ms() - 60 * DAY_MS
        self.mean_step = max(1, span // max(n_ops, 1))

    def build(self) -> list[Op]:
        self._found()
        to_admit = self.devices[1:]
        window = max(self.n_ops // 40, 4 * len(self.devices))
        admit_every = max(1, window // max(len(to_admit), 1))
        step = 0
        while len(self.ops) < self.n_ops:
            if to_admit and (step % admit_every == 0 or self._room() <= len(to_admit)):
                self._admit(to_admit.pop(0))
            else:
                self._activity()
            step += 1
        return self.ops

    def _room(self) -> int:
        return self.n_ops - len(self.ops)

    # -- signing

    def _hlc(self) -> int:
        self.ms += max(1, int(self.rng.uniform(0.2, 1.8) * self.mean_step))
        return pack(self.ms, 0)

    def _emit(
        self,
        dev: Feed,
        kind: str,
        entity: str,
        action: str,
        payload: dict[str, Any],
        *,
        op_id: str | None = None,
    ) -> bool:
        """Sign the author's next op; False (and nothing made) once the history is full."""
        if len(self.ops) >= self.n_ops:
            return False
        op = dev.sign(
            hlc=self._hlc(), kind=kind, entity=entity, action=action, payload=payload, op_id=op_id
        )
        self.ops.append(op)
        name = f"{kind}.{action}"
        self.expected.kinds[name] = self.expected.kinds.get(name, 0) + 1
        return True

    # -- setting up the group

    def _found(self) -> None:
        founder = self.devices[0]
        fields = {
            "name": "Ashcombe Residents' Association",
            "description": "Keeping Ashcombe tidy, safe and friendly. All residents welcome.",
            "colour": "#2e7d32",
            "emblem": "oak",
            "display_name": self.prose.person(),
            "seed": self.group_seed,
        }
        self._emit(founder, "group", self.group_id, "create", fields, op_id=self.group_id)
        self._join(founder)
        for position, name in enumerate(CATEGORIES):
            cat_id = uuid7()
            self._emit(founder, "category", cat_id, "create", {"name": name, "position": position})
            self.categories.append(cat_id)

    def _admit(self, dev: Feed) -> None:
        fields = {"role": "member", "display_name": self.prose.person()}
        if self._emit(self.devices[0], "member", dev.device, "set_role", fields):
            self._join(dev)

    def _join(self, dev: Feed) -> None:
        self.admitted.append(dev)
        # Some people write a lot, most a little.
        self.weights.append(1.0 / (len(self.admitted) ** 0.8))

    # -- what members do

    def _activity(self) -> None:
        author = self.rng.choices(self.admitted, self.weights)[0]
        r = self.rng.random()
        if not self.discussion_ids or r < 0.03:
            self._start_discussion(author)
        elif r < 0.035:
            self._open_poll(author)
        elif r < 0.055 and self.polls:
            self._vote(author)
        elif r < 0.25 and self.latest_posts:
            self._react(author)
        elif r < 0.26:
            self._edit(author)
        else:
            self._post(author, self._pick_discussion())

    def _start_discussion(self, author: Feed) -> None:
        discussion_id = uuid7()
        fields = {"title": self.prose.title(), "category_id": self.rng.choice(self.categories)}
        if self._emit(author, "discussion", discussion_id, "create", fields):
            self.expected.discussions += 1
            self.discussion_ids.append(discussion_id)
            self._post(author, discussion_id, first=True)

    def _pick_discussion(self) -> str:
        back = min(int(self.rng.expovariate(1 / 6)), len(self.discussion_ids) - 1)
        return self.discussion_ids[-1 - back]

    def _post(self, author: Feed, discussion_id: str, *, first: bool = False) -> None:
        post_id = uuid7()
        fields: dict[str, Any] = {"discussion_id": discussion_id, "body": self.prose.body()}
        thread = self.recent_posts.setdefault(discussion_id, [])
        if thread and not first and self.rng.random() < 0.45:
            fields["reply_to"] = self.rng.choice(thread[-8:])[0]
        if not self._emit(author, "post", post_id, "create", fields):
            return
        self.expected.posts += 1
        thread.append((post_id, author.device))
        del thread[:-20]
        self.latest_posts.append((post_id, author.device))
        del self.latest_posts[:-400]

    def _react(self, author: Feed) -> None:
        post_id, _ = self.rng.choice(self.latest_posts)
        emoji = self.rng.choice(EMOJI)
        present = self.rng.random() > 0.03
        if self._emit(author, "reaction", post_id, "set", {"emoji": emoji, "present": present}):
            self.expected.reactions.add((post_id, author.device, emoji))

    def _edit(self, author: Feed) -> None:
        own = [p for p, a in self.latest_posts[-60:] if a == author.device]
        if not own:
            self._post(author, self._pick_discussion())
            return
        fields = {"body": self.prose.body()}
        self._emit(author, "post", self.rng.choice(own), "update", fields)

    def _open_poll(self, author: Feed) -> None:
        question, options = self.rng.choice(POLL_QUESTIONS)
        poll_id = uuid7()
        fields = {
            "discussion_id": self._pick_discussion(),
            "question": question,
            "options": options,
            "multiple": False,
        }
        if self._emit(author, "poll", poll_id, "create", fields):
            self.expected.polls += 1
            self.polls.append((poll_id, len(options)))

    def _vote(self, author: Feed) -> None:
        poll_id, n_options = self.polls[-1 - min(len(self.polls) - 1, self.rng.randrange(3))]
        choice = self.rng.randrange(n_options)
        if self._emit(author, "vote", poll_id, "set", {"choices": [choice]}):
            self.expected.votes.add((poll_id, author.device))


def build_workload(founder: DeviceIdentity, n_ops: int, n_devices: int, seed: int) -> Workload:
    start = time.perf_counter()
    builder = HistoryBuilder(founder, n_ops, n_devices, seed)
    ops = builder.build()
    return Workload(
        builder.group_id,
        ops,
        builder.expected,
        builder.discussion_ids[-1],
        time.perf_counter() - start,
    )


# --- profiles -----------------------------------------------------------------------


class Profiles:
    """Fresh profiles in one scratch folder; by default each is the founder's laptop."""

    def __init__(self, root: Path) -> None:
        self.root = root
        seed = root / "founder"
        seed.mkdir()
        # The founder's key is made the way a profile makes its own, so every fresh
        # profile given a copy of the key file opens as the founder's laptop.
        self.founder = load_or_create(seed, use_keyring=False)
        self.founder_key = key_path(seed, DEVICE_KEY_NAME)
        self.count = 0

    def fresh(self, *, as_founder: bool = True) -> Store:
        self.count += 1
        folder = self.root / f"profile-{self.count}"
        folder.mkdir()
        if as_founder:
            shutil.copy2(self.founder_key, key_path(folder, DEVICE_KEY_NAME))
        return open_store(folder, use_keyring=False)

    @staticmethod
    def discard(store: Store) -> None:
        store.close()
        shutil.rmtree(store.settings.data_dir, ignore_errors=True)


# --- timed apply --------------------------------------------------------------------


@dataclass
class ApplyRun:
    label: str
    seconds: float
    result: IngestResult
    store: Store

    @property
    def ops_per_s(self) -> float:
        return self.result.received / self.seconds


def _merge(total: IngestResult, part: IngestResult) -> None:
    total.received += part.received
    total.applied += part.applied
    total.waiting = part.waiting  # what is still waiting after the latest call
    total.groups |= part.groups
    total.max_hlc = max(total.max_hlc, part.max_hlc)


def _batches(ops: Sequence[Op], size: int) -> Iterator[Sequence[Op]]:
    for i in range(0, len(ops), size):
        yield ops[i : i + size]


@contextmanager
def big_profile(ops: int, devices: int, seed: int, prefix: str) -> Iterator[tuple[Store, Workload]]:
    """A founder's fresh profile holding a group history of ``ops`` ops, said as it is made."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        profiles = Profiles(Path(tmp))
        work = build_workload(profiles.founder, ops, devices, seed)
        store = profiles.fresh()
        try:
            start = time.perf_counter()
            apply_one_call(store, work.ops)
            print(f"profile: {len(work.ops):,} ops applied in {time.perf_counter() - start:.1f} s")
            yield store, work
        finally:
            store.close()


def apply_one_call(store: Store, ops: Sequence[Op]) -> IngestResult:
    with store.write() as db:
        return ingest(db, ops, sealer=store.sealer)


def apply_batches_one_txn(store: Store, ops: Sequence[Op], size: int) -> IngestResult:
    total = IngestResult()
    with store.write() as db:
        for batch in _batches(ops, size):
            _merge(total, ingest(db, batch, sealer=store.sealer))
    return total


def apply_batches_txn_each(store: Store, ops: Sequence[Op], size: int) -> IngestResult:
    total = IngestResult()
    for batch in _batches(ops, size):
        with store.write() as db:
            _merge(total, ingest(db, batch, sealer=store.sealer))
    return total


def timed_apply(
    profiles: Profiles, label: str, ops: Sequence[Op], run: Callable[[Store], IngestResult]
) -> ApplyRun:
    store = profiles.fresh()
    gc.collect()  # every run starts from the same heap, not the last run's garbage
    start = time.perf_counter()
    result = run(store)
    seconds = time.perf_counter() - start
    store.clock.observe(result.max_hlc)
    return ApplyRun(label, seconds, result, store)


# --- checks ---------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    got: object
    want: object

    @property
    def ok(self) -> bool:
        return self.got == self.want


def check_state(run: ApplyRun, work: Workload) -> list[Check]:
    exp = work.expected
    n = len(work.ops)
    with run.store.read() as db:

        def count(sql: str) -> int:
            return int(db.execute(sql).fetchone()[0])

        checks = [
            Check("ops received", run.result.received, n),
            Check("ops applied", run.result.applied, n),
            Check("ops waiting", run.result.waiting, 0),
            Check("ops rows held", count("SELECT COUNT(*) FROM ops"), n),
            Check("ops rows in effect", count("SELECT COUNT(*) FROM ops WHERE state = 1"), n),
            Check(
                "members", count("SELECT COUNT(*) FROM members"), exp.kinds["member.set_role"] + 1
            ),
            Check("discussions", count("SELECT COUNT(*) FROM discussions"), exp.discussions),
            Check("posts", count("SELECT COUNT(*) FROM posts"), exp.posts),
            Check("polls", count("SELECT COUNT(*) FROM polls"), exp.polls),
            Check("reactions", count("SELECT COUNT(*) FROM reactions"), len(exp.reactions)),
            Check("votes", count("SELECT COUNT(*) FROM votes"), len(exp.votes)),
            Check(
                "search index rows",
                count("SELECT COUNT(*) FROM search"),
                exp.posts + exp.discussions,
            ),
        ]
    hits = search(store=run.store, group_id=work.group_id, query=SEARCH_WORD)
    checks.append(Check(f"search {SEARCH_WORD!r} finds hits", len(hits) > 0, True))
    return checks


# --- baselines ------------------------------------------------------------------------

RAW_SCHEMA = (
    "CREATE TABLE ops (n INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, group_id TEXT NOT NULL,"
    " device TEXT NOT NULL, seq INTEGER NOT NULL, prev TEXT, hlc INTEGER NOT NULL,"
    " kind TEXT NOT NULL, entity TEXT NOT NULL, action TEXT NOT NULL, payload TEXT,"
    " payload_hash TEXT NOT NULL, sig TEXT NOT NULL, hash TEXT NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0, UNIQUE (group_id, device, seq))",
    "CREATE INDEX ix_ops_group_state ON ops (group_id, state)",
    "CREATE TABLE posts (n INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, group_id TEXT NOT NULL,"
    " discussion_id TEXT NOT NULL, reply_to TEXT, body TEXT NOT NULL, deleted INTEGER NOT NULL,"
    " created_by TEXT NOT NULL, created_hlc INTEGER NOT NULL, clocks TEXT NOT NULL)",
    "CREATE INDEX ix_posts_discussion ON posts (discussion_id, created_hlc)",
    "CREATE VIRTUAL TABLE search USING fts5(title, body, group_id UNINDEXED,"
    " tokenize='porter unicode61 remove_diacritics 2')",
)


@dataclass
class RawRows:
    ops: list[tuple[object, ...]]
    posts: list[tuple[object, ...]]
    search: list[tuple[object, ...]]

    @property
    def count(self) -> int:
        return len(self.ops) + len(self.posts)


def raw_rows(ops: Sequence[Op]) -> RawRows:
    rows = RawRows([], [], [])
    for op in ops:
        payload = None if op.payload is None else json.dumps(op.payload, separators=(",", ":"))
        rows.ops.append(
            (
                *(op.id, op.group, op.device, op.seq, op.prev, op.hlc, op.kind, op.entity),
                *(op.action, payload, op.payload_hash, op.sig, op.hash, 1),
            )
        )
        if (op.kind, op.action) == ("post", "create"):
            f = op.fields
            n = len(rows.posts) + 1
            rows.posts.append(
                (
                    *(n, op.entity, op.group, f["discussion_id"], f.get("reply_to"), f["body"]),
                    *(0, op.device, op.hlc, "{}"),
                )
            )
            rows.search.append((n * 4 + 2, "", f["body"], op.group))
    return rows


def raw_insert(folder: Path, rows: RawRows, *, with_search: bool) -> float:
    """Seconds to insert the rows in one transaction of a fresh WAL database."""
    folder.mkdir()
    db = sqlite3.connect(folder / "raw.sqlite", isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        for sql in RAW_SCHEMA:
            db.execute(sql)
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO ops (id, group_id, device, seq, prev, hlc, kind, entity, action,"
            " payload, payload_hash, sig, hash, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows.ops,
        )
        db.executemany("INSERT INTO posts VALUES (?,?,?,?,?,?,?,?,?,?)", rows.posts)
        if with_search:
            db.executemany(
                "INSERT INTO search (rowid, title, body, group_id) VALUES (?,?,?,?)",
                rows.search,
            )
        db.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        db.close()
        shutil.rmtree(folder, ignore_errors=True)


def verify_one_by_one(ops: Sequence[Op]) -> tuple[float, int]:
    """Seconds to check every signature on its own, and how many failed."""
    start = time.perf_counter()
    failed = sum(1 for op in ops if not verify_signature(op))
    return time.perf_counter() - start, failed


# --- reply latency --------------------------------------------------------------------


@dataclass
class Latency:
    label: str
    samples_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def time_replies(store: Store, discussion_id: str, count: int, prose: Prose, label: str) -> Latency:
    last: str | None = None
    for _ in range(10):  # warm caches and the connection pool
        last = discussions.reply(store=store, discussion_id=discussion_id, body=prose.body())
    samples: list[float] = []
    for i in range(count):
        body = prose.body()
        reply_to = last if i % 3 == 0 else None
        start = time.perf_counter_ns()
        last = discussions.reply(
            store=store, discussion_id=discussion_id, body=body, reply_to=reply_to
        )
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return Latency(label, samples)


def small_profile_latency(profiles: Profiles, count: int, prose: Prose) -> Latency:
    store = profiles.fresh(as_founder=False)
    try:
        groups.set_my_name(store=store, name="Helen Hughes")
        group_id = groups.create_group(store=store, name="Mill Road Allotment Society")
        discussion_id, _ = discussions.start_discussion(
            store=store, group_id=group_id, title="Water troughs", body=prose.body()
        )
        return time_replies(store, discussion_id, count, prose, "fresh profile, one group")
    finally:
        profiles.discard(store)


# --- where the time goes --------------------------------------------------------------


def profile_apply(profiles: Profiles, ops: Sequence[Op]) -> tuple[pstats.Stats, float]:
    store = profiles.fresh()
    prof = cProfile.Profile()
    gc.collect()
    start = time.perf_counter()
    prof.enable()
    apply_one_call(store, ops)
    prof.disable()
    seconds = time.perf_counter() - start
    profiles.discard(store)
    return pstats.Stats(prof), seconds


def _func_name(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    path = Path(filename)
    try:
        shown = str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        shown = "/".join(path.parts[-2:])
    return f"{shown}:{line} {name}"


def print_profile_table(
    stats: pstats.Stats, wall_s: float, *, cumulative: bool, top: int = 15
) -> None:
    """The ``top`` functions by own (or cumulative) time, as shares of the wall time."""
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    raw = stats.stats  # type: ignore[attr-defined]

    def spent(entry: tuple[int, int, float, float, object]) -> float:
        return entry[3] if cumulative else entry[2]

    rows = sorted(raw.items(), key=lambda kv: spent(kv[1]), reverse=True)[:top]
    print(f"    {'calls':>10} {'own s':>7} {'cum s':>7} {'% wall':>6} {'µs/call':>8}  function")
    for key, entry in rows:
        _, calls, own, cum, _ = entry
        print(
            f"    {calls:>10,} {own:>7.2f} {cum:>7.2f} {100 * spent(entry) / wall_s:>5.1f}%"
            f" {1e6 * spent(entry) / max(calls, 1):>8.1f}  {_func_name(key)}"
        )


# --- the report ----------------------------------------------------------------------


def _goal(met: bool) -> str:
    return "met" if met else "NOT met"


def print_workload(work: Workload, devices: int) -> None:
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(work.expected.kinds.items()))
    print(f"workload  {len(work.ops):,} signed ops, {devices} devices, one group")
    print(f"          {kinds}")
    print(f"          built and signed in {work.build_s:.1f} s (outside every timing)")


def print_apply(runs: Sequence[ApplyRun]) -> None:
    print(
        "\napply to a fresh profile (chain + signature + schema checks, materialise, FTS, commit)"
    )
    for run in runs:
        print(f"  {run.label:<44} {run.seconds:>7.2f} s {run.ops_per_s:>10,.0f} ops/s")
    best = max(run.ops_per_s for run in runs)
    ratio = best / GOAL_OPS_PER_S
    print(
        f"  goal ≥ {GOAL_OPS_PER_S:,} ops/s: best {best:,.0f} ops/s ({ratio:.2f}× goal)"
        f" → {_goal(best >= GOAL_OPS_PER_S)}"
    )


def print_baselines(
    apply_rate: float, n_ops: int, rows: RawRows, raw: dict[str, float], verify: tuple[float, int]
) -> None:
    print("\nbaselines (same run, same ops)")
    for label, seconds in raw.items():
        n_rows = rows.count + (len(rows.search) if "FTS" in label else 0)
        ops_rate = n_ops / seconds
        print(
            f"  {label:<44} {seconds:>7.2f} s {n_rows / seconds:>10,.0f} rows/s"
            f" = {ops_rate:>9,.0f} ops/s   apply/raw {apply_rate / ops_rate:.3f}"
        )
    seconds, failed = verify
    rate = n_ops / seconds
    print(
        f"  {'Ed25519 verify, one op at a time':<44} {seconds:>7.2f} s {rate:>10,.0f} checks/s"
        f"{'':>20}apply/verify {apply_rate / rate:.2f}"
    )
    if failed:
        print(f"  !! {failed} signatures did not verify")


def print_latency(latencies: Sequence[Latency]) -> None:
    print("\nsingle local reply (op made, signed, applied, indexed, committed)")
    for lat in latencies:
        print(
            f"  {lat.label:<44} {len(lat.samples_ms):>4} replies  median {lat.median:6.2f} ms"
            f"  p95 {lat.p95:6.2f} ms  max {max(lat.samples_ms):6.2f} ms"
            f"  goal median < {GOAL_REPLY_MEDIAN_MS:g} ms → "
            f"{_goal(lat.median < GOAL_REPLY_MEDIAN_MS)}"
        )


def print_checks(checks: Sequence[Check]) -> None:
    print("\nchecks on the applied state (largest run)")
    for c in checks:
        mark = "ok" if c.ok else "WRONG"
        print(f"  {mark:<5} {c.name:<34} {c.got!s:>8}" + ("" if c.ok else f"  (want {c.want})"))


# --- main ----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--ops", type=int, default=100_000, help="ops in the history")
    parser.add_argument("--devices", type=int, default=40, help="devices writing in the group")
    parser.add_argument("--batch", type=int, default=2_000, help="ops per ingest call")
    parser.add_argument("--replies", type=int, default=500, help="replies timed one by one")
    parser.add_argument("--seed", type=int, default=7, help="seed for the made-up content")
    parser.add_argument("--profile", action="store_true", help="also profile one apply")
    args = parser.parse_args(argv)
    if args.devices < 2 or args.ops < args.devices + len(CATEGORIES) + 3:
        parser.error("need at least 2 devices and enough ops to found, admit and post")
    return args


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="moot-apply-bench-") as folder:
        yield Path(folder)


def run_applies(profiles: Profiles, ops: Sequence[Op], batch: int) -> list[ApplyRun]:
    plans: list[tuple[str, Callable[[Store], IngestResult]]] = [
        ("one ingest call, one transaction", lambda s: apply_one_call(s, ops)),
        (
            f"{batch:,}-op ingest calls, one transaction",
            lambda s: apply_batches_one_txn(s, ops, batch),
        ),
        (
            f"{batch:,}-op ingest calls, a transaction each",
            lambda s: apply_batches_txn_each(s, ops, batch),
        ),
    ]
    runs: list[ApplyRun] = []
    for label, plan in plans:
        if runs:
            profiles.discard(runs[-1].store)
        runs.append(timed_apply(profiles, label, ops, plan))
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(
        f"Moot apply benchmark · Python {sys.version.split()[0]} · SQLite {sqlite3.sqlite_version}"
    )
    prose = Prose(random.Random(args.seed + 1))
    with scratch() as root:
        profiles = Profiles(root)
        work = build_workload(profiles.founder, args.ops, args.devices, args.seed)
        print_workload(work, args.devices)
        runs = run_applies(profiles, work.ops, args.batch)
        print_apply(runs)
        best_rate = max(run.ops_per_s for run in runs)
        rows = raw_rows(work.ops)
        raw = {
            "raw sqlite executemany, ops + posts": raw_insert(
                root / "raw", rows, with_search=False
            ),
            "raw executemany, ops + posts + FTS5": raw_insert(
                root / "raw-fts", rows, with_search=True
            ),
        }
        print_baselines(best_rate, len(work.ops), rows, raw, verify_one_by_one(work.ops))
        full = runs[-1]
        checks = check_state(full, work)
        latencies = [
            small_profile_latency(profiles, args.replies, prose),
            time_replies(
                full.store,
                work.last_discussion,
                max(args.replies // 2, 1),
                prose,
                f"profile holding the {len(work.ops):,}-op group",
            ),
        ]
        print_latency(latencies)
        print_checks(checks)
        profiles.discard(full.store)
        if args.profile:
            stats, seconds = profile_apply(profiles, work.ops)
            print(f"\nprofile of one apply ({len(work.ops):,} ops in one ingest call)")
            print(f"  {seconds:.2f} s under cProfile; top by own time:")
            print_profile_table(stats, seconds, cumulative=False)
            print("  top by cumulative time:")
            print_profile_table(stats, seconds, cumulative=True)
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
