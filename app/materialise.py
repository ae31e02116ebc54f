"""The merge rules, by kind of op: which rule applies each change to the tables.

Every replica and the hub run these same rules, so the same set of ops gives the same
state everywhere, whatever order it arrived in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app import merge_content as content
from app import merge_members as members
from app.merge_rows import clear_group
from app.ops import Op

if TYPE_CHECKING:
    from app.apply import Applier

Handler = Callable[["Applier", Op], "str | None"]

HANDLERS: dict[tuple[str, str], Handler] = {
    ("group", "create"): members.group_create,
    ("group", "update"): members.group_update,
    ("member", "set_role"): members.member_set_role,
    ("member", "update"): members.member_update,
    ("member", "contact"): members.member_contact,
    ("member", "erase"): members.member_erase,
    ("invite", "create"): members.invite_create,
    ("invite", "update"): members.invite_update,
    ("invite", "redeem"): members.invite_redeem,
    ("category", "create"): content.category_create,
    ("category", "update"): content.category_update,
    ("discussion", "create"): content.discussion_create,
    ("discussion", "update"): content.discussion_update,
    ("post", "create"): content.post_create,
    ("post", "update"): content.post_update,
    ("reaction", "set"): content.reaction_set,
    ("poll", "create"): content.poll_create,
    ("vote", "set"): content.vote_set,
    ("note", "create"): content.note_create,
    ("note", "edit"): content.note_edit,
    ("note", "update"): content.note_update,
    ("follow", "set"): content.follow_set,
}


__all__ = ["HANDLERS", "Handler", "clear_group"]
