"""Papers put with an agenda item: each a file's bytes, its name, size and hash
(see app.kinds.meetings).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('item_papers',
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('item_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('media_type', sa.String(), server_default='', nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_hlc', sa.BigInteger(), nullable=False),
    sa.Column('clocks', sa.Text(), server_default='{}', nullable=False),
    # Last: SQLite reads a row's columns in order, and the bytes of a file are large.
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('n', name=op.f('pk_item_papers')),
    sa.UniqueConstraint('id', name=op.f('uq_item_papers_id'))
    )
    op.create_index(op.f('ix_item_papers_item_id'), 'item_papers', ['item_id'], unique=False)


def downgrade() -> None:
    op.drop_table("item_papers")
