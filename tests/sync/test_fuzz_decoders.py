"""Fuzzing what reaches a laptop from outside: bundle files, and ops off the wire.

The inputs start real: two laptops' history of a small parish group (a discussion
with replies, a reaction and a follow, a note written and edited, a poll and a vote,
contact details given then erased, two meetings with a summons, minutes, a paper and
approved minutes) and of a second group, the bundles they export of it, and the wire
form of its ops. Each run mutates one of them: bit flips, bytes inserted, deleted or
duplicated, truncation, two inputs spliced, the gzip layer broken or replaced; and
mutations that know the format: fields removed, retyped, huge, deeply nested or not
UTF-8, duplicate ids, ops dropped, repeated, reordered or taken from another group,
altered seq, prev, hashes and signatures, an invitation changed. Then, often, what a
member holding their own key could do: the payload hash and the signatures made good
again, the author's later ops chained on, the bundle sealed again, so the change
gets past the checksums to the op decoder and the merge rules. It goes to:

- ``op_from_wire`` then ``REGISTRY.validate`` (what laptops and the hub run on every
  op that arrives) and, when both pass, ``verify_runs``; and ``sync.engine._read_page``,
  which decodes a page of a hub's log;
- ``import_bundle``, on a laptop that holds the group's early history and is not a
  member yet (so the invitation a bundle carries is tried too).

A crash is any exception other than the refusal each promises (``InvalidOp``,
``HubFailed``, ``BundleError``). Every refused import, here and in the soak alike, is
checked to leave the laptop's profile byte-identical: the SHA-256 of its database file
after ``PRAGMA wal_checkpoint(TRUNCATE)`` and of its key files; an import that
succeeded is undone from a copy before the next run. Besides ``crashes`` and
``changed`` (both must be 0), each test records how many inputs were still valid
(``accepted``), and the import how many were refused only once it had begun writing
(``refused_late``). A failure keeps its first input in a file and names it, with the
traceback; the inputs that found faults once are kept below as cases of their own.

``MOOT_FUZZ_RUNS`` sets the runs in all (20,000 here; the soak:
``MOOT_FUZZ_RUNS=1000000``): one in ten is a bundle import, which costs about thirty
decodes; the rest are decodes. ``MOOT_FUZZ_SEED`` picks another sequence of runs.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import gzip
import hashlib
import json
import os
import random
import shutil
import sqlite3
import traceback
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.canonical import canonical_json
from app.errors import BundleError, InvalidOp
from app.ids import authored_id
from app.ops import envelope_bytes, op_from_wire, op_hash, verify_runs
from app.registry import REGISTRY
from app.services import (
    discussions,
    follows,
    groups,
    meeting_papers,
    meetings,
    members,
    notes,
    polls,
)
from app.settings import ProfileSettings
from app.store import Store, open_store
from sync.bundle import export_bundle, import_bundle
from sync.engine import _read_page
from sync.errors import HubFailed
from tests.support import RecordProperty, deliver, ops_of, record_figures, snapshot

RUNS = int(os.environ.get("MOOT_FUZZ_RUNS", "20000"))
SEED = int(os.environ.get("MOOT_FUZZ_SEED", "20250611"))
BUNDLE_RUNS = RUNS // 10
DECODE_RUNS = RUNS - BUNDLE_RUNS
# Stopping these is the person's or the test runner's business, never a finding.
_NOT_FINDINGS = (KeyboardInterrupt, SystemExit, GeneratorExit)

Wire = dict[str, Any]


# --- the real inputs ---------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    """A bundle as exported, and its parts as parsed."""

    file: bytes  # the gzip file
    content: bytes  # its JSON lines
    header: Wire
    ops: list[Wire]


@dataclass(frozen=True)
class World:
    keys: dict[str, Ed25519PrivateKey]  # device -> its key: the authors', and a stranger's
    wires: list[Wire]  # every op of both groups
    seeds: list[Seed]
    laptop: Path  # the profile bundles are imported into


def _history(clerk: Store, cllr: Store, folder: Path) -> tuple[str, Path]:
    """A group's everyday life, written by its clerk and a member; (group, early bundle)."""
    groups.set_my_name(store=clerk, name="Jo Clerk")
    group = groups.create_group(store=clerk, name="Fuzz Parish")
    members.admit(store=clerk, group_id=group, device=cllr.device_id, display_name="Sam Hill")
    disc, post = discussions.start_discussion(
        store=clerk, group_id=group, title="Bin day", body="The bins were missed again."
    )
    discussions.reply(store=clerk, discussion_id=disc, body="I will ring the council, £5 on it.")
    note = notes.create_note(store=clerk, group_id=group, title="Agenda", body="Apologies\n")
    early = folder / "early.moot"
    export_bundle(store=clerk, group_id=group, path=early)
    notes.append_to_note(store=clerk, note_id=note, line="Budget — précept")
    poll = polls.create_poll(
        store=clerk, discussion_id=disc, question="Which day?", options=["Mon", "Tue", "Wed"]
    )
    january = meetings.create_meeting(
        store=clerk, group_id=group, title="Parish council", starts_at="2027-01-14T19:30"
    )
    item = meetings.add_item(store=clerk, meeting_id=january, title="Precept")
    meeting_papers.attach_paper(store=clerk, item_id=item, name="budget.txt", data=b"1,2\n")
    meetings.issue_summons(store=clerk, meeting_id=january, issued_on="2027-01-01")
    meetings.set_attendance(store=clerk, meeting_id=january, member="Sam Hill", status="present")
    meetings.minute(store=clerk, item_id=item, text="The clerk presented the budget.")
    meetings.resolve(store=clerk, item_id=item, text="that the precept be £24,500", unanimous=True)
    february = meetings.create_meeting(
        store=clerk, group_id=group, title="Parish council", starts_at="2027-02-11T19:30"
    )
    meetings.approve(store=clerk, meeting_id=january, at=february)
    deliver(ops_of(clerk), cllr)
    discussions.reply(store=cllr, discussion_id=disc, body="Thanks 👍", reply_to=post)
    polls.vote(store=cllr, poll_id=poll, choices=["Tue"])
    discussions.react(store=cllr, post_id=post, emoji="👍")
    follows.follow(store=cllr, target_id=disc)
    notes.append_to_note(store=cllr, note_id=note, line="Any other business")
    members.set_contact(store=cllr, group_id=group, contact="sam@example.org")
    members.erase_contact(store=cllr, group_id=group)  # leaves an op with no payload
    deliver(ops_of(cllr), clerk)
    return group, early


def _seed(path: Path) -> Seed:
    file = path.read_bytes()
    content = gzip.decompress(file)
    lines = [json.loads(line) for line in content.splitlines()]
    return Seed(file, content, lines[0], lines[1:-1])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("fuzz-world")
    clerk = open_store(folder / "clerk", use_keyring=False)
    cllr = open_store(folder / "cllr", use_keyring=False)
    laptop = open_store(folder / "laptop", use_keyring=False)
    try:
        group, early = _history(clerk, cllr, folder)
        other = groups.create_group(store=clerk, name="Allotments")
        discussions.start_discussion(store=clerk, group_id=other, title="Water", body="Off")
        export_bundle(store=clerk, group_id=group, path=folder / "full.moot", invite_role="member")
        export_bundle(store=cllr, group_id=group, path=folder / "member.moot")
        export_bundle(store=clerk, group_id=other, path=folder / "other.moot")
        import_bundle(store=laptop, path=early)
        # The first is the one most runs start from: see ``_bundle``.
        seeds = [_seed(folder / f"{name}.moot") for name in ("full", "member", "other", "early")]
        stranger = Ed25519PrivateKey.generate()
        keys = {s.device_id: s.identity.key for s in (clerk, cllr)}
        keys[stranger.public_key().public_bytes_raw().hex()] = stranger
        wires = [op.to_wire() for op in ops_of(clerk)]
    finally:
        for store in (clerk, cllr, laptop):
            store.close()
    return World(keys, wires, seeds, folder / "laptop")


# --- mutations ---------------------------------------------------------------------

_TOKENS = (
    b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b'"', b"\\", b"{",
    b"}", b"[", b"]", b",", b":", b"\n", b"\r\n", b"-", b"0", b"1e999", b"-1e999", b"NaN",
    b"Infinity", b"null", b"true", b"18446744073709551616", b"9223372036854775808",
    b"\\ud800", b"\\u0000", b'"\\udfff"', b"[" * 100_000, b'{"a":' * 50_000,
)  # fmt: skip
_ODD_TEXTS = (
    "", " ", "\x00", "\ud800", "\udfff\ud800", "\u202e", "é", "👍", "NaN", "null", "0", "-1",
    "x" * 65, "0" * 64, "F" * 64, "0" * 128, "a\nb", "\x7f", "é" * 300, "[]", "{}",
    '{"items":[]}', "=" * 4, "AAAA", "////", "AA==A", "\u00a0",
)  # fmt: skip
_ODD_NUMBERS = (
    0, 1, -1, 2, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63), -(2**63) - 1,
    10**30, 10**400, 0.5, -0.0, 1e308, float("nan"), float("inf"), float("-inf"),
)  # fmt: skip
_ENVELOPE = (
    "id", "group", "device", "seq", "prev", "hlc", "kind", "entity", "action", "payload_hash",
)  # fmt: skip
_FIELDS = (*_ENVELOPE, "sig", "payload")


def _odd_value(rnd: random.Random) -> Any:
    """A JSON value of any type, favouring the edges: huge, empty, deep, not UTF-8."""
    pick = rnd.randrange(20)
    if pick < 6:
        return rnd.choice(_ODD_TEXTS)
    if pick < 11:
        return rnd.choice(_ODD_NUMBERS)
    if pick < 13:
        return rnd.choice((None, True, False))
    if pick < 15:
        return rnd.choice(([], {}, [1, 2], {"": None}, [None] * 30, {"x": {"y": [[]]}}))
    if pick < 17:
        # Deeper than orjson encodes (255), shallow enough for the json module to write.
        deep: Any = rnd.choice(([], {}, "x"))
        for _ in range(rnd.choice((30, 256, 300))):
            deep = [deep] if rnd.random() < 0.5 else {"a": deep}
        return deep
    if pick < 19:
        return "".join(chr(rnd.randrange(0x110000)) for _ in range(rnd.randrange(1, 40)))
    return rnd.choice(("x", "é", "\ud800")) * rnd.choice((301, 100_001, 1_000_001))


def mutate_bytes(rnd: random.Random, data: bytes, other: bytes) -> bytes:
    """One to four byte-level changes, none of which knows what the bytes mean."""
    out = bytearray(data)
    for _ in range(rnd.choice((1, 1, 1, 2, 2, 3, 4))):
        size = len(out)
        at = rnd.randrange(size + 1)
        pick = rnd.randrange(9)
        if pick == 0 and size:
            for _ in range(rnd.randrange(1, 9)):
                out[rnd.randrange(size)] ^= 1 << rnd.randrange(8)
        elif pick == 1 and size:
            out[min(at, size - 1)] = rnd.randrange(256)
        elif pick == 2:
            out[at:at] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 17)))
        elif pick == 3:
            out[at:at] = rnd.choice(_TOKENS)
        elif pick == 4:
            del out[at : at + rnd.choice((1, 2, 8, 64, 4096))]
        elif pick == 5 and size:
            start = rnd.randrange(size)
            out[at:at] = out[start : start + rnd.randrange(1, 256)]
        elif pick == 6:
            del out[at:]
        elif pick == 7:
            out = out[:at] + other[rnd.randrange(len(other) + 1) :]
        else:
            digits = [i for i in range(max(0, at - 64), min(size, at + 64)) if 48 <= out[i] <= 57]
            if digits:
                i = rnd.choice(digits)
                out[i : i + 1] = rnd.choice((b"9" * 40, b"-", b"0.5", b"e999", b"00"))
    return bytes(out)


def _mutate_text(rnd: random.Random, value: str) -> Any:
    """A string changed as a sloppy or hostile writer would, keeping its meaning in view."""
    if len(value) >= 8 and rnd.random() < 0.4:
        try:  # base64 (a note's text update, a paper): the bytes inside are changed
            inner = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            inner = None
        if inner is not None:
            return base64.b64encode(mutate_bytes(rnd, inner, inner)).decode()
    if value[:1] in ("{", "[") and rnd.random() < 0.5:  # JSON inside (an agenda, a record)
        pick = rnd.randrange(4)
        if pick == 0:  # deeper than a parser recurses
            depth = rnd.choice((1_000, 100_000))
            return "[" * depth + "]" * depth
        if pick == 1:
            return value[: rnd.randrange(len(value) + 1)]
        try:
            return json.dumps(mutate_value(rnd, json.loads(value)))
        except (ValueError, RecursionError):
            return value[::-1]
    pick = rnd.randrange(7)
    at = rnd.randrange(len(value) + 1)
    if pick == 0:
        return value.upper()
    if pick == 1:
        return value[:at] + value[at + 1 :]
    if pick == 2:
        return value[:at] + rnd.choice(_ODD_TEXTS)[:3] + value[at:]
    if pick == 3 and value:
        return value[:at] + chr(rnd.randrange(0x110000)) + value[at + 1 :]
    if pick == 4:
        return value + value
    return _odd_value(rnd)


def mutate_value(rnd: random.Random, value: Any) -> Any:
    """``value`` with one change at a random place inside it; the original is left alone."""
    if isinstance(value, dict) and value and rnd.random() < 0.8:
        out = dict(value)
        key = rnd.choice(list(out))
        pick = rnd.random()
        if pick < 0.15:
            del out[key]
        elif pick < 0.25:
            out[rnd.choice((key + "x", "", "\ud800", "id", "__proto__"))] = _odd_value(rnd)
        else:
            out[key] = mutate_value(rnd, out[key])
        return out
    if isinstance(value, list) and value and rnd.random() < 0.8:
        items = list(value)
        i = rnd.randrange(len(items))
        pick = rnd.random()
        if pick < 0.15:
            del items[i]
        elif pick < 0.3:
            items.insert(i, items[i] if rnd.random() < 0.5 else _odd_value(rnd))
        else:
            items[i] = mutate_value(rnd, items[i])
        return items
    if isinstance(value, str) and rnd.random() < 0.8:
        return _mutate_text(rnd, value)
    if isinstance(value, bool) and rnd.random() < 0.5:
        return not value
    if isinstance(value, int) and not isinstance(value, bool) and rnd.random() < 0.8:
        as_float = float(value) if abs(value) < 2**1000 else 1e300
        return rnd.choice((value + 1, value - 1, -value, 0, value * 2**32, as_float, str(value)))
    return _odd_value(rnd)


def mutate_op(rnd: random.Random, op: Any, donors: list[Wire]) -> Any:
    """A copy of ``op`` with one change that knows what an op's fields are for."""
    if not isinstance(op, dict):
        return mutate_value(rnd, op)
    out = dict(op)
    name = rnd.choice(_FIELDS)
    donor = rnd.choice(donors)
    pick = rnd.randrange(10)
    if pick == 0:
        out.pop(name, None)
    elif pick == 1:
        out[name] = _odd_value(rnd)
    elif pick == 2:  # another op's id, group, device, seq, prev...: duplicates and forks
        out[name] = donor.get(name)
    elif pick == 3:
        out["kind"], out["action"] = donor.get("kind"), donor.get("action")
    elif pick == 4:
        out["payload"] = donor.get("payload")
    elif pick == 5:
        number = rnd.choice(("seq", "hlc"))
        out[number] = mutate_value(rnd, out.get(number))
    elif pick == 6:
        out["payload"] = None
    elif pick == 7:
        out[rnd.choice(("extra", "ID", "payload "))] = _odd_value(rnd)
    else:
        out = mutate_value(rnd, out) if rnd.random() < 0.3 else _mutate_payload(rnd, out)
    return out


def _mutate_payload(rnd: random.Random, op: Wire) -> Wire:
    payload = op.get("payload")
    op["payload"] = mutate_value(rnd, payload) if isinstance(payload, dict) else payload
    return op


def rehash(op: Any) -> None:
    """Make the payload hash fit the payload again, as its author's laptop would."""
    payload = op.get("payload") if isinstance(op, dict) else None
    if isinstance(payload, dict):
        # Of some payloads (lone surrogates, nesting too deep) nobody can write a hash.
        with contextlib.suppress(ValueError, UnicodeEncodeError, RecursionError):
            op["payload_hash"] = hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def _envelope(op: Any) -> bytes | None:
    try:
        return envelope_bytes(*(op[name] for name in _ENVELOPE))
    except (KeyError, TypeError):  # orjson.JSONEncodeError is a TypeError
        return None


def _key(keys: dict[str, Ed25519PrivateKey], device: Any) -> Ed25519PrivateKey | None:
    return keys.get(device) if isinstance(device, str) else None


def resign(op: Any, keys: dict[str, Ed25519PrivateKey]) -> str | None:
    """Sign ``op`` again with its device's key if known; the op's hash, if it has one."""
    if not isinstance(op, dict):
        return None
    key = _key(keys, op.get("device"))
    envelope = _envelope(op)
    if key is None or envelope is None:
        return None
    op["sig"] = key.sign(envelope).hex()
    return op_hash(envelope, op["sig"])


def rechain(ops: list[Any], start: int, keys: dict[str, Ed25519PrivateKey]) -> None:
    """Link the author's ops after ``ops[start]`` to it again, each signed anew."""
    envelope = _envelope(ops[start])
    if envelope is None or not isinstance(ops[start].get("sig"), str):
        return
    device = ops[start]["device"]
    last = op_hash(envelope, ops[start]["sig"])
    for i in range(start + 1, len(ops)):
        if isinstance(ops[i], dict) and ops[i].get("device") == device:
            ops[i] = dict(ops[i], prev=last)
            last = resign(ops[i], keys) or ""


def _line(value: Any) -> bytes:
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    except UnicodeEncodeError:  # lone surrogates: only escaped do they reach a file
        text = json.dumps(value, separators=(",", ":")).encode()
    return text + b"\n"


# --- op decoding -------------------------------------------------------------------


def decode_op(wire: Any) -> None:
    """What a laptop or the hub does with one op off the wire, up to storing it."""
    op = op_from_wire(wire)
    REGISTRY.validate(op)
    verify_runs([op], {})


def decode_page(raw: bytes) -> None:
    """What a laptop does with a page of a hub's log before applying it."""
    for op in _read_page(raw).ops:
        try:
            REGISTRY.validate(op)
        except InvalidOp:
            continue


def _page(rnd: random.Random, world: World) -> tuple[bytes, Callable[[], None]]:
    start = rnd.randrange(len(world.wires))
    wires = world.wires[start : start + rnd.randint(1, 3)]
    entries: Any = [{"seq": 7 + i, "op": w} for i, w in enumerate(wires)]
    i = rnd.randrange(len(entries))
    entries[i] = dict(entries[i], op=mutate_op(rnd, entries[i]["op"], world.wires))
    if rnd.random() < 0.6:
        rehash(entries[i]["op"])
    page: Any = {"ops": entries, "head": 6 + len(entries)}
    if rnd.random() < 0.3:
        page = mutate_value(rnd, page)
    raw = _line(page)
    if rnd.random() < 0.3:
        raw = mutate_bytes(rnd, raw, _line(rnd.choice(world.wires)))
    return raw, lambda: decode_page(raw)


def _one_op(rnd: random.Random, world: World) -> tuple[bytes, Callable[[], None]]:
    wire = rnd.choice(world.wires)
    for _ in range(rnd.choice((1, 1, 1, 2, 3))):
        wire = mutate_op(rnd, wire, world.wires)
    if rnd.random() < 0.6:
        rehash(wire)
    if rnd.random() < 0.05:  # so that some get as far as the signature check
        resign(wire, world.keys)
    return _line(wire), lambda: decode_op(wire)


@dataclass
class Tally:
    """What the runs of one test found; the first failure is kept, to be looked at."""

    name: str
    folder: Path
    runs: int = 0
    accepted: int = 0
    crashes: int = 0
    changed: int = 0
    first: str = ""

    def failed(self, run: int, data: bytes, what: str) -> None:
        if not self.first:
            path = self.folder / f"{self.name}-run-{run}.bin"  # the file, the op or the page
            path.write_bytes(data)
            self.first = (
                f"{what} at run {run} (MOOT_FUZZ_SEED={SEED}); its input is {path}\n"
                f"{traceback.format_exc()}"
            )
            print(self.first)


def test_mutated_ops_and_hub_pages_are_decoded_or_refused_never_crash(
    world: World, tmp_path: Path, record_property: RecordProperty
) -> None:
    tally = Tally("decode", tmp_path)
    for run in range(DECODE_RUNS):
        rnd = random.Random(f"{SEED}-decode-{run}")
        make = _page if rnd.random() < 0.4 else _one_op
        data, decode = make(rnd, world)
        tally.runs += 1
        try:
            decode()
            tally.accepted += 1
        except (InvalidOp, HubFailed):
            pass
        except _NOT_FINDINGS:
            raise
        except BaseException:  # a Rust library's panic is no Exception
            tally.crashes += 1
            tally.failed(run, data, "an op crashed" if make is _one_op else "a page crashed")
    record_figures(
        record_property, count=tally.runs, unit="runs", crashes=tally.crashes,
        accepted=tally.accepted,
    )  # fmt: skip
    assert tally.crashes == 0, tally.first
    # Were no mutated op ever to pass, the decoder would be shown refusing, not decoding.
    assert 0 < tally.accepted < tally.runs


# --- bundle import -----------------------------------------------------------------


def _sealed(lines: list[bytes], key: Ed25519PrivateKey) -> bytes:
    digest = hashlib.sha256(b"".join(lines)).digest()
    return b"".join([*lines, _line({"sha256": digest.hex(), "signature": key.sign(digest).hex()})])


def _seal(rnd: random.Random, header: Wire, ops: list[Any], world: World) -> bytes:
    """The file's lines, sealed as an exporter would (or, now and then, not quite)."""
    if rnd.random() < 0.9:
        header["ops"] = len(ops)
    lines = [_line(header), *(_line(op) for op in ops)]
    if rnd.random() < 0.15:  # damage inside the seal: bad JSON, bad UTF-8, cut lines
        i = rnd.randrange(len(lines))
        lines[i] = mutate_bytes(rnd, lines[i], rnd.choice(lines))
    key = _key(world.keys, header.get("exporter"))
    pick = rnd.random()
    if key is None or pick < 0.05:
        key = rnd.choice(list(world.keys.values()))
    if pick < 0.95:
        return _sealed(lines, key)
    if pick < 0.98:  # a trailer that is there but wrong in itself
        digest = hashlib.sha256(b"".join(lines)).digest()
        trailer = {"sha256": digest.hex(), "signature": key.sign(digest).hex()}
        return b"".join([*lines, _line(mutate_value(rnd, trailer))])
    return b"".join(lines)


def _pack(rnd: random.Random, content: bytes) -> bytes:
    pick = rnd.random()
    if pick < 0.85:
        return gzip.compress(content, compresslevel=1, mtime=0)
    if pick < 0.9:  # gzip reads one member after another as one stream
        at = rnd.randrange(len(content) + 1)
        return gzip.compress(content[:at], mtime=0) + gzip.compress(content[at:], mtime=0)
    if pick < 0.93:
        return content
    if pick < 0.96:
        return zlib.compress(content)
    packed = gzip.compress(content, mtime=0)
    return mutate_bytes(rnd, packed, packed)


def _restructure(rnd: random.Random, header: Wire, ops: list[Any], world: World) -> None:
    """One change to a bundle's header or its list of ops, in place."""
    other = rnd.choice(world.seeds)
    pick = rnd.randrange(12)
    if pick < 5 and ops:
        i = rnd.randrange(len(ops))
        ops[i] = mutate_op(rnd, ops[i], world.wires)
        if rnd.random() < 0.1 and isinstance(ops[i], dict):  # the same op by someone else
            ops[i]["device"] = rnd.choice(list(world.keys))
        if rnd.random() < 0.7:
            rehash(ops[i])
        if rnd.random() < 0.7:
            resign(ops[i], world.keys)
            if rnd.random() < 0.7:
                rechain(ops, i, world.keys)
    elif pick == 5 and ops:
        at = rnd.randrange(len(ops))
        del ops[at : at + rnd.choice((1, 1, 3, len(ops)))]
    elif pick == 6 and ops:
        at = rnd.randrange(len(ops))
        ops.insert(rnd.randrange(len(ops) + 1), ops[at])
    elif pick == 7:
        rnd.shuffle(ops)
    elif pick == 8:
        ops.insert(rnd.randrange(len(ops) + 1), rnd.choice(world.wires))
    elif pick == 9:
        at = rnd.randrange(len(ops) + 1)
        ops[at:] = other.ops[rnd.randrange(len(other.ops) + 1) :]
    elif pick == 10:
        changed = mutate_value(rnd, header)
        if isinstance(changed, dict):  # a header that is not an object: see the byte layers
            header.clear()
            header.update(changed)
    else:
        field = rnd.choice(("invitation", "group", "exporter", "version", "format"))
        header[field] = rnd.choice(
            (other.header.get(field), _odd_value(rnd), rnd.choice(list(world.keys)))
        )


def _bundle(rnd: random.Random, world: World) -> bytes:
    base = rnd.choices(world.seeds, weights=(6, 2, 1, 1))[0]
    other = rnd.choice(world.seeds)
    pick = rnd.random()
    if pick < 0.15:
        return mutate_bytes(rnd, base.file, other.file)
    if pick < 0.3:
        return gzip.compress(mutate_bytes(rnd, base.content, other.content), mtime=0)
    header, ops = dict(base.header), list[Any](base.ops)
    for _ in range(rnd.choice((1, 1, 1, 2, 3))):
        _restructure(rnd, header, ops, world)
    return _pack(rnd, _seal(rnd, header, ops, world))


class CountedStore(Store):
    """A store that counts its write transactions: imports that got past the file."""

    writes = 0

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        self.writes += 1
        with super().write() as db:
            yield db


class Laptop:
    """The importing profile, its fingerprint, and a copy to undo imports from."""

    def __init__(self, folder: Path, world: World) -> None:
        self.folder = shutil.copytree(world.laptop, folder / "laptop")
        self.store = CountedStore(ProfileSettings(self.folder, use_keyring=False))
        # One connection of its own, outside any transaction, to checkpoint through:
        # opening one per check would cost more than the check.
        self.db = sqlite3.connect(self.folder / "moot.db", isolation_level=None)
        self.pristine = folder / "pristine.db"
        self.checkpoint()
        shutil.copyfile(self.folder / "moot.db", self.pristine)

    def checkpoint(self) -> None:
        """Fold the WAL into the database file, so the file shows every committed change."""
        busy, log, done = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert (busy, log) == (0, done), "the database was in use: its file may lag behind"

    def fingerprint(self) -> str:
        """What a change anywhere in the profile changes: its files' bytes, the WAL's folded in."""
        self.checkpoint()
        digest = hashlib.sha256()
        for name in sorted(p.name for p in self.folder.iterdir()):
            if not name.endswith(("-wal", "-shm")):
                digest.update(name.encode() + b"\0" + (self.folder / name).read_bytes())
        return digest.hexdigest()

    def what_changed(self) -> str:
        """The parts of the group a person would see changed, or only the bytes; then undone."""
        changed = snapshot(self.store)
        self.undo()
        was = snapshot(self.store)
        parts = [part for part in was if was[part] != changed[part]]
        return f"its {', '.join(parts)}" if parts else "its bytes (nothing a person sees)"

    def undo(self) -> None:
        source = sqlite3.connect(self.pristine)
        try:
            source.backup(self.db)
        finally:
            source.close()

    def close(self) -> None:
        self.db.close()
        self.store.close()


def write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file at ``path``: some file systems flush a file that is
    cut short and written again as it closes, which would make each run wait for the disk."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def test_mutated_bundles_are_imported_or_refused_and_a_refusal_changes_nothing(
    world: World, tmp_path: Path, record_property: RecordProperty
) -> None:
    laptop = Laptop(tmp_path, world)
    tally = Tally("bundle", tmp_path)
    path = tmp_path / "in.moot"
    refused_inside = 0  # refusals after the import began writing, which a rollback undoes
    try:
        before, was = laptop.fingerprint(), snapshot(laptop.store)
        # The bundle as exported brings what the laptop lacks: were its import to leave
        # the fingerprint alone, no check below could see a change.
        write_new(path, world.seeds[0].file)
        import_bundle(store=laptop.store, path=path)
        assert laptop.fingerprint() != before
        laptop.undo()
        assert snapshot(laptop.store) == was
        before = laptop.fingerprint()  # the same rows, not quite the same bytes
        for run in range(BUNDLE_RUNS):
            data = _bundle(random.Random(f"{SEED}-bundle-{run}"), world)
            write_new(path, data)
            writes = laptop.store.writes
            tally.runs += 1
            try:
                import_bundle(store=laptop.store, path=path)
            except BundleError:
                refused_inside += laptop.store.writes > writes
                if laptop.fingerprint() != before:
                    tally.changed += 1
                    tally.failed(run, data, f"a refused import changed {laptop.what_changed()}")
                    before = laptop.fingerprint()
                continue
            except _NOT_FINDINGS:
                raise
            except BaseException:  # a Rust library's panic is no Exception
                tally.crashes += 1
                tally.failed(run, data, "a crash")
            else:
                tally.accepted += 1
            if laptop.fingerprint() != before:
                laptop.undo()
                before = laptop.fingerprint()
    finally:
        laptop.close()
    record_figures(
        record_property, count=tally.runs, unit="runs", crashes=tally.crashes,
        changed=tally.changed, accepted=tally.accepted, refused_late=refused_inside,
    )  # fmt: skip
    assert (tally.crashes, tally.changed) == (0, 0), tally.first
    # The runs reach the merge rules, and some changes still make a valid bundle.
    assert refused_inside > 0
    assert tally.accepted > 0


# --- what fuzzing found --------------------------------------------------------------

# Each a valid op of the clerk's but for one field, signed and chained on: the checks
# once met them with an exception of Python's own (TypeError, RecursionError,
# OverflowError) instead of a refusal, which made a bundle's import fail with no code,
# and the hub's push, which runs the same checks, fail the same way.
FOUND: dict[str, tuple[tuple[str, str], Wire]] = {
    "a role that is a list": (("member", "set_role"), {"payload": {"role": ["member"]}}),
    "an agenda nested too deep": (
        ("meeting", "summon"),
        {"payload": {"issued_on": "2027-01-01", "agenda": "[" * 100_000 + "]" * 100_000}},
    ),
    # Its successor's number, which replicas look up beside it, fits no database.
    "the last sequence number there is": (("note", "edit"), {"seq": 2**63 - 1}),
}


@pytest.mark.parametrize("found", FOUND)
def test_a_signed_op_the_fuzzing_found_is_refused_and_changes_nothing(
    found: str, world: World, tmp_path: Path
) -> None:
    (kind, action), changes = FOUND[found]
    full = world.seeds[0]
    clerk = full.header["exporter"]
    template = next(w for w in full.ops if (w["kind"], w["action"]) == (kind, action))
    last = [w for w in full.ops if w["device"] == clerk][-1]
    envelope = _envelope(last)
    assert envelope is not None
    op = dict(
        template,
        id=authored_id(clerk),
        seq=last["seq"] + 1,
        prev=op_hash(envelope, last["sig"]),
        hlc=last["hlc"] + 1,
    )
    op.update(changes)
    rehash(op)
    assert resign(op, world.keys)
    with pytest.raises(InvalidOp):
        decode_op(op)

    header = dict(full.header, ops=len(full.ops) + 1)
    _import_is_refused_and_changes_nothing(world, tmp_path, header, [*full.ops, op])


# Headers of the clerk's bundle, sealed anew, that once crashed the import.
FOUND_HEADERS: dict[str, Wire] = {
    # Redeeming signs the invitation's id as UTF-8, which a lone surrogate cannot be.
    "an invitation id that is not text": {
        "invitation": {
            "invite_id": "01a2508e-67dc-85dd-8ee4-58\udfff\ud8003ec0d98a17",
            "token": "_7W2YCs3RfKGko3VEp3vggHetv2Tr5pr",
            "role": "member",
        }
    },
    # Taken as the trailer's position, it counted from the end, past the start.
    "a negative count of changes": {"ops": -(2**63) - 1},
}


@pytest.mark.parametrize("found", FOUND_HEADERS)
def test_a_bundle_header_the_fuzzing_found_is_refused_and_changes_nothing(
    found: str, world: World, tmp_path: Path
) -> None:
    full = world.seeds[0]
    header = {**full.header, "ops": len(full.ops), **FOUND_HEADERS[found]}
    _import_is_refused_and_changes_nothing(world, tmp_path, header, full.ops)


def _import_is_refused_and_changes_nothing(
    world: World, folder: Path, header: Wire, ops: list[Wire]
) -> None:
    laptop = Laptop(folder, world)
    try:
        before = laptop.fingerprint()
        path = folder / "found.moot"
        lines = [_line(header), *(_line(w) for w in ops)]
        path.write_bytes(gzip.compress(_sealed(lines, world.keys[header["exporter"]])))
        with pytest.raises(BundleError):
            import_bundle(store=laptop.store, path=path)
        assert laptop.fingerprint() == before
    finally:
        laptop.close()
