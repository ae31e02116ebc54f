"""The invitation card as printed: what it says, that its QR code is the link, and one page."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import segno

from app.papers.invite_card import (
    DEFAULT_COLOUR,
    InviteCard,
    ink,
    join_link,
    number,
    qr_svg,
    render,
    write_card,
)
from tests.support import pdf_text

HUB = "https://hub.westshire.example.gov.uk"
CODE = "Xq3v_8Kp0OlI1mZt-7bRw2Yc"


def hub_card(**changes: object) -> InviteCard:
    fields: dict[str, object] = {
        "group_name": "Ashby Village Hall Committee",
        "description": "We look after the village hall: bookings, repairs and the summer fête.",
        "colour": "#2d5f8b",
        "role": "member",
        "uses": 20,
        "expires": date(2027, 6, 14),
        "hub_url": HUB,
        "code": CODE,
    }
    return InviteCard(**(fields | changes))  # type: ignore[arg-type]


def bundle_card(**changes: object) -> InviteCard:
    fields: dict[str, object] = {
        "group_name": "Ashby Allotments",
        "description": "",
        "colour": "",
        "role": "member",
        "uses": 1,
        "expires": date(2027, 7, 1),
        "bundle_file": "allotments-card.moot",
    }
    return InviteCard(**(fields | changes))  # type: ignore[arg-type]


def test_the_card_says_what_a_newcomer_needs(tmp_path: Path) -> None:
    path = tmp_path / "card.pdf"
    write_card(hub_card(), path)
    text = " ".join(pdf_text(path).split())
    assert "Ashby Village Hall Committee" in text
    assert "bookings, repairs and the summer fête" in text
    assert CODE in text
    assert HUB in text
    assert "File ▸ Join group on a hub" in text
    assert "Use it by Monday 14 June 2027" in text
    assert "Up to twenty people can join with this code" in text
    assert "You join as a member" in text


def test_the_link_carries_the_hub_and_the_code() -> None:
    link = join_link("http://127.0.0.1:8000/moot?x=1&y=2", "a-b_c")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc) == ("moot", "join")
    assert parse_qs(parts.query) == {
        "hub": ["http://127.0.0.1:8000/moot?x=1&y=2"],
        "code": ["a-b_c"],
    }
    assert hub_card().link == join_link(HUB, CODE)


def _svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules an inline SVG from segno draws: (column, row), quiet zone included."""
    path = re.search(r'class="qrline"[^>]*\sd="([^"]+)"', svg)
    assert path is not None, svg
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path.group(1)):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            run = float(a) if command == "h" else float(a) - x
            dark.update((int(x) + i, int(y)) for i in range(int(run)))
            x += run
    return dark


def test_the_qr_code_on_the_card_is_the_link() -> None:
    card = hub_card()
    assert card.link is not None
    html = render(card)
    [svg] = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    expected = segno.make(card.link, error="m", micro=False)
    quiet = 4
    wanted = {
        (column + quiet, row + quiet)
        for row, line in enumerate(expected.matrix)
        for column, module in enumerate(line)
        if module & 1
    }
    assert _svg_modules(svg) == wanted
    # And not the same picture for any other code: the matrix does depend on the link.
    other = hub_card(code=CODE[::-1]).link
    assert other is not None
    assert _svg_modules(qr_svg(other)) != wanted


def test_a_phone_can_read_the_printed_qr_code(tmp_path: Path) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="no QR reader (zxing-cpp) installed here")
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed here")
    path = tmp_path / "card.pdf"
    card = hub_card()
    write_card(card, path)
    # 100 dots per inch: a camera's view of the card from arm's length, roughly.
    subprocess.run([pdftoppm, "-png", "-r", "100", str(path), str(tmp_path / "page")], check=True)
    [page] = sorted(tmp_path.glob("page*.png"))
    found = zxingcpp.read_barcodes(Image.open(page))
    assert [b.text for b in found] == [card.link]


def test_everything_from_the_group_is_escaped() -> None:
    card = hub_card(
        group_name='<script>alert("x")</script> & Friends',
        description="<img src=x onerror=alert(1)> Litter picks & more",
        colour="red; } body { display: none",
    )
    html = render(card)
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Friends" in html
    assert "display: none" not in html
    assert f"--accent: {DEFAULT_COLOUR}" in html


def test_a_pale_colour_is_darkened_until_it_reads() -> None:
    assert ink("#2d5f8b") == "#2d5f8b"  # the colours offered already read on white
    pale = ink("#ffff66")
    assert pale != "#ffff66"
    assert f"--accent: {pale}" in render(hub_card(colour="#FF6"))


def test_numbers_in_words() -> None:
    said = {n: number(n) for n in (1, 12, 20, 21, 40, 105, 310, 999, 1000)}
    assert said == {
        1: "one",
        12: "twelve",
        20: "twenty",
        21: "twenty-one",
        40: "forty",
        105: "one hundred and five",
        310: "three hundred and ten",
        999: "nine hundred and ninety-nine",
        1000: "one thousand",
    }


def test_a_one_use_code_says_so(tmp_path: Path) -> None:
    path = tmp_path / "card.pdf"
    write_card(hub_card(uses=1, role="organiser"), path)
    text = " ".join(pdf_text(path).split())
    assert "One person can join with this code" in text
    assert "You join as an organiser" in text


def test_the_longest_name_and_description_stay_on_one_page(tmp_path: Path) -> None:
    path = tmp_path / "card.pdf"
    name = ("Great Snoring and Little Snoring Residents' Association Allotments " * 5)[:300]
    card = hub_card(
        group_name=name,
        description="We meet on the first Tuesday of the month to plan the work. " * 20,
        hub_url="https://hub.westshire-county-council.example.gov.uk/moot/hub/for/groups",
        uses=999,
    )
    write_card(card, path)
    pages = pdf_text(path).split("\f")
    assert len([p for p in pages if p.strip()]) == 1
    text = " ".join(pages[0].split())
    assert CODE in text
    assert "ninety-nine people" in text
    assert "…" in text  # the description was cut, at a word


def test_a_bundle_card_names_the_file_and_has_no_code(tmp_path: Path) -> None:
    path = tmp_path / "card.pdf"
    card = bundle_card()
    assert card.link is None
    html = render(card)
    assert "<svg" not in html  # nothing for a phone to do with a file name
    write_card(card, path)
    text = " ".join(pdf_text(path).split())
    assert "allotments-card.moot" in text
    assert "File ▸ Import bundle" in text
    assert "One person can join with this file" in text
    assert "moot://" not in text
    assert "Use it by Thursday 1 July 2027" in text


def test_a_card_is_for_a_hub_or_a_bundle() -> None:
    with pytest.raises(ValueError, match="one of the two"):
        hub_card(bundle_file="x.moot")
    with pytest.raises(ValueError, match="one of the two"):
        hub_card(code=None)
