"""Index ops by author and stamp: finding what a device wrote after a role change.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ops") as batch_op:
        batch_op.create_index("ix_ops_device_hlc", ["group_id", "device", "hlc"])


def downgrade() -> None:
    with op.batch_alter_table("ops") as batch_op:
        batch_op.drop_index("ix_ops_device_hlc")
