"""Markdown from other people, made safe to show: no raw HTML, no images fetched.

Posts arrive from every laptop in the group, so their text is treated as hostile.
Qt's own Markdown reader turns it into a document with raw HTML kept as plain
text; images are swapped for a link to where they point (a remote image would
tell its server who read the post, a local one could show files from this
laptop). The HTML handed on is Qt's rendering of that document, nothing from
the post itself. Links open only when clicked, and only for web and mail links.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

FEATURES = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | (
    QTextDocument.MarkdownFeature.MarkdownNoHTML
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_document(text: str, font: QFont | None = None) -> QTextDocument:
    """A document of ``text`` read as Markdown, with no HTML and no images in it."""
    doc = QTextDocument()
    if font is not None:
        doc.setDefaultFont(font)
    doc.setMarkdown(text, FEATURES)
    _replace_images(doc)
    return doc


def to_html(text: str, font: QFont | None = None) -> str:
    """``text`` as HTML that a rich-text label can show safely."""
    return safe_document(text, font).toHtml()


def open_link(href: str) -> bool:
    """Open a clicked link in the browser or mail program if it is a web or mail link."""
    url = QUrl(href)
    if url.scheme().lower() not in SAFE_SCHEMES:
        return False
    return bool(QDesktopServices.openUrl(url))


def _replace_images(doc: QTextDocument) -> None:
    images: list[tuple[int, str, str]] = []  # (position, where it points, alt text)
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat():
                image = fmt.toImageFormat()
                alt = str(image.property(QTextFormat.Property.ImageAltText) or "")
                for offset in range(fragment.length()):
                    images.append((fragment.position() + offset, image.name(), alt))
            it += 1
        block = block.next()
    # From the end backwards, so earlier positions stay where they were.
    for position, name, alt in reversed(images):
        cursor = QTextCursor(doc)
        cursor.setPosition(position)
        cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
        link = QTextCharFormat()
        if QUrl(name).scheme().lower() in SAFE_SCHEMES:
            link.setAnchor(True)
            link.setAnchorHref(name)
            link.setFontUnderline(True)
        cursor.insertText(f"[image: {alt or name}]", link)
