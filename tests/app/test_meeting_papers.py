"""Papers put with agenda items: a clerk attaches a report, every laptop gets the very
same file, the agenda lists it, and what cannot be kept is refused, saying why.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from app.codes import Code
from app.dump import dump
from app.errors import InvalidInput, InvalidOp, NotAllowed, NotFound
from app.ids import uuid7
from app.kinds.meetings import MAX_PAPER
from app.meeting_view import from_record, to_record
from app.papers import render_html
from app.services import groups, meeting_papers, meetings, members
from app.store import Store
from tests.app.test_hostile_ops import forge
from tests.support import deliver, ops_of, snapshot

MakeStore = Callable[[str], Store]
BUDGET = "Budget 2027-28.pdf"


@dataclass
class Council:
    clerk: Store
    councillor: Store  # a member
    group: str
    january: str
    budget: str  # an agenda item


@pytest.fixture
def c(make_store: MakeStore) -> Council:
    """A clerk's laptop and a councillor's, with a January meeting and its budget item."""
    clerk, councillor = make_store("clerk"), make_store("councillor")
    group = groups.create_group(store=clerk, name="Ashby Parish Council")
    members.admit(store=clerk, group_id=group, device=councillor.device_id, display_name="Sam")
    january = meetings.create_meeting(
        store=clerk, group_id=group, title="Parish council", starts_at="2027-01-14T19:30"
    )
    budget = meetings.add_item(store=clerk, meeting_id=january, title="Budget and precept")
    deliver(ops_of(clerk), councillor)
    return Council(clerk, councillor, group, january, budget)


def _papers(store: Store, meeting_id: str, item_id: str) -> list[Any]:
    view = meetings.read_meeting(store=store, meeting_id=meeting_id)
    return list(next(i for i in view.items if i.id == item_id).papers)


def _visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[1]).split())


def test_a_paper_attached_is_saved_back_byte_for_byte_on_every_laptop(c: Council) -> None:
    data = os.urandom(217_000)
    paper = meeting_papers.attach_paper(store=c.clerk, item_id=c.budget, name=BUDGET, data=data)
    assert meeting_papers.paper_file(store=c.clerk, paper_id=paper) == (BUDGET, data)
    [shown] = _papers(c.clerk, c.january, c.budget)
    assert (shown.id, shown.name, shown.size) == (paper, BUDGET, 217_000)
    assert shown.sha256 == hashlib.sha256(data).hexdigest()
    assert shown.media_type == "application/pdf"  # guessed from the name

    deliver(ops_of(c.clerk), c.councillor)
    assert meeting_papers.paper_file(store=c.councillor, paper_id=paper) == (BUDGET, data)
    assert dump(store=c.councillor, group_id=c.group) == dump(store=c.clerk, group_id=c.group)
    # The dump names the file by its hash; its bytes stay out of it.
    [row] = json.loads(dump(store=c.clerk, group_id=c.group))["item_papers"]
    assert row["sha256"] == shown.sha256
    assert "data" not in row


def test_the_agenda_lists_each_items_papers_in_the_order_given(c: Council) -> None:
    meeting_papers.attach_paper(store=c.clerk, item_id=c.budget, name=BUDGET, data=b"%" * 217_000)
    meeting_papers.attach_paper(
        store=c.clerk, item_id=c.budget, name="Reserves.xlsx", data=b"x" * 900, media_type="x/y"
    )
    papers = _papers(c.clerk, c.january, c.budget)
    assert [(p.name, p.media_type) for p in papers] == [
        (BUDGET, "application/pdf"),
        ("Reserves.xlsx", "x/y"),
    ]
    view = meetings.read_meeting(store=c.clerk, meeting_id=c.january)
    text = _visible(render_html("agenda", view))
    assert (
        "Budget and precept Papers: Budget 2027-28.pdf (212 KB) Reserves.xlsx (900 bytes)" in text
    )


def test_a_file_too_large_is_refused_with_its_code_and_nothing_is_written(c: Council) -> None:
    before = snapshot(c.clerk)
    big = b"\0" * 7_800_000
    with pytest.raises(InvalidInput) as refused:
        meeting_papers.attach_paper(store=c.clerk, item_id=c.budget, name="Budget.pdf", data=big)
    assert refused.value.code == Code.TOO_LARGE
    assert str(refused.value) == (
        "“Budget.pdf” is 7.4 MB; a paper can be at most 4 MB. Make it smaller, or share a "
        "link to it in the minutes instead."
    )
    with pytest.raises(InvalidInput, match="4,194,305 bytes") as just_over:
        meeting_papers.attach_paper(
            store=c.clerk, item_id=c.budget, name="a.pdf", data=b"1" * 4194305
        )
    assert just_over.value.code == Code.TOO_LARGE
    with pytest.raises(InvalidInput, match="empty"):
        meeting_papers.attach_paper(store=c.clerk, item_id=c.budget, name="a.pdf", data=b"")
    with pytest.raises(InvalidInput, match="without its folder"):
        meeting_papers.attach_paper(store=c.clerk, item_id=c.budget, name="../a.pdf", data=b"1")
    with pytest.raises(NotFound):
        meeting_papers.attach_paper(store=c.clerk, item_id="no-such-item", name="a.pdf", data=b"1")
    assert snapshot(c.clerk) == before
    # The most there is room for is taken.
    most = meeting_papers.attach_paper(
        store=c.clerk, item_id=c.budget, name="a.pdf", data=b"1" * MAX_PAPER
    )
    assert len(meeting_papers.paper_file(store=c.clerk, paper_id=most)[1]) == MAX_PAPER


def test_a_long_name_is_shortened_keeping_its_extension(c: Council) -> None:
    name = "Report " * 40 + ".pdf"
    paper = meeting_papers.attach_paper(store=c.clerk, item_id=c.budget, name=name, data=b"1")
    saved_as, _ = meeting_papers.paper_file(store=c.clerk, paper_id=paper)
    assert len(saved_as) <= 200
    assert saved_as.endswith("Report.pdf")


def test_approved_minutes_keep_their_papers_and_take_no_more(c: Council) -> None:
    paper = meeting_papers.attach_paper(
        store=c.clerk, item_id=c.budget, name=BUDGET, data=b"1" * 99
    )
    february = meetings.create_meeting(
        store=c.clerk, group_id=c.group, title="Parish council", starts_at="2027-02-11T19:30"
    )
    meetings.approve(store=c.clerk, meeting_id=c.january, at=february)
    before = snapshot(c.clerk)
    with pytest.raises(NotAllowed, match="approved"):
        meeting_papers.attach_paper(store=c.clerk, item_id=c.budget, name="Late.pdf", data=b"1")
    with pytest.raises(NotAllowed, match="approved"):
        meeting_papers.remove_paper(store=c.clerk, paper_id=paper)
    assert snapshot(c.clerk) == before
    [kept] = _papers(c.clerk, c.january, c.budget)
    assert (kept.id, kept.sha256) == (paper, hashlib.sha256(b"1" * 99).hexdigest())
    assert meetings.verify(store=c.clerk, meeting_id=c.january).unchanged


def test_minutes_approved_before_papers_had_hashes_still_read(c: Council) -> None:
    view = meetings.read_meeting(store=c.clerk, meeting_id=c.january)
    record = json.loads(json.dumps(to_record(view)))
    for item in record["items"]:
        item["papers"] = [{"id": "p1", "name": "Old plan.pdf", "size": 1024}]
    old = from_record(record, actions={}, summons_by="2027-01-10")
    assert old.items[0].papers[0].name == "Old plan.pdf"
    assert old.items[0].papers[0].sha256 == ""


def test_a_removed_paper_leaves_the_agenda_on_every_laptop(c: Council) -> None:
    paper = meeting_papers.attach_paper(store=c.clerk, item_id=c.budget, name=BUDGET, data=b"1")
    deliver(ops_of(c.clerk), c.councillor)
    meeting_papers.remove_paper(store=c.clerk, paper_id=paper)
    deliver(ops_of(c.clerk), c.councillor)
    assert _papers(c.councillor, c.january, c.budget) == []
    with pytest.raises(NotFound):
        meeting_papers.paper_file(store=c.councillor, paper_id=paper)
    with pytest.raises(NotFound):
        meeting_papers.remove_paper(store=c.clerk, paper_id=paper)


def test_a_member_cannot_attach_a_paper(c: Council) -> None:
    before = snapshot(c.councillor)
    with pytest.raises(NotAllowed):
        meeting_papers.attach_paper(store=c.councillor, item_id=c.budget, name=BUDGET, data=b"1")
    assert snapshot(c.councillor) == before


def _paper_fields(c: Council, data: bytes, changes: dict[str, Any]) -> dict[str, Any]:
    fields = {
        "item_id": c.budget,
        "name": BUDGET,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "data": base64.b64encode(data).decode(),
    }
    return {**fields, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"sha256": hashlib.sha256(b"something else").hexdigest()},  # not the file it names
        {"size": 3},  # not its size
        {"data": "not base64!"},
        {"data": "SGVsbG9=", "size": 5, "sha256": hashlib.sha256(b"Hello").hexdigest()},
        {"name": "../../.bashrc"},
        {"name": ""},
        {"size": MAX_PAPER + 1},
        {"data": "A" * (4 * MAX_PAPER // 3 + 8)},
    ],
)
def test_a_forged_paper_is_refused_as_malformed_on_every_laptop(
    c: Council, changes: dict[str, Any]
) -> None:
    paper_id = uuid7()
    forged = forge(
        c.clerk,
        c.group,
        "paper",
        paper_id,
        "create",
        _paper_fields(c, b"Hello, council", changes),
        op_id=paper_id,
    )
    before = snapshot(c.councillor)
    with pytest.raises(InvalidOp) as refused:
        deliver([forged], c.councillor)
    assert refused.value.code == Code.MALFORMED
    assert snapshot(c.councillor) == before


def test_a_true_paper_op_written_by_hand_is_taken(c: Council) -> None:
    """The forgery test's control: the same op, unchanged, is a good one."""
    paper_id = uuid7()
    made = forge(
        c.clerk,
        c.group,
        "paper",
        paper_id,
        "create",
        _paper_fields(c, b"Hello, council", {}),
        op_id=paper_id,
    )
    deliver([made], c.councillor)
    assert meeting_papers.paper_file(store=c.councillor, paper_id=paper_id) == (
        BUDGET,
        b"Hello, council",
    )
