"""A consultation's responses for officers to take away: CSV, a workbook, and a PDF.

The officer's exports show everything the responses say, whatever the consultation's
publication setting (that governs what the council publishes, not what it reads).
The PDF is the printable responses page itself (``responses_html``), made by the
papers' own WeasyPrint step, so the page, its print and the PDF are one rendering.

Text from groups never becomes a formula: a CSV cell starting with ``= + - @`` (or a
tab or carriage return) gets a leading apostrophe, as spreadsheet programs advise,
and a workbook cell is always written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.papers.pdf import html_to_pdf
from app.papers.words import short_date
from sync.hub.consultation_paper import responses_html
from sync.hub.consultation_responses import Report, Response
from sync.hub.consultation_words import (
    choices_text,
    how_agreed,
    late_text,
    meeting_text,
    received_text,
    votes_text,
)
from sync.hub.consultations import ConsultedGroup

COLUMNS = (
    "Group",
    "Submitted by",
    "How agreed",
    "Meeting",
    "Minute",
    "Votes",
    "Dissent",
    "Received",
    "Late",
    "Question number",
    "Question",
    "Answer",
    "Choices",
    "Tags",
    "Note",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | float | int
MAX_CELL = 32_000  # a spreadsheet cell holds 32,767 characters at most


def _rows(report: Report) -> Iterator[list[str]]:
    """One row per responding group and question, groups in the consultation's order."""
    questions = report.consultation.questions
    for group, response in report.responding:
        about = [str(v) for v in _about(group, response)]
        for n, question in enumerate(questions, 1):
            answer = response.answer(n)
            note = report.note(group.id, n)
            yield [
                *about,
                str(n),
                question["text"],
                "" if answer is None else answer.text,
                "" if answer is None else choices_text(answer.choice),
                ", ".join(note.tags),
                note.note,
            ]


def _about(group: ConsultedGroup, r: Response) -> list[Cell]:
    return [
        group.name,
        r.name,
        how_agreed(r.how),
        meeting_text(r),
        r.minute,
        votes_text(r),
        r.dissent,
        received_text(r),
        late_text(r),
    ]


def _safe_csv(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def to_csv(report: Report) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read its accents right."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in _rows(report):
        writer.writerow([_safe_csv(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


# --- the workbook ---------------------------------------------------------------------------

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _text(value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= MAX_CELL else value[:MAX_CELL] + " … (cut short: see the CSV)"


def _sheet(sheet: Worksheet, header: list[str], rows: Sequence[Sequence[Cell]]) -> None:
    """A table with a bold, frozen header row and widths to suit its contents."""
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = _BOLD
    sheet.freeze_panes = "A2"
    widths = [len(h) for h in header]
    for values in rows:
        sheet.append([_text(v) if isinstance(v, str) else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
                cell.alignment = _WRAP
        for i, v in enumerate(values):
            longest = max((len(line) for line in str(v).splitlines()), default=0)
            widths[i] = max(widths[i], longest)
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 10), 60)


def _sheet_title(n: int, text: str, taken: set[str]) -> str:
    clean = "".join(" " if c in "[]:*?/\\'" else c for c in text)
    title = " ".join(f"Q{n} {clean}".split())[:31].strip()
    while title in taken:  # two questions alike in their first words
        title = f"Q{n}"[:31]
    taken.add(title)
    return title


def to_xlsx(report: Report) -> bytes:
    """A summary sheet of who responded and how, then a sheet per question."""
    c = report.consultation
    book = Workbook()
    book.properties.title = c.title
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    summary_rows: list[list[Cell]] = []
    for group in c.groups:
        response = report.responses.get(group.id)
        if response is None:
            summary_rows.append([group.name, "No response yet", "", "", "", "", "", "", ""])
        else:
            summary_rows.append(_about(group, response))
    _sheet(summary, list(COLUMNS[:9]), summary_rows)
    taken = {"Summary"}
    for n, question in enumerate(c.questions, 1):
        sheet = book.create_sheet(_sheet_title(n, question["text"], taken))
        rows: list[list[Cell]] = []
        for group, response in report.responding:
            answer = response.answer(n)
            note = report.note(group.id, n)
            rows.append(
                [
                    group.name,
                    "" if answer is None else answer.text,
                    "" if answer is None else choices_text(answer.choice),
                    late_text(response),
                    ", ".join(note.tags),
                    note.note,
                ]
            )
        _sheet(sheet, ["Group", "Answer", "Choices", "Late", "Tags", "Note"], rows)
        sheet["H1"] = "Question"
        sheet["H1"].font = _BOLD
        sheet["I1"] = _text(question["text"])
        sheet["I1"].data_type = "s"
        sheet.column_dimensions["H"].width = 12
        sheet.column_dimensions["I"].width = min(max(len(question["text"]), 12), 60)
        shares = report.shares(n)
        if shares is not None:
            _shares_table(
                sheet, shares.answered, [(s.option, s.count, s.percent) for s in shares.options]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shares_table(sheet: Worksheet, answered: int, shares: list[tuple[str, int, float]]) -> None:
    """Beside the answers: each option, how many groups chose it and their share."""
    sheet["H3"] = f"Groups that chose: {answered}"
    sheet["H3"].font = _BOLD
    for col, words in zip("HIJ", ("Option", "Groups", "Share"), strict=True):
        sheet[f"{col}4"] = words
        sheet[f"{col}4"].font = _BOLD
    for row, (option, count, percent) in enumerate(shares, 5):
        sheet[f"H{row}"] = _text(option)
        sheet[f"H{row}"].data_type = "s"
        sheet[f"I{row}"] = count
        sheet[f"J{row}"] = percent / 100
        sheet[f"J{row}"].number_format = "0%"
    sheet.column_dimensions["H"].width = min(max([12, *(len(o) + 2 for o, _c, _p in shares)]), 40)
    sheet.column_dimensions["J"].width = 10


def to_pdf(report: Report) -> bytes:
    """The printable responses page as a tagged PDF."""
    return html_to_pdf(responses_html(report))


def filename(report: Report, suffix: str) -> str:
    """A name to save an export under: the title's words and the closing date."""
    title = report.consultation.title
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in title)
    stem = "-".join(words.lower().split())[:60] or "consultation"
    return f"{stem}-responses-{short_date(report.consultation.closes).replace(' ', '-')}.{suffix}"
