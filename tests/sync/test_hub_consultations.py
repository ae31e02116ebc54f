"""The council's consultations end to end: a real hub on loopback, laptops syncing with it,
and the ``moot-hub consultation`` commands, on SQLite and then on PostgreSQL where there
is one.

The story, once for the module: the council consults Ashby, Bree and Cole on a play
area (with a document), and Ashby alone on speed limits. Ashby's clerk answers at a
meeting and amends twice offline, sending both amendments in one push; a member of
Ashby forges a response of their own (it counts for nothing); the consultation's
closing day passes and Bree's organiser responds late; Cole never answers. An officer
tags and notes an answer, the responses are exported, and "You said, we did" goes to
the groups that responded. Dale has taken the hub's organiser role away, so nothing
can be published to it.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select, update

from app import hub_links
from app.ids import authored_id
from app.ops import Op, sign_op
from app.services import consultations as laptop
from app.services import discussions, groups, meetings, members
from app.services.groups import set_my_name
from app.store import Store, open_store
from sync import hubs
from sync.client import HubClient
from sync.engine import sync_group
from sync.hub import tables as t
from sync.hub.consultation_responses import Report, report, set_note
from sync.hub.db import make_engine
from sync.hub.overview import open_consultations
from tests.hubs import (
    create_group,
    hub_command,
    hub_device,
    hub_on,
    in_group,
    make_invite,
    sqlite_hub,
)
from tests.support import ops_of, pdf_text

QUESTIONS: list[dict[str, Any]] = [
    {"type": "text", "text": "What should the new play area include?"},
    {"type": "choice", "text": "Where should it go?", "options": ["Glebe field", "The green"]},
    {"type": "multi", "text": "Which ages?", "options": ["Under 5", "5 to 11", "Over 11"]},
    {"type": "scale", "text": "The council should fund it from the precept."},
]
TITLE = "Play area on Glebe field"
FIRST_ANSWER = "Swings & a <b>zip wire</b>"
AMENDED = '=HYPERLINK("http://evil") swings, a zip wire and benches'
BREE_ANSWER = "A sandpit, please."
FEEDBACK = "You asked for swings and a zip wire; both are in the plans."


@dataclass(frozen=True)
class Council:
    url: str
    db: str
    root: Path
    ashby: str
    bree: str
    cole: str
    dale: str
    play: str  # the play-area consultation
    speed: str  # Ashby's second consultation
    clerk: Store  # Ashby's clerk
    member: Store  # an Ashby member
    organiser: Store  # Bree's organiser
    forged: Op  # the member's submission
    amendments: tuple[str, str]  # the clerk's two amendments, sent in one push
    bree_submission: str
    publish_to_dale: subprocess.CompletedProcess[str]
    dale_ops_before: int
    dale_ops_after: int


def moot_hub(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        hub_command(db, *args),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def ok(db: str, *args: str) -> dict[str, Any]:
    done = moot_hub(db, *args, "--json")
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def _token(store: Store, group: str) -> str:
    with store.read() as db:
        link = hub_links.get_link(db, store.sealer, group)
    assert link is not None
    return link.token


def _ops_in(db: str, group: str) -> int:
    engine = make_engine(db)
    try:
        with engine.begin() as tx:
            return int(
                tx.execute(
                    select(func.count()).select_from(t.ops).where(t.ops.c.group_id == group)
                ).scalar_one()
            )
    finally:
        engine.dispose()


def _set_closes(db: str, consultation: str, closes: str) -> None:
    """The closing day as though it had passed (the hub refuses to set one gone by)."""
    engine = make_engine(db)
    try:
        with engine.begin() as tx:
            tx.execute(
                update(t.consultations)
                .where(t.consultations.c.id == consultation)
                .values(closes=closes)
            )
    finally:
        engine.dispose()


def _forge_submit(member: Store, group: str, consultation: str) -> Op:
    """A member's own submission, signed by their key: the writer would refuse it."""
    mine = sorted(
        (op for op in ops_of(member) if op.device == member.device_id and op.group == group),
        key=lambda op: op.seq,
    )
    return sign_op(
        member.identity.key,
        op_id=authored_id(member.device_id),
        group=group,
        device=member.device_id,
        seq=len(mine) + 1,
        prev=mine[-1].hash if mine else None,
        hlc=member.clock.now(),
        kind="consultation",
        entity=consultation,
        action="submit",
        payload={
            "answers": [{"question": 1, "text": "The member's own view", "choice": []}],
            "how": "organiser",
            "name": "Pat Member",
        },
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def council(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Council]:
    root = tmp_path_factory.mktemp("consultations")
    stores = {
        name: open_store(root / name, use_keyring=False)
        for name in ("clerk", "member", "organiser", "dale")
    }
    clerk, member, organiser, dale_organiser = stores.values()
    set_my_name(store=clerk, name="Jo Clerk")
    set_my_name(store=member, name="Pat Member")
    set_my_name(store=organiser, name="Sam Organiser")
    set_my_name(store=dale_organiser, name="Dee Organiser")
    try:
        with hub_on(request.param, root) as (url, db):
            ashby = create_group(db, "Ashby Parish Council")
            bree = create_group(db, "Bree Residents")
            cole = create_group(db, "Cole Allotments")
            dale = create_group(db, "Dale Youth Club")
            hubs.join_hub(store=clerk, hub_url=url, code=make_invite(db, ashby, role="clerk"))
            hubs.join_hub(store=member, hub_url=url, code=make_invite(db, ashby))
            hubs.join_hub(
                store=organiser, hub_url=url, code=make_invite(db, bree, role="organiser")
            )
            hubs.join_hub(
                store=dale_organiser, hub_url=url, code=make_invite(db, dale, role="organiser")
            )
            # Dale's organiser takes the hub's role away.
            members.change_role(
                store=dale_organiser, group_id=dale, device=hub_device(url), role="member"
            )
            sync_group(dale_organiser, dale)

            questions = root / "questions.json"
            questions.write_text(json.dumps(QUESTIONS))
            background = root / "background.md"
            background.write_text("The council has money for **one** play area.\n")
            plan = root / "Site plan.pdf"
            plan.write_bytes(b"%PDF-1.4\n% a plan of the site\n")
            closes = (date.today() + timedelta(days=30)).isoformat()
            play = ok(
                db,
                "consultation",
                "create",
                "--title",
                TITLE,
                "--closes",
                closes,
                "--groups",
                f"{ashby},{bree},{cole}",
                "--questions",
                str(questions),
                "--background",
                str(background),
                "--contact",
                "Parks team, 01234 567890",
                "--publication",
                "anonymised",
                "--document",
                str(plan),
            )["id"]
            ok(db, "consultation", "publish", play, "--public-url", url)
            speed = ok(
                db,
                "consultation",
                "create",
                "--title",
                "Speed limits",
                "--closes",
                closes,
                "--groups",
                ashby,
                "--questions",
                str(questions),
            )["id"]
            ok(db, "consultation", "publish", speed)

            dale_ops_before = _ops_in(db, dale)
            to_dale = ok(
                db,
                "consultation",
                "create",
                "--title",
                "Youth club hours",
                "--closes",
                closes,
                "--groups",
                f"{ashby},{dale}",
                "--questions",
                str(questions),
            )["id"]
            publish_to_dale = moot_hub(db, "consultation", "publish", to_dale)
            dale_ops_after = _ops_in(db, dale)

            for store, group in ((clerk, ashby), (member, ashby), (organiser, bree)):
                sync_group(store, group)

            # Ashby's clerk answers at its February meeting and sends the response...
            february = meetings.create_meeting(
                store=clerk, group_id=ashby, title="February council", starts_at="2027-02-11T19:30"
            )

            def answer(store: Store, group: str, n: int, value: str) -> None:
                laptop.answer(
                    store=store,
                    consultation_id=in_group(db, play, group),
                    question=n,
                    value=value,
                    group_id=group,
                )

            answer(clerk, ashby, 1, FIRST_ANSWER)
            answer(clerk, ashby, 2, "Glebe field")
            answer(clerk, ashby, 3, "Under 5; 5 to 11")
            answer(clerk, ashby, 4, "2")

            def submit(store: Store, group: str, **how: Any) -> str:
                entity = in_group(db, play, group)
                return laptop.submit(store=store, consultation_id=entity, group_id=group, **how).id

            at_meeting = {
                "how": "meeting",
                "meeting": february,
                "minute": "24/117",
                "votes_for": 6,
                "votes_against": 1,
                "votes_abstain": 0,
                "dissent": "Cllr Hall preferred the green.",
            }
            submit(clerk, ashby, **at_meeting)
            sync_group(clerk, ashby)
            # ...then amends it twice offline: both go up in one push.
            answer(clerk, ashby, 1, "Swings and a zip wire")
            first = submit(clerk, ashby, **at_meeting)
            answer(clerk, ashby, 1, AMENDED)
            second = submit(clerk, ashby, **at_meeting)
            sync_group(clerk, ashby)

            # A member's own response: kept, as laptops keep it, counting for nothing.
            forged = _forge_submit(member, ashby, in_group(db, play, ashby))
            [pushed] = HubClient(url, _token(member, ashby)).push(ashby, [forged.to_wire()]).results
            assert pushed.status == "accepted"

            # The closing day passes; Bree responds all the same.
            _set_closes(db, play, (date.today() - timedelta(days=1)).isoformat())
            answer(organiser, bree, 1, BREE_ANSWER)
            answer(organiser, bree, 2, "The green")
            answer(organiser, bree, 3, "Under 5")
            bree_submission = submit(organiser, bree, how="organiser")
            sync_group(organiser, bree)

            yield Council(
                url=url,
                db=db,
                root=root,
                ashby=ashby,
                bree=bree,
                cole=cole,
                dale=dale,
                play=play,
                speed=speed,
                clerk=clerk,
                member=member,
                organiser=organiser,
                forged=forged,
                amendments=(first, second),
                bree_submission=bree_submission,
                publish_to_dale=publish_to_dale,
                dale_ops_before=dale_ops_before,
                dale_ops_after=dale_ops_after,
            )
    finally:
        for store in stores.values():
            store.close()


def _report(council: Council, consultation: str | None = None) -> Report:
    engine = make_engine(council.db)
    try:
        with engine.begin() as tx:
            return report(tx, consultation or council.play)
    finally:
        engine.dispose()


# --- what the groups receive -----------------------------------------------------------


def test_a_laptop_has_the_consultation_pinned_in_a_consultations_category(
    council: Council,
) -> None:
    store, group = council.clerk, council.ashby
    [category] = [
        c for c in groups.list_categories(store=store, group_id=group) if c.name == "Consultations"
    ]
    listed = discussions.list_discussions(store=store, group_id=group, category_id=category.id)
    titles = {d.title: d for d in listed}
    assert set(titles) == {TITLE, "Speed limits"}  # the second reuses the category
    play = titles[TITLE]
    assert play.pinned
    [opening] = discussions.thread(store=store, discussion_id=play.id)[:1]
    body = opening.body
    assert "The council has money for **one** play area." in body
    for n, q in enumerate(QUESTIONS, 1):
        assert f"{n}. {q['text']}" in body
    assert "   - Glebe field" in body
    assert "   - Strongly agree" in body
    assert "**Closes on " in body
    assert "Contact: Parks team, 01234 567890" in body
    assert f"- [Site plan.pdf](<{council.url}/consultations/{council.play}/documents/" in body

    entity = in_group(council.db, council.play, group)
    view = laptop.read_consultation(store=store, consultation_id=entity, group_id=group)
    assert view.summary.discussion_id == play.id
    assert [q.text for q in view.questions] == [q["text"] for q in QUESTIONS]
    assert view.publication == "anonymised"
    [document] = view.documents
    assert document["name"] == "Site plan.pdf"
    assert document["url"].startswith(f"{council.url}/consultations/{council.play}/documents/")


def test_a_laptop_in_two_consulted_groups_has_it_in_each(tmp_path: Path) -> None:
    """Every op id is held once on a laptop, whatever its group: the consultation is a
    thing of its own in each group's log, and both groups' syncs go through.
    """
    store = open_store(tmp_path / "both", use_keyring=False)
    try:
        set_my_name(store=store, name="Kim Both")
        with sqlite_hub(tmp_path) as (url, db):
            ashby, bree = create_group(db, "Ashby"), create_group(db, "Bree")
            for group in (ashby, bree):
                hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group, role="clerk"))
            questions = tmp_path / "questions.json"
            questions.write_text(json.dumps(QUESTIONS))
            closes = (date.today() + timedelta(days=30)).isoformat()
            made = ok(db, "consultation", "create", "--title", TITLE, "--closes", closes,
                      "--groups", f"{ashby},{bree}", "--questions", str(questions))  # fmt: skip
            ok(db, "consultation", "publish", made["id"])
            outcomes = hubs.sync_all(store=store)
            assert [type(o).__name__ for o in outcomes] == ["GroupSynced", "GroupSynced"]
            ids = {g: in_group(db, made["id"], g) for g in (ashby, bree)}
            assert ids[ashby] != ids[bree]
            for group in (ashby, bree):
                [listed] = laptop.list_consultations(store=store, group_id=group)
                assert (listed.id, listed.title) == (ids[group], TITLE)
            laptop.answer(store=store, consultation_id=ids[bree], question=1, value="Benches.")
            laptop.submit(store=store, consultation_id=ids[bree], how="organiser")
            hubs.sync_all(store=store)
            [listed] = laptop.list_consultations(store=store, group_id=bree)
            assert listed.status.startswith("Received by the council")
            [listed] = laptop.list_consultations(store=store, group_id=ashby)
            assert listed.status == "Not answered yet"
    finally:
        store.close()


def test_each_consulted_group_has_it_and_the_category_once(council: Council) -> None:
    for store, group in ((council.clerk, council.ashby), (council.organiser, council.bree)):
        names = [c.name for c in groups.list_categories(store=store, group_id=group)]
        assert names.count("Consultations") == 1
        listed = laptop.list_consultations(store=store, group_id=group)
        assert TITLE in {c.title for c in listed}
    bree_titles = {
        c.title for c in laptop.list_consultations(store=council.organiser, group_id=council.bree)
    }
    assert "Speed limits" not in bree_titles


def test_a_group_that_took_the_hubs_role_away_is_named_and_nothing_is_published(
    council: Council,
) -> None:
    refused = council.publish_to_dale
    assert refused.returncode != 0
    [line] = refused.stderr.strip().splitlines()
    assert "Dale Youth Club" in line
    assert "Nothing was published" in line
    assert council.dale_ops_after == council.dale_ops_before
    listed = ok(council.db, "consultation", "list")["consultations"]
    [youth] = [c for c in listed if c["title"] == "Youth club hours"]
    assert youth["status"] == "draft"  # Ashby was not written to either
    ashby_titles = {
        c.title for c in laptop.list_consultations(store=council.clerk, group_id=council.ashby)
    }
    assert "Youth club hours" not in ashby_titles


# --- responses and their receipts --------------------------------------------------------


def test_the_clerks_response_is_received_and_the_laptop_has_the_receipt(
    council: Council,
) -> None:
    ops = ops_of(council.clerk)
    receipts = {
        op.fields["submission"]: op.fields
        for op in ops
        if (op.kind, op.action) == ("consultation", "receive")
    }
    # Three submissions, each receipted; the two amendments came in one push.
    submits = [
        op.id
        for op in ops
        if (op.kind, op.action) == ("consultation", "submit")
        and op.group == council.ashby
        and op.device == council.clerk.device_id
    ]
    assert len(submits) == 3
    assert set(submits) <= set(receipts)
    assert all(r["late"] is False for r in receipts.values() if r["submission"] in submits)
    view = laptop.read_consultation(
        store=council.clerk,
        consultation_id=in_group(council.db, council.play, council.ashby),
        group_id=council.ashby,
    )
    assert view.summary.stage == "received"
    assert view.submissions[0].id == council.amendments[1]
    assert view.submissions[0].late is False


def test_a_late_response_is_marked_late(council: Council) -> None:
    view = laptop.read_consultation(
        store=council.organiser,
        consultation_id=in_group(council.db, council.play, council.bree),
        group_id=council.bree,
    )
    assert view.submissions[0].id == council.bree_submission
    assert view.submissions[0].late is True
    found = _report(council).responses[council.bree]
    assert found is not None
    assert found.late is True
    assert found.received_ms is not None


def test_a_members_submission_counts_for_nothing(council: Council) -> None:
    found = _report(council).responses[council.ashby]
    assert found is not None
    assert found.submission == council.amendments[1]  # not the member's, though later
    assert found.name == "Jo Clerk"
    sync_group(council.member, council.ashby)
    receipts = [
        op for op in ops_of(council.member) if (op.kind, op.action) == ("consultation", "receive")
    ]
    assert council.forged.id not in {op.fields["submission"] for op in receipts}


def test_responses_side_by_side_with_the_latest_submission_of_each_group(
    council: Council,
) -> None:
    found = _report(council)
    assert [g.name for g, _r in found.responding] == ["Ashby Parish Council", "Bree Residents"]
    assert found.responses[council.cole] is None
    ashby = found.responses[council.ashby]
    assert ashby is not None
    assert ashby.amendments == 2
    first = ashby.answer(1)
    assert first is not None
    assert first.text == AMENDED
    assert (ashby.how, ashby.meeting_title, ashby.meeting_date, ashby.minute) == (
        "meeting",
        "February council",
        "2027-02-11",
        "24/117",
    )
    assert (ashby.votes_for, ashby.votes_against, ashby.votes_abstain) == (6, 1, 0)
    assert ashby.dissent == "Cllr Hall preferred the green."
    assert ashby.late is False
    where = found.shares(2)
    assert where is not None
    assert where.answered == 2
    assert [(s.option, s.count, s.percent) for s in where.options] == [
        ("Glebe field", 1, 50.0),
        ("The green", 1, 50.0),
    ]
    ages = found.shares(3)
    assert ages is not None
    assert [(s.option, s.count) for s in ages.options] == [
        ("Under 5", 2),
        ("5 to 11", 1),
        ("Over 11", 0),
    ]
    scale = found.shares(4)
    assert scale is not None
    assert scale.answered == 1
    assert {s.option: s.count for s in scale.options}["Agree"] == 1
    assert found.shares(1) is None


def test_open_consultations_are_counted_per_group(council: Council) -> None:
    engine = make_engine(council.db)
    try:
        with engine.begin() as tx:
            everyone = [str(g) for g in tx.execute(select(t.groups.c.id)).scalars()]
            counts = open_consultations(tx, everyone)
    finally:
        engine.dispose()
    # The play area's closing day has passed; Ashby's speed limits are still open.
    assert counts == {council.ashby: 1}


# --- exports and the commands ----------------------------------------------------------


@pytest.fixture(scope="module")
def noted(council: Council) -> Council:
    engine = make_engine(council.db)
    try:
        with engine.begin() as tx:
            set_note(
                tx,
                consultation_id=council.play,
                group_id=council.ashby,
                question=1,
                tags=["play", "budget"],
                note="Costed at £40k.",
                officer_id=None,
            )
    finally:
        engine.dispose()
    return council


def test_csv_export_reads_back(noted: Council, tmp_path: Path) -> None:
    path = tmp_path / "responses.csv"
    ok(noted.db, "consultation", "responses", noted.play, "--csv", str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 * len(QUESTIONS)
    first = rows[0]
    assert first["Group"] == "Ashby Parish Council"
    assert first["Submitted by"] == "Jo Clerk"  # the officer's export shows who, anonymised or not
    assert first["How agreed"] == "At a meeting"
    assert first["Meeting"] == "February council, 11 February 2027"
    assert first["Minute"] == "24/117"
    assert first["Votes"] == "6 for, 1 against, 0 abstaining"
    assert first["Late"] == "On time"
    assert first["Question number"] == "1"
    assert first["Question"] == QUESTIONS[0]["text"]
    assert first["Answer"] == "'" + AMENDED  # never a formula in a spreadsheet
    assert (first["Tags"], first["Note"]) == ("play, budget", "Costed at £40k.")
    assert rows[1]["Choices"] == "Glebe field"
    assert rows[2]["Choices"] == "Under 5; 5 to 11"
    bree = [r for r in rows if r["Group"] == "Bree Residents"]
    assert bree[0]["Answer"] == BREE_ANSWER
    assert bree[0]["Late"] == "Late"
    assert bree[0]["How agreed"] == "By the organiser"


def test_xlsx_export_opens(noted: Council, tmp_path: Path) -> None:
    path = tmp_path / "responses.xlsx"
    ok(noted.db, "consultation", "responses", noted.play, "--xlsx", str(path))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Summary"
    assert len(book.sheetnames) == 1 + len(QUESTIONS)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b
    summary = book["Summary"]
    groups_listed = [summary.cell(row=r, column=1).value for r in range(2, summary.max_row + 1)]
    assert groups_listed == ["Ashby Parish Council", "Bree Residents", "Cole Allotments"]
    assert summary.cell(row=4, column=2).value == "No response yet"
    q1 = book.worksheets[1]
    assert q1.title.startswith("Q1 What should")
    assert q1["B2"].value == AMENDED
    assert q1["B2"].data_type == "s"
    assert q1["E2"].value == "play, budget"
    q2 = book.worksheets[2]
    assert q2["H4"].value == "Option"
    assert (q2["H5"].value, q2["I5"].value, q2["J5"].value) == ("Glebe field", 1, 0.5)
    assert q2.column_dimensions["B"].width >= 10


def test_pdf_export_has_the_responses(noted: Council, tmp_path: Path) -> None:
    path = tmp_path / "responses.pdf"
    ok(noted.db, "consultation", "responses", noted.play, "--pdf", str(path))
    assert path.read_bytes().startswith(b"%PDF")
    text = " ".join(pdf_text(path).split())
    assert f"{TITLE}: responses" in text
    assert "Ashby Parish Council" in text
    assert "Bree Residents (late)" in text
    assert "What should the new play area include?" in text
    assert "Glebe field 1 50%" in text
    assert "Costed at £40k." in text
    assert "Cole Allotments No response yet" in text


def test_responses_read_on_the_command_line(noted: Council) -> None:
    done = moot_hub(noted.db, "consultation", "responses", noted.play)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "2 of 3 groups have responded." in out
    assert "Bree Residents: submitted by Sam Organiser" in out
    assert "(late)" in out
    assert "Cole Allotments: no response yet" in out
    assert "  Glebe field: 1 of 2 (50%)" in out
    answered = ok(noted.db, "consultation", "responses", noted.play)
    assert [r["group"] for r in answered["responses"]] == ["Ashby Parish Council", "Bree Residents"]
    assert answered["responses"][1]["late"] is True
    listed = ok(noted.db, "consultation", "list")["consultations"]
    play = next(c for c in listed if c["id"] == noted.play)
    assert (play["status"], play["responses"], len(play["groups"])) == ("closed", 2, 3)


# --- "You said, we did" -------------------------------------------------------------------


def test_feedback_arrives_in_each_responding_groups_discussion(noted: Council) -> None:
    text = noted.root / "feedback.md"
    text.write_text(FEEDBACK)
    told = ok(noted.db, "consultation", "feedback", noted.play, "--text", str(text))
    assert told["groups"] == ["Ashby Parish Council", "Bree Residents"]
    again = moot_hub(noted.db, "consultation", "feedback", noted.play, "--text", str(text))
    assert again.returncode != 0
    assert "published already" in again.stderr
    for store, group in ((noted.clerk, noted.ashby), (noted.organiser, noted.bree)):
        sync_group(store, group)
        entity = in_group(noted.db, noted.play, group)
        view = laptop.read_consultation(store=store, consultation_id=entity, group_id=group)
        assert view.feedback == FEEDBACK
        posts = discussions.thread(store=store, discussion_id=view.summary.discussion_id)
        assert posts[-1].body == f"**You said, we did**\n\n{FEEDBACK}"
    engine = make_engine(noted.db)
    try:
        with engine.begin() as tx:
            cole_posts = tx.execute(
                select(func.count())
                .select_from(t.ops)
                .where(t.ops.c.group_id == noted.cole, t.ops.c.kind == "post")
            ).scalar_one()
    finally:
        engine.dispose()
    assert cole_posts == 1  # its opening post only: Cole did not respond


# --- refusals on the command line: one line, nothing written --------------------------------


def _counts(db: str) -> tuple[int, int, int]:
    engine = make_engine(db)
    try:
        with engine.begin() as tx:
            return tuple(  # type: ignore[return-value]
                int(tx.execute(select(func.count()).select_from(table)).scalar_one())
                for table in (t.consultations, t.audit, t.ops)
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("questions", "groups", "closes", "says"),
    [
        ("[{", None, None, "is not JSON: line 1"),
        (
            json.dumps([{"type": "choice", "text": "Which?", "options": ["Only one"]}]),
            None,
            None,
            "Question 1 (choice) needs 2 to 20 options.",
        ),
        (json.dumps([]), None, None, "Give 1 to 50 questions"),
        (None, "no-such-group", None, "There is no group no-such-group on this hub."),
        (None, None, "2020-01-31", "has passed"),
        (None, None, "31/01/2099", "must be a date written as 2027-03-31"),
    ],
)
def test_bad_consultations_are_refused_and_nothing_is_written(
    council: Council,
    tmp_path: Path,
    questions: str | None,
    groups: str | None,
    closes: str | None,
    says: str,
) -> None:
    path = tmp_path / "questions.json"
    path.write_text(questions if questions is not None else json.dumps(QUESTIONS))
    before = _counts(council.db)
    done = moot_hub(
        council.db,
        "consultation",
        "create",
        "--title",
        "Bad one",
        "--closes",
        closes or (date.today() + timedelta(days=3)).isoformat(),
        "--groups",
        groups or council.ashby,
        "--questions",
        str(path),
    )
    assert done.returncode != 0
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("moot-hub: ")
    assert says in line
    assert done.stdout == ""
    assert _counts(council.db) == before


def test_publishing_twice_is_refused(council: Council) -> None:
    before = _counts(council.db)
    done = moot_hub(council.db, "consultation", "publish", council.speed)
    assert done.returncode != 0
    assert "published already" in done.stderr
    assert _counts(council.db) == before
    unknown = moot_hub(council.db, "consultation", "publish", "no-such-consultation", "--json")
    assert unknown.returncode != 0
    assert json.loads(unknown.stderr)["error"] == "not_found"


def test_command_line_actions_are_audited(council: Council) -> None:
    engine = make_engine(council.db)
    try:
        with engine.begin() as tx:
            rows = tx.execute(select(t.audit.c.action, t.audit.c.target, t.audit.c.officer_id))
            done = {(r.action, r.target) for r in rows if r.officer_id is None}
    finally:
        engine.dispose()
    assert ("consultation created", council.play) in done
    assert ("consultation published", council.play) in done
