"""Lighter indexes on the op log: bulk imports write less, the clock's start is a lookup.

Waiting ops are a handful, so only they are indexed by group (a partial index) rather
than every op by (group, state). The (group, device, stamp) index goes: the chain's
own unique index finds a device's ops, and an index on the stamp alone answers the
newest stamp held, which every profile asks for when it opens.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ops") as batch_op:
        batch_op.drop_index("ix_ops_group_state")
        batch_op.drop_index("ix_ops_device_hlc")
        batch_op.create_index("ix_ops_waiting", ["group_id"], sqlite_where=sa.text("state = 0"))
        batch_op.create_index("ix_ops_hlc", ["hlc"])


def downgrade() -> None:
    with op.batch_alter_table("ops") as batch_op:
        batch_op.drop_index("ix_ops_hlc")
        batch_op.drop_index("ix_ops_waiting")
        batch_op.create_index("ix_ops_device_hlc", ["group_id", "device", "hlc"])
        batch_op.create_index("ix_ops_group_state", ["group_id", "state"])
