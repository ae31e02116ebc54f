"""The invitation card: a printable A5 page for a noticeboard or a parish magazine.

It carries what a newcomer needs to join a group: for a group on a hub, the hub's
address and an invitation code (large, in a typeface that tells 0 from O), the same as
a ``moot://join`` link and as a QR code of that link; for a group with no hub, the name
of the bundle file that carries a one-use invitation, and where to open it. Then when
the invitation runs out, how many people it lets in and in what role.

One HTML document with print CSS, like the meeting papers (``app.papers.page``), made
into a PDF here with no network. The QR code is inline SVG drawn by ``segno``, so
nothing is fetched or written beside the card. Everything from the group is escaped;
its colour enters the CSS only once it is a plain hex colour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import segno

from app.papers import words
from app.papers.page import FONT, MONO, document, esc
from app.papers.pdf import html_to_pdf, write_whole
from app.services.groups import DEFAULT_COLOUR

ABOUT_LIMIT = 180  # characters of the description: three lines on the card
QR_SIZE_MM = 42  # phones read a code this size from an arm's length off a noticeboard

JOIN_MENU = "File ▸ Join group on a hub…"
IMPORT_MENU = "File ▸ Import bundle…"
ABOUT_MOOT = (
    "Moot keeps the group's discussions, notes and meetings on your own computer,"
    " and works with no internet connection at all."
)

CSS = f"""
@page {{
  size: A5 portrait;
  margin: 0;
  @bottom-left {{ content: none; }}
  @bottom-center {{ content: none; }}
}}
html {{ font: 12pt/1.4 {FONT}; }}
.band {{ background: var(--accent); color: #fff; padding: 7mm 12mm 5.5mm; }}
.band p {{ margin: 0; font-size: 11pt; letter-spacing: 0.06em; text-transform: uppercase; }}
.band h1 {{ margin: 1.5mm 0 0; font-size: 25pt; line-height: 1.15; color: #fff;
  overflow-wrap: anywhere; }}
.band h1.long {{ font-size: 18pt; }}
.band h1.longest {{ font-size: 11pt; }}
.inner {{ padding: 5mm 12mm 0; }}
.about {{ font-size: 12.5pt; color: #222; margin: 0 0 4mm; overflow-wrap: anywhere; }}
h2 {{ font-size: 15pt; margin: 0 0 2mm; color: var(--accent); }}
.steps {{ margin: 0 0 2mm; padding-left: 6mm; font-size: 12pt; }}
.steps li {{ margin-bottom: 1mm; }}
.steps .code {{ margin: 2mm 0 3mm; }}
.menu {{ font-weight: bold; white-space: nowrap; }}
.hub {{ display: block; font-family: {MONO}; font-size: 13pt; font-weight: bold;
  margin-top: 0.5mm; word-break: break-all; }}
.code {{ font-family: {MONO}; font-weight: bold; font-size: 19pt; letter-spacing: 0.04em;
  text-align: center; border: 1.6pt solid var(--accent); border-radius: 2mm;
  padding: 3mm 2mm; margin: 1mm 0 4mm; word-break: break-all; }}
.bundle-file {{ font-size: 17pt; }}
.moot {{ font-size: 12pt; color: #333; margin: 4mm 0 6mm; }}
.scan {{ display: flex; align-items: center; gap: 6mm; margin: 0 0 4mm; }}
.qr {{ flex: none; width: {QR_SIZE_MM}mm; height: {QR_SIZE_MM}mm; }}
.qr svg {{ display: block; width: {QR_SIZE_MM}mm; height: {QR_SIZE_MM}mm; }}
.scan p {{ margin: 0 0 1.5mm; }}
.link {{ font-family: {MONO}; font-size: 8pt; color: #333; word-break: break-all; }}
.terms {{ border-top: 0.8pt solid #999; padding-top: 2.5mm; font-size: 11.5pt; }}
.terms p {{ margin: 0 0 1mm; }}
.terms strong {{ color: var(--accent); }}
"""


@dataclass(frozen=True)
class InviteCard:
    """What a card says. ``hub_url`` and ``code`` for a hub, or ``bundle_file`` for a bundle.

    ``expires`` is the last day the invitation can be used.
    """

    group_name: str
    description: str
    colour: str
    role: str
    uses: int
    expires: date
    hub_url: str | None = None
    code: str | None = None
    bundle_file: str | None = None

    def __post_init__(self) -> None:
        by_hub = self.hub_url is not None and self.code is not None
        if by_hub == (self.bundle_file is not None):
            raise ValueError("a card names a hub and a code, or a bundle file: one of the two")

    @property
    def link(self) -> str | None:
        if self.hub_url is None or self.code is None:
            return None
        return join_link(self.hub_url, self.code)


def join_link(hub_url: str, code: str) -> str:
    """``moot://join?hub=…&code=…``: the hub's address and the code, each percent-encoded."""
    return f"moot://join?hub={quote(hub_url, safe='')}&code={quote(code, safe='')}"


def read_join_link(text: str) -> tuple[str, str] | None:
    """The (hub address, code) a ``moot://join`` link carries; None for anything else."""
    parts = urlsplit(text.strip())
    if parts.scheme != "moot" or parts.netloc != "join":
        return None
    found = parse_qs(parts.query)
    hub, code = found.get("hub", [""])[0], found.get("code", [""])[0]
    return (hub, code) if hub and code else None


def qr_svg(text: str, *, title: str = "") -> str:
    """``text`` as a QR code, an inline ``<svg>`` element sized by the CSS around it.

    Error correction M survives a crease or a drawing pin through a corner; the quiet
    zone of four modules is what the standard asks for, so a phone finds the code on a
    busy noticeboard.
    """
    code = segno.make(text, error="m", micro=False)
    svg = code.svg_inline(border=4, dark="#000", light="#fff", omitsize=True, title=title or None)
    return str(svg)


def render(card: InviteCard) -> str:
    """The card as a complete HTML document."""
    accent = ink(plain_colour(card.colour))
    body = (
        '<header class="band">'
        "<p>You are invited to join</p>"
        f"<h1{_name_size(card.group_name)}>{esc(card.group_name)}</h1>"
        "</header>"
        '<div class="inner">'
        + (f'<p class="about">{esc(_about(card))}</p>' if card.description.strip() else "")
        + (_by_bundle(card) if card.bundle_file is not None else _by_hub(card))
        + _terms(card)
        + "</div>"
    )
    css = CSS + f":root {{ --accent: {accent}; }}\n"
    return document(title=f"Invitation to join {card.group_name}", body=body, css=css)


def _about(card: InviteCard) -> str:
    # A long name takes the lines a description would have had.
    n = len(card.group_name)
    return about(card.description, ABOUT_LIMIT if n <= 45 else 120 if n <= 120 else 60)


def _name_size(name: str) -> str:
    # Names run to 300 characters; the card stays one page, and a short name stays big.
    if len(name) > 120:
        return ' class="longest"'
    if len(name) > 45:
        return ' class="long"'
    return ""


def render_pdf(card: InviteCard) -> bytes:
    return html_to_pdf(render(card))


def write_card(card: InviteCard, path: Path) -> None:
    """Save the card's PDF at ``path``, whole or not at all (``FileError`` if it cannot)."""
    write_whole(render_pdf(card), Path(path))


def _by_hub(card: InviteCard) -> str:
    assert card.hub_url is not None
    assert card.code is not None
    assert card.link is not None
    return (
        "<section><h2>How to join</h2>"
        '<ol class="steps">'
        f'<li>Open Moot and choose <span class="menu">{esc(JOIN_MENU)}</span></li>'
        f'<li>Enter the hub\'s address: <span class="hub">{esc(card.hub_url)}</span></li>'
        "<li>Then enter this invitation code:</li>"
        "</ol>"
        f'<p class="code">{esc(card.code)}</p>'
        '<div class="scan">'
        f'<div class="qr">{qr_svg(card.link, title="QR code of the invitation link")}</div>'
        "<div><p>Or scan the code, or open this link, where Moot is installed:</p>"
        f'<p class="link">{esc(card.link)}</p></div>'
        "</div></section>"
    )


def _by_bundle(card: InviteCard) -> str:
    # No QR code here: the invitation travels inside the bundle file, which holds the
    # group's history (megabytes, far past what a QR code carries), and a code of the
    # file's name would give a phone nothing to do. The card says which file to open.
    assert card.bundle_file is not None
    return (
        "<section><h2>How to join</h2>"
        '<ol class="steps">'
        "<li>Copy this file to your computer: it comes with this card, on a memory stick"
        f' or by email.<p class="code bundle-file">{esc(card.bundle_file)}</p></li>'
        f'<li>Open Moot and choose <span class="menu">{esc(IMPORT_MENU)}</span></li>'
        "<li>Pick the file. The group arrives with all its discussions, and you are in it.</li>"
        "</ol>"
        f'<p class="moot">{esc(ABOUT_MOOT)}</p>'
        "</section>"
    )


def _terms(card: InviteCard) -> str:
    article = "an" if card.role[:1].lower() in "aeiou" else "a"
    return (
        '<footer class="terms">'
        f"<p>Use it by <strong>{esc(words.long_date(card.expires.isoformat()))}</strong>.</p>"
        f"<p>{esc(people(card.uses, bundle=card.bundle_file is not None))}</p>"
        f"<p>You join as {article} {esc(card.role)}.</p>"
        "</footer>"
    )


def people(uses: int, *, bundle: bool = False) -> str:
    """How many can join, in words: "One person can join with this code."."""
    what = "this file" if bundle else "this code"
    if uses == 1:
        return f"One person can join with {what}."
    return f"Up to {number(uses)} people can join with {what}."


_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number(n: int) -> str:
    """0 to 1000 in British English words ("one hundred and five"); larger ones as digits."""
    if not 0 <= n <= 1000:
        return str(n)
    if n == 1000:
        return "one thousand"
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    small = _ONES[rest] if rest < 20 else _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if not hundreds:
        return small
    return f"{_ONES[hundreds]} hundred" + (f" and {small}" if rest else "")


def about(description: str, limit: int = ABOUT_LIMIT) -> str:
    """The description on one short paragraph: whitespace folded, cut at a word if long."""
    text = " ".join(description.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return f"{cut}…"


_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def plain_colour(colour: str) -> str:
    """The group's colour as ``#rrggbb``, or the default: nothing else reaches the CSS."""
    colour = colour.strip()
    if not _HEX.fullmatch(colour):
        return DEFAULT_COLOUR
    if len(colour) == 4:
        colour = "#" + "".join(c * 2 for c in colour[1:])
    return colour.lower()


def ink(colour: str) -> str:
    """The colour, darkened until it reads on white (WCAG contrast 4.5:1) and carries white.

    A group may choose a pale colour; its name in white on a pale band, or its headings
    in pale ink, would be lost across a village hall.
    """
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    while _contrast_on_white(rgb) < 4.5:
        rgb = [int(c * 0.9) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _contrast_on_white(rgb: list[int]) -> float:
    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)
