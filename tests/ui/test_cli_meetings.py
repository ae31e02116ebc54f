"""``moot meeting …`` as a clerk's script drives it: a meeting from summons to verified
minutes, and bad input refused with one line, a non-zero exit and no change.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.moot_cli import Clerk
from tests.support import pdf_text


@dataclass
class Council:
    clerk: Clerk
    group: str
    january: str
    february: str
    precept: str


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Council:
    clerk = Clerk(tmp_path_factory.mktemp("clerk"))
    clerk.json("name", "Jo Clerk")
    group = clerk.json("group", "create", "Ashby Parish Council")["id"]
    made = clerk.json(
        "meeting",
        "create",
        group,
        "Parish council",
        "--at",
        "2027-01-14T19:30",
        "--place",
        "Village hall",
    )
    assert made["summons_by"] == "2027-01-10"
    january = made["id"]
    precept = clerk.json("meeting", "item", "add", january, "Precept 2027/28")["id"]
    later = clerk.json("meeting", "create", group, "Parish council", "--at", "2027-02-11T19:30")
    return Council(clerk, group, january, later["id"], precept)


def test_a_meeting_kept_from_the_command_line_is_approved_and_verifies(council: Council) -> None:
    # Meetings of its own: the others' stay open to change.
    clerk = council.clerk
    march = clerk.json(
        "meeting", "create", council.group, "Parish council", "--at", "2027-03-11T19:30"
    )["id"]
    april = clerk.json(
        "meeting", "create", council.group, "Parish council", "--at", "2027-04-08T19:30"
    )["id"]
    precept = clerk.json("meeting", "item", "add", march, "Precept 2027/28")["id"]
    assert clerk.json("meeting", "attend", march, "Jo Clerk", "present")["status"] == "present"
    clerk.json("meeting", "declare", precept, "Jo Clerk", "pecuniary", "Owns the hall")
    clerk.json("meeting", "minute", precept, "The clerk presented the budget.")
    resolution = clerk.json(
        "meeting",
        "resolve",
        precept,
        "that the precept be set at £24,500",
        "--for",
        5,
        "--against",
        2,
        "--abstain",
        1,
    )
    action = clerk.json(
        "meeting",
        "action",
        "add",
        precept,
        "Send the demand",
        "--owner",
        "Jo Clerk",
        "--due",
        "2027-01-31",
    )["id"]
    shown = clerk.json("meeting", "show", march)
    assert shown["summons_by"] == "2027-03-07"
    [item] = [i for i in shown["items"] if i["id"] == precept]
    assert item["minute_number"] == "26/1"
    assert item["minutes"].startswith("The clerk presented the budget.")
    assert [r["id"] for r in item["resolutions"]] == [resolution["id"]]
    assert item["resolutions"][0]["vote"]["for_"] == 5
    assert [a["id"] for a in item["actions"]] == [action]
    listed = [m["id"] for m in clerk.json("meeting", "list", council.group)]
    assert listed[-2:] == [march, april]
    issued = clerk.json("meeting", "summon", march, "--on", "2027-03-04")
    assert issued == {"id": march, "summons_sent": "2027-03-04"}
    assert clerk.json("meeting", "show", march)["summons_sent"] == "2027-03-04"

    approved = clerk.json("meeting", "approve", march, "--at", april)
    assert len(approved["content_hash"]) == 64
    assert clerk.json("meeting", "verify", march)["unchanged"] is True
    clerk.json("meeting", "action", "set", action, "--status", "done")
    logged = {a["id"]: a for a in clerk.json("meeting", "action", "list", council.group)}
    assert logged[action]["status"] == "done"
    words = clerk.refused("meeting", "minute", precept, "A late thought.")
    assert "approved" in words

    # Behind the app's back, in the database: verify fails, saying what is wrong.
    raw = sqlite3.connect(clerk.data_dir / "moot.db")
    with raw:
        raw.execute(
            "UPDATE meetings SET record = replace(record, '24,500', '42,500') WHERE id = ?",
            (march,),
        )
    raw.close()
    done = clerk.call("meeting", "verify", march, "--json")
    assert done.returncode == 1
    assert json.loads(done.stderr)["error"] == "altered"
    assert json.loads(done.stdout)["unchanged"] is False


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["resolve", "{precept}", "that x", "--for", "-1"], "negative"),
        (["approve", "{february}", "--at", "{january}"], "later meeting"),
        (["attend", "{january}", "Nobody Atall", "present"], "No member"),
        (["show", "no-such-meeting"], "No meeting"),
        (["create", "{group}", "Annual meeting", "--at", "next May"], "not a date"),
        (["action", "add", "{precept}", "Do it", "--due", "31/01/2027"], "not a date"),
        (["summon", "{january}", "--on", "2027-02-01"], "before the meeting"),
    ],
)
def test_bad_input_gets_one_line_and_changes_nothing(
    council: Council, args: list[str], words: str
) -> None:
    ids = {
        "group": council.group,
        "january": council.january,
        "february": council.february,
        "precept": council.precept,
    }
    line = council.clerk.refused("meeting", *(a.format(**ids) for a in args))
    assert words in line


def test_the_papers_print_to_pdf_from_the_command_line(council: Council, tmp_path: Path) -> None:
    clerk = council.clerk
    clerk.json(
        "meeting", "item", "add", council.february, "Staffing", "--exempt", "--reason", "staff"
    )
    sheet = tmp_path / "sign-in.pdf"
    shown = clerk.json("meeting", "export", council.february, sheet, "--sign-in")
    assert Path(shown["file"]) == sheet
    text = pdf_text(sheet)
    assert "Signature" in text
    assert "Jo Clerk" in text  # before attendance is taken, every member is listed
    agenda = tmp_path / "public.pdf"
    clerk.json("meeting", "export", council.february, agenda, "--agenda")
    public = pdf_text(agenda)
    assert "Staffing" not in public  # exempt items are left out unless asked for
    clerk.json("meeting", "export", council.february, agenda, "--agenda", "--include-exempt")
    private = pdf_text(agenda)
    assert "Staffing" in private
    line = clerk.refused("meeting", "export", council.february, tmp_path / "no" / "such.pdf")
    assert "no" in line


def test_a_recorded_vote_names_each_member(council: Council) -> None:
    clerk = council.clerk
    item = clerk.json("meeting", "item", "add", council.february, "Dog bins")["id"]
    clerk.json(
        "meeting",
        "resolve",
        item,
        "that two more dog bins be bought",
        "--named",
        "Jo Clerk=for",
    )
    [shown] = [
        i for i in clerk.json("meeting", "show", council.february)["items"] if i["id"] == item
    ]
    [resolution] = shown["resolutions"]
    assert resolution["carried"] is True
    assert resolution["vote"]["recorded"] == [["Jo Clerk", "for"]]
    assert "named vote" in clerk.refused("meeting", "resolve", item, "that x", "--named", "Jo")


def test_a_paper_goes_with_an_item_and_is_saved_back_whole(
    council: Council, tmp_path: Path
) -> None:
    clerk = council.clerk
    item = clerk.json("meeting", "item", "add", council.february, "Budget")["id"]
    budget = tmp_path / "Budget 2027-28.pdf"
    budget.write_bytes(os.urandom(217_000))
    paper = clerk.json("meeting", "paper", "add", item, budget)["id"]
    [shown] = [
        i for i in clerk.json("meeting", "show", council.february)["items"] if i["id"] == item
    ]
    [listed] = shown["papers"]
    assert listed["id"] == paper
    assert (listed["name"], listed["size"]) == ("Budget 2027-28.pdf", 217_000)
    assert listed["media_type"] == "application/pdf"
    assert listed["sha256"] == hashlib.sha256(budget.read_bytes()).hexdigest()
    spoken = clerk.call("meeting", "show", council.february).stdout
    assert "Paper: Budget 2027-28.pdf (212 KB)" in spoken

    copy = tmp_path / "copy.pdf"
    assert clerk.json("meeting", "paper", "save", paper, copy)["size"] == 217_000
    assert copy.read_bytes() == budget.read_bytes()
    folder = tmp_path / "downloads"
    folder.mkdir()
    clerk.json("meeting", "paper", "save", paper, folder)  # a folder: under its own name
    assert (folder / "Budget 2027-28.pdf").read_bytes() == budget.read_bytes()
    assert "does not exist" in clerk.refused(
        "meeting", "paper", "save", paper, tmp_path / "no" / "such.pdf"
    )

    clerk.json("meeting", "paper", "remove", paper)
    [shown] = [
        i for i in clerk.json("meeting", "show", council.february)["items"] if i["id"] == item
    ]
    assert shown["papers"] == []
    assert "No paper" in clerk.refused("meeting", "paper", "save", paper, copy)


def test_a_file_too_large_or_missing_is_refused_and_nothing_is_stored(
    council: Council, tmp_path: Path
) -> None:
    clerk = council.clerk
    big = tmp_path / "Budget.pdf"
    with big.open("wb") as f:
        f.truncate(7_800_000)
    line = clerk.refused("meeting", "paper", "add", council.precept, big)
    assert line == (
        "moot: “Budget.pdf” is 7.4 MB; a paper can be at most 4 MB. Make it smaller, or "
        "share a link to it in the minutes instead."
    )
    before = clerk.state()
    done = clerk.call("meeting", "paper", "add", council.precept, big, "--json")
    assert done.returncode != 0
    assert json.loads(done.stderr)["error"] == "too_large"
    assert done.stdout == ""
    assert clerk.state() == before
    missing = clerk.call(
        "meeting", "paper", "add", council.precept, tmp_path / "gone.pdf", "--json"
    )
    assert missing.returncode != 0
    assert json.loads(missing.stderr)["error"] == "file_error"
    assert clerk.state() == before
    empty = tmp_path / "empty.pdf"
    empty.touch()
    assert "empty" in clerk.refused("meeting", "paper", "add", council.precept, empty)
