"""One device's run of ops in one group, signed with stamps the caller chooses.

Sample groups and benchmarks write histories for many devices at once, with stamps
spread over past months; a ``Feed`` numbers and chains each device's ops as its own
laptop would, so the result verifies, merges and syncs like any real history.
"""

from __future__ import annotations

from typing import Any

from app.identity import DeviceIdentity
from app.ids import authored_id
from app.ops import Op, sign_op


class Feed:
    """The next op of ``identity`` in ``group``: seq + 1, linked to the previous op's hash."""

    def __init__(self, identity: DeviceIdentity, group: str) -> None:
        self.identity = identity
        self.device = identity.device_id
        self.group = group
        self.seq = 0
        self.prev: str | None = None

    def sign(
        self,
        *,
        hlc: int,
        kind: str,
        entity: str,
        action: str,
        payload: dict[str, Any],
        op_id: str | None = None,
    ) -> Op:
        """Sign the next op; stamps must rise along a feed, as the chain checks demand."""
        if action == "create":
            op_id = entity  # an entity takes the id of the op that makes it
        self.seq += 1
        op = sign_op(
            self.identity.key,
            op_id=op_id or authored_id(self.device),
            group=self.group,
            device=self.device,
            seq=self.seq,
            prev=self.prev,
            hlc=hlc,
            kind=kind,
            entity=entity,
            action=action,
            payload=payload,
        )
        self.prev = op.hash
        return op
