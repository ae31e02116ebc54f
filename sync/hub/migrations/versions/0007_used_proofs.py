"""Device proofs the hub has taken, so that each is good once.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_used_proofs",
        sa.Column("proof_hash", sa.String(), nullable=False),
        sa.Column("stamp_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("proof_hash", name=op.f("pk_hub_used_proofs")),
    )
    op.create_index("ix_hub_used_proofs_stamp", "hub_used_proofs", ["stamp_ms"])


def downgrade() -> None:
    op.drop_index("ix_hub_used_proofs_stamp", table_name="hub_used_proofs")
    op.drop_table("hub_used_proofs")
