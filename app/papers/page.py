"""The page every paper is printed on: one standalone HTML document, its CSS inline.

The same document is the printed page (CSS paged media: A4, the footer's page numbers,
the draft marking in the top margin) and, later, the page the hub publishes (the
``@media screen`` rules). Nothing in it is fetched: no links to fonts, styles or
images, so it renders the same with no network. Text from the meeting only ever
enters the body, escaped; the footers pick up the group's name with ``string-set``
so that no user text is ever written into the CSS.
"""

from __future__ import annotations

import html
import re

FONT = '"DejaVu Sans", "Helvetica Neue", Arial, sans-serif'
MONO = '"DejaVu Sans Mono", Menlo, Consolas, monospace'

BASE_CSS = f"""
@page {{
  size: A4;
  margin: 20mm 18mm 27mm 18mm;
  @bottom-left {{
    content: string(group);
    font: 8pt {FONT}; color: #444; vertical-align: top; padding-top: 5mm; width: 60mm;
  }}
  @bottom-center {{
    content: "Page " counter(page) " of " counter(pages);
    font: 9pt {FONT}; vertical-align: top; padding-top: 5mm; width: 50mm;
  }}
}}
html {{ font: 10.5pt/1.45 {FONT}; color: #111; background: #fff; }}
body {{ margin: 0; }}
main {{ display: block; }}
h1, h2, h3 {{ line-height: 1.25; break-after: avoid; }}
h1 {{ font-size: 17pt; margin: 0 0 3mm; }}
h2 {{ font-size: 12pt; margin: 6mm 0 1.5mm; }}
h3 {{ font-size: 11pt; margin: 4mm 0 1mm; }}
p {{ margin: 0 0 2mm; orphans: 2; widows: 2; }}
.group-name {{ string-set: group content(); font-size: 10pt; letter-spacing: 0.04em;
  text-transform: uppercase; color: #333; margin-bottom: 1mm; }}
.meta {{ color: #333; }}
.hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }}
.small {{ font-size: 8pt; color: #444; }}
.hash {{ font-family: {MONO}; font-size: 7pt; word-break: break-all; }}
table {{ border-collapse: collapse; width: 100%; margin: 1.5mm 0 3mm; }}
caption {{ text-align: left; font-weight: bold; padding-bottom: 1mm; }}
th, td {{ border: 0.6pt solid #777; padding: 1.2mm 2mm; text-align: left;
  vertical-align: top; }}
thead th {{ background: #eee; }}
tr {{ break-inside: avoid; }}
ul {{ margin: 0 0 2mm; padding-left: 6mm; }}
.notice {{ border: 1.2pt solid #111; padding: 2mm 3mm; margin: 3mm 0; }}
.warning {{ border: 1.5pt solid #a00000; color: #a00000; font-weight: bold;
  padding: 2mm 3mm; margin: 3mm 0; }}
@media screen {{
  html {{ font-size: 16px; }}
  body {{ max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }}
}}
"""

# What the top margin of every printed page says, for papers that must say so.
DRAFT = "DRAFT — not yet approved"
ALTERED = "CHANGED SINCE APPROVAL — not the approved record"
CONFIDENTIAL = "CONFIDENTIAL: includes Part II business"


def marking_css(*markings: str) -> str:
    """A rule putting ``markings`` (the constants above) in the top margin of every page."""
    if not markings:
        return ""
    text = "  ·  ".join(markings)
    # Escaped character by character, so the text can never end the string or the style.
    quoted = "".join(c if c.isalnum() else f"\\{ord(c):06x}" for c in text)
    return f"""
@page {{
  @top-center {{
    content: "{quoted}";
    font: bold 10.5pt {FONT}; color: #a00000; letter-spacing: 0.03em;
    vertical-align: bottom; padding-bottom: 4mm; width: 100%;
  }}
}}
"""


def esc(text: object) -> str:
    """Text from the meeting, safe in HTML content and attribute values alike."""
    return html.escape(str(text), quote=True)


def paragraphs(text: str) -> str:
    """Text as written, blank lines between paragraphs and single line breaks kept."""
    blocks = [b.strip() for b in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))]
    return "".join(
        "<p>" + "<br>".join(esc(line.strip()) for line in block.split("\n")) + "</p>"
        for block in blocks
        if block
    )


def document(*, title: str, body: str, css: str = "") -> str:
    """A complete, standalone HTML document: language, title, inline style, then body."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>{BASE_CSS}{css}</style>\n"
        f"</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
