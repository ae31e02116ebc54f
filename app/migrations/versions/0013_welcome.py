"""A group's welcome and code of conduct, which each newcomer reads on joining.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("groups") as batch:
        batch.add_column(sa.Column("welcome", sa.Text(), nullable=True))
        batch.add_column(sa.Column("conduct", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("groups") as batch:
        batch.drop_column("conduct")
        batch.drop_column("welcome")
