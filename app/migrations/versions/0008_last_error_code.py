"""The last sync's failure is kept as a code beside its words, so it is worded from the code.

A failure kept before has no code; it reads as "failed" and its words are shown.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_links") as batch:
        batch.add_column(sa.Column("last_error_code", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hub_links") as batch:
        batch.drop_column("last_error_code")
