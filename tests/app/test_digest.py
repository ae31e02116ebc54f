"""The digest of a group's week says what a newsletter reader would want, from the
story's known facts, and leaves out what stays in the group (Part II business)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.clock import DAY_MS
from app.services import digest, meetings
from tests.moot_cli import run_moot
from tests.organiser_story import Facts, MakeStore, tell
from tests.support import pdf_text


@pytest.fixture
def facts(make_store: MakeStore) -> Facts:
    facts = tell(make_store)
    now = datetime.fromtimestamp(facts.store.clock.wall_ms() / 1000)
    held = (now - timedelta(days=3)).replace(hour=19, minute=30).isoformat(timespec="minutes")
    meeting = meetings.create_meeting(
        store=facts.store, group_id=facts.group, title="Residents' meeting", starts_at=held,
        place="The Old School",
    )  # fmt: skip
    open_item = meetings.add_item(store=facts.store, meeting_id=meeting, title="Verges")
    meetings.resolve(
        store=facts.store, item_id=open_item, text="that the verges be cut twice a year",
        votes_for=7, votes_against=2,
    )  # fmt: skip
    closed = meetings.add_item(
        store=facts.store, meeting_id=meeting, title="Staffing", exempt=True, exempt_reason="staff"
    )
    meetings.resolve(
        store=facts.store, item_id=closed, text="that the caretaker's pay rise", unanimous=True
    )
    soon = (now + timedelta(days=10)).replace(hour=19, minute=0).isoformat(timespec="minutes")
    meetings.create_meeting(
        store=facts.store, group_id=facts.group, title="Annual meeting", starts_at=soon
    )
    return facts


def test_the_weeks_digest_names_new_and_busy_talk_decisions_and_meetings(facts: Facts) -> None:
    since = datetime.fromtimestamp((facts.store.clock.wall_ms() - 16 * DAY_MS) / 1000)
    made = digest.digest(store=facts.store, group_id=facts.group, since=since)
    # Since day 104: the bench (day 105), the hall (day 115) and the lost cat (day 119).
    assert [d.title for d in made.new] == [
        "A bench on the green",
        "Hall hire prices",
        "Lost cat, ginger",
    ]
    assert [d.posts for d in made.new] == [2, 2, 2]
    assert made.busiest == ()  # no older discussion had more than one post since
    assert [(x.meeting, x.text, x.carried) for x in made.decisions] == [
        ("Residents' meeting", "the verges be cut twice a year", True)
    ]
    assert [m.title for m in made.upcoming] == ["Annual meeting"]
    assert (made.posts, made.people) == (6, 2)


def test_moot_digest_prints_text_and_a_pdf_without_part_two(facts: Facts, tmp_path: Path) -> None:
    folder = facts.store.settings.data_dir
    facts.store.close()
    since = (datetime.now() - timedelta(days=30)).date().isoformat()
    pdf = tmp_path / "digest.pdf"
    done = run_moot(folder, "digest", facts.group, "--since", since, "--pdf", pdf)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("Millbrook Residents: what happened, ")
    assert "- Speed watch volunteers? (General), started by Ann: 1 post" in text
    assert "RESOLVED: that the verges be cut twice a year." in text
    assert "caretaker" not in text  # Part II stays in the group
    assert "Annual meeting" in text
    printed = " ".join(pdf_text(pdf).split())
    assert "What happened" in printed
    assert "the verges be cut twice a year" in printed
    assert "caretaker" not in printed

    as_json = json.loads(run_moot(folder, "--json", "digest", facts.group).stdout)
    assert {"text", "new", "busiest", "decisions", "upcoming"} <= set(as_json)
    bad = run_moot(folder, "digest", facts.group, "--since", "last week")
    assert bad.returncode == 1
    assert "is not a date" in bad.stderr
