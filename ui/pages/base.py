"""What the window asks of each page."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QWidget

from ui.context import AppContext


class Page(QWidget):
    """A view in the main area. It loads through ``ctx.tasks`` and never blocks.

    ``show_target`` is called when the side panel (or a search result) sends the user
    here; ``target`` is the page's own key, e.g. a category id or an item id to open.
    Pages listen to ``ctx.changed`` and ``ctx.group_selected`` themselves. A page with
    a ``menu`` has it in the window's menu bar while the page is on screen.
    """

    title = ""
    menu: QMenu | None = None

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    def show_target(self, target: str | None) -> None:
        """Show this page's content for ``target`` (None: the page's default view)."""
