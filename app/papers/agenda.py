"""The summons and agenda: who is summoned, to what, when and where; then the business.

Exempt (Part II) items are gathered after the public business under the heading the
Public Bodies (Admission to Meetings) Act 1960 calls for, keeping their agenda numbers
(the numbers are how members refer to them). Left out, as by default, nothing is said
of them at all: this is the paper the public reads.
"""

from __future__ import annotations

from app.meeting_view import Item, MeetingView
from app.papers import words
from app.papers.page import CONFIDENTIAL, document, esc, marking_css

CSS = """
.summons { margin: 4mm 0 3mm; }
.signed { margin: 5mm 0 1mm; }
.signed .name { font-weight: bold; }
.item { break-inside: avoid-page; }
.item h2, .item h3 { font-size: 12pt; padding-left: 10mm; text-indent: -10mm;
  margin: 5mm 0 1mm; }
.item .num { display: inline-block; width: 10mm; text-indent: 0; }
.item .papers { margin-left: 10mm; }
.papers-label { margin: 0; font-size: 9pt; color: #333; }
hr { border: 0; border-top: 0.8pt solid #777; margin: 4mm 0 2mm; }
.papers ul { list-style: square; font-size: 9.5pt; margin-bottom: 1mm; }
.part-two { break-before: auto; margin-top: 8mm; }
"""

PART_TWO = "Part II: items from which the press and public may be excluded"
EXCLUSION = (
    "The meeting may resolve that, because of the confidential nature of the business"
    " to be transacted, the press and public be excluded from the meeting for the"
    " following items, under section 1(2) of the Public Bodies (Admission to Meetings)"
    " Act 1960."
)


def render(meeting: MeetingView, *, include_exempt: bool) -> str:
    items = sorted(meeting.items, key=lambda i: i.number)
    public = [i for i in items if not i.exempt]
    exempt = [i for i in items if i.exempt] if include_exempt else []
    parts = [_summons(meeting, part_two=bool(exempt))]
    parts += [_item(item, "h2") for item in public]
    if not items:
        parts.append("<p>No business has been put on the agenda yet.</p>")
    if exempt:
        parts.append(
            f'<section class="part-two"><h2>{esc(PART_TWO)}</h2>'
            f'<p class="notice">{esc(EXCLUSION)}</p>'
            + "".join(_item(item, "h3") for item in exempt)
            + "</section>"
        )
    return document(
        title=f"Summons and agenda: {meeting.title} — {meeting.group_name}",
        body="\n".join(parts),
        css=CSS + (marking_css(CONFIDENTIAL) if exempt else ""),
    )


def _summons(meeting: MeetingView, *, part_two: bool) -> str:
    except_ = ", except for the business in Part II" if part_two else ""
    held = words.held(meeting)
    clerk = meeting.clerk or ""
    whom = words.of_whom(meeting.group_name, meeting.body)
    return (
        "<header>"
        f'<p class="group-name">{esc(meeting.group_name)}</p>'
        f"<h1>Summons and agenda: {esc(meeting.title)}</h1>"
        "</header>"
        f'<p class="summons">To the members of {esc(whom)}.'
        f" You are hereby summoned to attend {esc(words.the_meeting(meeting.title))},"
        f" to be held {esc(held)}, to transact the business set out in the agenda below.</p>"
        '<p class="signed">'
        + (f'<span class="name">{esc(clerk)}</span><br>' if clerk else "")
        + "Clerk</p>"
        + _issued(meeting)
        + f'<p class="meta">The press and public are welcome to attend{except_}.</p>'
        "<hr>"
    )


def _issued(meeting: MeetingView) -> str:
    if meeting.summons_sent:
        return f'<p class="meta">Issued {esc(words.long_date(meeting.summons_sent))}.</p>'
    return f'<p class="meta">Issued no later than {esc(words.long_date(meeting.summons_by))}.</p>'


def _item(item: Item, heading: str) -> str:
    papers = ""
    if item.papers:
        papers = (
            '<div class="papers"><p class="papers-label">Papers:</p><ul>'
            + "".join(
                f"<li>{esc(p.name)} ({esc(words.file_size(p.size))})</li>" for p in item.papers
            )
            + "</ul></div>"
        )
    return (
        f'<section class="item"><{heading}><span class="num">{item.number}.</span>'
        f" {esc(item.title)}</{heading}>{papers}</section>"
    )
