"""How long a long meeting's papers take to make as PDFs, on this laptop, with no network.

Run from the repository root:

    .venv/bin/python -m bench.papers_bench [--items 40] [--words 2000] [--runs 5]
    .venv/bin/python -m bench.papers_bench --screenshots resources/screenshots

It builds a meeting of ``--items`` items sharing ``--words`` words of minutes (each
item with a paper, a resolution and some actions), then times, and prints the median
of ``--runs``:

- the minutes and the agenda of that meeting as PDFs (``render_pdf``), the goal being
  under 2 s for the minutes;

and, as baselines measured in the same run, the minutes' HTML alone (``render_html``)
and WeasyPrint making a PDF of a one-paragraph document, which is its fixed cost per
PDF. The first PDF of a process also pays for loading WeasyPrint and Pango and
reading the fonts; that is printed on its own. It never fails on time.

``--screenshots DIR`` instead writes the first page of the sample meeting's agenda and
of its approved minutes as PNGs there (``papers-agenda.png``, ``papers-minutes.png``),
in grey (they have no colour), with poppler's ``pdftoppm`` and Pillow.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image

from app.papers import render_html, render_pdf
from app.papers.pdf import html_to_pdf
from bench.papers_sample import large_meeting, parish_meeting

ONE_PARAGRAPH = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>One</title>'
    "</head><body><p>The meeting closed at 9.12pm.</p></body></html>"
)


def median_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pages(html: str) -> int:
    """How many pages the document lays out to (WeasyPrint's own count)."""
    import weasyprint

    return len(weasyprint.HTML(string=html).render().pages)


def screenshots(folder: Path, resolution: int) -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is not installed (Debian: poppler-utils)", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    meeting = parish_meeting()
    with tempfile.TemporaryDirectory() as tmp:
        for paper, name in (("agenda", "papers-agenda"), ("minutes", "papers-minutes")):
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(render_pdf(paper, meeting))  # type: ignore[arg-type]
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1",
                 "-singlefile", str(pdf), str(folder / name)],
                check=True,
            )  # fmt: skip
            png = folder / f"{name}.png"
            with Image.open(png) as shot:  # grey, as the papers are: a third of the bytes
                grey = shot.convert("L")
            grey.save(png, optimize=True)
            print(f"{png}: {png.stat().st_size / 1024:.0f} KB")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshots", type=Path, metavar="DIR")
    parser.add_argument("--resolution", type=int, default=100, help="for --screenshots, dpi")
    args = parser.parse_args(argv)
    if args.screenshots:
        return screenshots(args.screenshots, args.resolution)

    meeting = large_meeting(args.items, args.words)
    words = sum(len(item.minutes.split()) for item in meeting.items)
    start = time.perf_counter()
    first = render_pdf("minutes", meeting)
    cold = time.perf_counter() - start

    minutes_s = median_of(args.runs, lambda: render_pdf("minutes", meeting))
    agenda_s = median_of(args.runs, lambda: render_pdf("agenda", meeting))
    html_s = median_of(args.runs, lambda: render_html("minutes", meeting))
    tiny_s = median_of(args.runs, lambda: html_to_pdf(ONE_PARAGRAPH))

    print(f"meeting: {len(meeting.items)} items, {words} words of minutes")
    minutes_pages = pages(render_html("minutes", meeting))
    print(f"minutes PDF, median of {args.runs}: {minutes_s:.2f} s"
          f" ({minutes_pages} pages, {len(first) / 1024:.0f} KB; goal 2 s)")  # fmt: skip
    agenda_pages = pages(render_html("agenda", meeting))
    print(f"agenda PDF, median of {args.runs}: {agenda_s:.2f} s ({agenda_pages} pages)")
    print(f"baseline: minutes HTML alone {html_s * 1000:.1f} ms;"
          f" WeasyPrint, a one-paragraph PDF {tiny_s:.2f} s")  # fmt: skip
    print(f"first minutes PDF of the process (loads WeasyPrint, Pango, fonts): {cold:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
