"""Each group's newest membership op, the key of the rosters hub processes cache.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_MEMBERSHIP = (
    "(kind = 'group' AND action = 'create') OR (kind = 'member' AND action = 'set_role')"
    " OR (kind = 'invite' AND action IN ('create', 'update', 'redeem'))"
)


def upgrade() -> None:
    with op.batch_alter_table("hub_groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("roster_seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("roster_op", sa.String(), nullable=True))
    # Groups already here start with their log's newest membership op, as new ones do.
    op.execute(
        "UPDATE hub_groups SET roster_seq = (SELECT MAX(o.seq) FROM hub_ops o"
        f" WHERE o.group_id = hub_groups.id AND ({_MEMBERSHIP}))"
    )
    op.execute(
        "UPDATE hub_groups SET roster_op = (SELECT o.op_id FROM hub_ops o"
        " WHERE o.group_id = hub_groups.id AND o.seq = hub_groups.roster_seq)"
    )


def downgrade() -> None:
    with op.batch_alter_table("hub_groups", schema=None) as batch_op:
        batch_op.drop_column("roster_op")
        batch_op.drop_column("roster_seq")
