"""Initial schema: the op log, its materialised tables and the search index.

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
    # Full-text search over discussion titles, posts and notes (see app.schema).
    op.execute(
        "CREATE VIRTUAL TABLE search USING fts5(title, body, group_id UNINDEXED, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.create_table(
        "follows",
        sa.Column("member", sa.String(), nullable=False),
        sa.Column("target_id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("target_kind", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("member", "target_id", name=op.f("pk_follows")),
    )
    op.create_table(
        "groups",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("colour", sa.String(), server_default="", nullable=False),
        sa.Column("emblem", sa.String(), server_default="", nullable=False),
        sa.Column("founder", sa.String(), nullable=False),
        sa.Column("created_hlc", sa.BigInteger(), nullable=False),
        sa.Column("clocks", sa.Text(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_groups")),
        sa.UniqueConstraint("id", name=op.f("uq_groups_id")),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "notes",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("ydoc", sa.LargeBinary(), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_hlc", sa.BigInteger(), nullable=False),
        sa.Column("clocks", sa.Text(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_notes")),
        sa.UniqueConstraint("id", name=op.f("uq_notes_id")),
    )
    op.create_table(
        "ops",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("prev", sa.String(), nullable=True),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("payload_hash", sa.String(), nullable=False),
        sa.Column("sig", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.Column("state", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_ops")),
        sa.UniqueConstraint("group_id", "device", "seq", name="uq_ops_chain"),
        sa.UniqueConstraint("id", name=op.f("uq_ops_id")),
    )
    with op.batch_alter_table("ops", schema=None) as batch_op:
        batch_op.create_index("ix_ops_group_state", ["group_id", "state"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("op_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("op_id", name=op.f("pk_outbox")),
    )
    op.create_table(
        "polls",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("discussion_id", sa.String(), nullable=False),
        sa.Column("question", sa.String(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column(
            "multiple", sa.Boolean(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column("closes_ms", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_hlc", sa.BigInteger(), nullable=False),
        sa.Column("clocks", sa.Text(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_polls")),
        sa.UniqueConstraint("id", name=op.f("uq_polls_id")),
    )
    op.create_table(
        "posts",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("discussion_id", sa.String(), nullable=False),
        sa.Column("reply_to", sa.String(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_hlc", sa.BigInteger(), nullable=False),
        sa.Column("clocks", sa.Text(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_posts")),
        sa.UniqueConstraint("id", name=op.f("uq_posts_id")),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_posts_discussion", ["discussion_id", "created_hlc"], unique=False
        )

    op.create_table(
        "reactions",
        sa.Column("post_id", sa.String(), nullable=False),
        sa.Column("member", sa.String(), nullable=False),
        sa.Column("emoji", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint(
            "post_id", "member", "emoji", name=op.f("pk_reactions")
        ),
    )
    op.create_table(
        "role_changes",
        sa.Column("op_id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("op_id", name=op.f("pk_role_changes")),
    )
    with op.batch_alter_table("role_changes", schema=None) as batch_op:
        batch_op.create_index("ix_role_changes_group", ["group_id"], unique=False)

    op.create_table(
        "votes",
        sa.Column("poll_id", sa.String(), nullable=False),
        sa.Column("member", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("poll_id", "member", name=op.f("pk_votes")),
    )
    op.create_table(
        "categories",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_hlc", sa.BigInteger(), nullable=False),
        sa.Column("clocks", sa.Text(), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_categories_group_id_groups")
        ),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_categories")),
        sa.UniqueConstraint("id", name=op.f("uq_categories_id")),
    )
    op.create_table(
        "discussions",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("category_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("pinned", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("locked", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "resolved", sa.Boolean(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column("deleted", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_hlc", sa.BigInteger(), nullable=False),
        sa.Column("last_activity_hlc", sa.BigInteger(), nullable=False),
        sa.Column("clocks", sa.Text(), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_discussions_group_id_groups")
        ),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_discussions")),
        sa.UniqueConstraint("id", name=op.f("uq_discussions_id")),
    )
    with op.batch_alter_table("discussions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_discussions_activity", ["group_id", "last_activity_hlc"], unique=False
        )

    op.create_table(
        "invitations",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_hlc", sa.BigInteger(), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("used_by", sa.String(), nullable=True),
        sa.Column("used_hlc", sa.BigInteger(), nullable=True),
        sa.Column("clocks", sa.Text(), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_invitations_group_id_groups")
        ),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_invitations")),
        sa.UniqueConstraint("id", name=op.f("uq_invitations_id")),
    )
    op.create_table(
        "members",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("device", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), server_default="", nullable=False),
        sa.Column("bio", sa.Text(), server_default="", nullable=False),
        sa.Column("interests", sa.Text(), server_default="[]", nullable=False),
        sa.Column("contact", sa.Text(), server_default="", nullable=False),
        sa.Column("joined_hlc", sa.BigInteger(), nullable=False),
        sa.Column("created_hlc", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("clocks", sa.Text(), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_members_group_id_groups")
        ),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_members")),
        sa.UniqueConstraint("group_id", "device", name="uq_members_device"),
    )


def downgrade() -> None:
    op.execute("DROP TABLE search")
    op.drop_table("members")
    op.drop_table("invitations")
    with op.batch_alter_table("discussions", schema=None) as batch_op:
        batch_op.drop_index("ix_discussions_activity")

    op.drop_table("discussions")
    op.drop_table("categories")
    op.drop_table("votes")
    with op.batch_alter_table("role_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_role_changes_group")

    op.drop_table("role_changes")
    op.drop_table("reactions")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_discussion")

    op.drop_table("posts")
    op.drop_table("polls")
    op.drop_table("outbox")
    with op.batch_alter_table("ops", schema=None) as batch_op:
        batch_op.drop_index("ix_ops_group_state")

    op.drop_table("ops")
    op.drop_table("notes")
    op.drop_table("meta")
    op.drop_table("groups")
    op.drop_table("follows")
