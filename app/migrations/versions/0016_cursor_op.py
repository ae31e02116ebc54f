"""The change a laptop last pulled from each hub, beside the cursor: so a laptop can tell
that the hub's log was restored from an older backup even once newer changes have
carried it past the cursor again.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_links") as batch:
        batch.add_column(sa.Column("cursor_op", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hub_links") as batch:
        batch.drop_column("cursor_op")
