"""The hub's schema: groups, their logs, members, devices, invitations.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_devices",
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_hub_devices")),
    )
    with op.batch_alter_table("hub_devices", schema=None) as batch_op:
        batch_op.create_index("ix_hub_devices_member", ["group_id", "device"], unique=False)

    op.create_table(
        "hub_groups",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("next_seq", sa.BigInteger(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_groups")),
    )
    op.create_table(
        "hub_invites",
        sa.Column("code_hash", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("uses_left", sa.Integer(), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_hub_invites")),
    )
    op.create_table(
        "hub_keys",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("secret", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_hub_keys")),
    )
    op.create_table(
        "hub_members",
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "device", name=op.f("pk_hub_members")),
    )
    op.create_table(
        "hub_ops",
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("op_id", sa.String(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.Column("dev_seq", sa.BigInteger(), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.Column("prev", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("wire", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "seq", name=op.f("pk_hub_ops")),
        sa.UniqueConstraint("group_id", "device", "dev_seq", name="uq_hub_ops_chain"),
        sa.UniqueConstraint("op_id", name=op.f("uq_hub_ops_op_id")),
    )
    with op.batch_alter_table("hub_ops", schema=None) as batch_op:
        batch_op.create_index("ix_hub_ops_entity", ["group_id", "kind", "entity"], unique=False)

    op.create_table(
        "hub_registration_codes",
        sa.Column("code_hash", sa.String(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("used_by", sa.String(), nullable=True),
        sa.Column("device", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_hub_registration_codes")),
    )

    op.create_table(
        "hub_invite_uses",
        sa.Column("code_hash", sa.String(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code_hash", "device", name=op.f("pk_hub_invite_uses")),
    )

def downgrade() -> None:
    op.drop_table("hub_invite_uses")
    op.drop_table("hub_registration_codes")
    with op.batch_alter_table("hub_ops", schema=None) as batch_op:
        batch_op.drop_index("ix_hub_ops_entity")

    op.drop_table("hub_ops")
    op.drop_table("hub_members")
    op.drop_table("hub_keys")
    op.drop_table("hub_invites")
    op.drop_table("hub_groups")
    with op.batch_alter_table("hub_devices", schema=None) as batch_op:
        batch_op.drop_index("ix_hub_devices_member")

    op.drop_table("hub_devices")
