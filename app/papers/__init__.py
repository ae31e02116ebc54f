"""The printed papers of a meeting: summons and agenda, sign-in sheet, minutes.

Each is one HTML document (the page the hub will publish, and what is printed) and
the PDF made from it here, with no network. Exempt (Part II) business is left out
unless ``include_exempt=True``: the default is what may be published.

    render_html("minutes", meeting)            # -> str, a standalone HTML document
    render_pdf("agenda", meeting)              # -> bytes, a tagged PDF
    write_pdf("sign_in", meeting, Path("x.pdf"))
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args

from app.errors import InvalidInput
from app.meeting_view import MeetingView
from app.papers import agenda, minutes, sign_in
from app.papers.pdf import html_to_pdf, write_whole

PaperKind = Literal["agenda", "sign_in", "minutes"]
PAPERS: tuple[PaperKind, ...] = get_args(PaperKind)

_RENDER: dict[str, Callable[..., str]] = {
    "agenda": agenda.render,
    "sign_in": sign_in.render,
    "minutes": minutes.render,
}

__all__ = ["PAPERS", "PaperKind", "render_html", "render_pdf", "write_pdf"]


def render_html(paper: PaperKind, meeting: MeetingView, *, include_exempt: bool = False) -> str:
    """The paper as a complete HTML document, everything from the meeting escaped."""
    render = _RENDER.get(paper)
    if render is None:
        raise InvalidInput(
            f"There is no paper called {paper!r}: choose one of {', '.join(PAPERS)}."
        )
    return render(meeting, include_exempt=include_exempt)


def render_pdf(paper: PaperKind, meeting: MeetingView, *, include_exempt: bool = False) -> bytes:
    """The paper as a tagged PDF, A4, every page numbered."""
    return html_to_pdf(render_html(paper, meeting, include_exempt=include_exempt))


def write_pdf(
    paper: PaperKind, meeting: MeetingView, path: Path, *, include_exempt: bool = False
) -> None:
    """Save the paper's PDF at ``path``, whole or not at all (``FileError`` if it cannot)."""
    write_whole(render_pdf(paper, meeting, include_exempt=include_exempt), Path(path))
