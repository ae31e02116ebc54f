"""The hub's private key leaves the database for a key file; the database keeps the public key.

The move itself happens when a hub first starts on this revision
(``sync.hub.keys.load_hub_identity``): only then is the key file's place known.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_keys", schema=None) as batch_op:
        batch_op.alter_column("secret", new_column_name="value")


def downgrade() -> None:
    moved = op.get_bind().execute(sa.text("SELECT 1 FROM hub_keys WHERE name = 'public'"))
    if moved.first() is not None:
        # An older hub finding no key in its database would make a new one, and with it
        # lose its place as an organiser in every group.
        raise RuntimeError(
            "This hub's key is in its key file now; put it back under 'device' in hub_keys "
            "by hand before going back past revision 0003."
        )
    with op.batch_alter_table("hub_keys", schema=None) as batch_op:
        batch_op.alter_column("value", new_column_name="secret")
