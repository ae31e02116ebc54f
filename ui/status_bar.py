"""The status bar: how the current group stands with its hub, always, in one line.

While a sync runs it shows what it is doing, and a long one (the first sync of a big
group, say) a progress bar with a Cancel button; short messages from the rest of the
window appear beside the standing and fade after a few seconds.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QToolButton

from app.clock import wall_ms
from ui.context import AppContext
from ui.i18n import tr
from ui.icons import icon
from ui.sync_controller import SyncController
from ui.sync_words import connected_line, hub_host, not_connected_line

TICK_MS = 30_000  # "synced 2 min ago" moves on by itself
NOTE_MS = 8_000
SHOW_PROGRESS_AFTER_MS = 600  # a quick sync should not flash a bar


def standing(controller: SyncController, group_id: str, now_ms: int) -> tuple[str, str]:
    """(the line, its state: 'ok', 'offline', 'problem', 'busy' or 'none')."""
    if not group_id:
        return tr("No group open"), "none"
    status = controller.status_for(group_id)
    if controller.is_running and status is not None:
        return tr("Syncing with {host}…").format(host=hub_host(status.hub)), "busy"
    if status is None:
        if not controller.loaded:
            return tr("Checking how this group stands with its hub…"), "busy"
        return not_connected_line(), "offline"
    failure = controller.failure_for(group_id)
    if failure:
        return failure, "problem"
    warning = controller.warning_for(group_id)
    if warning:
        return warning, "problem"
    return connected_line(status, now_ms), "ok"


_ICON_OF = {"ok": "connected", "offline": "offline", "problem": "warning", "busy": "sync"}


class SyncStatusBar(QStatusBar):
    def __init__(self, ctx: AppContext, controller: SyncController) -> None:
        super().__init__()
        self.ctx, self.controller = ctx, controller
        self.setSizeGripEnabled(False)
        self.state_icon = QLabel()
        self.state_icon.setAccessibleName(tr("Sync state"))
        self.state = QLabel()
        self.state.setObjectName("syncState")
        self.state.setAccessibleName(tr("How this group stands with its hub"))
        self.state.setWordWrap(False)
        self.note = QLabel()
        self.note.setObjectName("syncNote")
        self.note.setAccessibleName(tr("Last message"))
        self.bar = QProgressBar()
        self.bar.setAccessibleName(tr("Sync progress"))
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setAccessibleName(tr("Cancel sync"))
        self.cancel_button.setToolTip(tr("Stop syncing; what was done so far is kept"))
        self.cancel_button.clicked.connect(controller.cancel)
        self.sync_button = QToolButton()
        self.sync_button.setIcon(icon("sync"))
        self.sync_button.setAutoRaise(True)
        self.sync_button.setToolTip(tr("Sync now (F5)"))
        self.sync_button.setAccessibleName(tr("Sync now"))
        self.sync_button.clicked.connect(lambda: controller.sync_now())
        self.addWidget(self.state_icon)
        self.addWidget(self.state, 1)
        self.addPermanentWidget(self.note)
        self.addPermanentWidget(self.bar)
        self.addPermanentWidget(self.cancel_button)
        self.addPermanentWidget(self.sync_button)
        self._show_busy(False)

        self._tick = QTimer(self)
        self._tick.timeout.connect(self.update_standing)
        self._tick.start(TICK_MS)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.timeout.connect(self.note.clear)
        self._progress_delay = QTimer(self)
        self._progress_delay.setSingleShot(True)
        self._progress_delay.timeout.connect(lambda: self._show_busy(controller.is_running))

        controller.changed.connect(self.update_standing)
        controller.started.connect(self._on_started)
        controller.finished.connect(self._on_finished)
        controller.progress.connect(self._on_progress)
        ctx.group_selected.connect(lambda _g: self.update_standing())
        ctx.message.connect(self.show_note)
        self.update_standing()

    def update_standing(self) -> None:
        text, state = standing(self.controller, self.ctx.group_id, wall_ms())
        self.state.setText(text)
        self.state.setToolTip(text)
        self.state.setProperty("state", state)
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
        name = _ICON_OF.get(state)
        if name:
            self.state_icon.setPixmap(icon(name).pixmap(16, 16))
        else:
            self.state_icon.clear()
        linked = self.controller.status_for(self.ctx.group_id) is not None
        self.sync_button.setVisible(linked and not self.controller.is_running)

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self._note_timer.start(NOTE_MS)

    def _on_started(self) -> None:
        self.bar.setRange(0, 0)  # busy until the first report says how much there is
        self._progress_delay.start(SHOW_PROGRESS_AFTER_MS)

    def _on_finished(self) -> None:
        self._progress_delay.stop()
        self._show_busy(False)
        self.update_standing()

    def _on_progress(self, done: int, total: int, what: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        self.bar.setFormat("%p%")
        self.bar.setToolTip(f"{what}: {done:,} of {total:,}" if total > 0 else what)
        if what and self.controller.is_running:
            self.state.setText(f"{what}…")

    def _show_busy(self, busy: bool) -> None:
        for widget in (self.bar, self.cancel_button):
            widget.setVisible(busy)
