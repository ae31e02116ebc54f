"""Read marks: how far this profile's member has read each discussion.

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


def upgrade() -> None:
    op.create_table(
        "read_marks",
        sa.Column("discussion_id", sa.String(), nullable=False),
        sa.Column("read_hlc", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("discussion_id", name=op.f("pk_read_marks")),
    )


def downgrade() -> None:
    op.drop_table("read_marks")
