"""The discussions page (to be filled in)."""

from __future__ import annotations

from ui.pages.base import Page


class DiscussionsPage(Page):
    title = "Discussions"
