"""Make the icons a Linux desktop installs from Moot's own icon, ``resources/icons/moot.svg``.

    .venv/bin/python packaging/linux/make_icons.py

writes ``resources/icons/hicolor/scalable/apps/org.moot.Moot.svg`` (the same drawing, with
the width, height and title a standalone file wants) and a PNG of it at each size in
``SIZES``, for menus and docks that take no SVG. Run it again whenever ``moot.svg``
changes: ``tests/test_desktop_files.py`` fails while the PNGs show an older drawing.
Needs no display: Qt draws the SVG straight into an image.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "resources" / "icons" / "moot.svg"
HICOLOR = REPO / "resources" / "icons" / "hicolor"
ICON_NAME = "org.moot.Moot"  # the desktop file's name, as ui/gui.py tells Qt
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SVG_NS = "http://www.w3.org/2000/svg"


def scalable_path() -> Path:
    return HICOLOR / "scalable" / "apps" / f"{ICON_NAME}.svg"


def png_path(size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"


def standalone_svg(source: Path) -> bytes:
    """``source`` as a file that stands alone: a declaration, a size, and a title."""
    ET.register_namespace("", SVG_NS)
    root = ET.fromstring(source.read_bytes())  # noqa: S314 (this repository's own file)
    _, _, width, height = root.attrib["viewBox"].split()
    root.set("width", width)
    root.set("height", height)
    for old in root.findall(f"{{{SVG_NS}}}title"):
        root.remove(old)
    title = ET.Element(f"{{{SVG_NS}}}title")
    title.text = "Moot"
    root.insert(0, title)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'.encode()


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn into a ``size`` pixel square, on a transparent background."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def main() -> int:
    scalable = scalable_path()
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(standalone_svg(SOURCE))
    print(scalable.relative_to(REPO))
    for size in SIZES:
        target = png_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        writer = QImageWriter(str(target), QByteArray(b"png"))
        writer.setQuality(0)  # for PNG, zlib's strongest compression: the smallest file
        if not writer.write(render(scalable, size)):
            print(f"could not write {target}: {writer.errorString()}", file=sys.stderr)
            return 1
        print(f"{target.relative_to(REPO)}  {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
