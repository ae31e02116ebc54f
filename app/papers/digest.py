"""The group's digest on paper and as plain text: the same sections in the same order,
for the parish newsletter (paste the text) or the noticeboard (print the page)."""

from __future__ import annotations

from app.papers import words
from app.papers.page import document, esc
from app.services.digest import Digest, DigestDiscussion

CSS = """
.digest h2 { border-bottom: 0.8pt solid #999; padding-bottom: 1mm; }
.digest li { margin-bottom: 1.2mm; }
"""


def _stretch(d: Digest) -> str:
    return f"{words.long_date(d.since)} to {words.long_date(d.until)}"


def _count(n: int, one: str, many: str) -> str:
    return f"1 {one}" if n == 1 else f"{n:,} {many}"


def _discussion_line(d: DigestDiscussion, *, busy: bool) -> str:
    said = _count(d.posts, "post", "posts")
    if busy:
        return f"{d.title} ({d.category}): {said} this time"
    return f"{d.title} ({d.category}), started by {d.started_by or 'a member'}: {said}"


def _sections(d: Digest) -> list[tuple[str, list[str], str]]:
    """(heading, lines, what to say when there are none), in the order they are read."""
    decisions = [
        f"{words.long_date(x.held)}, {x.meeting}"
        + (f", minute {x.minute}" if x.minute else "")
        + f": {'RESOLVED' if x.carried else 'Not carried'}: {words.motion(x.text)}"
        for x in d.decisions
    ]
    upcoming = [
        f"{words.date_and_time(m.starts_at)}: {m.title}" + (f", {m.place}" if m.place else "")
        for m in d.upcoming
    ]
    return [
        (
            "New discussions",
            [_discussion_line(x, busy=False) for x in d.new],
            "No new discussions.",
        ),
        (
            "Busy discussions",
            [_discussion_line(x, busy=True) for x in d.busiest],
            "None busier than the rest.",
        ),
        ("Decisions", decisions, "No meeting decided anything."),
        ("Coming up", upcoming, "No meetings called for the next two months."),
    ]


def summary_line(d: Digest) -> str:
    return f"{_count(d.posts, 'post', 'posts')} from {_count(d.people, 'member', 'members')}."


def render_text(d: Digest) -> str:
    """Plain text, to paste into a newsletter or an e-mail."""
    title = f"{d.group}: what happened, {_stretch(d)}"
    lines = [title, "=" * len(title), summary_line(d)]
    for heading, items, none in _sections(d):
        lines += ["", heading, "-" * len(heading)]
        lines += [f"- {item}" for item in items] or [none]
    return "\n".join(lines) + "\n"


def render_html(d: Digest) -> str:
    """The digest as a printable page (and the PDF made from it)."""
    parts = [
        f'<p class="group-name">{esc(d.group)}</p>',
        f"<h1>What happened, {esc(_stretch(d))}</h1>",
        f'<p class="meta">{esc(summary_line(d))}</p>',
    ]
    for heading, items, none in _sections(d):
        parts.append(f"<h2>{esc(heading)}</h2>")
        if items:
            parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
        else:
            parts.append(f"<p>{esc(none)}</p>")
    body = '<div class="digest">' + "".join(parts) + "</div>"
    return document(title=f"{d.group}: what happened, {_stretch(d)}", body=body, css=CSS)
