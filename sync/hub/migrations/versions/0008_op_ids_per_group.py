"""An op's id is unique within its group, not across the hub: no member of one group
can claim the id of an op another group has not synced yet.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_ops") as batch:
        batch.drop_constraint("uq_hub_ops_op_id", type_="unique")
        batch.create_unique_constraint("uq_hub_ops_group_op", ["group_id", "op_id"])


def downgrade() -> None:
    with op.batch_alter_table("hub_ops") as batch:
        batch.drop_constraint("uq_hub_ops_group_op", type_="unique")
        batch.create_unique_constraint("uq_hub_ops_op_id", ["op_id"])
