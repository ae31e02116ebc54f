"""What every part of the window shares: the profile's store, the workers, the group.

Writes commit on worker threads; the store tells its listeners which groups changed,
and ``changed`` re-emits that on the GUI thread so views refresh there.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from app.store import Store
from ui.tasks import Tasks


class AppContext(QObject):
    changed = Signal(list)  # ids of the groups a committed write changed (GUI thread)
    group_selected = Signal(str)  # the group now shown ("" for none)
    message = Signal(str)  # a short line for the status bar
    _changed_from_worker = Signal(list)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = Tasks(self)
        self.group_id: str = ""
        self._changed_from_worker.connect(self._relay_changed)
        store.subscribe(lambda groups: self._changed_from_worker.emit(sorted(groups)))

    @Slot(list)
    def _relay_changed(self, groups: list[str]) -> None:
        self.changed.emit(groups)

    def select_group(self, group_id: str) -> None:
        if group_id != self.group_id:
            self.group_id = group_id
            self.group_selected.emit(group_id)
