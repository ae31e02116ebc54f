"""The organiser's desk from the command line, as the window has it: ``moot overview``,
discussions written ahead (``moot discussion schedule`` and ``scheduled``), the
welcome (``moot welcome``) and the digest (``moot digest``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from app.errors import InvalidInput
from app.papers import digest as digest_paper
from app.papers.pdf import html_to_pdf, write_whole
from app.papers.words import long_date, span
from app.services import digest, discussions, groups, overview
from app.store import Store

Add = Callable[..., argparse.ArgumentParser]
Arg = Callable[..., tuple[Any, ...]]
BARS = " ▁▂▃▄▅▆▇█"


def add_organiser_commands(sub: Any, add: Add, arg: Arg, group: Callable[[str, str], Any]) -> None:
    w = group("welcome", "what each newcomer reads on joining")
    add(
        w,
        "set",
        cmd_welcome_set,
        "set the group's welcome, and its code of conduct from a file (organisers)",
        arg("group_id"),
        arg("text"),
        arg("--code-of-conduct", metavar="FILE", help="a text or Markdown file"),
    )
    add(w, "show", cmd_welcome_show, "the group's welcome and code of conduct", arg("group_id"))
    add(
        sub,
        "digest",
        cmd_digest,
        "what happened in the group: new and busy discussions, decisions, meetings to come,"
        " as text for a newsletter or a PDF to print",
        arg("group_id"),
        arg("--since", metavar="ISO_DATE", help="the first day (a week ago unless given)"),
        arg("--pdf", metavar="FILE", help="write it as a printable PDF too"),
    )
    add(
        sub,
        "overview",
        cmd_overview,
        "who and what needs the organiser: unanswered discussions, silent newcomers,"
        " regulars gone quiet, open polls, overdue actions, and the group's pulse",
        arg("group_id"),
    )


def add_schedule_commands(d: Any, add: Add, arg: Arg) -> None:
    add(
        d,
        "schedule",
        cmd_schedule,
        "write a discussion ahead, to show on every laptop from a date (organisers)",
        arg("group_id"),
        arg("title"),
        arg("body"),
        arg("--at", required=True, metavar="ISO_DATE", help="e.g. 2027-01-04 or 2027-01-04T09:00"),
        arg("--category"),
    )
    add(
        d,
        "scheduled",
        cmd_scheduled,
        "the discussions written ahead, soonest first",
        arg("group_id"),
    )


def parse_moment(text: str) -> int:
    """A date (its midnight) or date and time, on this laptop's clock, as ms since 1970."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a date: give it as 2027-01-04, or 2027-01-04T09:00."
        ) from None
    return int(when.timestamp() * 1000)


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).isoformat(timespec="minutes")


def cmd_schedule(store: Store, a: argparse.Namespace) -> Any:
    publish_ms = parse_moment(a.at)
    discussion_id, post_id = discussions.start_discussion(
        store=store,
        group_id=a.group_id,
        title=a.title,
        body=a.body,
        category=a.category,
        publish_ms=publish_ms,
    )
    return {
        "id": discussion_id,
        "post_id": post_id,
        "publish_at": _when(publish_ms),
        "message": f"It shows on every laptop from {_when(publish_ms).replace('T', ' ')}.",
    }


def cmd_scheduled(store: Store, a: argparse.Namespace) -> Any:
    return [
        {
            "id": d.id,
            "title": d.title,
            "category": d.category,
            "publish_at": _when(d.publish_ms or 0),
        }
        for d in discussions.list_scheduled(store=store, group_id=a.group_id)
    ]


def cmd_welcome_set(store: Store, a: argparse.Namespace) -> Any:
    conduct = None
    if a.code_of_conduct:
        path = Path(a.code_of_conduct)
        try:
            conduct = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(f"{path} is not a text file (UTF-8).") from None
    groups.set_welcome(store=store, group_id=a.group_id, welcome=a.text, conduct=conduct)
    kept = "the welcome and the code of conduct" if conduct is not None else "the welcome"
    return {"message": f"Newcomers will read {kept} when they join."}


def cmd_welcome_show(store: Store, a: argparse.Namespace) -> Any:
    found = groups.get_group(store=store, group_id=a.group_id)
    return {"welcome": found.welcome, "conduct": found.conduct}


def cmd_digest(store: Store, a: argparse.Namespace) -> Any:
    from ui.cli import Raw

    since = datetime.fromtimestamp(parse_moment(a.since) / 1000) if a.since else None
    made = digest.digest(store=store, group_id=a.group_id, since=since)
    text = digest_paper.render_text(made)
    if a.pdf:
        write_whole(html_to_pdf(digest_paper.render_html(made)), Path(a.pdf))
    if a.json:
        return {"text": text, "file": a.pdf, **asdict(made)}
    return Raw(text + (f"\nWritten to {a.pdf}." if a.pdf else ""))


def cmd_overview(store: Store, a: argparse.Namespace) -> Any:
    from ui.cli import Raw

    seen = overview.overview(store=store, group_id=a.group_id)
    return overview_json(seen) if a.json else Raw(overview_text(seen))


def _day(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000).date().isoformat()


def _person(p: overview.Person, when: str) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, when: _day(p.since_ms)}


def overview_json(o: overview.Overview) -> dict[str, Any]:
    """The overview as one JSON object; every list item has an ``id`` and a ``name``."""
    return {
        "group_id": o.group_id,
        "as_of": datetime.fromtimestamp(o.as_of_ms / 1000).isoformat(timespec="seconds"),
        "members": o.members,
        "unanswered": [
            {
                "id": d.id,
                "name": d.title,
                "started_by": d.started_by,
                "started": _day(d.started_ms),
                "category": d.category,
            }
            for d in o.unanswered
        ],
        "new_silent": [_person(p, "joined") for p in o.new_silent],
        "gone_quiet": [_person(p, "last_active") for p in o.gone_quiet],
        "open_polls": [
            {
                "id": p.id,
                "name": p.question,
                "discussion_id": p.discussion_id,
                "voted": p.voted,
                "not_voted": [{"id": x.id, "name": x.name} for x in p.not_voted],
            }
            for p in o.open_polls
        ],
        "overdue_actions": [
            {
                "id": x.id,
                "name": x.text,
                "owner": x.owner,
                "due": x.due,
                "meeting_id": x.meeting_id,
                "meeting": x.meeting_title,
            }
            for x in o.overdue_actions
        ],
        "active_week": o.active_week,
        "active_month": o.active_month,
        "median_first_reply_s": o.median_first_reply_s,
        "replied_discussions": o.replied_discussions,
        "posts_per_week": [{"week": w.week, "posts": w.posts} for w in o.posts_per_week],
        "off_topic_share": o.off_topic_share,
        "new_members_per_month": [
            {"month": m.month, "joined": m.joined} for m in o.new_members_per_month
        ],
    }


def _bars(counts: list[int]) -> str:
    top = max(counts, default=0)
    if not top:
        return BARS[0] * len(counts)
    return "".join(BARS[0 if not n else max(1, round(n / top * (len(BARS) - 1)))] for n in counts)


def overview_text(o: overview.Overview) -> str:
    as_of = datetime.fromtimestamp(o.as_of_ms / 1000)
    reply = (
        f"{span(o.median_first_reply_s)} (median, over {o.replied_discussions} discussions)"
        if o.median_first_reply_s is not None
        else "no replies yet in the last six months"
    )
    share = f"{o.off_topic_share:.0%} of posts" if o.off_topic_share is not None else "no posts"
    weekly = [w.posts for w in o.posts_per_week]
    lines = [
        f"As of {long_date(as_of.date().isoformat())}, {o.members} members",
        f"Active: {o.active_week} this week, {o.active_month} this month",
        f"First replies take {reply}",
        f"Off-topic chat: {share}",
        f"Posts a week since {long_date(o.posts_per_week[0].week)}: {_bars(weekly)}"
        f" ({sum(weekly)} in all, {weekly[-1]} this week)",
        f"Joined in the last 12 months: {sum(m.joined for m in o.new_members_per_month)}",
    ]

    def section(title: str, rows: list[str]) -> None:
        lines.append("")
        lines.append(f"{title} ({len(rows)})" if rows else f"{title}: none")
        lines.extend(f"  {row}" for row in rows)

    section(
        "Discussions with no reply, oldest first",
        [f"{d.title} — {d.started_by}, {_day(d.started_ms)}  [{d.id}]" for d in o.unanswered],
    )
    section(
        "New members yet to post: say hello",
        [f"{p.name}, joined {_day(p.since_ms)}  [{p.id}]" for p in o.new_silent],
    )
    section(
        "Regulars gone quiet: a personal word",
        [f"{p.name}, last active {_day(p.since_ms)}  [{p.id}]" for p in o.gone_quiet],
    )
    section(
        "Open polls",
        [
            f"{p.question} — {p.voted} voted; not yet: "
            + (", ".join(x.name for x in p.not_voted) or "nobody")
            + f"  [{p.id}]"
            for p in o.open_polls
        ],
    )
    section(
        "Overdue actions",
        [
            f"{x.text} — {x.owner or 'nobody named'}, due {x.due} ({x.meeting_title})  [{x.id}]"
            for x in o.overdue_actions
        ],
    )
    return "\n".join(lines)
