"""The ``moot`` command line as scripts see it: real processes, one profile per laptop.

Each call starts Python afresh (about half a second), so the checks are grouped into a
few stories rather than one process per assertion.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.services import discussions, groups, members, polls
from app.store import open_store
from sync.bundle import export_bundle, import_bundle
from tests.moot_cli import REPO, Laptop, profile_state
from ui.cli import build_parser

# --- bundle surgery ------------------------------------------------------------------


def bundle_lines(path: Path) -> list[bytes]:
    return gzip.decompress(path.read_bytes()).split(b"\n")[:-1]


def write_lines(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(gzip.compress(b"".join(line + b"\n" for line in lines)))
    return path


def reseal(lines: list[bytes]) -> list[bytes]:
    """Re-sign a bundle's trailer with a fresh key named as exporter, as a forger would."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    header = json.loads(lines[0]) | {"exporter": public.hex()}
    body = [_line(header), *lines[1:-1]]
    digest = hashlib.sha256(b"".join(line + b"\n" for line in body)).digest()
    return [*body, _line({"sha256": digest.hex(), "signature": key.sign(digest).hex()})]


def _line(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def flip_hex(value: str) -> str:
    return ("1" if value[0] != "1" else "2") + value[1:]


# --- the two-laptop story ------------------------------------------------------------


def test_two_laptops_by_usb_stick(tmp_path: Path) -> None:
    a, b = Laptop(tmp_path / "A"), Laptop(tmp_path / "B")
    stick = tmp_path / "stick"
    stick.mkdir()

    group = a.json("group", "create", "Elm Street Residents")["id"]
    started = a.json("discussion", "start", group, "Bin day", "The bins were missed on Tuesday.")
    discussion, first_post = started["id"], started["post_id"]
    note = a.json("note", "create", group, "Agenda", "Apologies")["id"]
    exported = a.json("bundle", "export", group, stick / "a1.moot", "--invite", "member")
    assert exported["invitation_role"] == "member"

    joined = b.json("bundle", "import", stick / "a1.moot")
    assert joined["joined_as"] == "member"
    assert joined["can_write"] is True
    assert joined["received"] == exported["ops"]

    # Both write before either has seen the other's changes.
    b.json("reply", discussion, "Ours were missed too.")
    b.ok("note", "append", note, "Bins: ask about Tuesdays")
    a.json("reply", discussion, "I will ring the council.")
    a.ok("note", "append", note, "Bins: ring the council")
    a.ok("react", first_post, "👍")

    b.ok("bundle", "export", group, stick / "b1.moot")
    assert a.json("bundle", "import", stick / "b1.moot")["received"] > 0
    a.ok("bundle", "export", group, stick / "a2.moot")
    assert b.json("bundle", "import", stick / "a2.moot")["received"] > 0

    dump_a, dump_b = a.dump(group), b.dump(group)
    assert dump_a == dump_b
    state = json.loads(dump_a)
    bodies = {p["body"] for p in state["posts"]}
    assert {"Ours were missed too.", "I will ring the council."} <= bodies
    (text,) = [n["text"] for n in state["notes"]]
    assert "Apologies" in text
    assert "Bins: ask about Tuesdays" in text
    assert "Bins: ring the council" in text
    assert [(r["post_id"], r["emoji"]) for r in state["reactions"]] == [(first_post, "👍")]
    assert sorted(m["role"] for m in state["members"]) == ["member", "organiser"]


def test_uninvited_laptop_reads_until_admitted(tmp_path: Path) -> None:
    a, b = Laptop(tmp_path / "A"), Laptop(tmp_path / "B")
    group = a.json("group", "create", "Allotment Society")["id"]
    discussion = a.json("discussion", "start", group, "Water butts", "Who has a spare butt?")["id"]
    a.ok("bundle", "export", group, tmp_path / "a1.moot")

    imported = b.json("bundle", "import", tmp_path / "a1.moot")
    assert imported["can_write"] is False
    assert imported["role"] == "removed"
    device = b.json("whoami")["device"]
    assert device in imported["message"]

    # Read-only: the thread and search work ...
    (post,) = b.json("thread", discussion)
    assert post["body"] == "Who has a spare butt?"
    hits = b.json("search", group, "spare")
    assert [h["kind"] for h in hits] == ["post"]
    assert hits[0]["discussion_id"] == discussion
    assert "[spare]" in hits[0]["snippet"]
    # ... writing does not, and says who can change that.
    line = b.refused("reply", discussion, "I have one.")
    assert "organiser" in line
    assert "admit" in line
    assert device in line

    a.ok("member", "admit", group, device, "--name", "Bob")
    a.ok("bundle", "export", group, tmp_path / "a2.moot")
    assert b.json("bundle", "import", tmp_path / "a2.moot")["can_write"] is True
    b.json("reply", discussion, "I have one.")

    # Importing the same bundle again is harmless.
    before = b.dump(group)
    again = b.json("bundle", "import", tmp_path / "a2.moot")
    assert again["received"] == 0
    assert b.dump(group) == before
    state = json.loads(before)
    assert "I have one." in {p["body"] for p in state["posts"]}
    assert {m["device"]: m["display_name"] for m in state["members"]}[device] == "Bob"


# --- one organiser's laptop, for the smaller checks ------------------------------------


@dataclass
class World:
    a: Laptop  # the organiser
    b: Laptop  # a reader holding an older bundle of the group
    group: str
    discussion: str
    poll: str
    bundle: Path  # a good bundle from A with changes B has not seen


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    # Built in process, as the CLI would build it, to save a dozen process starts;
    # the checks that use it go through the CLI.
    root = tmp_path_factory.mktemp("world")
    a, b = Laptop(root / "A"), Laptop(root / "B")
    store_a = open_store(a.data_dir, use_keyring=False)
    store_b = open_store(b.data_dir, use_keyring=False)
    try:
        group = groups.create_group(store=store_a, name="Parish Council")
        discussion, _ = discussions.start_discussion(
            store=store_a, group_id=group, title="Bins", body="The bins were missed again."
        )
        poll = polls.create_poll(
            store=store_a, discussion_id=discussion, question="Complain?", options=["Yes", "No"]
        )
        export_bundle(store=store_a, group_id=group, path=root / "old.moot")
        import_bundle(store=store_b, path=root / "old.moot")
        discussions.reply(
            store=store_a, discussion_id=discussion, body="I will write to the council."
        )
        export_bundle(store=store_a, group_id=group, path=root / "new.moot")
    finally:
        store_a.close()
        store_b.close()
    return World(a, b, group, discussion, poll, root / "new.moot")


def test_snapshot_reads_what_the_cli_prints(world: World) -> None:
    # The refusal checks below compare in-process snapshots; they hold the CLI's own
    # dump and group list.
    state = profile_state(world.a.data_dir)
    assert world.a.dump(world.group) == state["dumps"][world.group] + "\n"
    listed = world.a.json("group", "list")
    assert listed == [dataclasses.asdict(g) for g in state["groups"]]


def test_help_names_every_command(tmp_path: Path) -> None:
    out = Laptop(tmp_path).ok("--help")
    for name in _commands():
        assert name.split()[0] in out


def test_readme_lists_every_command() -> None:
    readme = (REPO / "README.md").read_text()
    missing = [c for c in _commands() if f"moot {c}" not in readme]
    assert not missing, f"README.md does not describe: {missing}"


def _commands() -> list[str]:
    """Every command the parser knows, as 'command' or 'group action'."""
    names = []
    for name, parser in _subparsers(build_parser()).items():
        actions = _subparsers(parser)
        names += [f"{name} {action}" for action in actions] if actions else [name]
    return names


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_poll_and_vote_round_trip(world: World) -> None:
    a = world.a
    poll = a.json("poll", "create", world.discussion, "Meet on?", "Monday", "Thursday")["id"]
    a.ok("vote", poll, "thursday")
    shown = a.json("poll", "show", poll)
    assert shown["options"] == ["Monday", "Thursday"]
    assert shown["counts"] == [0, 1]
    assert shown["my_choices"] == [1]
    a.ok("vote", poll, "1")  # by number: changes the vote, one per member
    shown = a.json("poll", "show", poll)
    assert (shown["counts"], shown["voters"]) == ([1, 0], 1)


def test_search_json_has_snippets(world: World) -> None:
    hits = world.a.json("search", world.group, "bins")
    assert {h["kind"] for h in hits} == {"discussion", "post"}
    assert all(h["discussion_id"] == world.discussion for h in hits)
    assert all(re.search(r"\[bins\]", h["snippet"], re.IGNORECASE) for h in hits)


# --- bad input: one line on stderr, non-zero exit, nothing changed --------------------


def _not_a_bundle(w: World, tmp: Path) -> Path:
    path = tmp / "notes.txt"
    path.write_text("Minutes of the last meeting\n")
    return path


def _cut_short(w: World, tmp: Path) -> Path:
    raw = w.bundle.read_bytes()
    path = tmp / "cut.moot"
    path.write_bytes(raw[: len(raw) // 2])
    return path


def _missing_lines(w: World, tmp: Path) -> Path:
    return write_lines(tmp / "short.moot", bundle_lines(w.bundle)[:-2])


def _tampered(w: World, tmp: Path) -> Path:
    lines = bundle_lines(w.bundle)
    i = next(i for i, line in enumerate(lines) if b"I will write" in line)
    lines[i] = lines[i].replace(b"I will write", b"I will wrote")
    return write_lines(tmp / "tampered.moot", lines)


def _bad_op_signature(w: World, tmp: Path) -> Path:
    lines = bundle_lines(w.bundle)
    op = json.loads(lines[-2])  # the newest op: A's reply, which B does not hold
    assert op["payload"]["body"] == "I will write to the council."
    op["sig"] = flip_hex(op["sig"])
    lines[-2] = _line(op)
    return write_lines(tmp / "forged.moot", reseal(lines))


BAD_IMPORTS = {
    "not a bundle": (_not_a_bundle, ["is not a Moot bundle"]),
    "truncated file": (_cut_short, ["truncated"]),
    "missing lines": (_missing_lines, ["truncated"]),
    "tampered op body": (_tampered, ["has been altered"]),
    # The resealed file is in order; the op inside it is forged, and is refused as such.
    "bad op signature": (_bad_op_signature, ["refused", "signature that does not verify"]),
}


@pytest.mark.parametrize("case", BAD_IMPORTS)
def test_bad_bundle_is_refused_and_changes_nothing(world: World, tmp_path: Path, case: str) -> None:
    make, expected = BAD_IMPORTS[case]
    path = make(world, tmp_path)
    before = profile_state(world.b.data_dir)
    line = world.b.refused("bundle", "import", path)
    assert all(words in line for words in expected), line
    assert profile_state(world.b.data_dir) == before


BAD_COMMANDS: dict[str, tuple[list[str], str]] = {
    "empty title": (["discussion", "start", "{group}", "   ", "Body"], "title cannot be empty"),
    "empty reply": (["reply", "{discussion}", ""], "reply cannot be empty"),
    "unknown discussion": (["reply", "01a2-no-such-discussion", "Hello"], "No discussion"),
    "unknown group": (["search", "01a2-no-such-group", "bins"], "No group"),
    "unknown option": (["vote", "{poll}", "Maybe"], "no option 'Maybe'"),
    "option out of range": (["vote", "{poll}", "3"], "no option '3'"),
    "export to a missing folder": (["bundle", "export", "{group}", "{nowhere}"], "Cannot write"),
    "export with an invitation to a missing folder": (
        ["bundle", "export", "{group}", "{nowhere}", "--invite", "member"],
        "Cannot write",
    ),
}


@pytest.mark.parametrize("case", BAD_COMMANDS)
def test_bad_command_is_refused_and_changes_nothing(world: World, case: str) -> None:
    template, expected = BAD_COMMANDS[case]
    ids = {
        "group": world.group,
        "discussion": world.discussion,
        "poll": world.poll,
        "nowhere": str(world.bundle.parent / "no-such-stick" / "a.moot"),
    }
    args = [arg.format(**ids) for arg in template]
    before = profile_state(world.a.data_dir)
    line = world.a.refused(*args)
    assert expected in line
    assert profile_state(world.a.data_dir) == before


def test_a_bundle_without_the_groups_start_is_kept_and_said_so(tmp_path: Path) -> None:
    a, b = Laptop(tmp_path / "A"), Laptop(tmp_path / "B")
    group = a.json("group", "create", "Elm Street Residents")["id"]
    a.json("discussion", "start", group, "Bin day", "The bins were missed on Tuesday.")
    whole = tmp_path / "whole.moot"
    a.json("bundle", "export", group, whole)
    lines = bundle_lines(whole)
    kept = [
        line
        for line in lines[1:-1]
        if not (json.loads(line)["kind"] == "group" and json.loads(line)["action"] == "create")
    ]
    header = json.loads(lines[0]) | {"ops": len(kept)}
    partial = write_lines(tmp_path / "partial.moot", reseal([_line(header), *kept, lines[-1]]))

    said = b.ok("bundle", "import", partial)  # exit 0: kept, waiting, not refused
    assert f"Kept {len(kept)} changes of group {group}" in said
    assert "wait for the change that starts the group" in said
    assert b.json("group", "list") == []
    imported = b.json("bundle", "import", whole)
    assert imported["received"] == 1
    assert imported["founded"] is True
    assert b.dump(group) == a.dump(group)


def test_members_are_listed_by_interest_with_what_each_wrote(tmp_path: Path) -> None:
    laptop = Laptop(tmp_path / "A")
    store = open_store(laptop.data_dir, use_keyring=False)
    try:
        group = groups.create_group(store=store, name="Allotment Society")
        members.update_profile(store=store, group_id=group, interests=["Allotments", "Bees"])
        discussions.start_discussion(store=store, group_id=group, title="Seeds", body="Swap?")
    finally:
        store.close()
    [me] = laptop.json("member", "list", group, "--interest", "allotments")
    assert (me["interests"], me["posts"], me["started"]) == (["Allotments", "Bees"], 1, 1)
    assert laptop.json("member", "list", group, "--interest", "hedgehogs") == []
