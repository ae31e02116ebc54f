"""The hub's private key leaves the database for a key file; the database keeps the public key.

The move itself happens when a hub first starts on this revision
(``sync.hub.keys.load_hub_identity``): only then is the key file's place known.

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
    with op.batch_alter_table("hub_keys", schema=None) as batch_op:
        batch_op.alter_column("secret", new_column_name="value")


def downgrade() -> None:
    with op.batch_alter_table("hub_keys", schema=None) as batch_op:
        batch_op.alter_column("value", new_column_name="secret")
