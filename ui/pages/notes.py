"""The notes page (to be filled in)."""

from __future__ import annotations

from ui.pages.base import Page


class NotesPage(Page):
    title = "Notes"
