"""The printed papers read as a clerk, a councillor and a resident would read them.

The meeting is built by hand: a parish council's January meeting with the business a
real one has. The PDFs are read back with poppler's ``pdftotext`` and ``pdfinfo``
(``.ci/run`` installs them); where they are missing those tests skip and say so.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from app.codes import Code
from app.errors import FileError, InvalidInput
from app.meeting_view import (
    Action,
    Approval,
    Attendee,
    Declaration,
    Item,
    MeetingView,
    Paper,
    Resolution,
    Signature,
    Vote,
)
from app.papers import render_html, render_pdf, write_pdf
from app.papers.pdf import html_to_pdf

CHAIR = "Cllr Rosa Quinn"
CLERK = "Margaret Ellison"
HASH = "9c1d7e0b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d"
STAFFING = "Staffing: the Clerk's contract and hours"
RECORDED = (
    (CHAIR, "for"), ("Cllr Bea Chandra", "for"), ("Cllr Dee Evans", "for"),
    ("Cllr Gwen Hart", "for"), ("Cllr Alan Price", "against"), ("Cllr Colin Dunn", "against"),
    ("Cllr Faisal Gani", "against"), ("Cllr Harry Ives", "against"),
)  # fmt: skip


def january(stage: str = "approved", **changes: Any) -> MeetingView:
    present = [
        CHAIR,
        "Cllr Alan Price",
        "Cllr Bea Chandra",
        "Cllr Colin Dunn",
        "Cllr Dee Evans",
        "Cllr Faisal Gani",
        "Cllr Gwen Hart",
        "Cllr Harry Ives",
    ]
    attendees = (
        *(Attendee(f"d{i}", name, "present") for i, name in enumerate(present)),
        Attendee("d8", "Cllr Isla Jones", "remote"),
        Attendee("d9", "Cllr Ken Lowe", "apologies", apologies_accepted=True),
        Attendee("d10", "Cllr Lily Moss", "apologies", apologies_accepted=False),
        Attendee("d11", "Cllr Max Nolan", "absent"),
    )
    items = (
        Item("i1", 1, "Apologies for absence", "27/001", standard="apologies",
             minutes="Apologies were received from Cllr Lowe (holiday) and Cllr Moss.",
             resolutions=(Resolution("r1", "that Cllr Lowe's apologies be accepted", True,
                                     Vote(unanimous=True), CHAIR, "Cllr Alan Price"),)),
        Item("i2", 2, "Declarations of interest", "27/002", standard="declarations",
             minutes="Declarations are recorded under the items to which they relate."),
        Item("i3", 3, "Minutes of the meeting held on 10 December 2026", "27/003",
             standard="minutes",
             papers=(Paper("p1", "Minutes 10 December 2026.pdf", 96_412),),
             resolutions=(
                 Resolution("r2", "that minute 26/141 be corrected to read £1,250, not £1,520",
                            True, Vote(unanimous=True), "Cllr Dee Evans", "Cllr Gwen Hart",
                            corrects="26/141"),
                 Resolution("r3", "that the minutes, as corrected, be approved as a true"
                            " record", True, Vote(for_=7, abstain=1), "Cllr Harry Ives",
                            "Cllr Bea Chandra"),
             )),
        Item("i4", 4, "Public participation", "27/004",
             minutes="The meeting was adjourned.\n\nA resident asked about the works by"
             " Smith & Sons Builders on Mill Lane.\nThe Clerk will reply in writing.\n\n"
             "The meeting was reconvened."),
        Item("i5", 5, "Planning applications", "27/005",
             papers=(Paper("p2", "27-00042-FUL Orchard House plans.pdf", 2_411_724),),
             declarations=(
                 Declaration("x1", "d3", "Cllr Colin Dunn", "pecuniary",
                             "he owns Orchard House", left_room=True),
                 Declaration("x2", "d6", "Cllr Gwen Hart", "other_registrable",
                             "she is a trustee of the village hall", dispensation=True),
             ),
             minutes="27/00042/FUL: Orchard House, Mill Lane. A two-storey rear extension.",
             resolutions=(Resolution("r4", "that the council has no objection to application"
                                     " 27/00042/FUL", True, Vote(for_=6, abstain=1),
                                     "Cllr Faisal Gani", "Cllr Alan Price"),)),
        Item("i6", 6, "Budget and precept for 2027/28", "27/006",
             papers=(Paper("p3", "Budget 2027-28.pdf", 86_016),),
             minutes="The Clerk presented the draft budget and three options.",
             resolutions=(Resolution("r5", "that the precept for 2027/28 be set at £24,500",
                                     True, Vote(for_=5, against=2, abstain=1), CHAIR,
                                     "Cllr Dee Evans"),),
             actions=(Action("a1", "i6", "Send the precept request to the district council",
                             CLERK, "2027-01-31"),)),
        Item("i7", 7, "Motion: floodlights for the tennis court", "27/007",
             resolutions=(Resolution("r6", "that the council installs floodlights on the"
                                     " tennis court", False, Vote(for_=2, against=5, abstain=1),
                                     "Cllr Harry Ives", "Cllr Colin Dunn"),)),
        Item("i8", 8, "Play area resurfacing", "27/008",
             minutes="Cllr Price asked for a recorded vote.",
             resolutions=(Resolution("r7", "that the play area be resurfaced at a cost of up"
                                     " to £8,400", True, Vote(recorded=RECORDED, casting="for"),
                                     "Cllr Bea Chandra", "Cllr Gwen Hart"),),
             actions=(Action("a2", "i8", "Order the resurfacing", "Cllr Bea Chandra",
                             "2027-03-01", status="done"),)),
        Item("i9", 9, "Clerk's report", "27/009",
             minutes="The bus shelter has been repaired.",
             actions=(Action("a3", "i9", "Report the Back Lane pothole to the county"),)),
        Item("i10", 10, STAFFING, "27/010", exempt=True,
             papers=(Paper("p4", "Clerk appraisal (confidential).pdf", 40_960),),
             minutes="The press and public were excluded. The Clerk left the room.",
             resolutions=(Resolution("r8", "that the Clerk's hours rise to 20 a week", True,
                                     Vote(unanimous=True), CHAIR, "Cllr Alan Price"),)),
    )  # fmt: skip
    meeting = MeetingView(
        id="m1", group_id="g1", group_name="Brockley Parish Council",
        title="January meeting", starts_at="2027-01-14T19:30", summons_by="2027-01-08",
        body="Full council", place="Brockley Village Hall", chair=CHAIR, clerk=CLERK,
        stage=stage, public="5 members of the public; PCSO Amy Reid", attendees=attendees,
        items=items,
    )  # fmt: skip
    if stage in ("approved", "signed"):
        meeting = replace(
            meeting,
            approval=Approval("m2", "the February meeting", "2027-02-11", CLERK, "dc", HASH),
        )
    return replace(meeting, **changes)


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


def visible(html: str) -> str:
    """What a reader of the HTML page sees: the body's text, tags gone, entities read."""
    from html import unescape

    body = html.split("<body>", 1)[1]
    return flat(unescape(re.sub(r"<[^>]+>", " ", body)))


# --- the HTML --------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["agenda", "sign_in", "minutes"])
def test_each_paper_is_a_standalone_accessible_document(paper: Any) -> None:
    html = render_html(paper, january())
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert re.search(r"<title>[^<]*January meeting[^<]*Brockley Parish Council</title>", html)
    assert html.count("<h1>") == 1
    assert "<style>" in html
    assert 'content: "Page " counter(page) " of " counter(pages)' in html
    # Nothing to fetch: no links, scripts, images or URLs anywhere.
    for outside in ("<link", "<script", "<img", "src=", "url(", "http:", "https:", "@import"):
        assert outside not in html
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        assert '<th scope="col">' in table or '<th scope="row">' in table


def test_the_agenda_summons_members_and_lists_the_business_in_order() -> None:
    html = render_html("agenda", january())
    text = visible(html)
    assert "Summons and agenda: January meeting" in text
    assert (
        "You are hereby summoned to attend the January meeting, to be held at Brockley"
        " Village Hall on Thursday 14 January 2027 at 7.30pm" in text
    )
    assert "Brockley Parish Council (Full council)" in text
    assert "Issued no later than Friday 8 January 2027" in text
    assert CLERK in text
    titles = re.findall(r"<h2><span class=\"num\">(\d+)\.</span> ([^<]*)</h2>", html)
    assert [int(n) for n, _t in titles] == list(range(1, 10))
    assert titles[5][1] == "Budget and precept for 2027/28"
    assert "Budget 2027-28.pdf (84 KB)" in text
    assert "27-00042-FUL Orchard House plans.pdf (2.3 MB)" in text


def test_remote_and_hybrid_meetings_say_so() -> None:
    remote = visible(render_html("agenda", january(mode="remote", place="")))
    assert "to be held remotely on Thursday 14 January 2027 at 7.30pm" in remote
    hybrid = visible(render_html("agenda", january(mode="hybrid")))
    assert "to be held at Brockley Village Hall and remotely on Thursday" in hybrid


def test_exempt_business_is_left_out_unless_asked_for() -> None:
    for paper in ("agenda", "minutes"):
        public = render_html(paper, january())
        assert STAFFING.replace("'", "&#x27;") not in public
        assert "Clerk appraisal" not in public
        assert "20 a week" not in public
        assert "Public Bodies" not in public
        private = visible(render_html(paper, january(), include_exempt=True))
        assert STAFFING in private
    agenda = visible(render_html("agenda", january(), include_exempt=True))
    assert "Part II: items from which the press and public may be excluded" in agenda
    assert "Public Bodies (Admission to Meetings) Act 1960" in agenda
    assert "section 1(2)" in agenda
    assert "Clerk appraisal (confidential).pdf (40 KB)" in agenda
    # The minutes say only that there was Part II business, and only when there was.
    assert "Part II items are minuted separately." in visible(render_html("minutes", january()))
    open_only = january(items=january().items[:9])
    assert "Part II" not in visible(render_html("minutes", open_only))
    assert "Part II" not in visible(render_html("agenda", open_only, include_exempt=True))


def test_the_minutes_record_who_came_and_what_was_decided() -> None:
    text = visible(render_html("minutes", january()))
    assert "Minutes: January meeting" in text
    assert "Present Cllr Rosa Quinn (Chair), Cllr Alan Price," in text
    assert "Attending remotely Cllr Isla Jones" in text
    assert "Apologies Cllr Ken Lowe (accepted), Cllr Lily Moss (not accepted)" in text
    assert "Absent Cllr Max Nolan" in text
    assert "In attendance Margaret Ellison (Clerk)" in text
    assert "Also present 5 members of the public; PCSO Amy Reid" in text
    assert "27/006 Budget and precept for 2027/28" in text
    assert "RESOLVED that the precept for 2027/28 be set at £24,500." in text
    assert (
        "Proposed by Cllr Rosa Quinn, seconded by Cllr Dee Evans. For 5, Against 2, Abstain 1."
        in text
    )
    assert "Carried unanimously." in text
    assert (
        "The motion that the council installs floodlights on the tennis court was not carried."
        in text
    )
    assert "For 2, Against 5, Abstain 1." in text
    assert "A recorded vote was taken: For 4, Against 4, Abstain 0." in text
    assert "the Chair gave a casting vote for the motion" in text
    assert "For: Cllr Rosa Quinn, Cllr Bea Chandra, Cllr Dee Evans and Cllr Gwen Hart" in text
    assert "Against: Cllr Alan Price, Cllr Colin Dunn, Cllr Faisal Gani and Cllr Harry Ives" in text
    assert "This corrects minute 26/141." in text
    assert (
        "Cllr Colin Dunn declared a disclosable pecuniary interest: he owns Orchard House."
        " No dispensation had been granted. Cllr Colin Dunn left the room for this item." in text
    )
    assert (
        "Cllr Gwen Hart declared an other registrable interest: she is a trustee of the village"
        " hall. A dispensation had been granted. Cllr Gwen Hart remained in the room." in text
    )
    assert (
        "Send the precept request to the district council Margaret Ellison 31 January 2027" in text
    )
    assert "Report the Back Lane pothole to the county — —" in text  # no owner, no date yet
    assert "done" not in text.split("Order the resurfacing")[1][:40]  # state is not the record


def test_paragraphs_of_the_minutes_stay_paragraphs() -> None:
    html = render_html("minutes", january())
    assert "<p>The meeting was adjourned.</p>" in html
    assert "Smith &amp; Sons Builders on Mill Lane.<br>The Clerk will reply in writing.</p>" in html


def test_draft_and_approved_minutes_say_which_they_are() -> None:
    draft = render_html("minutes", january("circulated"))
    assert "DRAFT — not yet approved" in visible(draft)
    assert "@top-center" in draft
    assert "Approved as a true record" not in draft
    assert "Chair’s signature" not in draft
    approved = visible(render_html("minutes", january()))
    assert (
        "Approved as a true record at the February meeting on Thursday 11 February 2027."
        in approved
    )
    assert HASH in approved
    assert "DRAFT" not in approved
    altered = visible(render_html("minutes", january(altered=True)))
    assert "changed since they were approved" in altered


def test_the_sign_in_sheet_has_a_row_per_member_and_blank_rows_for_the_public() -> None:
    html = render_html("sign_in", january())
    text = visible(html)
    assert "Sign-in sheet: January meeting" in text
    assert "Thursday 14 January 2027 at 7.30pm" in text
    members = html.split("Members of the public")[0]
    for attendee in january().attendees:
        assert f'<th scope="row">{attendee.name}</th>' in members
    public = html.split('class="sheet public"')[1]
    assert '<th scope="col" class="contact">Contact (optional)</th>' in public
    assert public.count("<tr><td></td><td></td><td></td></tr>") >= 10


HOSTILE = '<script>alert("x")</script> & <b>Co</b>'


def test_everything_from_the_meeting_is_escaped() -> None:
    item = Item("h", 1, HOSTILE, HOSTILE, minutes=HOSTILE,
                declarations=(Declaration("x", "d", HOSTILE, "pecuniary", HOSTILE),),
                resolutions=(Resolution("r", HOSTILE, True, Vote(recorded=((HOSTILE, "for"),)),
                                        HOSTILE, HOSTILE, corrects=HOSTILE),),
                actions=(Action("a", "h", HOSTILE, HOSTILE, HOSTILE),),
                papers=(Paper("p", HOSTILE, 1),))  # fmt: skip
    meeting = january(
        group_name=HOSTILE + "</style>", title=HOSTILE, body=HOSTILE, place=HOSTILE,
        clerk=HOSTILE, chair=HOSTILE, public=HOSTILE, items=(item,),
        attendees=(Attendee("d", HOSTILE, "present"), Attendee("e", HOSTILE, "apologies")),
        approval=Approval("m", HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE),
        signature=Signature(HOSTILE, HOSTILE, HOSTILE),
    )  # fmt: skip
    for paper in ("agenda", "sign_in", "minutes"):
        html = render_html(paper, meeting)  # type: ignore[arg-type]
        assert "<script" not in html
        assert "<b>" not in html
        assert html.count("</style>") == 1
        assert (
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in html
        )
        assert HOSTILE in visible(html)


def test_an_unknown_paper_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="no paper called 'notice'"):
        render_html("notice", january())  # type: ignore[arg-type]


# --- the PDFs ------------------------------------------------------------------------------


def _tools() -> None:
    missing = [t for t in ("pdftotext", "pdfinfo") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed (Debian: poppler-utils)")


class Pdf:
    """A PDF as poppler reads it: its info, and the text of each page."""

    def __init__(self, data: bytes, folder: Path, name: str) -> None:
        _tools()
        path = folder / f"{name}.pdf"
        path.write_bytes(data)
        self.info = subprocess.run(
            ["pdfinfo", path], capture_output=True, text=True, check=True
        ).stdout
        text = subprocess.run(
            ["pdftotext", path, "-"], capture_output=True, text=True, check=True
        ).stdout
        self.pages = [flat(page) for page in text.split("\f")][: self.count]
        # As laid out on the page, lines kept: for what sits side by side on one line.
        laid_out = subprocess.run(
            ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
        ).stdout
        self.laid_out = laid_out.split("\f")[: self.count]

    @property
    def count(self) -> int:
        return int(re.search(r"^Pages:\s+(\d+)", self.info, flags=re.M)[1])  # type: ignore[index]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    folder = tmp_path_factory.mktemp("papers")
    _tools()
    made = {
        "agenda": ("agenda", january(), False),
        "agenda+exempt": ("agenda", january(), True),
        "sign_in": ("sign_in", january(), False),
        "draft": ("minutes", january("draft"), False),
        "approved": ("minutes", january(), False),
        "signed": (
            "minutes",
            january("signed", signature=Signature(CHAIR, "2027-02-11T21:05", "d0")),
            False,
        ),
        "signed+exempt": ("minutes", january("signed"), True),
    }
    return {
        name: Pdf(render_pdf(paper, meeting, include_exempt=exempt), folder, name)  # type: ignore[arg-type]
        for name, (paper, meeting, exempt) in made.items()
    }


def test_every_page_of_every_paper_is_numbered_page_n_of_m(pdfs: dict[str, Pdf]) -> None:
    for name, pdf in pdfs.items():
        n = pdf.count
        assert len(pdf.pages) == n, name
        for i, page in enumerate(pdf.pages, start=1):
            assert f"Page {i} of {n}" in page, (name, i)
    assert pdfs["approved"].count >= 2  # the realistic meeting runs over a page
    assert pdfs["sign_in"].count == 2  # members, then the public's own page


def test_the_pdfs_are_tagged_for_screen_readers(pdfs: dict[str, Pdf]) -> None:
    for name, pdf in pdfs.items():
        assert re.search(r"^Tagged:\s+yes", pdf.info, flags=re.M), name
        assert re.search(r"^Title:\s+.*January meeting", pdf.info, flags=re.M), name


def test_exempt_business_reaches_a_pdf_only_when_asked_for(pdfs: dict[str, Pdf]) -> None:
    for name in ("agenda", "approved", "draft"):
        assert not any("Staffing" in page for page in pdfs[name].pages), name
    assert any(STAFFING in page for page in pdfs["agenda+exempt"].pages)
    assert any(STAFFING in page for page in pdfs["signed+exempt"].pages)
    assert "Part II items are minuted separately." in " ".join(pdfs["approved"].pages)
    for name in ("agenda+exempt", "signed+exempt"):  # every page says it is confidential
        assert all("CONFIDENTIAL: includes Part II business" in p for p in pdfs[name].pages)


def test_draft_minutes_say_so_on_every_page(pdfs: dict[str, Pdf]) -> None:
    draft = pdfs["draft"]
    assert draft.count >= 2
    assert all("DRAFT — not yet approved" in page for page in draft.pages)
    assert not any("Chair’s signature" in page for page in draft.pages)
    assert not any("DRAFT" in page for page in pdfs["approved"].pages)


def test_every_minutes_page_has_a_box_for_the_chairs_initials(pdfs: dict[str, Pdf]) -> None:
    for name in ("draft", "approved", "signed"):
        assert all("Chair’s initials" in page for page in pdfs[name].pages), name
    assert not any("initials" in page for page in pdfs["agenda"].pages + pdfs["sign_in"].pages)


def test_approved_minutes_end_with_the_signature_block_on_the_last_page(
    pdfs: dict[str, Pdf],
) -> None:
    approved = pdfs["approved"]
    *before, last = approved.pages
    assert (
        "Approved as a true record at the February meeting on Thursday 11 February 2027."
        in approved.pages[0]
    )
    assert HASH in approved.pages[0]
    for words in ("Chair’s signature", "Signed as a true record", "Date"):
        assert words in last
    assert not any(
        "Chair’s signature" in page or "Signed as a true record" in page for page in before
    )
    # Signed: the chair's name and the day, where the blank lines were.
    signed = pdfs["signed"].laid_out[-1]
    assert re.search(rf"Signed +{CHAIR} +Chair", signed)
    assert re.search(r"Date +11 February 2027", signed)
    assert re.search(r"Signed +Chair", pdfs["approved"].laid_out[-1])  # blank, to sign


def test_the_agenda_pdf_reads_as_the_summons(pdfs: dict[str, Pdf]) -> None:
    first = pdfs["agenda"].pages[0]
    assert "You are hereby summoned to attend the January meeting" in first
    assert "Thursday 14 January 2027 at 7.30pm" in first
    assert first.index("1. Apologies for absence") < first.index("9. Clerk's report")
    # Each item's papers under it, by name and size.
    assert re.search(
        r"Budget and precept for 2027/28 Papers: \W*Budget 2027-28\.pdf \(84 KB\)", first
    )
    assert "Page 1 of 1" in first


def test_making_a_pdf_reaches_for_nothing_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[object] = []

    def refuse(*args: object) -> None:
        tried.append(args)  # WeasyPrint swallows a fetch's errors: count, then refuse
        raise OSError("a paper tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    pdf = html_to_pdf(
        '<html lang="en-GB"><head><title>t</title>'
        '<link rel="stylesheet" href="http://192.0.2.1/x.css"></head>'
        '<body><img src="https://192.0.2.1/logo.png" alt="">'
        '<img src="file:///etc/passwd" alt=""><p>Offline</p></body></html>'
    )
    assert pdf.startswith(b"%PDF-")
    assert tried == []


# --- saving -------------------------------------------------------------------------------


def test_write_pdf_saves_a_whole_file_and_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "agenda.pdf"
    write_pdf("agenda", january(), target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert os.listdir(tmp_path) == ["agenda.pdf"]
    write_pdf("minutes", january(), target)  # over the old one
    assert os.listdir(tmp_path) == ["agenda.pdf"]


def test_write_pdf_to_a_missing_folder_says_so_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "agenda.pdf"
    with pytest.raises(FileError) as raised:
        write_pdf("agenda", january(), target)
    assert raised.value.code == Code.FILE_ERROR
    assert "does not exist" in str(raised.value)
    assert not target.exists()
    assert os.listdir(tmp_path) == []


def test_a_full_disk_leaves_the_old_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "minutes.pdf"
    target.write_bytes(b"the last good copy")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(FileError, match="the disk is full; nothing was written") as raised:
        write_pdf("minutes", january(), target)
    assert raised.value.code == Code.FILE_ERROR
    assert target.read_bytes() == b"the last good copy"
    assert os.listdir(tmp_path) == ["minutes.pdf"]
