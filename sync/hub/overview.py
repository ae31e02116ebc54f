"""What officers see of their groups: counts only, never anything about one person,
and the invitations still open.

Figures come from what the hub keeps already: the roles cache (``hub_members``), each
author's chain in the log, when each laptop last used its token, and the consultations
published to the group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from app.clock import DAY_MS, pack, wall_ms
from app.kinds.consultations import closes_at_ms
from sync.hub import tables as t

ACTIVE_MS = 30 * DAY_MS


def uk_today(now_ms: int) -> str:
    """Today's date in the UK, as ISO: the first day whose end has not yet passed."""
    day = datetime.fromtimestamp(now_ms / 1000, UTC).date() - timedelta(days=1)
    while closes_at_ms(day.isoformat()) < now_ms:
        day += timedelta(days=1)
    return day.isoformat()


@dataclass(frozen=True)
class Figures:
    group_id: str
    name: str
    members: int = 0
    active: int = 0  # members who wrote anything in the last 30 days
    last_sync_ms: int | None = None
    consultations: int = 0  # open now


def group_figures(
    conn: Connection, *, group_ids: Iterable[str] | None, hub_device: str
) -> list[Figures]:
    """Figures for each of these groups the hub has (all of them for None), by name.

    The hub's own key is a member of the groups it founded; it is not counted.
    """
    query = select(t.groups.c.id, t.groups.c.name).order_by(t.groups.c.name, t.groups.c.id)
    if group_ids is not None:
        query = query.where(t.groups.c.id.in_(list(group_ids)))
    names = {r.id: r.name for r in conn.execute(query)}
    if not names:
        return []
    wanted = list(names)
    members = _by_group(
        conn,
        select(t.members.c.group_id, func.count())
        .where(t.members.c.group_id.in_(wanted))
        .where(t.members.c.role != "removed", t.members.c.device != hub_device)
        .group_by(t.members.c.group_id),
    )
    synced = _by_group(
        conn,
        select(t.devices.c.group_id, func.max(t.devices.c.last_seen_ms))
        .where(t.devices.c.group_id.in_(wanted))
        .group_by(t.devices.c.group_id),
    )
    consultations = open_consultations(conn, wanted)
    active = _active(conn, wanted, hub_device)
    return [
        Figures(
            group_id=gid,
            name=name,
            members=int(members.get(gid, 0)),
            active=active.get(gid, 0),
            last_sync_ms=synced.get(gid),
            consultations=consultations.get(gid, 0),
        )
        for gid, name in names.items()
    ]


def group_names(conn: Connection, group_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(name, id) of each of these groups the hub has, by name."""
    query = select(t.groups.c.name, t.groups.c.id).where(t.groups.c.id.in_(list(group_ids)))
    return sorted((str(name), str(gid)) for name, gid in conn.execute(query))


def _by_group(conn: Connection, query: Any) -> dict[str, Any]:
    return {str(r[0]): r[1] for r in conn.execute(query)}


def _active(conn: Connection, group_ids: list[str], hub_device: str) -> dict[str, int]:
    """Distinct authors with an op stamped in the last 30 days, per group.

    Each author's ops form a chain whose stamps only grow, so the newest op of the
    chain (one lookup in the chain's unique index) says whether they wrote lately;
    a scan of every op stamped since would read years of log. Every author has a
    row in ``hub_members``: the hub takes no op from a device the log never admitted.
    """
    ops, m = t.ops.c, t.members.c
    newest = (
        select(ops.hlc)
        .where(ops.group_id == m.group_id, ops.device == m.device)
        .order_by(ops.dev_seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(m.group_id, func.count())
        .where(m.group_id.in_(group_ids), m.device != hub_device)
        .where(newest >= pack(wall_ms() - ACTIVE_MS))
        .group_by(m.group_id)
    )
    return {str(gid): int(n) for gid, n in conn.execute(query)}


def open_consultations(conn: Connection, group_ids: list[str]) -> dict[str, int]:
    """Consultations published to each group that have opened and not yet closed.

    One closes at the end of its ``closes`` day, UK time (``closes_at_ms``, as on every
    laptop), so it is open while that day has not passed: ISO dates compare as text.
    """
    today = uk_today(wall_ms())
    c, cg = t.consultations.c, t.consultation_groups.c
    query = (
        select(cg.group_id, func.count())
        .select_from(t.consultation_groups.join(t.consultations, c.id == cg.consultation_id))
        .where(cg.group_id.in_(group_ids), c.published_ms.is_not(None), c.closes >= today)
        .where(or_(c.opens.is_(None), c.opens <= today))
        .group_by(cg.group_id)
    )
    return {str(gid): int(n) for gid, n in conn.execute(query)}


@dataclass(frozen=True)
class OpenInvite:
    code_hash: str  # what a revoke names: the code itself is never kept
    role: str
    uses_left: int
    expires_ms: int
    by_council: bool  # made here or by ``moot-hub invite``, not by an organiser's laptop


def open_invites(conn: Connection, *, group_id: str) -> list[OpenInvite]:
    """The group's invitations that still admit someone, soonest to expire first."""
    i = t.invites.c
    rows = conn.execute(
        select(i.code_hash, i.role, i.uses_left, i.expires_ms, i.created_by)
        .where(and_(i.group_id == group_id, i.revoked.is_(False)))
        .where(i.uses_left > 0, i.expires_ms > wall_ms())
        .order_by(i.expires_ms, i.code_hash)
    )
    return [
        OpenInvite(r.code_hash, r.role, r.uses_left, r.expires_ms, r.created_by == "hub")
        for r in rows
    ]
