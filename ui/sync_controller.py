"""Syncing in the background: on a timer, on demand, and never two at once.

It keeps what the status bar needs: each linked group's standing (hub, changes
waiting, last sync, last error, read in a worker), and this session's own words for
what went wrong, chosen from the exception's kind while it is still at hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from app.progress import Progress
from app.store import Store
from sync import hubs
from sync.engine import SENDING
from sync.hubs import GroupStatus
from ui.context import AppContext
from ui.i18n import tr
from ui.sync_words import describe_failure, describe_sync_result
from ui.tasks import Newest, TaskHandle

REFRESH_DELAY_MS = 300  # writes come in bursts; read the standing once they settle


@dataclass(frozen=True)
class ShownOutcome:
    """How one group's sync went, in the window's words."""

    group_id: str
    group_name: str = ""
    failure: str | None = None  # plain words
    warning: str | None = None  # changes the hub turned away, or holds back for the clock
    pulled: int = 0
    pushed: int = 0


@dataclass(frozen=True)
class SyncRound:
    outcomes: list[ShownOutcome] = field(default_factory=list)
    statuses: list[GroupStatus] = field(default_factory=list)


def _progress_words(what: str, group: str) -> str:
    words = (
        tr("Sending changes for {group}")
        if what == SENDING
        else tr("Receiving changes for {group}")
    )
    return words.format(group=group or tr("the group"))


def sync_linked(store: Store, progress: Progress, only: str | None = None) -> SyncRound:
    """Sync every hub-linked group (or ``only`` one) as ``moot sync`` does, and word it."""
    shown = []
    for outcome in hubs.sync_all(
        store=store, group_id=only, progress=progress, words=_progress_words
    ):
        if isinstance(outcome, hubs.GroupFailed):
            failure = describe_failure(outcome.error, outcome.hub)
            shown.append(ShownOutcome(outcome.group_id, outcome.group_name, failure=failure))
            continue
        result = outcome.result
        warning = describe_sync_result(result)
        shown.append(
            ShownOutcome(
                outcome.group_id, outcome.group_name, None, warning, result.pulled, result.pushed
            )
        )
    return SyncRound(shown, hubs.status(store=store))


class SyncController(QObject):
    """``changed`` fires whenever what the status bar shows may have changed."""

    changed = Signal()
    progress = Signal(int, int, str)
    started = Signal()
    finished = Signal()

    def __init__(self, ctx: AppContext, *, minutes: int = 5) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.statuses: dict[str, GroupStatus] = {}
        self.failures: dict[str, str] = {}
        self.warnings: dict[str, str] = {}
        self.loaded = False  # the standing has been read at least once
        self._status_reads = Newest()
        self._read_after_round = False
        self.running: TaskHandle | None = None
        self.last_round: SyncRound | None = None
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        self.set_interval(minutes)
        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(REFRESH_DELAY_MS)
        self._refresh_soon.timeout.connect(self.refresh)
        ctx.changed.connect(lambda _groups: self._refresh_soon.start())

    # --- what the status bar asks ------------------------------------------------------

    def status_for(self, group_id: str) -> GroupStatus | None:
        return self.statuses.get(group_id)

    def failure_for(self, group_id: str) -> str | None:
        """This session's words for the group's last failure, else the kept message's."""
        status = self.statuses.get(group_id)
        if status is None:
            return None
        if group_id in self.failures:
            return self.failures[group_id]
        return describe_failure(status.last_error, status.hub) if status.last_error else None

    def warning_for(self, group_id: str) -> str | None:
        return self.warnings.get(group_id)

    @property
    def is_running(self) -> bool:
        return self.running is not None

    # --- doing -------------------------------------------------------------------------

    def set_interval(self, minutes: int) -> None:
        """Sync every ``minutes`` (0: only when asked)."""
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def refresh(self) -> None:
        """Read every linked group's standing again (in a worker)."""
        if self._stopped:
            return
        if self.running is not None:
            # The round reads the standing as it ends; a change made meanwhile may be
            # newer than that reading, so read once more after it.
            self._read_after_round = True
            return
        self.ctx.tasks.run(
            lambda: hubs.status(store=self.ctx.store),
            done=self._got_statuses,
            newest=self._status_reads,
        )

    def sync_now(self, group_id: str | None = None) -> bool:
        """Start a sync of every linked group (or one); False if one is already running."""
        if self.running is not None or self._stopped:
            return False
        store = self.ctx.store
        self.running = self.ctx.tasks.run_with_progress(
            lambda progress: sync_linked(store, progress, group_id),
            done=self._round_done,
            failed=self._round_failed,
            progress=self.progress.emit,
        )
        self.started.emit()
        self.changed.emit()
        return True

    def cancel(self) -> None:
        if self.running is not None:
            self.running.cancel()

    def stop(self) -> None:
        """No more syncs (the window is closing); a running one is asked to stop."""
        self._stopped = True
        self.timer.stop()
        self._refresh_soon.stop()
        self.cancel()

    # --- results -----------------------------------------------------------------------

    def _got_statuses(self, statuses: list[GroupStatus]) -> None:
        self.statuses = {s.group_id: s for s in statuses}
        self.loaded = True
        self.changed.emit()

    def _round_done(self, result: SyncRound) -> None:
        self.running = None
        self.last_round = result
        for outcome in result.outcomes:
            if outcome.failure:
                self.failures[outcome.group_id] = outcome.failure
            else:
                self.failures.pop(outcome.group_id, None)
            if outcome.failure is None:
                if outcome.warning:
                    self.warnings[outcome.group_id] = outcome.warning
                else:
                    self.warnings.pop(outcome.group_id, None)
        self._status_reads.drop()  # readings begun before the round are older than its own
        self._got_statuses(result.statuses)
        self._tell_failures_elsewhere(result)
        self.finished.emit()
        if self._read_after_round:
            self._read_after_round = False
            self.refresh()

    def _tell_failures_elsewhere(self, result: SyncRound) -> None:
        """The standing speaks for the open group; failures in the others are said here."""
        others = [o for o in result.outcomes if o.failure and o.group_id != self.ctx.group_id]
        if len(others) == 1:
            line = tr("“{group}” did not sync: {why}").format(
                group=others[0].group_name or tr("A group"), why=others[0].failure
            )
            self.ctx.message.emit(line)
        elif others:
            names = ", ".join(f"“{o.group_name}”" for o in others)
            self.ctx.message.emit(
                tr("{n} groups did not sync: {names}. Open each to see why.").format(
                    n=len(others), names=names
                )
            )

    def _round_failed(self, message: str) -> None:
        self.running = None
        self.ctx.message.emit(tr("Sync failed: {message}").format(message=message))
        self.finished.emit()
        self._read_after_round = False
        self.refresh()
