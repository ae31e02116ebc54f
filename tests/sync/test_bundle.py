"""Bundles in process: round trips, any order, one-use invitations, bad files, bad clocks."""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.clock import DAY_MS, pack, wall_ms
from app.dump import dump
from app.errors import BundleError, NotAllowed
from app.ops import Op, sign_op
from app.services import discussions, groups, notes
from app.services.members import my_role
from app.store import Store
from sync.bundle import MAGIC, VERSION, export_bundle, import_bundle, read_bundle
from tests.support import ops_of, snapshot

MakeStore = Callable[[str], Store]


def start(store: Store) -> tuple[str, str, str, str]:
    """A group with a discussion and a note; returns (group, discussion, first post, note)."""
    group = groups.create_group(store=store, name="Elm Street Residents")
    discussion, post = discussions.start_discussion(
        store=store, group_id=group, title="Bin day", body="The bins were missed on Tuesday."
    )
    note = notes.create_note(store=store, group_id=group, title="Agenda", body="Apologies\n")
    return group, discussion, post, note


def carry(src: Store, dst: Store, group: str, path: Path, *, invite: str | None = None) -> Any:
    export_bundle(store=src, group_id=group, path=path, invite_role=invite)
    return import_bundle(store=dst, path=path)


def write_bundle(path: Path, exporter: Store, group: str, ops: list[Op]) -> Path:
    """A well-formed bundle of the given ops, sealed by ``exporter``, as export would write."""

    def line(value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"

    header = {
        "format": MAGIC,
        "version": VERSION,
        "group": group,
        "exporter": exporter.device_id,
        "ops": len(ops),
        "invitation": None,
    }
    lines = [line(header), *(line(op.to_wire()) for op in ops)]
    digest = hashlib.sha256(b"".join(lines)).digest()
    trailer = {"sha256": digest.hex(), "signature": exporter.identity.key.sign(digest).hex()}
    path.write_bytes(gzip.compress(b"".join([*lines, line(trailer)])))
    return path


# --- round trips and delivery order -------------------------------------------------


def test_round_trip(make_store: MakeStore, tmp_path: Path) -> None:
    a, b = make_store("a"), make_store("b")
    group, discussion, _, _ = start(a)
    discussions.reply(store=a, discussion_id=discussion, body="I will ring the council.")

    exported = export_bundle(store=a, group_id=group, path=tmp_path / "a.moot")
    bundle = read_bundle(exported.path)
    assert (bundle.group_id, bundle.exporter, bundle.invitation) == (group, a.device_id, None)
    assert bundle.ops == ops_of(a)
    assert exported.ops == len(bundle.ops)

    result = import_bundle(store=b, path=exported.path)
    assert result.group_id == group
    assert result.group_name == "Elm Street Residents"
    assert (result.received, result.waiting) == (exported.ops, 0)
    assert (result.joined_as, result.invitation_refused) == (None, None)
    assert result.role == "removed"  # no invitation: B reads but does not write
    assert dump(store=b, group_id=group) == dump(store=a, group_id=group)


def test_import_is_idempotent(make_store: MakeStore, tmp_path: Path) -> None:
    a, b = make_store("a"), make_store("b")
    group, *_ = start(a)
    path = tmp_path / "a.moot"
    carry(a, b, group, path)
    before = snapshot(b)
    again = import_bundle(store=b, path=path)
    assert (again.received, again.waiting) == (0, 0)
    assert snapshot(b) == before
    # Its own bundle back is nothing new to the exporter either.
    mine = snapshot(a)
    assert import_bundle(store=a, path=path).received == 0
    assert snapshot(a) == mine


def test_bundles_in_either_order_give_the_same_state(make_store: MakeStore, tmp_path: Path) -> None:
    a, b = make_store("a"), make_store("b")
    group, discussion, post, note = start(a)
    assert carry(a, b, group, tmp_path / "invite.moot", invite="member").joined_as == "member"

    # Concurrent work on both laptops, each unseen by the other.
    discussions.reply(store=b, discussion_id=discussion, body="Ours were missed too.")
    notes.append_to_note(store=b, note_id=note, line="Bins: ask about Tuesdays")
    discussions.react(store=b, post_id=post, emoji="👍")
    discussions.reply(store=a, discussion_id=discussion, body="I will ring the council.")
    notes.append_to_note(store=a, note_id=note, line="Bins: ring the council")
    discussions.react(store=a, post_id=post, emoji="👍")
    discussions.update_discussion(store=a, discussion_id=discussion, pinned=True)
    from_a = export_bundle(store=a, group_id=group, path=tmp_path / "a.moot").path
    from_b = export_bundle(store=b, group_id=group, path=tmp_path / "b.moot").path

    c, d = make_store("c"), make_store("d")
    for store, order in ((c, (from_a, from_b)), (d, (from_b, from_a))):
        for path in order:
            import_bundle(store=store, path=path)
    import_bundle(store=a, path=from_b)
    import_bundle(store=b, path=from_a)

    dumps = {dump(store=s, group_id=group) for s in (a, b, c, d)}
    assert len(dumps) == 1
    (final,) = [json.loads(text) for text in dumps]
    assert {"Ours were missed too.", "I will ring the council."} <= {
        p["body"] for p in final["posts"]
    }
    (text,) = [n["text"] for n in final["notes"]]
    assert "Bins: ask about Tuesdays" in text
    assert "Bins: ring the council" in text
    assert len(final["reactions"]) == 2
    assert final["discussions"][0]["pinned"] is True


# --- invitations ------------------------------------------------------------------------


def test_a_used_invitation_is_refused(make_store: MakeStore, tmp_path: Path) -> None:
    a, b, c = make_store("a"), make_store("b"), make_store("c")
    group, discussion, _, _ = start(a)
    invite = tmp_path / "invite.moot"
    assert carry(a, b, group, invite, invite="member").joined_as == "member"
    discussions.reply(store=b, discussion_id=discussion, body="Thanks for having me.")

    # C first hears (from B) that the invitation was used, then tries to use it.
    carry(b, c, group, tmp_path / "b.moot")
    before = snapshot(c)
    result = import_bundle(store=c, path=invite)
    assert result.joined_as is None
    assert result.invitation_refused is not None
    assert "already used" in result.invitation_refused
    assert result.role == my_role(store=c, group_id=group) == "removed"
    assert snapshot(c) == before
    with pytest.raises(NotAllowed, match="organiser"):
        discussions.reply(store=c, discussion_id=discussion, body="Me too?")


def test_when_two_laptops_use_one_invitation_the_earlier_wins_everywhere(
    make_store: MakeStore, tmp_path: Path
) -> None:
    a, b, c = make_store("a"), make_store("b"), make_store("c")
    group, discussion, _, _ = start(a)
    invite = tmp_path / "invite.moot"
    export_bundle(store=a, group_id=group, path=invite, invite_role="member")
    # Neither knows of the other: both join, as far as they can tell, and write.
    for store, body in ((b, "From B."), (c, "From C.")):
        assert import_bundle(store=store, path=invite).joined_as == "member"
        discussions.reply(store=store, discussion_id=discussion, body=body)

    for store in (b, c):
        sent = export_bundle(store=store, group_id=group, path=tmp_path / f"{store.device_id}.moot")
        import_bundle(store=a, path=sent.path)
    back = export_bundle(store=a, group_id=group, path=tmp_path / "a.moot").path
    results = {s.device_id: import_bundle(store=s, path=back) for s in (b, c)}

    redemptions = [op for op in ops_of(a) if (op.kind, op.action) == ("invite", "redeem")]
    assert len(redemptions) == 2
    winner = min(redemptions, key=lambda op: op.order).device
    loser = next(s for s in (b, c) if s.device_id != winner)
    assert results[winner].role == "member"
    assert results[loser.device_id].role == "removed"

    dumps = {dump(store=s, group_id=group) for s in (a, b, c)}
    assert len(dumps) == 1
    final = json.loads(dumps.pop())
    members = {m["device"]: m["role"] for m in final["members"]}
    assert members.get(winner) == "member"
    assert members.get(loser.device_id, "removed") == "removed"
    bodies = {p["body"] for p in final["posts"]}
    won_body = "From B." if winner == b.device_id else "From C."
    lost_body = "From C." if winner == b.device_id else "From B."
    assert won_body in bodies
    assert lost_body not in bodies
    with pytest.raises(NotAllowed):
        discussions.reply(store=loser, discussion_id=discussion, body="Still here?")


# --- writing bundles: all or nothing ---------------------------------------------------


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("invite", [None, "member"])
@pytest.mark.parametrize("where", ["missing folder", "file for a folder"])
def test_export_to_an_unwritable_place_writes_and_changes_nothing(
    make_store: MakeStore, tmp_path: Path, invite: str | None, where: str
) -> None:
    a = make_store("a")
    group, *_ = start(a)
    stick = tmp_path / "stick"
    if where == "file for a folder":
        stick.write_text("not a folder")
    before = snapshot(a)
    with pytest.raises(BundleError, match="stick"):
        export_bundle(store=a, group_id=group, path=stick / "a.moot", invite_role=invite)
    assert stick.exists() == (where == "file for a folder")
    assert stick.is_dir() is False
    # A refused export leaves no invitation behind either: nobody could ever redeem it.
    assert snapshot(a) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores modes")
def test_export_to_a_read_only_folder_writes_nothing(make_store: MakeStore, tmp_path: Path) -> None:
    a = make_store("a")
    group, *_ = start(a)
    folder = tmp_path / "stick"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(BundleError):
            export_bundle(store=a, group_id=group, path=folder / "a.moot")
        assert files_in(folder) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("invite", [None, "member"])
def test_disk_full_leaves_no_partial_file(
    make_store: MakeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, invite: str | None
) -> None:
    a = make_store("a")
    group, *_ = start(a)
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "a.moot").write_bytes(b"last week's bundle")
    before = snapshot(a)

    real_write = gzip.GzipFile.write
    calls = 0

    def write_until_full(self: gzip.GzipFile, data: Any) -> int:
        nonlocal calls
        calls += 1
        if calls > 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(self, data)

    monkeypatch.setattr(gzip.GzipFile, "write", write_until_full)
    with pytest.raises(BundleError, match="nothing was written"):
        export_bundle(store=a, group_id=group, path=folder / "a.moot", invite_role=invite)
    monkeypatch.undo()

    # The old file is untouched and no temporary file is left beside it.
    assert files_in(folder) == ["a.moot"]
    assert (folder / "a.moot").read_bytes() == b"last week's bundle"
    assert snapshot(a) == before


# --- reading bundles: refuse what cannot be trusted ------------------------------------


def test_ops_stamped_days_ahead_are_refused(make_store: MakeStore, tmp_path: Path) -> None:
    a, b = make_store("a"), make_store("b")
    group, discussion, _, _ = start(a)
    carry(a, b, group, tmp_path / "a.moot")

    # A's laptop, its clock three days fast, writes a reply.
    last = ops_of(a)[-1]
    future = sign_op(
        a.identity.key,
        op_id="01a2ffff-0000-7000-8000-000000000001",
        group=group,
        device=a.device_id,
        seq=last.seq + 1,
        prev=last.hash,
        hlc=pack(wall_ms() + 3 * DAY_MS),
        kind="post",
        entity="01a2ffff-0000-7000-8000-000000000001",
        action="create",
        payload={"discussion_id": discussion, "body": "Written on a wrong date."},
    )
    path = write_bundle(tmp_path / "fast.moot", a, group, [*ops_of(a), future])
    assert len(read_bundle(path).ops) == len(ops_of(a)) + 1  # a sound file ...

    before, clock = snapshot(b), b.clock.last
    with pytest.raises(BundleError, match="clock") as refused:
        import_bundle(store=b, path=path)  # ... holding a change from the future
    assert "3 days ahead" in str(refused.value)
    assert "nothing was changed" in str(refused.value)
    assert snapshot(b) == before
    assert b.clock.last == clock

    fresh = make_store("fresh")
    with pytest.raises(BundleError, match="clock"):
        import_bundle(store=fresh, path=path)
    assert groups.list_groups(store=fresh) == []


def test_a_bundle_of_another_groups_ops_is_refused(make_store: MakeStore, tmp_path: Path) -> None:
    a = make_store("a")
    group, *_ = start(a)
    other = groups.create_group(store=a, name="Allotments")
    path = write_bundle(tmp_path / "mixed.moot", a, group, ops_of(a))
    with pytest.raises(BundleError, match="mixes changes of other groups"):
        read_bundle(path)
    assert other != group


@pytest.mark.parametrize(
    "line",
    [
        b"[" * 100_000 + b"]" * 100_000,  # nesting no JSON reader should follow
        b'{"n": ' + b"9" * 5000 + b"}",  # a number longer than Python will convert
        b'{"text": "\\ud800"}',  # a lone surrogate, not text at all
    ],
)
def test_crafted_lines_are_refused_plainly(
    make_store: MakeStore, tmp_path: Path, line: bytes
) -> None:
    a = make_store("a")
    group, *_ = start(a)
    path = write_bundle(tmp_path / "ok.moot", a, group, ops_of(a))
    lines = [x + b"\n" for x in gzip.decompress(path.read_bytes()).split(b"\n")[:-2]]
    lines[1] = line + b"\n"
    # Sealed again by its sender, so only the crafted line itself is wrong.
    digest = hashlib.sha256(b"".join(lines)).digest()
    trailer = {"sha256": digest.hex(), "signature": a.identity.key.sign(digest).hex()}
    path.write_bytes(gzip.compress(b"".join([*lines, json.dumps(trailer).encode()])))
    before = snapshot(a)
    with pytest.raises(BundleError, match=r"damaged|malformed"):
        import_bundle(store=a, path=path)
    assert snapshot(a) == before


def test_a_bundle_without_its_groups_start_is_kept_waiting_and_counts_once_it_comes(
    make_store: MakeStore, tmp_path: Path
) -> None:
    # One contract for imports as for pushes: what cannot take effect yet is kept,
    # waiting, and said so; it is not refused after being stored.
    src, dst = make_store("src"), make_store("dst")
    group, *_ = start(src)
    later = [op for op in ops_of(src) if not (op.kind == "group" and op.action == "create")]
    partial = import_bundle(
        store=dst, path=write_bundle(tmp_path / "later.moot", src, group, later)
    )
    assert not partial.founded
    assert partial.received == len(later)
    assert partial.waiting == len(later)
    assert partial.role == "removed"
    assert groups.list_groups(store=dst) == []  # nothing shows until the group's start does

    whole = carry(src, dst, group, tmp_path / "whole.moot")
    assert whole.founded
    assert whole.group_name == "Elm Street Residents"
    assert whole.received == 1  # only the founding change is new
    assert whole.waiting == 0
    assert dump(store=dst, group_id=group) == dump(store=src, group_id=group)
