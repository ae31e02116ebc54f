"""The council's side: officers, their sessions and audit log; consultations; when each
laptop last synced.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_devices") as batch:
        batch.add_column(sa.Column("last_seen_ms", sa.BigInteger(), nullable=True))
    op.create_table(
        "hub_officers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=True),
        sa.Column("admin", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("disabled", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_officers")),
        sa.UniqueConstraint("email", name=op.f("uq_hub_officers_email")),
    )
    op.create_table(
        "hub_officer_groups",
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("officer_id", "group_id", name=op.f("pk_hub_officer_groups")),
    )
    op.create_table(
        "hub_officer_sessions",
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("seen_ms", sa.BigInteger(), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_hub_officer_sessions")),
    )
    op.create_index("ix_hub_officer_sessions_officer", "hub_officer_sessions", ["officer_id"])
    op.create_table(
        "hub_password_links",
        sa.Column("token_hash", sa.String(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=False),
        sa.Column("used_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_hub_password_links")),
    )
    op.create_table(
        "hub_login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("who", sa.String(), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_login_failures")),
    )
    op.create_index("ix_hub_login_failures_who", "hub_login_failures", ["who", "at_ms"])
    op.create_table(
        "hub_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("officer_email", sa.String(), server_default="", nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("target", sa.String(), server_default="", nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_audit")),
    )
    op.create_index("ix_hub_audit_at", "hub_audit", ["at_ms"])
    op.create_table(
        "hub_consultations",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("background", sa.Text(), server_default="", nullable=False),
        sa.Column("contact", sa.String(), server_default="", nullable=False),
        sa.Column("opens", sa.String(), nullable=True),
        sa.Column("closes", sa.String(), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("publication", sa.String(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("published_ms", sa.BigInteger(), nullable=True),
        sa.Column("feedback", sa.Text(), server_default="", nullable=False),
        sa.Column("feedback_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_consultations")),
    )
    op.create_table(
        "hub_consultation_groups",
        sa.Column("consultation_id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("discussion_id", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint(
            "consultation_id", "group_id", name=op.f("pk_hub_consultation_groups")
        ),
    )
    op.create_table(
        "hub_consultation_documents",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("consultation_id", sa.String(), nullable=False),
        sa.Column("filename", sa.String(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_consultation_documents")),
    )
    op.create_index(
        "ix_hub_consultation_documents_consultation",
        "hub_consultation_documents",
        ["consultation_id"],
    )
    op.create_table(
        "hub_answer_notes",
        sa.Column("consultation_id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("tags", sa.Text(), server_default="[]", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint(
            "consultation_id", "group_id", "question", name=op.f("pk_hub_answer_notes")
        ),
    )
    op.create_table(
        "hub_group_places",
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("place", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "place", name=op.f("pk_hub_group_places")),
    )


def downgrade() -> None:
    op.drop_table("hub_group_places")
    op.drop_table("hub_answer_notes")
    op.drop_index(
        "ix_hub_consultation_documents_consultation", table_name="hub_consultation_documents"
    )
    op.drop_table("hub_consultation_documents")
    op.drop_table("hub_consultation_groups")
    op.drop_table("hub_consultations")
    op.drop_index("ix_hub_audit_at", table_name="hub_audit")
    op.drop_table("hub_audit")
    op.drop_index("ix_hub_login_failures_who", table_name="hub_login_failures")
    op.drop_table("hub_login_failures")
    op.drop_table("hub_password_links")
    op.drop_index("ix_hub_officer_sessions_officer", table_name="hub_officer_sessions")
    op.drop_table("hub_officer_sessions")
    op.drop_table("hub_officer_groups")
    op.drop_table("hub_officers")
    with op.batch_alter_table("hub_devices") as batch:
        batch.drop_column("last_seen_ms")
