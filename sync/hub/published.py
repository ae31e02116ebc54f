"""The approved minutes a group's hub publishes, worked out from the group's log alone.

The hub keeps no live view of meetings: each time a page is asked for, it reads the
group's ``meeting`` ops (a few per meeting: create, updates, approval, signature) and
judges each as every laptop does, under its author's role at its own stamp, asked of
the registry exactly as for pushes. For each meeting the approval that stands is the
earliest by (stamp, device) that counts, whose record matches its content hash, whose
meeting and approving meeting were both called by someone who could, and whose
approving meeting is the later one (``app.kinds.meetings.meeting_approve``). What is
published is that approval's frozen record, never live rows, so a change made since
cannot alter it; the pages leave exempt (Part II) items out.

Agendas are published the same way: a summons (``meeting``/``summon``) carries the
public agenda as it stood when issued, and the latest summons that counts stands,
until the meeting's minutes are approved (a summons stamped after that is void, as on
laptops).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from app.kinds.meetings import record_hash
from app.meeting_view import Approval, MeetingView, Signature, from_record
from app.ops import Op, op_from_wire
from app.registry import REGISTRY
from app.roles import ROLE_RANK
from app.summons import summons_by
from app.timeline import Key
from sync.hub import tables as t
from sync.hub.roster import Roster, roster_for


@dataclass(frozen=True)
class GroupMinutes:
    """A group's approved minutes, newest meeting first."""

    group_id: str
    group_name: str
    minutes: tuple[MeetingView, ...]
    agendas: tuple[MeetingView, ...] = ()  # issued, of meetings not yet approved; soonest first


@dataclass
class _Meeting:
    """A meeting's create op and the updates that count: its fields, last writer wins."""

    create: Op
    updates: list[Op]

    def fields(self, before: Key | None = None) -> dict[str, Any]:
        """Its fields as of just before ``before`` (all of them if None)."""
        fields = dict(self.create.fields)
        for op in sorted(self.updates, key=lambda op: op.order):
            if before is not None and op.order >= before:
                break
            if op.order > self.create.order:  # an update stamped before the create loses
                fields.update(op.fields)
        return fields


@dataclass(frozen=True)
class _Approved:
    approve: Op
    sign: Op | None
    at_title: str
    at_starts: str


def group_minutes(conn: Connection, *, group_id: str) -> GroupMinutes | None:
    """Every approved meeting of the group, newest first; None if the hub has no such group."""
    found = _read(conn, group_id)
    if found is None:
        return None
    name, ops, names = found
    approved = _standing(ops)
    views = [_view(a, names) for a in approved]
    views.sort(key=lambda v: (v.starts_at, v.id), reverse=True)
    done = {a.approve.entity for a in approved}
    agendas = [v for v in _agendas(ops, name) if v.id not in done]
    agendas.sort(key=lambda v: (v.starts_at, v.id))
    return GroupMinutes(group_id, name, tuple(views), tuple(agendas))


def meeting_agenda(conn: Connection, *, group_id: str, meeting_id: str) -> MeetingView | None:
    """The agenda its latest summons published; None if there is none."""
    found = _read(conn, group_id)
    if found is None:
        return None
    name, ops, _names = found
    return next((v for v in _agendas(ops, name) if v.id == meeting_id), None)


def meeting_minutes(conn: Connection, *, group_id: str, meeting_id: str) -> MeetingView | None:
    """One meeting's approved minutes; None if there is no such group, meeting or approval."""
    found = _read(conn, group_id)
    if found is None:
        return None
    _name, ops, names = found
    for a in _standing(ops):
        if a.approve.entity == meeting_id:
            return _view(a, names)
    return None


def _read(conn: Connection, group_id: str) -> tuple[str, list[Op], dict[str, str]] | None:
    """The group's name, its meeting ops that count in order, and members' names."""
    # A shared lock on the group's row (FOR SHARE on PostgreSQL; SQLite's transactions
    # are whole-database already): no push commits between reading the roster's key and
    # its ops, as roster_for asks, and the meeting ops are read as of that same log.
    row = conn.execute(
        select(t.groups.c.name).where(t.groups.c.id == group_id).with_for_update(read=True)
    ).first()
    if row is None:
        return None
    roster = roster_for(conn, group_id)
    wires = conn.execute(
        select(t.ops.c.wire)
        .where(t.ops.c.group_id == group_id, t.ops.c.kind == "meeting")
        .order_by(t.ops.c.seq)
    )
    ops = [op for op in (op_from_wire(json.loads(w[0])) for w in wires) if op.payload is not None]
    return str(row[0]), counted(roster, ops), roster.names()


def counted(roster: Roster, ops: Iterable[Op]) -> list[Op]:
    """The ops whose authors may write them, in the group's total order."""
    return sorted(
        (
            op
            for op in ops
            if REGISTRY.refusal(ROLE_RANK[roster.role_at(op.device, op.order)], op) is None
        ),
        key=lambda op: op.order,
    )


def _meetings(ops: list[Op]) -> dict[str, _Meeting]:
    meetings: dict[str, _Meeting] = {}
    for op in ops:
        if op.action == "create" and op.entity not in meetings:
            meetings[op.entity] = _Meeting(op, [])
        elif op.action == "update" and op.entity in meetings:
            meetings[op.entity].updates.append(op)
    return meetings


def _approvals(ops: list[Op], meetings: dict[str, _Meeting]) -> dict[str, Op]:
    """Each meeting's approval that stands: the earliest that holds."""
    standing: dict[str, Op] = {}
    for op in (o for o in ops if o.action == "approve"):
        own, later = meetings.get(op.entity), meetings.get(op.fields["at"])
        if op.entity in standing or own is None or later is None:
            continue
        if record_hash(op.fields["record"]) != op.fields["content_hash"]:
            continue
        mine = own.fields(op.order)
        if mine.get("deleted") or later.fields(op.order)["starts_at"] <= mine["starts_at"]:
            continue
        standing[op.entity] = op
    return standing


def _agendas(ops: list[Op], group_name: str) -> list[MeetingView]:
    """The agenda of each meeting's latest summons that counts, as it was issued."""
    meetings = _meetings(ops)
    approved = _approvals(ops, meetings)
    latest: dict[str, Op] = {}
    for op in (o for o in ops if o.action == "summon"):  # in order: the latest stands
        meeting = meetings.get(op.entity)
        frozen = approved.get(op.entity)
        if meeting is None or (frozen is not None and frozen.order < op.order):
            continue
        if op.order > meeting.create.order:
            latest[op.entity] = op
    views = []
    for meeting_id, op in latest.items():
        if meetings[meeting_id].fields().get("deleted"):
            continue
        record: dict[str, Any] = json.loads(op.fields["agenda"])
        record["group_name"] = group_name
        views.append(
            from_record(
                record,
                actions={},
                summons_by=summons_by(date.fromisoformat(record["starts_at"][:10])).isoformat(),
                summons_sent=op.fields["issued_on"],
            )
        )
    return views


def _standing(ops: list[Op]) -> list[_Approved]:
    """Each meeting's approval that stands, with its signature and approving meeting."""
    meetings = _meetings(ops)
    signs = [op for op in ops if op.action == "sign"]
    standing = _approvals(ops, meetings)
    out = []
    for meeting_id, approve in standing.items():
        # Last writer wins, as laptops keep it, among signatures made after the approval.
        signed = [s for s in signs if s.entity == meeting_id and s.order > approve.order]
        at = approve.fields["at"]
        # The approving meeting as laptops show it: changes to it stop at its own approval.
        frozen = standing[at].order if at in standing else None
        at_fields = meetings[at].fields(frozen)
        sign = signed[-1] if signed else None
        out.append(_Approved(approve, sign, at_fields["title"], at_fields["starts_at"]))
    return out


def _view(a: _Approved, names: dict[str, str]) -> MeetingView:
    record: dict[str, Any] = json.loads(a.approve.fields["record"])
    # Names as the minutes knew them, else as the member gave it on joining.
    known = {**names, **{p["member"]: p["name"] for p in record.get("attendees", ())}}

    def name(device: str, fallback: str | None) -> str:
        return known.get(device) or fallback or device[:12]

    approval = Approval(
        at_meeting=a.approve.fields["at"],
        at_title=a.at_title,
        at_date=a.at_starts[:10],
        approved_by=name(a.approve.device, record.get("clerk")),
        device=a.approve.device,
        content_hash=a.approve.fields["content_hash"],
    )
    signature = None
    if a.sign is not None:
        signature = Signature(
            chair=name(a.sign.fields["chair"], record.get("chair")),
            signed_at=a.sign.fields["signed_at"],
            device=a.sign.device,
        )
    return from_record(
        record,
        actions={},  # the minutes print no action's state now
        summons_by=summons_by(date.fromisoformat(record["starts_at"][:10])).isoformat(),
        stage="approved" if signature is None else "signed",
        approval=approval,
        signature=signature,
    )
