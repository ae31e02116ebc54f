"""Who invited each member, and with which invitation: how a group grows.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("invited_by", sa.String(), nullable=True))
        batch.add_column(sa.Column("invitation", sa.String(), nullable=True))
        batch.add_column(sa.Column("invited_hlc", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("invited_hlc")
        batch.drop_column("invitation")
        batch.drop_column("invited_by")
