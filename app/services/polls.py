"""Quick polls: a question in a discussion, one vote per member, results at a glance."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.errors import InvalidInput, NotFound
from app.ids import authored_id
from app.payload import MAX_OPTIONS
from app.services.common import clean_title, group_of
from app.store import Store
from app.writer import writing


@dataclass(frozen=True)
class PollResults:
    id: str
    question: str
    options: list[str]
    multiple: bool
    closes_ms: int | None
    counts: list[int]  # per option, votes cast before the poll closed
    voters: int
    my_choices: list[int]


def create_poll(
    *,
    store: Store,
    discussion_id: str,
    question: str,
    options: list[str],
    multiple: bool = False,
    closes_ms: int | None = None,
) -> str:
    question = clean_title(question, "poll question")
    cleaned = [clean_title(o, "poll option") for o in options]
    if not 2 <= len(cleaned) <= MAX_OPTIONS:
        raise InvalidInput(f"A poll needs between 2 and {MAX_OPTIONS} options.")
    if len({o.casefold() for o in cleaned}) != len(cleaned):
        raise InvalidInput("Each poll option must be different.")
    poll_id = authored_id(store.device_id)
    fields = {
        "discussion_id": discussion_id,
        "question": question,
        "options": cleaned,
        "multiple": multiple,
        "closes_ms": closes_ms,
    }
    with writing(store) as w:
        group_id = group_of(w.db, "discussions", discussion_id, "discussion")
        w.emit(group_id, "poll", poll_id, "create", fields)
    return poll_id


def vote(*, store: Store, poll_id: str, choices: list[str]) -> None:
    """Cast or change this member's vote; options named by text or by number (from 1)."""
    with writing(store) as w:
        group_id = group_of(w.db, "polls", poll_id, "poll")
        options_json, multiple = w.db.execute(
            "SELECT options, multiple FROM polls WHERE id = ?", (poll_id,)
        ).fetchone()
        options = json.loads(options_json)
        picked = [_option_index(options, choice) for choice in choices]
        if not multiple and len(picked) > 1:
            raise InvalidInput("This poll takes one choice.")
        w.emit(group_id, "vote", poll_id, "set", {"choices": sorted(set(picked))})


def _option_index(options: list[str], choice: str) -> int:
    for i, option in enumerate(options):
        if option.casefold() == choice.strip().casefold():
            return i
    if choice.isdigit() and 1 <= int(choice) <= len(options):
        return int(choice) - 1
    raise NotFound(f"The poll has no option {choice!r} (it has: {', '.join(options)}).")


def poll_results(*, store: Store, poll_id: str) -> PollResults:
    with store.read() as db:
        row = db.execute(
            "SELECT question, options, multiple, closes_ms FROM polls WHERE id = ?", (poll_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"No poll with id {poll_id!r} in this profile.")
        return _results(db, store.device_id, poll_id, row)


@dataclass(frozen=True)
class ThreadPoll:
    """A poll as a thread shows it: its results, when it was asked and by whom."""

    results: PollResults
    created_hlc: int
    author_name: str


def polls_in_discussion(*, store: Store, discussion_id: str) -> list[ThreadPoll]:
    """The discussion's polls, oldest first."""
    with store.read() as db:
        return polls_in(db, store.device_id, discussion_id)


def polls_in(db: sqlite3.Connection, me: str, discussion_id: str) -> list[ThreadPoll]:
    """``polls_in_discussion`` inside a transaction the caller holds."""
    group_of(db, "discussions", discussion_id, "discussion")
    rows = db.execute(
        "SELECT p.id, p.question, p.options, p.multiple, p.closes_ms, p.created_hlc,"
        " m.display_name FROM polls p"
        " LEFT JOIN members m ON m.group_id = p.group_id AND m.device = p.created_by"
        " WHERE p.discussion_id = ? ORDER BY p.created_hlc, p.id",
        (discussion_id,),
    ).fetchall()
    return [ThreadPoll(_results(db, me, r[0], r[1:5]), r[5], r[6] or "") for r in rows]


def _results(db: sqlite3.Connection, me: str, poll_id: str, row: Sequence[Any]) -> PollResults:
    """Count the votes of a poll from its (question, options, multiple, closes_ms)."""
    votes = db.execute("SELECT member, choices FROM votes WHERE poll_id = ?", (poll_id,)).fetchall()
    options = json.loads(row[1])
    counts = [0] * len(options)
    voters, mine = 0, []
    # Votes stamped after the poll closed never took effect (see app.kinds.polls.vote_set).
    for member, choices_json in votes:
        choices = json.loads(choices_json)
        voters += bool(choices)
        for c in choices:
            counts[c] += 1
        if member == me:
            mine = choices
    return PollResults(poll_id, row[0], options, bool(row[2]), row[3], counts, voters, mine)
