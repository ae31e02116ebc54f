"""The minutes: who came, then each item as minuted, then (once approved) the chair's signature.

A draft says so on every page, in the top margin. Approved minutes say where they were
approved and carry the content hash of the approval; if they no longer match it
(``altered``), every page says that instead. The paper prints only what the record
holds for good: an action's current state (done, overdue) is left out, as it changes
after the minutes are approved while the minutes must not.
"""

from __future__ import annotations

from app.meeting_view import Action, Declaration, Item, MeetingView, Resolution
from app.papers import words
from app.papers.page import (
    ALTERED,
    CONFIDENTIAL,
    DRAFT,
    FONT,
    document,
    esc,
    marking_css,
    paragraphs,
)

DRAFT_STAGES = ("draft", "circulated")

CSS = f"""
@page {{
  @bottom-right {{
    content: "Chair\\2019 s initials";
    font: 7pt {FONT}; color: #333; text-align: left; vertical-align: top;
    width: 32mm; height: 11mm; margin-top: 3mm; padding: 1mm 1.5mm;
    border: 0.8pt solid #111;
  }}
}}
.attendance {{ margin: 3mm 0 2mm; }}
.attendance th, .attendance td {{ border: 0; padding: 0 0 1.2mm; }}
.attendance th {{ width: 42mm; padding-right: 3mm; }}
.item h2 {{ margin-top: 5mm; }}
.item .no {{ display: inline-block; min-width: 16mm; }}
.tag {{ font-size: 8.5pt; font-weight: bold; border: 0.8pt solid #111; padding: 0 1.5mm; }}
.label {{ font-weight: bold; margin: 2mm 0 0.5mm; }}
.declarations {{ margin: 0 0 2mm; }}
.resolution {{ margin: 2mm 0 2.5mm; padding-left: 4mm; border-left: 2pt solid #555;
  break-inside: avoid; }}
.resolution p {{ margin-bottom: 0.8mm; }}
.resolution .vote {{ font-style: italic; }}
.resolution ul {{ margin: 0 0 1mm; }}
.actions th:nth-child(2), .actions td:nth-child(2) {{ width: 30%; }}
.actions th:nth-child(3), .actions td:nth-child(3) {{ width: 22%; }}
.signature {{ break-inside: avoid; margin-top: 10mm; }}
.sign-line {{ margin: 7mm 0 0; }}
.sign-line .line {{ display: inline-block; min-width: 75mm; border-bottom: 0.8pt solid #111;
  padding: 0 2mm; margin: 0 3mm; }}
.sign-line .short {{ min-width: 45mm; }}
"""

PART_TWO_NOTE = "Part II items are minuted separately."
APPROVED = "Approved as a true record at {title} on {date}."


def render(meeting: MeetingView, *, include_exempt: bool) -> str:
    draft = meeting.stage in DRAFT_STAGES
    items = sorted(meeting.items, key=lambda i: i.number)
    shown = [item for item in items if include_exempt or not item.exempt]
    markings = [DRAFT] if draft else [ALTERED] if meeting.altered else []
    if any(item.exempt for item in shown):
        markings.append(CONFIDENTIAL)
    css = CSS + marking_css(*markings)
    parts = [_heading(meeting, draft), _attendance(meeting)]
    parts += [_item(item) for item in shown]
    if not items:
        parts.append("<p>Nothing has been minuted yet.</p>")
    if len(shown) < len(items):
        parts.append(f"<p>{esc(PART_TWO_NOTE)}</p>")
    if not draft:
        parts.append(_signature(meeting))
    return document(
        title=f"Minutes: {meeting.title} — {meeting.group_name}", body="\n".join(parts), css=css
    )


def _heading(meeting: MeetingView, draft: bool) -> str:
    held = words.held(meeting)
    body = meeting.body.strip()
    lead = f"{body}, held" if body else "Held"
    out = (
        "<header>"
        f'<p class="group-name">{esc(meeting.group_name)}</p>'
        f"<h1>Minutes: {esc(meeting.title)}</h1>"
        f'<p class="meta">{esc(lead)} {esc(held)}.</p>'
        "</header>"
    )
    if draft:
        return out + (
            f'<p class="warning">{esc(DRAFT)}. These minutes are a draft until'
            " a later meeting approves them as a true record.</p>"
        )
    if meeting.altered:
        out += (
            '<p class="warning">These minutes have changed since they were approved, so'
            " they are not the approved record. Changes to approved minutes are made by"
            " amendment at a later meeting.</p>"
        )
    approval = meeting.approval
    if approval is not None:
        said = APPROVED.format(title=approval.at_title, date=words.long_date(approval.at_date))
        out += (
            f'<p class="notice">{esc(said)}</p>'
            f'<p class="small">Approval recorded by {esc(approval.approved_by)} · content hash'
            f' <span class="hash">{esc(approval.content_hash)}</span></p>'
        )
    return out


def _attendance(meeting: MeetingView) -> str:
    def who(status: str) -> list[str]:
        return [a.name for a in meeting.attendees if a.status == status]

    def marked(name: str) -> str:
        return f"{name} (Chair)" if meeting.chair and name == meeting.chair else name

    apologies = []
    for a in meeting.attendees:
        if a.status == "apologies":
            said = {True: " (accepted)", False: " (not accepted)", None: ""}
            apologies.append(a.name + said[a.apologies_accepted])
    rows = [
        ("Present", ", ".join(marked(n) for n in who("present")) or "None recorded"),
        ("Attending remotely", ", ".join(marked(n) for n in who("remote"))),
        ("Apologies", ", ".join(apologies)),
        ("Absent", ", ".join(who("absent"))),
        ("In attendance", f"{meeting.clerk} (Clerk)" if meeting.clerk else ""),
        ("Also present", meeting.public.strip()),
    ]
    listed = "".join(
        f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows if v
    )
    return f'<table class="attendance"><caption class="hidden">Attendance</caption>{listed}</table>'


def _item(item: Item) -> str:
    number = item.minute_number or f"{item.number}."
    tag = ' <span class="tag">Part II: confidential</span>' if item.exempt else ""
    parts = [f'<h2><span class="no">{esc(number)}</span> {esc(item.title)}{tag}</h2>']
    if item.declarations:
        parts.append(
            '<p class="label">Declarations of interest</p><ul class="declarations">'
            + "".join(f"<li>{esc(_declared(d))}</li>" for d in item.declarations)
            + "</ul>"
        )
    parts.append(paragraphs(item.minutes))
    parts += [_resolution(r) for r in item.resolutions]
    if item.actions:
        parts.append(_actions(item.actions))
    return f'<section class="item">{"".join(parts)}</section>'


def _declared(d: Declaration) -> str:
    kind = words.INTERESTS.get(d.kind, f"interest ({d.kind})")
    article = "an" if kind[0] in "aeiou" else "a"
    said = f"{d.name} declared {article} {kind}" + (
        f": {d.nature.strip()}" if d.nature.strip() else ""
    )
    said = said if said[-1] in ".!?" else said + "."
    if d.dispensation:
        said += " A dispensation had been granted."
    elif d.kind == "pecuniary":
        said += " No dispensation had been granted."
    said += (
        f" {d.name} left the room for this item."
        if d.left_room
        else f" {d.name} remained in the room."
    )
    return said


def _resolution(r: Resolution) -> str:
    lead, rest = words.resolution_line(r)
    vote = words.vote_line(r.vote, carried=r.carried)
    if r.vote.recorded:
        vote = f"A recorded vote was taken: {vote}"
    said = " ".join(p for p in (words.mover(r), vote) if p)
    out = f"<p><strong>{esc(lead)}</strong> {esc(rest)}</p>"
    if said:
        out += f'<p class="vote">{esc(said)}</p>'
    if r.vote.recorded:
        out += (
            "<ul>"
            + "".join(
                f"<li>{esc(way)}: {esc(words.names(people))}</li>"
                for way, people in words.recorded_by_way(r.vote)
            )
            + "</ul>"
        )
    if r.corrects:
        out += f'<p class="small">This corrects minute {esc(r.corrects)}.</p>'
    return f'<div class="resolution">{out}</div>'


def _actions(actions: tuple[Action, ...]) -> str:
    rows = "".join(
        f"<tr><td>{esc(a.text)}</td><td>{esc(a.owner or '—')}</td>"
        f"<td>{esc(words.short_date(a.due) if a.due else '—')}</td></tr>"
        for a in actions
    )
    return (
        '<table class="actions"><caption>Actions</caption><thead><tr>'
        '<th scope="col">Action</th><th scope="col">Who</th><th scope="col">By</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _signature(meeting: MeetingView) -> str:
    sig = meeting.signature
    held = words.long_date(meeting.starts_at)
    name = esc(sig.chair) if sig else ""
    day = esc(words.short_date(sig.signed_at)) if sig else ""
    recorded = ""
    if sig:
        recorded = (
            f'<p class="small">Signature recorded {esc(words.date_and_time(sig.signed_at))}'
            f" on device {esc(sig.device)}.</p>"
        )
    return (
        '<section class="signature"><h2>Chair’s signature</h2>'
        f"<p>Signed as a true record of the meeting held on {esc(held)}.</p>"
        f'<p class="sign-line">Signed<span class="line">{name}</span>Chair</p>'
        f'<p class="sign-line">Date<span class="line short">{day}</span></p>'
        f"{recorded}</section>"
    )
