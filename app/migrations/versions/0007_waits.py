"""What each waiting op waits for, so an arrival retries only the ops it may free.

Ops already waiting get the keys they wait on: their author's role, their entity (and
that entity as a member, for profile changes), and the entities their payload names.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_REFERS = ("category_id", "discussion_id", "reply_to")


def upgrade() -> None:
    op.create_table(
        "waits",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("op_id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_waits")),
    )
    for column in ("key", "op_id", "group_id"):
        op.create_index(op.f(f"ix_waits_{column}"), "waits", [column])
    keys = [
        "'r:' || group_id || ':' || device",
        "'r:' || group_id || ':' || entity",
        "'e:' || entity",
    ]
    for key in keys:
        op.execute(
            f"INSERT INTO waits (key, op_id, group_id) SELECT {key}, id, group_id FROM ops"
            " WHERE state = 0"
        )
    for field in _REFERS:
        op.execute(
            f"INSERT INTO waits (key, op_id, group_id) SELECT 'e:' || json_extract(payload,"
            f" '$.{field}'), id, group_id FROM ops WHERE state = 0 AND json_valid(payload)"
            f" AND json_type(payload, '$.{field}') = 'text'"
        )


def downgrade() -> None:
    for column in ("group_id", "op_id", "key"):
        op.drop_index(op.f(f"ix_waits_{column}"), table_name="waits")
    op.drop_table("waits")
