"""A made-up domain, declared as a real one would be: a noticeboard only clerks post to.

``tests/sync/test_new_kind.py`` adds it to the registry (and to a hub's, through
``sitecustomize``) to show that a new kind of op needs this one module and the table
its migration makes, and nothing else in the core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app import payload as p
from app.domain import Domain, Dump, Kind, Table
from app.ops import Op

if TYPE_CHECKING:
    from app.apply import Applier

# What its migration would create.
TABLE_SQL = (
    "CREATE TABLE notices (n INTEGER PRIMARY KEY, id TEXT UNIQUE, group_id TEXT,"
    " text TEXT, urgent INTEGER, created_by TEXT)"
)


def notice_create(a: Applier, op: Op) -> str | None:
    a.db.execute(
        "INSERT INTO notices (id, group_id, text, urgent, created_by) VALUES (?,?,?,?,?)",
        (op.entity, op.group, op.fields["text"], op.fields.get("urgent", False), op.device),
    )
    return None


DOMAIN = Domain(
    name="noticeboard",
    needs=("members",),
    tables=(Table("notices", Dump("id, text, urgent, created_by", "id", bools=("urgent",))),),
    kinds=(
        Kind(
            "notice",
            "create",
            notice_create,
            {"text": p.title},
            {"urgent": p.boolean},
            least="clerk",
        ),
    ),
)
