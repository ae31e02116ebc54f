"""The printable responses to a consultation: one standalone HTML document (the papers'
page, ``app.papers.page``) that the hub shows for printing and turns into the PDF.

Per question, every responding group's answer side by side, and for choice, multiple
choice and scale questions the share of groups choosing each option, as a table of
counts and percentages with a bar beside each (the bar repeats the table's figures,
so nothing is told by the bar alone). Late responses say so in words. Everything
from groups and officers is escaped; the bars' widths are the only style written
from figures, and they are numbers.
"""

from __future__ import annotations

from app.papers.page import document, esc, paragraphs
from app.papers.words import long_date
from sync.hub.consultation_responses import Report, Shares
from sync.hub.consultation_words import (
    PUBLICATION,
    STATUS,
    TYPES,
    choices_text,
    groups_count,
    how_agreed,
    meeting_text,
    moment,
    percent,
    votes_text,
)
from sync.hub.consultations import Consultation

CSS = """
caption { break-after: avoid; }
.shares { table-layout: fixed; }
.shares .option { width: 40%; }
.shares .figure { width: 12%; }
.bar { display: inline-block; height: 0.8em; background: #1d4f91; vertical-align: middle; }
.late { font-weight: bold; }
.answers td, .answers th { width: auto; }
.answers .group { width: 22%; }
.note { color: #333; font-size: 9pt; margin-top: 1mm; }
@media screen and (max-width: 40rem) {
  .answers thead { display: none; }
  .answers tr, .answers td, .answers th { display: block; width: auto; border: 0; }
  .answers tr { border: 1px solid #777; margin-bottom: 0.75rem; padding: 0.25rem; }
}
"""


def responses_html(report: Report) -> str:
    c = report.consultation
    answered = len(report.responding)
    parts = [
        '<header><p class="group-name">Council consultation</p>'
        f"<h1>{esc(c.title)}: responses</h1></header>",
        f'<p class="meta">{_closing(c)} '
        f"{answered} of {len(c.groups)} groups consulted have responded. "
        f"{esc(PUBLICATION[c.publication])}.</p>",
        _who(report),
    ]
    for n, question in enumerate(c.questions, 1):
        parts.append(f"<h2>Question {n}: {esc(question['text'])}</h2>")
        parts.append(f'<p class="meta">{esc(TYPES[question["type"]])}</p>')
        shares = report.shares(n)
        if shares is not None:
            parts.append(_shares(n, shares))
        parts.append(_answers(report, n))
    if c.feedback_ms is not None:
        parts.append("<h2>You said, we did</h2>")
        parts.append(f'<p class="meta">Published {esc(moment(c.feedback_ms))}.</p>')
        parts.append(paragraphs(c.feedback))
    return document(title=f"{c.title}: responses", body="\n".join(parts), css=CSS)


def _who(report: Report) -> str:
    rows = []
    for group in report.consultation.groups:
        r = report.responses.get(group.id)
        if r is None:
            rows.append(
                f'<tr><th scope="row">{esc(group.name)}</th><td colspan="4">'
                "No response yet</td></tr>"
            )
            continue
        late = ' <span class="late">(late)</span>' if r.late else ""
        received = esc(moment(r.received_ms)) if r.received_ms is not None else "No receipt"
        agreed = ", ".join(x for x in (how_agreed(r.how), meeting_text(r)) if x)
        detail = "; ".join(
            x for x in (f"minute {r.minute}" if r.minute else "", votes_text(r)) if x
        )
        dissent = f'<p class="note">Dissent: {esc(r.dissent)}</p>' if r.dissent else ""
        rows.append(
            f'<tr><th scope="row">{esc(group.name)}</th><td>{esc(r.name)}</td>'
            f"<td>{esc(agreed)}</td><td>{esc(detail)}{dissent}</td>"
            f"<td>{received}{late}</td></tr>"
        )
    return (
        '<h2>Who responded</h2><table><thead><tr><th scope="col">Group</th>'
        '<th scope="col">Submitted by</th><th scope="col">How agreed</th>'
        '<th scope="col">Minute and votes</th><th scope="col">Received</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _shares(n: int, shares: Shares) -> str:
    rows = "".join(
        f'<tr><th scope="row">{esc(s.option)}</th><td>{s.count}</td>'
        f"<td>{esc(percent(s.percent))}</td>"
        f'<td><span class="bar" style="width: {s.percent:.1f}%"></span></td></tr>'
        for s in shares.options
    )
    return (
        f'<table class="shares"><caption>Question {n}: how groups chose'
        f" ({esc(groups_count(shares.answered))} chose)</caption>"
        '<thead><tr><th scope="col" class="option">Option</th>'
        '<th scope="col" class="figure">Groups</th><th scope="col" class="figure">Share</th>'
        '<th scope="col"><span class="hidden">Bar</span></th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _answers(report: Report, n: int) -> str:
    rows = []
    for group, r in report.responding:
        answer = r.answer(n)
        text = paragraphs(answer.text) if answer is not None and answer.text.strip() else ""
        chose = choices_text(answer.choice) if answer is not None else ""
        if chose:
            text = f"<p>Chose: {esc(chose)}</p>{text}"
        note = report.note(group.id, n)
        if note.tags or note.note:
            tags = f"Tags: {', '.join(note.tags)}. " if note.tags else ""
            text += f'<p class="note">{esc(tags)}{esc(note.note)}</p>'
        late = ' <span class="late">(late)</span>' if r.late else ""
        rows.append(
            f'<tr><th scope="row" class="group">{esc(group.name)}{late}</th>'
            f"<td>{text or '<p>No answer.</p>'}</td></tr>"
        )
    if not rows:
        return "<p>No group has responded yet.</p>"
    return (
        f'<table class="answers"><caption>Question {n}: each group\'s answer</caption>'
        '<thead><tr><th scope="col">Group</th><th scope="col">Answer</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _closing(c: Consultation) -> str:
    """Its status, and when it closes or closed, in words that fit each other."""
    day = esc(long_date(c.closes))
    if c.status() == "closed":
        return f"Closed at the end of {day}."
    return f"{esc(STATUS[c.status()])}: closes at the end of {day}."
