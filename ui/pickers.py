"""Rows of buttons to choose a group's colour and emblem, reachable by keyboard."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QToolButton, QWidget

from app.services.groups import COLOURS, DEFAULT_COLOUR
from ui.emblems import DEFAULT_EMBLEM, EMBLEMS, emblem_tile

SWATCH = 26
TILE = 32


def _dot(colour: str, size: int) -> QIcon:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(QColor(0, 0, 0, 0))
    painter.drawEllipse(2, 2, size * 2 - 4, size * 2 - 4)
    painter.end()
    pixmap.setDevicePixelRatio(2.0)
    return QIcon(pixmap)


class _Choices(QWidget):
    """Checkable buttons, one chosen at a time; ``chosen(value)`` when the choice moves."""

    chosen = Signal(str)

    def __init__(self, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.layout_ = QGridLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(4)
        self.columns = columns
        self.buttons: dict[str, QToolButton] = {}

    def add(self, value: str, label: str, icon: QIcon, size: int) -> QToolButton:
        button = QToolButton()
        button.setObjectName("swatch")
        button.setCheckable(True)
        button.setIcon(icon)
        button.setIconSize(QSize(size, size))
        button.setToolTip(label)
        button.setAccessibleName(label)
        button.toggled.connect(lambda on, v=value: self._toggled(on, v))
        index = len(self.buttons)
        self.layout_.addWidget(button, index // self.columns, index % self.columns)
        self.group.addButton(button)
        self.buttons[value] = button
        return button

    def _toggled(self, on: bool, value: str) -> None:
        if on:
            self.chosen.emit(value)

    def value(self) -> str:
        return next((v for v, b in self.buttons.items() if b.isChecked()), "")

    def set_value(self, value: str) -> None:
        button = self.buttons.get(value)
        if button is not None:
            button.setChecked(True)


class ColourPicker(_Choices):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(len(COLOURS), parent)
        self.setAccessibleName("Colour")
        for colour, name in COLOURS:
            self.add(colour, name, _dot(colour, SWATCH), SWATCH)
        self.set_value(DEFAULT_COLOUR)


class EmblemPicker(_Choices):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(6, parent)
        self.setAccessibleName("Emblem")
        for emblem, _drawing, name in EMBLEMS:
            self.add(emblem, name, QIcon(), TILE)
        self.set_colour(DEFAULT_COLOUR)
        self.set_value(DEFAULT_EMBLEM)

    def set_colour(self, colour: str) -> None:
        """Show the emblems on the group's colour, as they will look."""
        for emblem, button in self.buttons.items():
            button.setIcon(QIcon(emblem_tile(emblem, colour, TILE, 2.0)))
