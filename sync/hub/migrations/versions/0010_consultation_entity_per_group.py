"""A consultation has an id of its own in each group's log: a laptop in two consulted
groups holds each op id once.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Hubs that ran 0009 as it was first written have the column already.
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("hub_consultation_groups")}
    if "entity" not in columns:
        with op.batch_alter_table("hub_consultation_groups") as batch:
            batch.add_column(sa.Column("entity", sa.String(), nullable=True))
    # Published before now, a consultation went out under its hub id in every group.
    op.execute(
        "UPDATE hub_consultation_groups SET entity = consultation_id"
        " WHERE discussion_id IS NOT NULL AND entity IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("hub_consultation_groups") as batch:
        batch.drop_column("entity")
