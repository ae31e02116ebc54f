"""List rows of two lines: a title, and a quieter line under it (with optional bold hits)."""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

SECOND_LINE_ROLE = Qt.ItemDataRole.UserRole + 10
_HIT = re.compile(r"\[([^\[\]]*)\]")

Index = QModelIndex | QPersistentModelIndex


def marked_spans(text: str) -> list[tuple[str, bool]]:
    """Split a search snippet into (text, is_hit) runs; hits come marked as [word]."""
    spans: list[tuple[str, bool]] = []
    at = 0
    for match in _HIT.finditer(text):
        if match.start() > at:
            spans.append((text[at : match.start()], False))
        if match.group(1):
            spans.append((match.group(1), True))
        at = match.end()
    if at < len(text):
        spans.append((text[at:], False))
    return spans


class TwoLineDelegate(QStyledItemDelegate):
    """Paints the display text, then the ``SECOND_LINE_ROLE`` text smaller and muted.

    With ``marked`` the second line is a search snippet whose [hits] are drawn bold.
    """

    PAD = 8

    def __init__(self, *, marked: bool = False) -> None:
        super().__init__()
        self.marked = marked

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setWeight(QFont.Weight.DemiBold)
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() - 1, 7))
        return title, small

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        title, small = self._fonts(option)
        height = QFontMetrics(title).height() + QFontMetrics(small).height() + 2 * self.PAD + 2
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Normal
        text_colour = opt.palette.color(
            group,
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text,
        )
        muted = QPalette(opt.palette).color(group, QPalette.ColorRole.PlaceholderText)
        title_font, small_font = self._fonts(opt)
        rect = opt.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD, -self.PAD)

        painter.save()
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title_metrics = QFontMetrics(title_font)
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.drawText(
            rect.left(),
            rect.top() + title_metrics.ascent(),
            title_metrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width()),
        )
        second = str(index.data(SECOND_LINE_ROLE) or "")
        baseline = rect.top() + title_metrics.height() + 2 + QFontMetrics(small_font).ascent()
        spans = marked_spans(second) if self.marked else [(second, False)]
        pens = (text_colour if selected else muted, text_colour)
        self._draw_spans(painter, spans, pens, small_font, rect.left(), baseline, rect.right())
        painter.restore()

    def _draw_spans(
        self,
        painter: QPainter,
        spans: list[tuple[str, bool]],
        pens: tuple[QColor, QColor],
        font: QFont,
        x: int,
        baseline: int,
        right: int,
    ) -> None:
        bold = QFont(font)
        bold.setWeight(QFont.Weight.Bold)
        for run, hit in spans:
            text = " ".join(run.splitlines()) if "\n" in run else run
            face = bold if hit else font
            metrics = QFontMetrics(face)
            painter.setFont(face)
            painter.setPen(pens[hit])  # hits in full colour, the rest muted
            room = right - x
            width = metrics.horizontalAdvance(text)
            if width > room:
                elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                painter.drawText(x, baseline, elided)
                return
            painter.drawText(x, baseline, text)
            x += width
