"""A clerk's meeting record, from agenda to approved minutes, on laptops that merge.

Laptops are profiles on disk; ops pass between them as a sync or a bundle would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from app.dump import dump
from app.errors import InvalidInput, NotAllowed, NotFound
from app.services import groups, meetings, members
from app.store import Store
from tests.support import deliver, ops_of, snapshot

MakeStore = Callable[[str], Store]


@dataclass
class Council:
    clerk: Store
    councillor: Store  # a member
    group: str


@pytest.fixture
def council(make_store: MakeStore) -> Council:
    clerk, councillor = make_store("clerk"), make_store("councillor")
    groups.set_my_name(store=clerk, name="Jo Clerk")
    group = groups.create_group(store=clerk, name="Ashby Parish Council")
    members.admit(store=clerk, group_id=group, device=councillor.device_id, display_name="Sam Hill")
    deliver(ops_of(clerk), councillor)
    return Council(clerk, councillor, group)


def _meeting(c: Council, when: str = "2027-01-14T19:30", **kw: object) -> str:
    return meetings.create_meeting(
        store=c.clerk, group_id=c.group, title="Parish council", starts_at=when, **kw
    )


def _item(store: Store, meeting_id: str, standard: str) -> str:
    view = meetings.read_meeting(store=store, meeting_id=meeting_id)
    return next(i.id for i in view.items if i.standard == standard)


def test_a_meeting_goes_from_agenda_to_signed_minutes(council: Council) -> None:
    c = council
    january = _meeting(c, place="Village hall", chair="Sam Hill")
    view = meetings.read_meeting(store=c.clerk, meeting_id=january)
    assert [i.title for i in view.items] == [
        "Apologies for absence",
        "Declarations of interest",
        "Minutes of the last meeting",
        "Public participation",
        "Actions from previous meetings",
    ]
    # A Thursday meeting: Wednesday, Tuesday and Monday are its three clear days, so the
    # summons goes out by Sunday 10 January.
    assert view.summons_by == "2027-01-10"
    assert (view.chair, view.clerk, view.place) == ("Sam Hill", "Jo Clerk", "Village hall")

    precept = meetings.add_item(store=c.clerk, meeting_id=january, title="Precept 2027/28")
    staffing = meetings.add_item(
        store=c.clerk,
        meeting_id=january,
        title="Clerk's salary",
        exempt=True,
        exempt_reason="staffing matters",
    )
    meetings.set_attendance(store=c.clerk, meeting_id=january, member="Sam Hill", status="present")
    meetings.set_attendance(store=c.clerk, meeting_id=january, member="Jo Clerk", status="present")
    meetings.declare(
        store=c.clerk,
        item_id=precept,
        member="Sam Hill",
        kind="other_registrable",
        nature="Trustee of the village hall, which the precept funds",
    )
    meetings.minute(store=c.clerk, item_id=precept, text="The clerk presented the budget.")
    meetings.minute(store=c.clerk, item_id=precept, text="Members discussed the reserves.")
    carried = meetings.resolve(
        store=c.clerk,
        item_id=precept,
        text="RESOLVED that the precept be set at £24,500",
        votes_for=5,
        votes_against=2,
        abstain=1,
        proposer="Sam Hill",
    )
    fell = meetings.resolve(
        store=c.clerk,
        item_id=precept,
        text="that the precept be £30,000",
        votes_for=1,
        votes_against=6,
    )
    meetings.add_action(
        store=c.clerk,
        item_id=precept,
        text="Send the precept demand",
        owner="Jo Clerk",
        due="2027-01-31",
    )
    meetings.minute(store=c.clerk, item_id=staffing, text="The salary review was agreed.")

    view = meetings.read_meeting(store=c.clerk, meeting_id=january)
    item = next(i for i in view.items if i.id == precept)
    assert item.number == 6
    assert item.minute_number == "26/1"  # the council year that began in May 2026
    assert item.minutes == "The clerk presented the budget.\n\nMembers discussed the reserves.\n"
    by_id = {r.id: r for r in item.resolutions}
    assert by_id[carried].carried
    assert by_id[carried].text == "the precept be set at £24,500"
    assert (by_id[carried].vote.for_, by_id[carried].vote.against) == (5, 2)
    assert by_id[carried].proposer == "Sam Hill"
    assert not by_id[fell].carried
    assert [d.name for d in item.declarations] == ["Sam Hill"]
    assert next(i for i in view.items if i.id == staffing).exempt
    assert {(a.name, a.status) for a in view.attendees} == {
        ("Sam Hill", "present"),
        ("Jo Clerk", "present"),
    }

    meetings.circulate(store=c.clerk, meeting_id=january)
    february = _meeting(c, "2027-02-11T19:30")
    with pytest.raises(InvalidInput, match="later meeting"):
        meetings.approve(store=c.clerk, meeting_id=february, at=january)
    meetings.approve(store=c.clerk, meeting_id=january, at=february)
    approved = meetings.read_meeting(store=c.clerk, meeting_id=january)
    assert approved.stage == "approved"
    assert approved.approval is not None
    assert approved.approval.at_title == "Parish council"
    assert meetings.verify(store=c.clerk, meeting_id=january).unchanged
    # The approval is a resolution of February's "minutes of the last meeting" item.
    feb = meetings.read_meeting(store=c.clerk, meeting_id=february)
    approving = next(i for i in feb.items if i.standard == "last_minutes")
    assert "14 January 2027 be approved as a true record" in approving.resolutions[0].text
    # January's open action is carried onto February's agenda.
    carried_on = next(i for i in feb.items if i.standard == "actions")
    assert [a.text for a in carried_on.actions] == ["Send the precept demand"]

    meetings.sign(store=c.clerk, meeting_id=january, chair="Sam Hill", signed_at="2027-02-11T21:05")
    signed = meetings.read_meeting(store=c.clerk, meeting_id=january)
    assert signed.stage == "signed"
    assert signed.signature is not None
    assert (signed.signature.chair, signed.signature.signed_at) == ("Sam Hill", "2027-02-11T21:05")
    # Whoever holds the log holds the same record.
    deliver(ops_of(c.clerk), c.councillor)
    assert dump(store=c.councillor, group_id=c.group) == dump(store=c.clerk, group_id=c.group)
    assert meetings.read_meeting(store=c.councillor, meeting_id=january) == signed
    assert meetings.verify(store=c.councillor, meeting_id=january).unchanged


def test_approved_minutes_refuse_every_change_but_an_actions_progress(council: Council) -> None:
    c = council
    january, february = _meeting(c), _meeting(c, "2027-02-11T19:30")
    item = meetings.add_item(store=c.clerk, meeting_id=january, title="Bus shelter")
    action = meetings.add_action(store=c.clerk, item_id=item, text="Get three quotes")
    meetings.approve(store=c.clerk, meeting_id=january, at=february)
    before = snapshot(c.clerk)
    refused: list[Callable[[], object]] = [
        lambda: meetings.minute(store=c.clerk, item_id=item, text="An afterthought."),
        lambda: meetings.add_item(store=c.clerk, meeting_id=january, title="Another"),
        lambda: meetings.resolve(store=c.clerk, item_id=item, text="that x", unanimous=True),
        lambda: meetings.set_attendance(
            store=c.clerk, meeting_id=january, member="Sam Hill", status="absent"
        ),
        lambda: meetings.update_meeting(store=c.clerk, meeting_id=january, title="Renamed"),
        lambda: meetings.approve(store=c.clerk, meeting_id=january, at=february),
    ]
    for change in refused:
        with pytest.raises(NotAllowed, match="approved"):
            change()
        assert snapshot(c.clerk) == before
    meetings.set_action_status(store=c.clerk, action_id=action, status="done")
    [logged] = meetings.action_log(store=c.clerk, group_id=c.group)
    assert logged.action.status == "done"
    shown = meetings.read_meeting(store=c.clerk, meeting_id=january)
    assert [a.status for i in shown.items for a in i.actions] == ["done"]
    assert meetings.verify(store=c.clerk, meeting_id=january).unchanged


def test_a_change_written_offline_after_the_approval_is_refused_on_every_laptop(
    council: Council, make_store: MakeStore
) -> None:
    c = council
    deputy = make_store("deputy")
    members.admit(store=c.clerk, group_id=c.group, device=deputy.device_id, role="clerk")
    january, february = _meeting(c), _meeting(c, "2027-02-11T19:30")
    item = meetings.add_item(store=c.clerk, meeting_id=january, title="Allotments")
    deliver(ops_of(c.clerk), deputy)
    meetings.approve(store=c.clerk, meeting_id=january, at=february)
    # The deputy clerk, not yet synced, adds a line after the approval was stamped.
    meetings.minute(store=deputy, item_id=item, text="Added later, offline.")
    third = make_store("third")
    # One laptop takes the late line first and the approval after; another the reverse.
    deliver(ops_of(deputy), third)
    deliver(ops_of(c.clerk), third)
    deliver(ops_of(deputy), c.clerk)
    for store in (c.clerk, third):
        view = meetings.read_meeting(store=store, meeting_id=january)
        assert all("Added later" not in i.minutes for i in view.items)
        assert meetings.verify(store=store, meeting_id=january).unchanged
    assert dump(store=third, group_id=c.group) == dump(store=c.clerk, group_id=c.group)


def test_a_clerk_and_a_member_minuting_one_item_offline_both_keep_their_words(
    council: Council,
) -> None:
    c = council
    meeting = _meeting(c, members_draft=True)
    item = meetings.add_item(store=c.clerk, meeting_id=meeting, title="Speedwatch")
    deliver(ops_of(c.clerk), c.councillor)
    meetings.set_minutes(store=c.clerk, item_id=item, text="Volunteers were thanked.\n")
    meetings.set_minutes(store=c.councillor, item_id=item, text="Twelve sessions were held.\n")
    deliver(ops_of(c.councillor), c.clerk)
    deliver(ops_of(c.clerk), c.councillor)
    for store in (c.clerk, c.councillor):
        text = next(
            i.minutes
            for i in meetings.read_meeting(store=store, meeting_id=meeting).items
            if i.id == item
        )
        assert "Volunteers were thanked." in text
        assert "Twelve sessions were held." in text
    assert dump(store=c.clerk, group_id=c.group) == dump(store=c.councillor, group_id=c.group)


def test_members_read_meetings_but_only_clerks_keep_them(council: Council) -> None:
    c = council
    meeting = _meeting(c)
    item = _item(c.clerk, meeting, "apologies")
    deliver(ops_of(c.clerk), c.councillor)
    before = snapshot(c.councillor)
    with pytest.raises(NotAllowed, match="Only clerks and organisers"):
        meetings.create_meeting(
            store=c.councillor, group_id=c.group, title="Rival", starts_at="2027-03-01T19:00"
        )
    with pytest.raises(NotAllowed, match="Only the clerk minutes"):
        meetings.minute(store=c.councillor, item_id=item, text="Apologies from nobody.")
    assert snapshot(c.councillor) == before
    assert meetings.read_meeting(store=c.councillor, meeting_id=meeting).title == "Parish council"


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        (
            lambda c, m, i: meetings.resolve(store=c.clerk, item_id=i, text="that x", votes_for=-1),
            InvalidInput,
            "negative",
        ),
        (
            lambda c, m, i: meetings.resolve(
                store=c.clerk, item_id=i, text="that x", votes_for=3, votes_against=2, casting="for"
            ),
            InvalidInput,
            "only on a tie",
        ),
        (
            lambda c, m, i: meetings.resolve(store=c.clerk, item_id=i, text="that x"),
            InvalidInput,
            "Give the vote",
        ),
        (
            lambda c, m, i: meetings.set_attendance(
                store=c.clerk, meeting_id=m, member="Nobody Atall", status="present"
            ),
            NotFound,
            "No member",
        ),
        (
            lambda c, m, i: meetings.set_attendance(
                store=c.clerk, meeting_id=m, member="Sam Hill", status="asleep"
            ),
            InvalidInput,
            "Unknown attendance",
        ),
        (
            lambda c, m, i: meetings.create_meeting(
                store=c.clerk, group_id=c.group, title="X", starts_at="next Tuesday"
            ),
            InvalidInput,
            "not a date and time",
        ),
        (
            lambda c, m, i: meetings.add_action(
                store=c.clerk, item_id=i, text="Do it", due="31/01/2027"
            ),
            InvalidInput,
            "not a date",
        ),
        (
            lambda c, m, i: meetings.minute(store=c.clerk, item_id="no-such-item", text="x"),
            NotFound,
            "No agenda item",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    council: Council,
    change: Callable[[Council, str, str], object],
    error: type[Exception],
    words: str,
) -> None:
    meeting = _meeting(council)
    item = _item(council.clerk, meeting, "apologies")
    before = snapshot(council.clerk)
    with pytest.raises(error, match=words):
        change(council, meeting, item)
    assert snapshot(council.clerk) == before


def test_minutes_changed_behind_the_apps_back_are_caught(council: Council) -> None:
    c = council
    january, february = _meeting(c), _meeting(c, "2027-02-11T19:30")
    item = meetings.add_item(store=c.clerk, meeting_id=january, title="Grit bins")
    meetings.minute(store=c.clerk, item_id=item, text="Two new grit bins were agreed.")
    meetings.approve(store=c.clerk, meeting_id=january, at=february)
    path = c.clerk.settings.data_dir / "moot.db"
    assert meetings.verify(store=c.clerk, meeting_id=january).unchanged

    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "UPDATE meetings SET record = replace(record, 'Two new', 'No new') WHERE id = ?",
            (january,),
        )
    raw.close()
    checked = meetings.verify(store=c.clerk, meeting_id=january)
    assert not checked.unchanged
    assert any("not the ones approved" in p for p in checked.problems)
    assert meetings.read_meeting(store=c.clerk, meeting_id=january).altered


def test_minutes_saved_over_a_stale_base_keep_words_that_arrived_meanwhile(
    council: Council,
) -> None:
    c = council
    meeting = _meeting(c, members_draft=True)
    item = meetings.add_item(store=c.clerk, meeting_id=meeting, title="Speedwatch")
    meetings.set_minutes(store=c.clerk, item_id=item, text="Volunteers were thanked.\n")
    deliver(ops_of(c.clerk), c.councillor)
    seen = "Volunteers were thanked.\n"  # what the clerk's editor shows while typing
    meetings.set_minutes(
        store=c.councillor, item_id=item, text="Volunteers were thanked.\nTwelve sessions.\n"
    )
    deliver(ops_of(c.councillor), c.clerk)  # arrives while the clerk types
    typed = "Volunteers were warmly thanked.\n"
    merged = meetings.set_minutes(store=c.clerk, item_id=item, text=typed, base=seen)
    assert "warmly thanked" in merged
    assert "Twelve sessions." in merged
    stored = next(
        i.minutes
        for i in meetings.read_meeting(store=c.clerk, meeting_id=meeting).items
        if i.id == item
    )
    assert stored == merged


def test_the_summons_goes_out_with_the_public_agenda(council: Council) -> None:
    c = council
    meeting = _meeting(c, when="2099-01-14T19:30")
    meetings.add_item(store=c.clerk, meeting_id=meeting, title="Grit bins")
    meetings.add_item(store=c.clerk, meeting_id=meeting, title="Staffing", exempt=True)
    assert meetings.read_meeting(store=c.clerk, meeting_id=meeting).summons_sent is None
    assert meetings.issue_summons(store=c.clerk, meeting_id=meeting, issued_on="2099-01-08") == (
        "2099-01-08"
    )
    deliver(ops_of(c.clerk), c.councillor)
    for store in (c.clerk, c.councillor):
        assert meetings.read_meeting(store=store, meeting_id=meeting).summons_sent == "2099-01-08"
    [summons] = [op for op in ops_of(c.clerk) if op.action == "summon"]
    agenda = summons.fields["agenda"]
    assert "Grit bins" in agenda
    assert "Staffing" not in agenda  # Part II is never in what is published

    # Not after the meeting, not by a member, and not once the minutes are approved.
    before = snapshot(c.clerk)
    with pytest.raises(InvalidInput, match="before the meeting"):
        meetings.issue_summons(store=c.clerk, meeting_id=meeting, issued_on="2099-02-01")
    assert snapshot(c.clerk) == before
    later = _meeting(c, when="2099-02-11T19:30")
    meetings.approve(store=c.clerk, meeting_id=meeting, at=later)
    with pytest.raises(NotAllowed):
        meetings.issue_summons(store=c.clerk, meeting_id=meeting)
