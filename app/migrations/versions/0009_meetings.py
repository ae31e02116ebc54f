"""Council meetings and their record: meetings, agenda items, attendance, declarations
of interest, resolutions and actions (see app.kinds.meetings).

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
    op.create_table('actions',
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('item_id', sa.String(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(), nullable=True),
    sa.Column('due', sa.String(), nullable=True),
    sa.Column('status', sa.String(), server_default='open', nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_hlc', sa.BigInteger(), nullable=False),
    sa.Column('clocks', sa.Text(), server_default='{}', nullable=False),
    sa.PrimaryKeyConstraint('n', name=op.f('pk_actions')),
    sa.UniqueConstraint('id', name=op.f('uq_actions_id'))
    )
    op.create_index(op.f('ix_actions_group_id'), 'actions', ['group_id'], unique=False)
    op.create_table('attendance',
    sa.Column('meeting_id', sa.String(), nullable=False),
    sa.Column('member', sa.String(), nullable=False),
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('apologies_accepted', sa.Boolean(), nullable=True),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('device', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('meeting_id', 'member', name=op.f('pk_attendance'))
    )
    op.create_table('declarations',
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('item_id', sa.String(), nullable=False),
    sa.Column('member', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('nature', sa.Text(), nullable=False),
    sa.Column('dispensation', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('left_room', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_hlc', sa.BigInteger(), nullable=False),
    sa.Column('clocks', sa.Text(), server_default='{}', nullable=False),
    sa.PrimaryKeyConstraint('n', name=op.f('pk_declarations')),
    sa.UniqueConstraint('id', name=op.f('uq_declarations_id'))
    )
    op.create_index(op.f('ix_declarations_item_id'), 'declarations', ['item_id'], unique=False)
    op.create_table('meeting_items',
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('meeting_id', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('exempt', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('exempt_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('standard', sa.String(), nullable=True),
    sa.Column('minute_number', sa.String(), nullable=True),
    sa.Column('number_hlc', sa.BigInteger(), nullable=True),
    sa.Column('number_device', sa.String(), nullable=True),
    sa.Column('minutes', sa.Text(), server_default='', nullable=False),
    sa.Column('ydoc', sa.LargeBinary(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_hlc', sa.BigInteger(), nullable=False),
    sa.Column('clocks', sa.Text(), server_default='{}', nullable=False),
    sa.PrimaryKeyConstraint('n', name=op.f('pk_meeting_items')),
    sa.UniqueConstraint('id', name=op.f('uq_meeting_items_id'))
    )
    op.create_index(op.f('ix_meeting_items_meeting_id'), 'meeting_items', ['meeting_id'], unique=False)
    op.create_table('meetings',
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('starts_at', sa.String(), nullable=False),
    sa.Column('body', sa.String(), server_default='', nullable=False),
    sa.Column('place', sa.String(), server_default='', nullable=False),
    sa.Column('mode', sa.String(), server_default='in_person', nullable=False),
    sa.Column('chair', sa.String(), nullable=True),
    sa.Column('clerk', sa.String(), nullable=True),
    sa.Column('members_draft', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('public', sa.Text(), server_default='', nullable=False),
    sa.Column('stage', sa.String(), server_default='draft', nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_hlc', sa.BigInteger(), nullable=False),
    sa.Column('clocks', sa.Text(), server_default='{}', nullable=False),
    sa.Column('approved_hlc', sa.BigInteger(), nullable=True),
    sa.Column('approved_by', sa.String(), nullable=True),
    sa.Column('approved_at', sa.String(), nullable=True),
    sa.Column('approve_op', sa.String(), nullable=True),
    sa.Column('content_hash', sa.String(), nullable=True),
    sa.Column('record', sa.Text(), nullable=True),
    sa.Column('signed_chair', sa.String(), nullable=True),
    sa.Column('signed_at', sa.String(), nullable=True),
    sa.Column('signed_device', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('n', name=op.f('pk_meetings')),
    sa.UniqueConstraint('id', name=op.f('uq_meetings_id'))
    )
    op.create_index(op.f('ix_meetings_group_id'), 'meetings', ['group_id'], unique=False)
    op.create_table('resolutions',
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('item_id', sa.String(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('carried', sa.Boolean(), nullable=False),
    sa.Column('votes_for', sa.Integer(), server_default='0', nullable=False),
    sa.Column('votes_against', sa.Integer(), server_default='0', nullable=False),
    sa.Column('abstain', sa.Integer(), server_default='0', nullable=False),
    sa.Column('unanimous', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('recorded', sa.Text(), server_default='[]', nullable=False),
    sa.Column('casting', sa.String(), nullable=True),
    sa.Column('proposer', sa.String(), nullable=True),
    sa.Column('seconder', sa.String(), nullable=True),
    sa.Column('corrects', sa.String(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_hlc', sa.BigInteger(), nullable=False),
    sa.Column('clocks', sa.Text(), server_default='{}', nullable=False),
    sa.PrimaryKeyConstraint('n', name=op.f('pk_resolutions')),
    sa.UniqueConstraint('id', name=op.f('uq_resolutions_id'))
    )
    op.create_index(op.f('ix_resolutions_item_id'), 'resolutions', ['item_id'], unique=False)


def downgrade() -> None:
    for table in ("resolutions", "meetings", "meeting_items", "declarations", "attendance", "actions"):
        op.drop_table(table)
