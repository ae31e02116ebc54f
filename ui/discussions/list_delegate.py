"""How a discussion looks in the list: title over a quiet line of facts, unread on the right."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.services.discussions import DiscussionSummary
from ui.discussions import tr
from ui.discussions.list_model import SUMMARY_ROLE, replies_text
from ui.when import ago

PAD_X, PAD_Y, GAP = 14, 10, 4


class DiscussionDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accent = QColor("#2f6f73")

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        title = QFontMetrics(_bold(option.font)).height()
        meta = QFontMetrics(_small(option.font)).height()
        return QSize(240, PAD_Y * 2 + title + GAP + meta)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        summary = index.data(SUMMARY_ROLE)
        if not isinstance(summary, DiscussionSummary):
            return
        painter.save()
        rect = QRect(option.rect)
        palette: QPalette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        if selected:
            shade = QColor(self.accent)
            shade.setAlpha(40 if not state & QStyle.StateFlag.State_HasFocus else 60)
            painter.fillRect(rect, shade)
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), self.accent)
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        painter.setPen(palette.color(QPalette.ColorRole.Midlight))
        painter.drawLine(rect.left() + PAD_X, rect.bottom(), rect.right() - PAD_X, rect.bottom())

        inner = rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        badge_width = self._paint_badge(painter, option.font, inner, summary.unread)
        title_font = _bold(option.font) if summary.unread else QFont(option.font)
        title_height = QFontMetrics(title_font).height()
        title_rect = QRect(inner.left(), inner.top(), inner.width() - badge_width, title_height)
        painter.setFont(title_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        title = QFontMetrics(title_font).elidedText(
            summary.title, Qt.TextElideMode.ElideRight, title_rect.width()
        )
        painter.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )

        meta_font = _small(option.font)
        painter.setFont(meta_font)
        meta_rect = QRect(
            inner.left(), title_rect.bottom() + GAP, inner.width(), QFontMetrics(meta_font).height()
        )
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        meta = QFontMetrics(meta_font).elidedText(
            meta_line(summary), Qt.TextElideMode.ElideRight, meta_rect.width()
        )
        painter.drawText(
            meta_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, meta
        )
        painter.restore()

    def _paint_badge(self, painter: QPainter, font: QFont, inner: QRect, unread: int) -> int:
        """Draw the unread count at the top right; return the width it takes."""
        if not unread:
            return 0
        badge_font = _bold(_small(font))
        metrics = QFontMetrics(badge_font)
        text = str(unread) if unread < 100 else "99+"
        height = metrics.height() + 4
        width = max(height, metrics.horizontalAdvance(text) + 12)
        badge = QRect(inner.right() - width, inner.top(), width, height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.accent)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.setFont(badge_font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        return width + 8


def meta_line(s: DiscussionSummary) -> str:
    parts = []
    if s.pinned:
        parts.append(tr("Pinned"))
    parts += [s.category, ago(s.last_activity_hlc), replies_text(s.posts)]
    if s.locked:
        parts.append(tr("Locked"))
    if s.resolved:
        parts.append(tr("✓ Resolved"))
    return "  ·  ".join(parts)


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setWeight(QFont.Weight.DemiBold)
    return bold


def _small(font: QFont) -> QFont:
    small = QFont(font)
    if small.pointSizeF() > 0:
        small.setPointSizeF(small.pointSizeF() * 0.9)
    return small
