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
    # What the log already says, as applying it now would: a bundle's invitation names
    # its maker and who used it. (A hub's admissions said nothing of it before now.)
    op.execute(
        "UPDATE members SET (invited_by, invitation, invited_hlc) = ("
        " SELECT i.created_by, i.id, i.used_hlc FROM invitations i"
        " WHERE i.group_id = members.group_id AND i.used_by = members.device"
        " ORDER BY i.used_hlc, i.id LIMIT 1)"
        " WHERE EXISTS (SELECT 1 FROM invitations i WHERE i.group_id = members.group_id"
        " AND i.used_by = members.device)"
    )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("invited_hlc")
        batch.drop_column("invitation")
        batch.drop_column("invited_by")
