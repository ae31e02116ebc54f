"""Contact consent, and invitations kept as a public key rather than a token hash.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.alter_column("token_hash", new_column_name="invite_key")
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(
            sa.Column("contact_consent", sa.String(), nullable=False, server_default="organisers")
        )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("contact_consent")
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.alter_column("invite_key", new_column_name="token_hash")
