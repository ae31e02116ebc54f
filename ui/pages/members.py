"""The members page (to be filled in)."""

from __future__ import annotations

from ui.pages.base import Page


class MembersPage(Page):
    title = "Members"
