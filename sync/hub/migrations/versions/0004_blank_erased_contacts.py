"""Blank the contact details that erasures already in the log cover.

Hubs now blank them as each erasure arrives (``sync.hub.service``); this does the same
once for erasures that arrived before. The ops stay, signed, without their payload.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    erasures = conn.execute(
        sa.text(
            "SELECT group_id, entity, MAX(hlc) AS hlc FROM hub_ops WHERE kind = 'member'"
            " AND action = 'erase' AND device = entity GROUP BY group_id, entity"
        )
    ).all()
    for group_id, member, hlc in erasures:
        # Of erasures sharing the newest stamp, the greatest device key comes last.
        covered = conn.execute(
            sa.text(
                "SELECT seq, wire FROM hub_ops WHERE group_id = :g AND kind = 'member'"
                " AND entity = :m AND action = 'contact' AND (hlc < :hlc"
                " OR (hlc = :hlc AND device < :m))"
            ),
            {"g": group_id, "m": member, "hlc": hlc},
        ).all()
        for seq, wire in covered:
            blank = json.loads(wire)
            if blank.get("payload") is not None:
                blank["payload"] = None
                conn.execute(
                    sa.text("UPDATE hub_ops SET wire = :w WHERE group_id = :g AND seq = :s"),
                    {"w": json.dumps(blank, separators=(",", ":"), ensure_ascii=False), "g": group_id, "s": seq},
                )


def downgrade() -> None:
    pass  # erased details are gone for good
