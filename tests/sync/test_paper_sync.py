"""Papers through a real hub and in a bundle: large files arrive whole on another laptop.

A paper travels in its op, up to 5.6 MB of text; a few of them are more than a hub
takes in one request, so pushes are cut by size and pull pages stop at a size too.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import create_engine, text

from app import hub_links
from app.codes import Code
from app.dump import dump
from app.errors import BundleError
from app.ids import uuid7
from app.kinds.meetings import MAX_PAPER
from app.services import meeting_papers, meetings
from app.store import Store
from sync import bundle, hubs
from sync.bundle import export_bundle, import_bundle
from sync.client import HubClient
from sync.engine import PUSH_BYTES, sync_group
from sync.hub import service
from sync.hub.settings import HubSettings
from tests.app.test_hostile_ops import forge
from tests.hubs import (
    create_group,
    link_token,
    make_invite,
    migrate,
    pg_url_or_skip,
    postgres_database,
    running_hub,
    sqlite_hub,
)
from tests.support import snapshot

MakeStore = Callable[[str], Store]
PAPERS = 6
PAPER_SIZE = 3_000_000  # bytes: about 4 MB as text; all six, more than one request holds


class Recording(HubClient):
    """A hub client that keeps the size of each push and each pulled page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pushes: list[int] = []
        self.pages: list[int] = []

    def push(self, group_id: str, wire_ops: list[dict[str, Any]]) -> Any:
        self.pushes.append(len(orjson.dumps({"ops": wire_ops})))
        return super().push(group_id, wire_ops)

    def pull_raw(self, group_id: str, *, after: int, limit: int) -> bytes:
        raw = super().pull_raw(group_id, after=after, limit=limit)
        self.pages.append(len(raw))
        return raw


@pytest.fixture(params=["sqlite", "postgres"])
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A running hub: (base URL, database URL), on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        with sqlite_hub(tmp_path) as found:
            yield found
        return
    with postgres_database(pg_url_or_skip()) as db:
        migrate(db)
        with running_hub(db) as url:
            yield url, db


def _meeting_of(store: Store, group: str) -> str:
    [meeting] = meetings.list_meetings(store=store, group_id=group)
    return meeting.id


def _agenda_with_papers(clerk: Store, group: str) -> dict[str, bytes]:
    """A meeting whose items carry the papers; paper id -> the file's bytes."""
    meeting = meetings.create_meeting(
        store=clerk, group_id=group, title="Parish council", starts_at="2027-01-14T19:30"
    )
    files = {}
    for n in range(PAPERS):
        item = meetings.add_item(store=clerk, meeting_id=meeting, title=f"Plans {n}")
        data = os.urandom(PAPER_SIZE)
        paper = meeting_papers.attach_paper(
            store=clerk, item_id=item, name=f"Plans {n}.pdf", data=data
        )
        files[paper] = data
    return files


def test_papers_made_on_one_laptop_arrive_whole_on_another_through_the_hub(
    hub: tuple[str, str], make_store: MakeStore
) -> None:
    url, db = hub
    clerk, member = make_store("clerk"), make_store("member")
    group = create_group(db, "Ashby Parish Council")
    hubs.join_hub(store=clerk, hub_url=url, code=make_invite(db, group, role="clerk"))
    files = _agenda_with_papers(clerk, group)
    item = meetings.add_item(store=clerk, meeting_id=_meeting_of(clerk, group), title="Map")
    most = os.urandom(MAX_PAPER)  # the largest a paper may be still goes in one request
    files[meeting_papers.attach_paper(store=clerk, item_id=item, name="Map.pdf", data=most)] = most

    sending = Recording(url, link_token(clerk, group))
    sent = sync_group(clerk, group, client=sending)
    assert sent.rejected == 0
    assert len(sending.pushes) >= PAPERS + 1  # about 4 MB each or more: one paper a push
    assert max(sending.pushes) < HubSettings(db_url="", key_file=Path()).max_body_bytes

    receiving = Recording(url)
    hubs.join_hub(store=member, hub_url=url, code=make_invite(db, group), client=receiving)
    assert len(receiving.pages) >= 2  # 24 MB of papers: more than one page holds
    assert max(receiving.pages) <= service.PAGE_BYTES + 100
    for paper, data in files.items():
        name, got = meeting_papers.paper_file(store=member, paper_id=paper)
        assert got == data
        assert name == meeting_papers.paper_file(store=clerk, paper_id=paper)[0]
    sync_group(clerk, group)
    assert dump(store=member, group_id=group) == dump(store=clerk, group_id=group)


def test_a_pull_page_stops_at_its_size_and_holds_one_op_at_least(
    hub: tuple[str, str], make_store: MakeStore
) -> None:
    url, db = hub
    clerk = make_store("clerk")
    group = create_group(db, "Ashby Parish Council")
    hubs.join_hub(store=clerk, hub_url=url, code=make_invite(db, group, role="clerk"))
    meeting = meetings.create_meeting(
        store=clerk, group_id=group, title="Parish council", starts_at="2027-01-14T19:30"
    )
    item = meetings.add_item(store=clerk, meeting_id=meeting, title="Plans")
    for n in range(3):
        meeting_papers.attach_paper(store=clerk, item_id=item, name=f"{n}.pdf", data=b"p" * 30_000)
    sync_group(clerk, group)

    engine = create_engine(db)
    try:
        with engine.begin() as conn:
            log = conn.execute(
                text("SELECT seq, kind, wire FROM hub_ops WHERE group_id = :g ORDER BY seq"),
                {"g": group},
            ).all()

            def page(after: int, most: int) -> list[int]:
                raw = service.pull(conn, group_id=group, after=after, limit=5_000, max_bytes=most)
                return [e["seq"] for e in orjson.loads(raw)["ops"]]

            # Each op's share of a page, as the hub counts it.
            sizes = [len(f'{{"seq":{seq},"op":{wire}}}'.encode()) + 1 for seq, _k, wire in log]
            first = next(n for n, row in enumerate(log) if row.kind == "paper")
            upto = sum(sizes[: first + 1])
            assert page(0, upto) == [row.seq for row in log[: first + 1]]
            assert page(0, upto - 1) == [row.seq for row in log[:first]]
            seqs: list[int] = []
            while len(seqs) < len(log):
                one = page(seqs[-1] if seqs else 0, 1)
                assert len(one) == 1  # too small for any op: one op a page
                seqs += one
            assert page(0, service.PAGE_BYTES) == [row.seq for row in log]
    finally:
        engine.dispose()
    assert seqs == [row.seq for row in log]


def test_a_forged_paper_is_refused_by_the_hub_as_malformed(
    hub: tuple[str, str], make_store: MakeStore
) -> None:
    url, db = hub
    clerk = make_store("clerk")
    group = create_group(db, "Ashby Parish Council")
    hubs.join_hub(store=clerk, hub_url=url, code=make_invite(db, group, role="clerk"))
    meeting = meetings.create_meeting(
        store=clerk, group_id=group, title="Parish council", starts_at="2027-01-14T19:30"
    )
    item = meetings.add_item(store=clerk, meeting_id=meeting, title="Plans")
    sync_group(clerk, group)
    paper_id = uuid7()
    fields = {
        "item_id": item,
        "name": "Plans.pdf",
        "size": 5,
        "sha256": hashlib.sha256(b"other").hexdigest(),
        "data": "SGVsbG8=",  # "Hello"
    }
    forged = forge(clerk, group, "paper", paper_id, "create", fields, op_id=paper_id)
    [answer] = HubClient(url, link_token(clerk, group)).push(group, [forged.to_wire()]).results
    assert (answer.status, answer.code) == ("rejected", Code.MALFORMED)
    assert "hash" in (answer.reason or "")


def test_papers_travel_in_a_bundle_byte_for_byte(make_store: MakeStore, tmp_path: Path) -> None:
    from app.services import groups, members

    clerk, member = make_store("clerk"), make_store("member")
    group = groups.create_group(store=clerk, name="Ashby Parish Council")
    members.admit(store=clerk, group_id=group, device=member.device_id, display_name="Sam")
    files = _agenda_with_papers(clerk, group)
    export_bundle(store=clerk, group_id=group, path=tmp_path / "january.moot")
    import_bundle(store=member, path=tmp_path / "january.moot")
    for paper, data in files.items():
        assert meeting_papers.paper_file(store=member, paper_id=paper)[1] == data
    assert dump(store=member, group_id=group) == dump(store=clerk, group_id=group)


def test_a_push_is_cut_by_size_and_always_carries_one_op() -> None:
    from sync.engine import _within_bytes

    small = {"id": "a", "payload": {"text": "x" * 100}}
    large = {"id": "b", "payload": {"data": "x" * (PUSH_BYTES + 10)}}
    assert _within_bytes([large, small], PUSH_BYTES) == [large]
    assert _within_bytes([small, large, small], PUSH_BYTES) == [small]
    assert _within_bytes([small] * 3, PUSH_BYTES) == [small] * 3


def test_a_history_larger_than_a_bundle_carries_is_refused_before_any_file_is_written(
    make_store: MakeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import groups

    clerk = make_store("clerk")
    group = groups.create_group(store=clerk, name="Ashby Parish Council")
    _agenda_with_papers(clerk, group)
    monkeypatch.setattr(bundle, "MAX_BYTES", 10 * 1024 * 1024)
    before = snapshot(clerk)
    with pytest.raises(BundleError, match="sync it through its hub") as refused:
        export_bundle(store=clerk, group_id=group, path=tmp_path / "all.moot", invite_role="member")
    assert refused.value.code == Code.TOO_LARGE
    assert list(tmp_path.iterdir()) == [tmp_path / "clerk"]
    assert snapshot(clerk) == before  # the invitation was not made


def test_the_outbox_is_read_no_further_than_a_push_takes(make_store: MakeStore) -> None:
    from app.services import groups

    clerk = make_store("clerk")
    group = groups.create_group(store=clerk, name="Ashby Parish Council")
    files = _agenda_with_papers(clerk, group)
    with clerk.read() as db:
        everything = hub_links.outbox(db, clerk.sealer, group, 500)
        some = hub_links.outbox(db, clerk.sealer, group, 500, max_chars=PUSH_BYTES)
        first = next(op.id for op in everything if op.kind == "paper")
        later = hub_links.outbox(db, clerk.sealer, group, 500, skip={first}, max_chars=1)
    papers = [op.id for op in everything if op.kind == "paper"]
    assert sorted(papers) == sorted(files)
    # Up to the first paper: the second would take it past what one push sends.
    assert [op.id for op in some] == [op.id for op in everything][: len(some)]
    assert [op.id for op in some if op.kind == "paper"] == [first]
    assert [op.id for op in later] == [next(op.id for op in everything if op.id != first)]
