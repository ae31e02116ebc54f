"""The colours and emblems a group can choose, and the tile that shows them.

A group's emblem is stored as an emoji (what the command line and other laptops
accept). The ones offered here have line drawings in ``resources/emblems`` that look
the same on every computer; any other emoji is drawn with the system's emoji font.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPixmap

from app.services.groups import DEFAULT_COLOUR
from ui.icons import render_svg, resource

# (hex, name): calm colours, each dark enough for white text and emblems on it.

# (emoji, drawing, name)
EMBLEMS = (
    ("🌳", "tree", "Tree"),
    ("🏛️", "hall", "Town hall"),
    ("⛪", "church", "Church"),
    ("🏡", "house", "House"),
    ("🌻", "flower", "Flower"),
    ("🚲", "bicycle", "Bicycle"),
    ("📚", "books", "Books"),
    ("⚽", "ball", "Football"),
    ("🌊", "wave", "Water"),
    ("🍎", "apple", "Apple"),
    ("🔔", "bell", "Bell"),
    ("❤️", "heart", "Heart"),
)
DEFAULT_EMBLEM = EMBLEMS[0][0]
_DRAWING = {emoji.replace("\ufe0f", ""): drawing for emoji, drawing, _ in EMBLEMS}


def accent_of(colour: str) -> QColor:
    """The group's colour, or the default where it has none (or one Qt cannot read)."""
    chosen = QColor(colour) if colour else QColor()
    return chosen if chosen.isValid() else QColor(DEFAULT_COLOUR)


def emblem_tile(emblem: str, colour: str, size: int, scale: float = 1.0, name: str = "") -> QPixmap:
    """A rounded square in the group's colour with its emblem (or its name's initial)."""
    side = max(1, round(size * scale))
    tile = QPixmap(side, side)
    tile.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tile)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    outline = QPainterPath()
    outline.addRoundedRect(QRectF(0, 0, side, side), side * 0.22, side * 0.22)
    painter.fillPath(outline, accent_of(colour))
    drawing = _DRAWING.get(emblem.replace("\ufe0f", ""))
    inset = side * 0.18
    if drawing:
        art = render_svg(resource("emblems", f"{drawing}.svg"), round(side - 2 * inset), 1.0)
        painter.drawPixmap(round(inset), round(inset), art)
    elif emblem or name.strip():
        font = QFont()
        font.setPixelSize(max(1, round(side * 0.55)))
        font.setBold(not emblem)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        text = emblem or name.strip()[0].upper()
        painter.drawText(QRectF(0, 0, side, side), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    tile.setDevicePixelRatio(scale)
    return tile
