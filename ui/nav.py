"""The side panel: the group at the top, then the places in it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.services.groups import CategoryView

TARGET_ROLE = Qt.ItemDataRole.UserRole

# (page, target, label): the fixed places; categories go under Discussions.
PLACES = (
    ("discussions", None, "Discussions"),
    ("following", None, "Following"),
    ("unread", None, "Unread"),
    ("notifications", None, "Notifications"),
    ("notes", None, "Notes"),
    ("members", None, "Members"),
    ("meetings", None, "Meetings"),
    ("overview", None, "Overview"),
    ("deleted", None, "Recently deleted"),
)


class NavPanel(QTreeWidget):
    """Emits ``chosen(page, target)`` when the user picks a place."""

    chosen = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(14)
        self.setAccessibleName("Places in the group")
        self.setObjectName("nav")
        self._items: dict[tuple[str, str | None], QTreeWidgetItem] = {}
        self._counts: dict[str, int] = {}  # kept across rebuilds of the panel
        self.currentItemChanged.connect(self._on_current)
        self.set_categories([])

    def set_categories(self, categories: list[CategoryView]) -> None:
        current = self.current_place()
        self.blockSignals(True)
        self.clear()
        self._items.clear()
        for page, target, label in PLACES:
            count = self._counts.get(page, 0) if target is None else 0
            item = QTreeWidgetItem([f"{label} ({count})" if count else label])
            item.setData(0, TARGET_ROLE, (page, target))
            self.addTopLevelItem(item)
            self._items[(page, target)] = item
            if page == "discussions":
                for category in categories:
                    child = QTreeWidgetItem([category.name])
                    child.setData(0, TARGET_ROLE, ("discussions", category.id))
                    item.addChild(child)
                    self._items[("discussions", category.id)] = child
                item.setExpanded(True)
        self.blockSignals(False)
        self.select(*(current or ("discussions", None)), emit=False)

    def set_count(self, page: str, count: int) -> None:
        """Show how many are waiting beside a place's name: "Notifications (3)"."""
        self._counts[page] = count
        item = self._items.get((page, None))
        label = next((label for p, t, label in PLACES if (p, t) == (page, None)), None)
        if item is not None and label is not None:
            item.setText(0, f"{label} ({count})" if count else label)

    def current_place(self) -> tuple[str, str | None] | None:
        item = self.currentItem()
        return None if item is None else item.data(0, TARGET_ROLE)

    def select(self, page: str, target: str | None = None, *, emit: bool = True) -> None:
        item = self._items.get((page, target)) or self._items.get((page, None))
        if item is None:
            return
        self.blockSignals(not emit)
        self.setCurrentItem(item)
        self.blockSignals(False)

    def _on_current(self, item: QTreeWidgetItem | None, _old: QTreeWidgetItem | None) -> None:
        if item is not None:
            page, target = item.data(0, TARGET_ROLE)
            self.chosen.emit(page, target)
