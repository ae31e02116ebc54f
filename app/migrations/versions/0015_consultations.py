"""Consultations a council puts to a group, the group's draft answers and its
submissions (see app.kinds.consultations).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("discussion_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("background", sa.Text(), server_default="", nullable=False),
        sa.Column("opens", sa.String(), nullable=True),
        sa.Column("closes", sa.String(), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("publication", sa.String(), nullable=False),
        sa.Column("contact", sa.String(), server_default="", nullable=False),
        sa.Column("documents", sa.Text(), server_default="[]", nullable=False),
        sa.Column("feedback", sa.Text(), server_default="", nullable=False),
        sa.Column("feedback_ms", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_hlc", sa.BigInteger(), nullable=False),
        sa.Column("clocks", sa.Text(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_consultations")),
        # One consultation goes to several groups under one id.
        sa.UniqueConstraint("group_id", "id", name="uq_consultations_group_id"),
    )
    op.create_index(
        op.f("ix_consultations_discussion_id"), "consultations", ["discussion_id"], unique=False
    )
    op.create_table(
        "consultation_answers",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("consultation_id", sa.String(), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("ydoc", sa.LargeBinary(), nullable=True),
        sa.Column("choice", sa.Text(), server_default="[]", nullable=False),
        sa.Column("choice_hlc", sa.BigInteger(), nullable=True),
        sa.Column("choice_device", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_consultation_answers")),
        sa.UniqueConstraint(
            "group_id", "consultation_id", "question", name="uq_consultation_answers_question"
        ),
    )
    op.create_table(
        "consultation_submissions",
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("group_id", sa.String(), nullable=False),
        sa.Column("consultation_id", sa.String(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("how", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("meeting_id", sa.String(), nullable=True),
        sa.Column("meeting_title", sa.String(), nullable=True),
        sa.Column("meeting_date", sa.String(), nullable=True),
        sa.Column("minute", sa.String(), nullable=True),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("votes_abstain", sa.Integer(), nullable=True),
        sa.Column("dissent", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_hlc", sa.BigInteger(), nullable=False),
        sa.Column("received_ms", sa.BigInteger(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=True),
        sa.Column("receipt_hlc", sa.BigInteger(), nullable=True),
        sa.Column("receipt_device", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("n", name=op.f("pk_consultation_submissions")),
        sa.UniqueConstraint("id", name=op.f("uq_consultation_submissions_id")),
    )
    op.create_index(
        op.f("ix_consultation_submissions_consultation_id"),
        "consultation_submissions",
        ["consultation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("consultation_submissions")
    op.drop_table("consultation_answers")
    op.drop_table("consultations")
