"""Approved minutes published by a real hub on loopback, as residents read them.

One council for the module, on SQLite and then on PostgreSQL where there is one: a
clerk and a member join; January's meeting is minuted (with a confidential Part II
item), approved at February's and signed by the chair; February's is approved at
March's, unsigned; March's is left a draft. The pages need no token and no protocol
header. The last test loads each page in headless Chromium and runs axe-core over it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from app.canonical import canonical_json
from app.meeting_view import to_record
from app.ops import sign_op
from app.services import meetings
from app.services.groups import set_my_name
from app.store import Store, open_store
from sync import hubs
from sync.client import HubClient
from sync.engine import sync_group
from tests.browser_support import axe_violations
from tests.hubs import (
    create_group,
    hub_on,
    link_token,
    make_invite,
    pull_all,
)
from tests.support import ops_of

EXEMPT_TITLE = "Staffing: the clerk's contract"
EXEMPT_MINUTE = "The council discussed the clerk's salary grade in confidence."
PRECEPT_MINUTE = "The council considered the budget for 2027/28."
RESOLVED = "the precept for 2027/28 be set at £24,500"
TRICKY = "Bins & <script>alert('x')</script> benches"
AGENDA_SECRET = "Land at Mill Lane: the offer"


@dataclass(frozen=True)
class Council:
    url: str
    group: str
    clerk: Store
    member: Store
    january: str
    february: str
    march: str
    april: str


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def council(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Council]:
    root = tmp_path_factory.mktemp("published")
    clerk = open_store(root / "clerk", use_keyring=False)
    member = open_store(root / "member", use_keyring=False)
    set_my_name(store=clerk, name="Jo Clerk")
    set_my_name(store=member, name="Sam Chair")
    try:
        with hub_on(request.param, root) as (url, db):
            group = create_group(db, "Ashby <Parish> Council")
            hubs.join_hub(store=clerk, hub_url=url, code=make_invite(db, group, role="clerk"))
            hubs.join_hub(store=member, hub_url=url, code=make_invite(db, group))
            sync_group(clerk, group)

            def meeting(title: str, when: str) -> str:
                return meetings.create_meeting(
                    store=clerk, group_id=group, title=title, starts_at=when
                )

            january = meeting("January council", "2027-01-14T19:30")
            february = meeting("February council", "2027-02-11T19:30")
            march = meeting("March council", "2027-03-11T19:30")
            april = meeting("April council", "2027-04-08T19:30")
            for who, status in (("Sam Chair", "present"), ("Jo Clerk", "apologies")):
                meetings.set_attendance(store=clerk, meeting_id=january, member=who, status=status)
            precept = meetings.add_item(store=clerk, meeting_id=january, title="Precept")
            meetings.declare(
                store=clerk,
                item_id=precept,
                member="Sam Chair",
                kind="other_registrable",
                nature="a trustee of the village hall",
            )
            meetings.minute(store=clerk, item_id=precept, text=PRECEPT_MINUTE)
            meetings.resolve(store=clerk, item_id=precept, text=RESOLVED, votes_for=6)
            meetings.resolve(
                store=clerk,
                item_id=precept,
                text="the hall's grant be doubled",
                recorded=[("Sam Chair", "against"), ("Jo Clerk", "for")],
                casting="against",
            )
            meetings.add_action(
                store=clerk,
                item_id=precept,
                text="Tell the district",
                owner="Jo Clerk",
                due="2027-01-31",
            )
            tricky = meetings.add_item(store=clerk, meeting_id=january, title=TRICKY)
            meetings.minute(store=clerk, item_id=tricky, text="New <benches> & bins.")
            staffing = meetings.add_item(
                store=clerk,
                meeting_id=january,
                title=EXEMPT_TITLE,
                exempt=True,
                exempt_reason="staffing",
            )
            meetings.minute(store=clerk, item_id=staffing, text=EXEMPT_MINUTE)
            meetings.approve(store=clerk, meeting_id=january, at=february)
            meetings.sign(
                store=clerk, meeting_id=january, chair="Sam Chair", signed_at="2027-02-11T21:00"
            )
            meetings.minute(
                store=clerk,
                item_id=meetings.add_item(store=clerk, meeting_id=february, title="Footpaths"),
                text="The footpath by the mill is to be cleared.",
            )
            meetings.approve(store=clerk, meeting_id=february, at=march)  # not signed
            draft = meetings.add_item(store=clerk, meeting_id=march, title="Allotments")
            meetings.minute(store=clerk, item_id=draft, text="Draft words about allotments.")
            meetings.issue_summons(store=clerk, meeting_id=march, issued_on="2027-03-04")
            # April's summons goes out, then again with another item on the agenda.
            meetings.add_item(store=clerk, meeting_id=april, title="Speed watch")
            meetings.add_item(store=clerk, meeting_id=april, title=AGENDA_SECRET, exempt=True)
            meetings.issue_summons(store=clerk, meeting_id=april, issued_on="2027-03-30")
            meetings.add_item(store=clerk, meeting_id=april, title="Dog bins")
            meetings.issue_summons(store=clerk, meeting_id=april, issued_on="2027-04-01")
            sync_group(clerk, group)
            sync_group(member, group)
            yield Council(url, group, clerk, member, january, february, march, april)
    finally:
        clerk.close()
        member.close()


def _get(council: Council, path: str) -> requests.Response:
    # As a browser asks: no token, no protocol header.
    return requests.get(council.url + path, timeout=30)


def test_the_index_lists_approved_minutes_only(council: Council) -> None:
    answer = _get(council, f"/groups/{council.group}/minutes")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    page = answer.text
    assert '<html lang="en-GB">' in page
    assert "<title>Meetings — Ashby &lt;Parish&gt; Council</title>" in page
    assert "<h1>Meetings</h1>" in page
    assert "<h2>Approved minutes</h2>" in page
    assert f'<a href="minutes/{council.january}">Thursday 14 January 2027: January council</a>' in (
        page
    )
    assert "Signed by the chair." in page
    assert f'<a href="minutes/{council.february}">Thursday 11 February 2027: February council' in (
        page
    )
    assert page.index(council.february) < page.index(council.january)  # newest first
    approved = page.split("<h2>Approved minutes</h2>")[1]
    for unapproved in ("March council", "April council"):
        assert unapproved not in approved
    assert "<Parish>" not in page


def test_issued_agendas_are_listed_soonest_first_until_their_minutes_are_approved(
    council: Council,
) -> None:
    page = _get(council, f"/groups/{council.group}/minutes").text
    agendas = page.split("<h2>Agendas</h2>")[1].split("<h2>")[0]
    assert f'<a href="agendas/{council.march}">Thursday 11 March 2027: March council</a>' in (
        agendas
    )
    assert agendas.index(council.march) < agendas.index(council.april)
    for approved in (council.january, council.february):
        assert approved not in agendas


def test_an_agenda_page_shows_the_latest_summons_without_part_two(council: Council) -> None:
    answer = _get(council, f"/groups/{council.group}/agendas/{council.april}")
    assert answer.status_code == 200
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    page = answer.text
    assert "<h1>Summons and agenda: April council</h1>" in page
    assert "Issued Thursday 1 April 2027." in page  # the second summons stands
    assert "Speed watch" in page
    assert "Dog bins" in page
    assert AGENDA_SECRET not in page
    assert "Mill Lane" not in page
    # Minutes written meanwhile are never in an agenda.
    march = _get(council, f"/groups/{council.group}/agendas/{council.march}").text
    assert "Allotments" in march
    assert "Draft words" not in march
    # A meeting whose summons has not gone out has no agenda page.
    missing = _get(council, f"/groups/{council.group}/agendas/no-such-meeting")
    assert missing.status_code == 404
    assert "its summons has not been issued yet" in missing.text


def test_the_minutes_page_shows_the_approved_record(council: Council) -> None:
    answer = _get(council, f"/groups/{council.group}/minutes/{council.january}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    page = answer.text
    assert "<h1>Minutes: January council</h1>" in page
    assert PRECEPT_MINUTE in page
    assert "RESOLVED" in page
    assert "£24,500" in page
    assert "Approved as a true record at February council on Thursday 11 February 2027." in page
    assert "Approval recorded by Jo Clerk" in page
    assert "Sam Chair" in page  # the chair's signature
    assert "DRAFT" not in page
    # Everything from the log is escaped.
    assert "<script>" not in page
    assert "Bins &amp; &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; benches" in page
    assert "New &lt;benches&gt; &amp; bins." in page


def test_exempt_business_is_in_the_record_but_never_published(council: Council) -> None:
    token = link_token(council.clerk, council.group)
    [approval] = [
        e["op"]
        for e in pull_all(council.url, council.group, token)
        if e["op"]["kind"] == "meeting"
        and e["op"]["action"] == "approve"
        and e["op"]["entity"] == council.january
    ]
    record = json.loads(approval["payload"]["record"])
    exempt = [i for i in record["items"] if i["exempt"]]
    assert [(i["title"], i["minutes"].strip()) for i in exempt] == [(EXEMPT_TITLE, EXEMPT_MINUTE)]

    page = _get(council, f"/groups/{council.group}/minutes/{council.january}").text
    index = _get(council, f"/groups/{council.group}/minutes").text
    for text in (page, index):
        for secret in ("Staffing", "salary", "contract", "staffing"):
            assert secret not in text
    assert "Part II items are minuted separately." in page


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/groups/{group}/minutes/{march}", "no approved minutes of that meeting"),
        ("/groups/{group}/minutes/no-such-meeting", "no approved minutes of that meeting"),
        ("/groups/no-such-group/minutes", "no such group"),
        ("/groups/no-such-group/minutes/{january}", "no approved minutes"),
        ("/groups/{group}/minutes/" + "x" * 200, "no such minutes"),
    ],
)
def test_what_is_not_published_is_a_plain_not_found_page(
    council: Council, path: str, said: str
) -> None:
    answer = _get(
        council, path.format(group=council.group, march=council.march, january=council.january)
    )
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in answer.text
    assert said in answer.text
    assert "Draft words" not in answer.text


def test_an_approval_pushed_by_a_member_is_not_published(council: Council) -> None:
    member, group = council.member, council.group
    sync_group(member, group)
    record = canonical_json(
        to_record(meetings.read_meeting(store=member, meeting_id=council.march))
    )
    mine = [op for op in ops_of(member) if op.device == member.device_id]
    forged = sign_op(
        member.identity.key,
        op_id="01a2ffff-0000-7000-8000-00000000a99e",
        group=group,
        device=member.device_id,
        seq=len(mine) + 1,
        prev=mine[-1].hash if mine else None,
        hlc=member.clock.now(),
        kind="meeting",
        entity=council.march,
        action="approve",
        payload={"at": council.april, "content_hash": _sha256(record), "record": record},
    )
    [answer] = (
        HubClient(council.url, link_token(member, group)).push(group, [forged.to_wire()]).results
    )
    assert answer.status == "accepted"  # kept, waiting, as laptops keep it: it counts for nothing

    index = _get(council, f"/groups/{group}/minutes").text
    assert "March council" not in index.split("<h2>Approved minutes</h2>")[1]
    page = _get(council, f"/groups/{group}/minutes/{council.march}")
    assert page.status_code == 404
    assert "Draft words" not in page.text
    # The clerk's laptop agrees: March is not approved.
    sync_group(council.clerk, group)
    assert meetings.read_meeting(store=council.clerk, meeting_id=council.march).approval is None


# --- real headless Chromium with axe-core (tests/browser_support.py) ---------------------


@pytest.mark.parametrize(
    "path",
    [
        "/groups/{group}/minutes",
        "/groups/{group}/minutes/{january}",
        "/groups/{group}/agendas/{april}",
        "/groups/{group}/minutes/{march}",  # not found
    ],
)
def test_axe_finds_no_accessibility_violations_in_chromium(
    council: Council, browser: Any, path: str
) -> None:
    url = council.url + path.format(
        group=council.group, january=council.january, march=council.march, april=council.april
    )
    browser.get(url)
    assert browser.find_element("css selector", "h1").text
    violations = axe_violations(browser)
    assert violations == [], f"axe found {len(violations)} kinds of violation on {url}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
