"""The Overview place: the organiser's desk. The group's pulse in a few figures and a
chart, and named lists of who and what needs a word, each opening the place to act.

Worked out on a worker from this laptop's copy of the group (``app.services.overview``);
nothing about anyone leaves the laptop. It is there for organisers and clerks; a
member sees a line saying so.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.papers.words import span
from app.roles import CLERK, ROLE_RANK
from app.services import discussions, members, overview
from app.services.discussions import DiscussionSummary
from app.services.overview import Overview
from ui.context import AppContext
from ui.notice import Notice
from ui.pages.base import Page
from ui.tasks import Newest

TARGET = Qt.ItemDataRole.UserRole  # (kind, id) an item opens
SHOWN = 25  # rows a list shows; an organiser acts on the first few, not on hundreds
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Figure(QFrame):
    """One figure of the pulse: a big number over a caption, explained in its tooltip."""

    def __init__(self, caption: str, explained: str) -> None:
        super().__init__()
        self.setObjectName("figure")
        self.setToolTip(explained)
        self.value = QLabel("–")
        self.value.setObjectName("figureValue")
        self.caption = QLabel(caption)
        self.caption.setObjectName("muted")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setAccessibleName(caption)
        self.setAccessibleDescription(explained)

    def show_value(self, text: str) -> None:
        self.value.setText(text)
        self.setAccessibleName(f"{self.caption.text()}: {text}")


class NamedList(QWidget):
    """A heading with its count, and the named items under it; a click opens one."""

    chosen = Signal(str, str)  # kind, id

    def __init__(self, title: str, explained: str, none: str) -> None:
        super().__init__()
        self._title, self._none = title, none
        self.heading = QLabel(title)
        self.heading.setObjectName("sectionTitle")
        self.heading.setToolTip(explained)
        self.empty = QLabel(none)
        self.empty.setObjectName("muted")
        self.items = QListWidget()
        self.items.setObjectName("namedList")
        self.items.setAccessibleName(title)
        self.items.setAccessibleDescription(explained)
        self.items.setToolTip(explained)
        self.items.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items.setUniformItemSizes(True)
        self.items.itemClicked.connect(self._open)
        self.items.itemActivated.connect(self._open)
        self.heading.setBuddy(self.items)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.empty)
        layout.addWidget(self.items)
        self.extra = QHBoxLayout()  # room for an action beside the list (the hello)
        layout.addLayout(self.extra)

    def show_items(self, rows: list[tuple[str, str, str]]) -> None:
        """``rows``: (text, kind, id), in the order they should be read; past ``SHOWN``
        the list says how many more there are, which ``moot overview`` lists in full."""
        self.items.clear()
        for text, kind, target in rows[:SHOWN]:
            item = QListWidgetItem(text)
            item.setData(TARGET, (kind, target))
            self.items.addItem(item)
        if len(rows) > SHOWN:
            more = QListWidgetItem(self.tr("… and {n} more").format(n=len(rows) - SHOWN))
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.items.addItem(more)
        self.heading.setText(f"{self._title} ({len(rows)})" if rows else self._title)
        self.empty.setVisible(not rows)
        self.items.setVisible(bool(rows))
        # Every row shows: the page scrolls, not each list.
        count = self.items.count()
        height = count * self.items.sizeHintForRow(0) if count else 0
        self.items.setFixedHeight(height + 2 * self.items.frameWidth() + 10)

    def texts(self) -> list[str]:
        return [self.items.item(i).text() for i in range(self.items.count())]

    def _open(self, item: QListWidgetItem) -> None:
        wanted = item.data(TARGET)
        if wanted:
            self.chosen.emit(*wanted)


class PostsChart(QWidget):
    """Posts a week for the last six months as bars, this week on the right.

    Drawn here rather than with QtCharts: in the PySide6 this is built on, every call
    that changes a chart drops a reference to Python's ``None``, so a window left
    open for days of refreshes would in the end crash.
    """

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[int] = []
        self.labels: list[str] = []
        self.setMinimumHeight(180)
        self.setAccessibleName(self.tr("Posts a week, the last six months"))

    def show_weeks(self, weeks: tuple[overview.WeekCount, ...]) -> None:
        self.counts = [w.posts for w in weeks]
        self.labels = _week_labels(weeks)
        self.setAccessibleDescription(
            self.tr("{n} posts in {weeks} weeks; {last} this week.").format(
                n=sum(self.counts), weeks=len(self.counts), last=self.counts[-1] if weeks else 0
            )
        )
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self.counts:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        metrics = QFontMetrics(self.font())
        top = max(max(self.counts), 1)
        left = metrics.horizontalAdvance(str(top)) + 8
        bottom = self.height() - metrics.height() - 6
        area = QRectF(left, metrics.height() / 2, self.width() - left - 4, bottom - 4)
        faint = QColor(text)
        faint.setAlpha(60)
        painter.setPen(QPen(faint, 1))
        for value in (0, top):  # the baseline and the top, each with its number
            y = area.bottom() - area.height() * value / top
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                str(value),
            )
            painter.setPen(QPen(faint, 1))
        slot = area.width() / len(self.counts)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        for i, count in enumerate(self.counts):
            height = area.height() * count / top
            bar = QRectF(
                area.left() + slot * (i + 0.15), area.bottom() - height, slot * 0.7, height
            )
            painter.drawRoundedRect(bar, 2, 2)
        painter.setPen(text)
        for i, label in enumerate(self.labels):
            if label.strip():
                painter.drawText(QPointF(area.left() + slot * i, self.height() - 4), label)
        painter.end()


def _week_labels(weeks: tuple[overview.WeekCount, ...]) -> list[str]:
    """The month under the first week that starts in it; blank under the others."""
    labels, seen = [], set()
    for i, week in enumerate(weeks):
        start = date.fromisoformat(week.week)
        month = (start.year, start.month)
        if month in seen or (i == 0 and start.day > 7):
            labels.append("")
        else:
            labels.append(MONTHS[start.month - 1])
        seen.add(month)
    return labels


def _day(ms: int) -> str:
    when = datetime.fromtimestamp(ms / 1000)
    return f"{when.day} {MONTHS[when.month - 1]}"


def _days_ago(now_ms: int, ms: int) -> int:
    return max(0, (now_ms - ms) // 86_400_000)


class OverviewPage(Page):
    title = "Overview"
    open_wanted = Signal(str, str)  # kind ("discussion", "member", "meeting", "hello"), id
    hello_template_wanted = Signal()  # the organiser would change the words of a welcome

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.notice = Notice(ctx)
        self.seen: Overview | None = None
        self._reads = Newest()
        tr = self.tr

        heading = QLabel(tr("Overview"))
        heading.setObjectName("dialogTitle")
        self.as_of = QLabel()
        self.as_of.setObjectName("muted")
        self.not_for_members = QLabel(
            tr(
                "The overview is for the group's organisers and clerks: who is new, who has"
                " gone quiet, which discussions are waiting for a reply."
            )
        )
        self.not_for_members.setWordWrap(True)
        self.not_for_members.hide()

        self.active_week = Figure(
            tr("active this week"),
            tr("Members who did anything the group can see in the last 7 days:"
               " posted, replied, reacted, voted or followed a discussion."),
        )  # fmt: skip
        self.active_month = Figure(
            tr("active this month"),
            tr("Members who did anything the group can see in the last 30 days."),
        )
        self.first_reply = Figure(
            tr("to a first reply"),
            tr("How long a new discussion waits for someone other than its starter to"
               " reply: the middle one of the last six months' discussions, so one slow"
               " week does not hide the rest."),
        )  # fmt: skip
        self.off_topic = Figure(
            tr("off-topic chat"),
            tr("The share of the last six months' posts that were in the Off-topic room."
               " Some chat is a good sign: people come for each other, not only for"
               " business."),
        )  # fmt: skip
        self.joined = Figure(
            tr("joined this year"),
            tr("Members who joined in the last twelve months."),
        )
        figures = QGridLayout()
        figures.setSpacing(10)
        for i, figure in enumerate(
            (self.active_week, self.active_month, self.first_reply, self.off_topic, self.joined)
        ):
            figures.addWidget(figure, 0, i)

        self.chart = PostsChart()
        self.chart.setToolTip(tr("Posts a week for the last six months, this week on the right."))

        self.unanswered = NamedList(
            tr("Discussions with no reply"),
            tr("Discussions nobody but their starter has replied to, oldest first."
               " Pinned notices and locked discussions are left out. A click opens it."),
            tr("Every discussion has had a reply."),
        )  # fmt: skip
        self.new_silent = NamedList(
            tr("New members yet to say anything: say hello"),
            tr("Joined more than a week ago (and less than three months), and have not"
               " posted yet. A click drafts a welcome to them, from your hello template."),
            tr("No newcomer is waiting for a hello."),
        )  # fmt: skip
        self.gone_quiet = NamedList(
            tr("Regulars gone quiet: a personal word"),
            tr("Active in the last three months, but nothing for four weeks. A word from"
               " you, not an automatic message. A click opens their card."),
            tr("Nobody has gone quiet."),
        )  # fmt: skip
        self.open_polls = NamedList(
            tr("Open polls"),
            tr("Polls still open, with who has not voted yet. A click opens the discussion."),
            tr("No poll is open."),
        )
        self.ahead = NamedList(
            tr("Written ahead"),
            tr("Discussions you or another organiser wrote ahead, soonest first. Each shows"
               " on every laptop from its time. A click opens it."),
            tr("Nothing is written ahead. New discussion ▸ Write it ahead seeds one."),
        )  # fmt: skip
        self.overdue = NamedList(
            tr("Overdue actions"),
            tr("Actions from meetings, still open after their date. A click opens the meeting."),
            tr("No action is overdue."),
        )
        self.lists = (
            self.unanswered,
            self.new_silent,
            self.gone_quiet,
            self.open_polls,
            self.overdue,
            self.ahead,
        )
        for named in self.lists:
            named.chosen.connect(self.open_wanted)
        self.hello_button = QPushButton(tr("Change the &hello…"))
        self.hello_button.setToolTip(tr("The words a welcome to a newcomer starts from."))
        self.hello_button.clicked.connect(self.hello_template_wanted)
        self.new_silent.extra.addWidget(self.hello_button)
        self.new_silent.extra.addStretch(1)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(24, 16, 24, 24)
        layout.setSpacing(14)
        layout.addWidget(heading)
        layout.addWidget(self.as_of)
        layout.addWidget(self.notice)
        layout.addWidget(self.not_for_members)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(18)
        body.addLayout(figures)
        body.addWidget(self.chart)
        for named in self.lists:
            body.addWidget(named)
        layout.addWidget(self.body)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        ctx.changed.connect(self._on_changed)
        ctx.group_selected.connect(lambda _group: self.reload())

    def show_target(self, target: str | None) -> None:
        self.reload()

    def _on_changed(self, groups: list[str]) -> None:
        if self.ctx.group_id in groups and self.isVisible():
            self.reload()

    def reload(self) -> None:
        group_id, store = self.ctx.group_id, self.ctx.store
        if not group_id:
            self._reads.drop()
            return

        def read() -> tuple[Overview, bool, list[DiscussionSummary]]:
            seen = overview.overview(store=store, group_id=group_id)
            role = members.my_role(store=store, group_id=group_id)
            ahead = discussions.list_scheduled(store=store, group_id=group_id)
            return seen, ROLE_RANK.get(role, 0) >= CLERK, ahead

        self.ctx.tasks.run(
            read, done=self._got, failed=self.notice.error, owner=self, newest=self._reads
        )

    def _got(self, answer: tuple[Overview, bool, list[DiscussionSummary]]) -> None:
        seen, may_see, ahead = answer
        self.seen = seen
        self.not_for_members.setVisible(not may_see)
        self.body.setVisible(may_see)
        when = datetime.fromtimestamp(seen.as_of_ms / 1000)
        self.as_of.setText(
            self.tr("{members} members · worked out on this laptop at {time}").format(
                members=seen.members, time=when.strftime("%H:%M")
            )
        )
        if not may_see:
            return
        self._show_figures(seen)
        self._show_lists(seen)
        self.ahead.show_items(
            [
                (
                    self.tr("{title} — from {day}").format(
                        title=d.title,
                        day=datetime.fromtimestamp((d.publish_ms or 0) / 1000).strftime(
                            "%a %d %b, %H:%M"
                        ),
                    ),
                    "discussion",
                    d.id,
                )
                for d in ahead
            ]
        )

    def _show_figures(self, seen: Overview) -> None:
        self.active_week.show_value(f"{seen.active_week}")
        self.active_month.show_value(f"{seen.active_month}")
        self.first_reply.show_value(
            span(seen.median_first_reply_s) if seen.median_first_reply_s is not None else "–"
        )
        self.off_topic.show_value(
            f"{seen.off_topic_share:.0%}" if seen.off_topic_share is not None else "–"
        )
        self.joined.show_value(f"{sum(m.joined for m in seen.new_members_per_month)}")
        self.chart.show_weeks(seen.posts_per_week)

    def _show_lists(self, seen: Overview) -> None:
        tr, now = self.tr, seen.as_of_ms
        self.unanswered.show_items(
            [
                (
                    tr("{title} — {who}, {days} days ago").format(
                        title=d.title, who=d.started_by, days=_days_ago(now, d.started_ms)
                    ),
                    "discussion",
                    d.id,
                )
                for d in seen.unanswered
            ]
        )
        self.new_silent.show_items(
            [
                (
                    tr("{name}, joined {day}").format(name=p.name, day=_day(p.since_ms)),
                    "hello",
                    p.name,
                )
                for p in seen.new_silent
            ]
        )
        self.gone_quiet.show_items(
            [
                (
                    tr("{name}, last seen {day}").format(name=p.name, day=_day(p.since_ms)),
                    "member",
                    p.id,
                )
                for p in seen.gone_quiet
            ]
        )
        self.open_polls.show_items(
            [
                (
                    tr("{question} — {voted} voted, {waiting} not yet").format(
                        question=p.question, voted=p.voted, waiting=len(p.not_voted)
                    ),
                    "discussion",
                    p.discussion_id,
                )
                for p in seen.open_polls
            ]
        )
        self.overdue.show_items(
            [
                (
                    tr("{text} — {owner}, due {due}").format(
                        text=x.text, owner=x.owner or tr("nobody named"), due=x.due
                    ),
                    "meeting",
                    x.meeting_id,
                )
                for x in seen.overdue_actions
            ]
        )
