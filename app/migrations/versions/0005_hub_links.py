"""Hub links: which hub each group syncs with, its token, and how far it has pulled.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_links",
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("hub_url", sa.String(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("cursor", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("last_sync_ms", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_hub_links")),
    )


def downgrade() -> None:
    op.drop_table("hub_links")
