"""``moot consultation …`` as a clerk's script drives it: a consultation listed, shown,
answered and submitted; bad input refused with one line, a non-zero exit and no change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from app.store import Store, open_store
from tests.council import publish
from tests.moot_cli import Clerk
from tests.support import deliver, ops_of


@dataclass
class Story:
    clerk: Clerk
    member: Clerk
    group: str
    consultation: str
    meeting: str


def _profile(path: Path) -> Store:
    return open_store(path, use_keyring=False)


def _hand_over(src: Path, dst: Path) -> None:
    """Every change one profile holds, taken into another, as a sync would."""
    a, b = _profile(src), _profile(dst)
    try:
        deliver(ops_of(a), b)
    finally:
        a.close()
        b.close()


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    clerk = Clerk(tmp_path_factory.mktemp("clerk"))
    member = Clerk(tmp_path_factory.mktemp("member"))
    hub_dir = tmp_path_factory.mktemp("hub")
    clerk.json("name", "Jo Clerk")
    group = clerk.json("group", "create", "Ashby Residents")["id"]
    meeting = clerk.json(
        "meeting", "create", group, "Residents' meeting", "--at", "2027-02-10T19:00"
    )["id"]
    hub = _profile(hub_dir)
    hub_device = hub.device_id
    hub.close()
    member_device = member.json("whoami")["device"]
    clerk.ok("member", "admit", group, hub_device, "--role", "organiser", "--name", "Council hub")
    clerk.ok("member", "admit", group, member_device, "--name", "Sam Member")
    _hand_over(clerk.data_dir, hub_dir)
    hub = _profile(hub_dir)
    try:
        consultation, _discussion = publish(hub, group)
    finally:
        hub.close()
    _hand_over(hub_dir, clerk.data_dir)
    _hand_over(hub_dir, member.data_dir)
    return Story(clerk, member, group, consultation, meeting)


def test_a_clerk_answers_and_submits_from_the_command_line(story: Story) -> None:
    clerk, c = story.clerk, story.consultation
    (listed,) = clerk.json("consultation", "list", story.group)
    assert (listed["id"], listed["closes"], listed["open"]) == (c, "2099-03-31", True)
    assert listed["status"] == "Not answered yet"
    assert "Not answered yet" in clerk.ok("consultation", "list", story.group)

    short = c[:8]  # a unique start of the id will do
    said = clerk.ok("consultation", "answer", short, "1", "Swings, and a bench for carers.")
    assert said.strip() == "Question 1: Swings, and a bench for carers."
    assert clerk.json("consultation", "answer", short, "2", "2")["choice"] == ["The green"]
    multi = clerk.json("consultation", "answer", short, "3", "Under 5; over 11")
    assert multi["choice"] == ["Under 5", "Over 11"]
    scale = clerk.json("consultation", "answer", short, "4", "1", "--comment", "If it is cheap.")
    assert (scale["choice"], scale["text"]) == (["Strongly agree"], "If it is cheap.")

    shown = clerk.ok("consultation", "show", short)
    assert "Consultation from Council hub · closes 31 March 2099 · Draft" in shown
    assert "[x] 2. The green" in shown
    assert "[ ] 1. Glebe field" in shown
    assert "Swings, and a bench for carers." in shown

    sent = clerk.json(
        "consultation",
        "submit",
        short,
        "--meeting",
        story.meeting,
        "--minute",
        "27/12",
        "--for",
        "9",
        "--against",
        "2",
        "--abstain",
        "1",
        "--dissent",
        "Two preferred Glebe field.",
    )
    assert sent["late"] is False
    view = clerk.json("consultation", "show", c)
    assert view["summary"]["status"] == "Waiting to send"
    (submission,) = view["submissions"]
    assert submission["id"] == sent["id"]
    assert submission["meeting_title"] == "Residents' meeting"
    assert (submission["votes_for"], submission["votes_against"]) == (9, 2)
    assert submission["dissent"] == "Two preferred Glebe field."


def test_bad_input_is_refused_and_changes_nothing(story: Story) -> None:
    clerk, c = story.clerk, story.consultation
    assert "no question 7" in clerk.refused("consultation", "answer", c, "7", "Hello")
    line = clerk.refused("consultation", "answer", c, "2", "Village hall")
    assert "Question 2 has no option 'Village hall'" in line
    assert "1. Glebe field; 2. The green" in line
    assert "no option '6'" in clerk.refused("consultation", "answer", c, "4", "6")
    assert "no option '9'" in clerk.refused("consultation", "answer", c, "3", "1,9")
    assert "No consultation" in clerk.refused("consultation", "show", "nothing-like-it")
    assert "No meeting" in clerk.refused("consultation", "submit", c, "--meeting", "zzz")


def test_a_member_reads_but_may_not_answer(story: Story) -> None:
    member, c = story.member, story.consultation
    assert "Not answered yet" in member.ok("consultation", "show", c)
    line = member.refused("consultation", "answer", c, "1", "My view")
    assert "Only the group's clerk or an organiser" in line
    line = member.refused("consultation", "submit", c)
    assert "Only the group's clerk or an organiser" in line
