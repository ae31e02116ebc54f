"""Icons drawn from the SVGs in ``resources/``, sharp at any screen scale.

The SVGs are drawn in black line art; each icon is tinted to the palette's text colour
when it is made, so the same files serve the light and the dark look.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICON_SIZES = (16, 20, 24, 32, 48)


def resource(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


def render_svg(path: Path, size: int, scale: float, tint: QColor | None = None) -> QPixmap:
    """The SVG at ``size`` logical pixels on a screen of ``scale`` device pixels per pixel."""
    side = max(1, round(size * scale))
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(path)).render(painter, QRectF(0, 0, side, side))
    if tint is not None:
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), tint)
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    return pixmap


def _screen_scale() -> float:
    app = QGuiApplication.instance()
    return float(app.devicePixelRatio()) if isinstance(app, QGuiApplication) else 1.0


@cache
def _icon(name: str, colour: str) -> QIcon:
    path = resource("icons", f"{name}.svg")
    icon = QIcon()
    if not path.exists():
        return icon
    tint = QColor(colour) if colour else None
    for scale in sorted({1.0, 2.0, _screen_scale()}):
        for size in ICON_SIZES:
            icon.addPixmap(render_svg(path, size, scale, tint))
    return icon


def icon(name: str, colour: str | None = None) -> QIcon:
    """The named icon, tinted ``colour`` (default: the palette's text colour)."""
    if colour is None:
        colour = QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()
    return _icon(name, colour)


def app_icon() -> QIcon:
    """Moot's own icon, in its own colours."""
    return _icon("moot", "")
