"""What the hub does, as functions over a database connection (no HTTP here).

Groups reach the hub in two ways: the council founds one here (the hub's own key then
signs its first ops and is its first organiser), or an organiser connects a group
started offline with a registration code and uploads its history. Either way, the
hub's view of who may write follows the group's own log: each op is judged by its
author's role at the op's own stamp, by the app's merge rules (see sync.hub.roster),
so the hub keeps exactly what every laptop keeps.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.clock import DAY_MS, check_not_future, pack, wall_ms
from app.codes import Code, Refusal, refusal_code
from app.errors import ClockError, InvalidOp
from app.identity import DeviceIdentity
from app.ids import authored_id, new_group_id, typed_secret
from app.ops import Known, Op, is_hex, op_from_wire, sign_op, verify_runs
from app.registry import REGISTRY
from app.roles import ROLE_RANK, ROLES
from app.services.groups import DEFAULT_CATEGORIES
from sync.hub import tables as t
from sync.hub.erasure import erase_contact_payloads
from sync.hub.errors import Forbidden, Gone, HubRefusal, NotFoundOnHub, ProofUsed, Unauthorised
from sync.hub.roster import ID_TAKEN, Roster, is_membership, record_head, roster_for
from sync.proofs import (
    PROOF_WINDOW_MS,
    enrol_message,
    hub_address,
    join_message,
    register_message,
)
from sync.protocol import OpAnswer, OpStatus

WAIT_FOR_EARLIER = Refusal(Code.WAIT_FOR_EARLIER, "its author's earlier ops are not on the hub")
PAGE_BYTES = 16 * 1024 * 1024  # of ops per pull page, at most (one op larger goes alone)
MAX_VOID_KEPT = 100  # per member: ops kept though they do not count (see push)
SEEN_EVERY_MS = 60_000  # how often a laptop's last use of its token is written down
# Refusals that a later push may overturn: what they wait for can still arrive.
_RETRYABLE = frozenset({Code.WAIT_FOR_EARLIER, Code.NOT_MEMBER, Code.NOT_CLERK, Code.NOT_ORGANISER})


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- the log ---------------------------------------------------------------------


@dataclass(frozen=True)
class PushResult:
    id: str
    status: OpStatus
    seq: int | None = None
    reason: str | None = None
    code: Code | None = None
    retry: bool = False  # for a rejection: the same op may be accepted by a later push

    def answer(self) -> OpAnswer:
        return OpAnswer(
            id=self.id,
            status=self.status,
            seq=self.seq,
            code=self.code,
            reason=self.reason,
            retry=self.retry if self.status == "rejected" else None,
        )


def _rejected(
    op_id: str, reason: str, *, code: Code | None = None, retry: bool | None = None
) -> PushResult:
    code = code or refusal_code(reason)
    if retry is None:
        retry = code in _RETRYABLE or "(yet)" in reason
    return PushResult(op_id, "rejected", reason=str(reason), code=code, retry=retry)


def _append(conn: Connection, group_id: str, accepted: Sequence[Op]) -> list[int]:
    """Give ops the group's next sequence numbers and store them, in one transaction.

    The counter row is updated first: on PostgreSQL its row lock holds a concurrent
    pusher back until this transaction commits, so sequence numbers become visible in
    order and a reader paging by ``seq`` never skips one that commits late.
    """
    if not accepted:
        return []
    row = conn.execute(
        update(t.groups)
        .where(t.groups.c.id == group_id)
        .values(next_seq=t.groups.c.next_seq + len(accepted))
        .returning(t.groups.c.next_seq)
    ).first()
    if row is None:
        raise NotFoundOnHub(f"There is no group {group_id} on this hub.")
    first = row[0] - len(accepted)
    seqs = list(range(first, first + len(accepted)))
    rows = [
        (group_id, seq, op.id, op.device, op.seq, op.hlc, op.hash, op.prev, op.kind,
         op.action, op.entity, json.dumps(op.to_wire(), separators=(",", ":"), ensure_ascii=False))
        for seq, op in zip(seqs, accepted, strict=True)
    ]  # fmt: skip
    if conn.dialect.name == "postgresql":
        _copy_ops(conn, rows)
    else:
        conn.execute(insert(t.ops), [dict(zip(_OP_COLUMNS, row, strict=True)) for row in rows])
    return seqs


_OP_COLUMNS = ("group_id", "seq", "op_id", "device", "dev_seq", "hlc", "hash", "prev",
               "kind", "action", "entity", "wire")  # fmt: skip


def _copy_ops(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY: several times faster than an INSERT a row, in the same transaction."""
    import psycopg

    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    statement = f"COPY hub_ops ({', '.join(_OP_COLUMNS)}) FROM STDIN"
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.errors.IntegrityError as exc:
        # As an INSERT's would: another hub process took these ops first.
        raise IntegrityError(statement, None, exc) from None


def _role(conn: Connection, group_id: str, device: str) -> str:
    row = conn.execute(
        select(t.members.c.role).where(
            t.members.c.group_id == group_id, t.members.c.device == device
        )
    ).first()
    return str(row[0]) if row else "removed"


def _was_removed(conn: Connection, group_id: str, device: str) -> bool:
    """Whether the device was a member and was taken out (not merely never admitted)."""
    row = conn.execute(
        select(t.members.c.role).where(
            t.members.c.group_id == group_id, t.members.c.device == device
        )
    ).first()
    return row is not None and row[0] == "removed"


def _set_role(conn: Connection, group_id: str, device: str, role: str) -> None:
    updated = conn.execute(
        update(t.members)
        .where(t.members.c.group_id == group_id, t.members.c.device == device)
        .values(role=role)
    ).rowcount
    if not updated:
        conn.execute(insert(t.members).values(group_id=group_id, device=device, role=role))
    if role == "removed":  # it stops syncing at once
        conn.execute(
            update(t.devices)
            .where(t.devices.c.group_id == group_id, t.devices.c.device == device)
            .values(revoked=True)
        )


def lock_group(conn: Connection, group_id: str) -> None:
    """Hold the group's row until commit: pushes and the hub's own writes take turns.

    The group's log grows one transaction at a time anyway (its sequence is one
    counter); taking the lock first means a retried push sees what the first one
    committed, rather than racing it into a unique-key clash.
    """
    found = conn.execute(
        select(t.groups.c.id).where(t.groups.c.id == group_id).with_for_update()
    ).first()
    if found is None:
        raise NotFoundOnHub(f"There is no group {group_id} on this hub.")


def write_as_hub(
    conn: Connection,
    hub: DeviceIdentity,
    group_id: str,
    kind: str,
    entity: str,
    action: str,
    payload: dict[str, Any],
    *,
    op_id: str | None = None,
    refusal: str = "The hub may no longer write in this group",
) -> Op:
    """Sign and append an op of the hub's own, judged as any pushed op would be."""
    lock_group(conn, group_id)  # the hub's chain head is read under the lock
    last = conn.execute(
        select(t.ops.c.dev_seq, t.ops.c.hash, t.ops.c.hlc)
        .where(t.ops.c.group_id == group_id, t.ops.c.device == hub.device_id)
        .order_by(t.ops.c.dev_seq.desc())
        .limit(1)
    ).first()
    newest = conn.execute(
        select(t.ops.c.hlc)
        .where(t.ops.c.group_id == group_id)
        .order_by(t.ops.c.seq.desc())
        .limit(1)
    ).scalar()
    # After the newest op in the log and the hub's own last: its chain only moves forward.
    hlc = max(pack(wall_ms()), (newest or 0) + 1, (last[2] + 1) if last else 0)
    if action == "create":
        op_id = entity
    op = sign_op(
        hub.key,
        op_id=op_id or authored_id(hub.device_id),
        group=group_id,
        device=hub.device_id,
        seq=last[0] + 1 if last else 1,
        prev=last[1] if last else None,
        hlc=hlc,
        kind=kind,
        entity=entity,
        action=action,
        payload=payload,
    )
    roster = roster_for(conn, group_id)
    if is_membership(op):
        roster = roster.copy()
        reason = roster.judge(op)
    else:
        reason = _may_write(roster, op)
    if reason:
        raise Forbidden(
            f"{refusal}: {reason} (the hub is {roster.current(hub.device_id)} there).",
            code=refusal_code(reason),
        )
    [seq] = _append(conn, group_id, [op])
    if is_membership(op):
        _membership_changed(conn, roster, seq, op.id)
    return op


def _membership_changed(conn: Connection, roster: Roster, seq: int, op_id: str) -> None:
    """Record the log's newest membership op and bring the roles cache in step with it.

    Devices the log never mentions keep their row: a laptop that registered a group
    uploads its history under the organiser role it was given until that arrives.
    """
    record_head(conn, roster, seq, op_id)
    held = {
        r.device: r.role
        for r in conn.execute(
            select(t.members.c.device, t.members.c.role).where(
                t.members.c.group_id == roster.group_id
            )
        )
    }
    for device, role in roster.roles().items():
        if held.get(device) != role:
            _set_role(conn, roster.group_id, device, role)


# --- groups, invitations and enrolment ------------------------------------------------


def create_group(conn: Connection, *, name: str, hub: DeviceIdentity) -> str:
    """Found a group on the hub: its first ops are signed by the hub's key."""
    if not name.strip():
        raise HubRefusal("A group needs a name.", code=Code.INVALID_INPUT)
    group_id, seed = new_group_id(hub.device_id)
    conn.execute(insert(t.groups).values(id=group_id, name=name.strip(), created_ms=wall_ms()))
    write_as_hub(
        conn,
        hub,
        group_id,
        "group",
        group_id,
        "create",
        {"name": name.strip(), "display_name": "Council hub", "seed": seed},
        op_id=group_id,
    )
    for position, category in enumerate(DEFAULT_CATEGORIES):
        write_as_hub(
            conn,
            hub,
            group_id,
            "category",
            authored_id(hub.device_id),
            "create",
            {"name": category, "position": position},
        )
    return group_id


def make_invite(
    conn: Connection, *, group_id: str, role: str, uses: int, days: int, created_by: str
) -> str:
    """An invitation code for the hub: each use admits one device with ``role``."""
    if role not in ROLES:
        raise HubRefusal(
            f"Unknown role {role!r}; use one of: {', '.join(ROLES)}.", code=Code.INVALID_INPUT
        )
    if not 1 <= uses <= 1000 or not 1 <= days <= 365:
        raise HubRefusal(
            "An invitation takes 1 to 1000 uses and lasts 1 to 365 days.", code=Code.INVALID_INPUT
        )
    require_group(conn, group_id)
    code = typed_secret(18)
    conn.execute(
        insert(t.invites).values(
            code_hash=_hash(code),
            group_id=group_id,
            role=role,
            uses_left=uses,
            expires_ms=wall_ms() + days * DAY_MS,
            created_by=created_by,
        )
    )
    return code


def revoke_invite(conn: Connection, *, code: str) -> str:
    """Stop an invitation code working; returns its group's id."""
    row = conn.execute(
        update(t.invites)
        .where(t.invites.c.code_hash == _hash(code))
        .values(revoked=True)
        .returning(t.invites.c.group_id)
    ).first()
    if row is None:
        raise NotFoundOnHub(
            "That invitation code is not known to this hub.", code=Code.BAD_INVITATION
        )
    return str(row[0])


def revoke_invite_hash(conn: Connection, *, group_id: str, code_hash: str) -> None:
    """Stop one of the group's invitations working, named by the hash the hub keeps
    (the officers' pages list invitations so: the code itself was shown only once).
    """
    revoked = conn.execute(
        update(t.invites)
        .where(t.invites.c.code_hash == code_hash, t.invites.c.group_id == group_id)
        .values(revoked=True)
    ).rowcount
    if not revoked:
        raise NotFoundOnHub("That invitation is not one of this group's.", code=Code.BAD_INVITATION)


def require_group(conn: Connection, group_id: str) -> str:
    """The group's name; NotFoundOnHub if the hub has no such group."""
    row = conn.execute(select(t.groups.c.name).where(t.groups.c.id == group_id)).first()
    if row is None:
        raise NotFoundOnHub(f"There is no group {group_id} on this hub.")
    return str(row[0])


def _check_device_proof(
    conn: Connection, device: str, proof: str, message: str, *, stamp_ms: int, what: str
) -> None:
    """That ``device`` signed ``message`` (which names this hub) a few minutes ago, and
    has not shown the hub this proof before: one captured on its way opens nothing.
    """
    if abs(wall_ms() - stamp_ms) > PROOF_WINDOW_MS:
        minutes = PROOF_WINDOW_MS // 60_000
        raise ClockError(
            f"the {what} request's time is more than {minutes} minutes off the hub's",
            code=Code.CLOCK_OFF,
        )
    if not is_hex(device, 64) or not is_hex(proof, 128):
        raise HubRefusal("The device key or its proof is malformed.")
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(device)).verify(
            bytes.fromhex(proof), message.encode()
        )
    except (InvalidSignature, ValueError):
        raise Forbidden(
            "This laptop could not prove it holds its device key.", code=Code.BAD_SIGNATURE
        ) from None
    _spend_proof(conn, hashlib.sha256(f"{device}\n{message}".encode()).hexdigest(), stamp_ms)


# Proofs are kept this long past their stamp: the window and as much again, so that
# hub processes whose clocks differ a little (several behind one PostgreSQL) never
# forget a proof another could still take.
USED_PROOFS_KEPT_MS = 2 * PROOF_WINDOW_MS


def _spend_proof(conn: Connection, proof_hash: str, stamp_ms: int) -> None:
    """Record a device proof as taken; ProofUsed if it was taken before.

    Keyed by what the device signed rather than by the signature's bytes, so no other
    signature of the same message could pass either. The primary key decides between
    two requests racing with one proof: the second waits for the first to commit
    (PostgreSQL) or for its turn (SQLite), then finds the row. A refusal later in the
    request rolls the row back with everything else, so the proof was not spent.
    """
    try:
        with conn.begin_nested():  # a savepoint: the clash leaves the transaction usable
            conn.execute(insert(t.used_proofs).values(proof_hash=proof_hash, stamp_ms=stamp_ms))
    except IntegrityError:
        raise ProofUsed("That proof of this laptop's key was used already; try again.") from None
    # Long past the clock check, on any hub process: no need to keep them.
    conn.execute(
        t.used_proofs.delete().where(t.used_proofs.c.stamp_ms < wall_ms() - USED_PROOFS_KEPT_MS)
    )


def _proof_address(claimed: str, public_urls: Sequence[str]) -> str:
    """The hub address a device proof names, in the spelling laptops sign, if this hub
    is at it. A hub not told its public addresses takes any; it cannot tell its own.
    """
    try:
        address = hub_address(claimed)
    except ValueError:
        raise HubRefusal("The hub address in the request is not an http(s) address.") from None
    if public_urls and address not in public_urls:
        raise Forbidden(
            f"This hub is reached at {public_urls[0]}, not at {address}; connect to it there.",
            code=Code.WRONG_HUB,
        )
    return address


def _issue_token(conn: Connection, group_id: str, device: str) -> str:
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(t.devices).values(
            token_hash=_hash(token),
            group_id=group_id,
            device=device,
            created_ms=wall_ms(),
        )
    )
    return token


def join(
    conn: Connection,
    *,
    code: str,
    device: str,
    proof: str,
    stamp_ms: int,
    name: str,
    hub: DeviceIdentity,
    hub_url: str,
    public_urls: Sequence[str] = (),
) -> dict[str, str]:
    """Redeem an invitation code: admit the device in the group's log, issue a token."""
    address = _proof_address(hub_url, public_urls)
    message = join_message(hub.device_id, address, code, stamp_ms)
    _check_device_proof(conn, device, proof, message, stamp_ms=stamp_ms, what="join")
    row = conn.execute(
        select(t.invites).where(t.invites.c.code_hash == _hash(code)).with_for_update()
    ).first()
    if row is None:
        raise Forbidden(
            "That invitation code is not known to this hub; check it was typed in full.",
            code=Code.BAD_INVITATION,
        )
    if _was_removed(conn, row.group_id, device):
        # No code brings back a laptop the group took out, the one it joined with
        # included: only an organiser's admission in the group's log does.
        raise Forbidden(
            "This laptop was removed from the group; an invitation cannot bring it back."
            " An organiser can admit it again.",
            code=Code.REMOVED,
        )
    used_before = conn.execute(
        select(t.invite_uses.c.device).where(
            t.invite_uses.c.code_hash == row.code_hash, t.invite_uses.c.device == device
        )
    ).first()
    if used_before is not None:
        # The same laptop again (its first answer was lost): a new token, no new use.
        token = _issue_token(conn, row.group_id, device)
        return {"group_id": row.group_id, "token": token, "role": _role(conn, row.group_id, device)}
    if row.revoked or row.uses_left < 1 or row.expires_ms < wall_ms():
        what = "revoked" if row.revoked else "used up" if row.uses_left < 1 else "expired"
        raise Gone(f"That invitation has been {what}; ask the organiser for a new one.")
    if ROLE_RANK[_role(conn, row.group_id, device)] < ROLE_RANK[row.role]:
        payload: dict[str, Any] = {"role": row.role}
        if name.strip():
            payload["display_name"] = name.strip()[:100]
        if is_hex(row.created_by, 64):  # an organiser's invitation, not the council's
            # Which invitation, by a stem of its hash: the group counts who joined by
            # each, and the code itself never enters the log.
            payload |= {"invited_by": row.created_by, "invitation": row.code_hash[:12]}
        write_as_hub(
            conn,
            hub,
            row.group_id,
            "member",
            device,
            "set_role",
            payload,
            refusal="The hub can no longer admit members to this group",
        )
    conn.execute(
        update(t.invites)
        .where(t.invites.c.code_hash == row.code_hash)
        .values(uses_left=t.invites.c.uses_left - 1)
    )
    conn.execute(insert(t.invite_uses).values(code_hash=row.code_hash, device=device))
    token = _issue_token(conn, row.group_id, device)
    return {"group_id": row.group_id, "token": token, "role": _role(conn, row.group_id, device)}


def enrol(
    conn: Connection,
    *,
    group_id: str,
    device: str,
    proof: str,
    stamp_ms: int,
    hub: DeviceIdentity,
    hub_url: str,
    public_urls: Sequence[str] = (),
) -> str:
    """A device admitted in the log (say, offline) gets a token by proving its key."""
    require_group(conn, group_id)
    address = _proof_address(hub_url, public_urls)
    message = enrol_message(hub.device_id, address, group_id, stamp_ms)
    _check_device_proof(conn, device, proof, message, stamp_ms=stamp_ms, what="enrolment")
    if _role(conn, group_id, device) == "removed":
        raise Forbidden("This laptop is not a member of that group on the hub.", code=Code.REMOVED)
    return _issue_token(conn, group_id, device)


def authenticate(conn: Connection, *, token: str | None, group_id: str) -> str:
    """The device a bearer token stands for, if it may use this group now."""
    if not token:
        raise Unauthorised("This request needs the laptop's hub token; join the group first.")
    devices = t.devices.c
    row = conn.execute(
        select(devices.group_id, devices.device, devices.revoked, devices.last_seen_ms).where(
            devices.token_hash == _hash(token)
        )
    ).first()
    if row is None:
        raise Unauthorised("The hub does not know this laptop's token; join the group again.")
    if row.group_id != group_id:
        raise Forbidden("This laptop is not enrolled in that group.")
    if row.revoked or _role(conn, group_id, row.device) == "removed":
        raise Forbidden("This laptop has been removed from the group.", code=Code.REMOVED)
    now = wall_ms()
    if row.last_seen_ms is None or now - row.last_seen_ms >= SEEN_EVERY_MS:
        # A group's "last sync" for the officers' pages; written at most once a minute,
        # so a laptop syncing in a loop does not write a row at every request. (On
        # PostgreSQL, a push by a laptop being removed that very moment can meet the
        # removal in a deadlock: one of the two is answered "busy" and sent again.)
        conn.execute(
            update(t.devices).where(devices.token_hash == _hash(token)).values(last_seen_ms=now)
        )
    return str(row.device)


def require_organiser(conn: Connection, *, group_id: str, device: str) -> None:
    # An invitation on the hub admits members as one in the log would.
    refusal = REGISTRY.refusal_to(ROLE_RANK[_role(conn, group_id, device)], "invite", "create")
    if refusal is not None:
        raise Forbidden(f"The hub makes invitations for this group: {refusal}.", code=refusal.code)


def registration_code(conn: Connection) -> str:
    code = typed_secret(18)
    conn.execute(insert(t.registration_codes).values(code_hash=_hash(code), created_ms=wall_ms()))
    return code


def register(
    conn: Connection,
    *,
    code: str,
    group_id: str,
    name: str,
    device: str,
    proof: str,
    stamp_ms: int,
    hub: DeviceIdentity,
    hub_url: str,
    membership: list[Any],
    public_urls: Sequence[str] = (),
) -> str:
    """Connect a group started offline: the hub takes its history from ``device``.

    ``membership`` is the group's membership ops (``app.apply.read_membership``): they
    must show ``device`` as an organiser, so a member cannot take the group to a hub
    its organisers did not choose.
    """
    address = _proof_address(hub_url, public_urls)
    message = register_message(hub.device_id, address, group_id, code, stamp_ms)
    _check_device_proof(conn, device, proof, message, stamp_ms=stamp_ms, what="registration")
    row = conn.execute(
        select(t.registration_codes)
        .where(t.registration_codes.c.code_hash == _hash(code))
        .with_for_update()
    ).first()
    if row is None:
        raise Forbidden(
            "That registration code is not known to this hub.", code=Code.BAD_INVITATION
        )
    if row.used_by is not None:
        if (row.used_by, row.device) == (group_id, device):
            # The same laptop again (its first answer was lost): a new token.
            return _issue_token(conn, group_id, device)
        raise Gone("That registration code has been used; ask the council for a new one.")
    if conn.execute(select(t.groups.c.id).where(t.groups.c.id == group_id)).first():
        raise HubRefusal("That group is on this hub already.", code=Code.GROUP_EXISTS)
    _require_organiser_in(membership, group_id, device)
    codes = t.registration_codes
    conn.execute(
        update(codes)
        .where(codes.c.code_hash == row.code_hash)
        .values(used_by=group_id, device=device)
    )
    conn.execute(
        insert(t.groups).values(id=group_id, name=name.strip() or group_id, created_ms=wall_ms())
    )
    # Until its history arrives, the registering laptop may upload it.
    _set_role(conn, group_id, device, "organiser")
    return _issue_token(conn, group_id, device)


def _require_organiser_in(wire_ops: list[Any], group_id: str, device: str) -> None:
    """Refuse unless these signed membership ops of the group make ``device`` an organiser."""
    try:
        ops = [op_from_wire(wire) for wire in wire_ops]
        for op in ops:
            REGISTRY.validate(op)
            if op.group != group_id or not is_membership(op):
                raise InvalidOp(f"op {op.id} is not one of the group's membership ops")
        verify_runs(ops, {})
    except InvalidOp as exc:
        raise HubRefusal(f"The group's membership history sent is not valid: {exc}.") from None
    founding = [op for op in ops if (op.kind, op.action) == ("group", "create")]
    if not any(op.id == group_id and op.fields.get("seed") for op in founding):
        # Without a seed the id is not bound to the founder: anyone could found a
        # rival group under it and claim it here first.
        raise HubRefusal(
            "This group was started with an older Moot and cannot be connected to a hub; "
            "ask the council to create it on the hub instead."
        )
    roster = Roster.empty(group_id)
    roster.load(ops)
    # Connecting the group admits the hub to it, with the role its invitations need.
    rank = ROLE_RANK[roster.current(device)]
    refusal = REGISTRY.refusal_to(rank, "member", "set_role")
    if refusal is not None:
        raise Forbidden(
            f"The group's history does not show this laptop may connect it to a hub: {refusal}.",
            code=refusal.code,
        )


# --- push and pull ------------------------------------------------------------------


def push(
    conn: Connection, *, group_id: str, wire_ops: list[Any], hub: DeviceIdentity | None = None
) -> list[PushResult]:
    """Take ops into the group's log; answer per op: accepted, duplicate or rejected.

    With the hub's key, a consultation response that counts is receipted in the same
    transaction (``sync.hub.consultation_receipts``); without it (pushes made in process
    by tests and benchmarks), none is.
    """
    lock_group(conn, group_id)
    now = wall_ms()
    results: dict[int, PushResult] = {}
    parsed: list[tuple[int, Op]] = []
    seen: set[str] = set()
    for i, wire in enumerate(wire_ops):
        op_id = wire.get("id") if isinstance(wire, dict) else None
        if not isinstance(op_id, str) or not op_id.isascii() or not op_id.isprintable():
            op_id = "?"
        op_id = op_id[:64]
        try:
            op = op_from_wire(wire)
            REGISTRY.validate(op)
            if op.group != group_id:
                raise InvalidOp("the op belongs to another group")
            check_not_future(op.hlc, now)
        except InvalidOp as exc:
            results[i] = _rejected(op_id, str(exc), code=exc.code, retry=False)
            continue
        except ClockError as exc:  # the hub's clock catches up with it
            results[i] = _rejected(op_id, str(exc), code=Code.CLOCK_AHEAD, retry=True)
            continue
        if op.id in seen:
            results[i] = _rejected(
                op.id, "the op is in this push twice", code=Code.MALFORMED, retry=False
            )
            continue
        seen.add(op.id)
        parsed.append((i, op))

    held = _held(conn, group_id, [op.id for _, op in parsed])
    fresh: list[tuple[int, Op]] = []
    clashes: set[int] = set()
    for i, op in parsed:
        if op.id in held:
            seq, op_hash = held[op.id]
            if op_hash == op.hash:
                results[i] = PushResult(op.id, "duplicate", seq=seq)
                continue
            clashes.add(i)  # refused below, once it is proved its author's
        fresh.append((i, op))

    accepted: list[tuple[int, Op]] = []
    for chain in _by_chain(fresh).values():
        known = _known(conn, group_id, chain)
        try:
            verify_runs([op for _, op in chain], known)
        except InvalidOp as exc:
            for i, op in chain:
                results[i] = _rejected(op.id, str(exc), code=exc.code, retry=False)
            continue
        accepted.extend(_contiguous(chain, known, results))

    # In the total order, as every laptop applies them: a membership op changes the
    # roles that the ops after it in this push are judged by.
    accepted.sort(key=lambda item: item[1].order)
    roster = roster_for(conn, group_id)
    if any(is_membership(op) for _, op in accepted):
        roster = roster.copy()  # the cached one stays as the log is until this commits
    admitted: list[tuple[int, Op]] = []
    refused: list[Op] = []
    submits: list[Op] = []  # consultation responses that count: receipted below
    void = _VoidKept(conn, group_id)
    for i, op in accepted:
        # A member's op that does not count (say, written offline after being demoted)
        # is kept all the same, as laptops keep it, waiting: refused, it would hold back
        # every later op of its author, which needs it as the link before it. Up to a
        # limit: each replica tries its waiting ops again at every change.
        member = roster.current(op.device) != "removed"
        reason: str | None
        if i in clashes:
            reason, keep = ID_TAKEN, False
        elif is_membership(op):
            keep = member and void.room(op.device)
            reason = roster.judge(op, keep_waiting=keep)
        else:
            reason = _may_write(roster, op)
            keep = bool(reason) and member and void.room(op.device)
        if reason and not keep:
            results[i] = _rejected(op.id, reason)
            if not results[i].retry:
                refused.append(op)
        else:
            if reason:
                void.count(op.device)
            elif (op.kind, op.action) == ("consultation", "submit"):
                submits.append(op)
            admitted.append((i, op))
    seqs = _append(conn, group_id, [op for _, op in admitted])
    void.save()
    _link_refused(conn, group_id, refused)
    newest: tuple[int, str] | None = None
    for (i, op), seq in zip(admitted, seqs, strict=True):
        results[i] = PushResult(op.id, "accepted", seq=seq)
        if is_membership(op):
            newest = (seq, op.id)
    if newest is not None:
        _membership_changed(conn, roster, *newest)
    if hub is not None and submits:
        # Imported here: the receipts are written through this module's write_as_hub.
        from sync.hub.consultation_receipts import acknowledge

        acknowledge(conn, hub, group_id, submits)
    personal = {op.entity for _, op in admitted if (op.kind, op.action) in REGISTRY.erasing}
    if personal:
        erase_contact_payloads(conn, group_id, personal)
    return [results[i] for i in range(len(wire_ops))]


class _VoidKept:
    """How many ops that do not count the hub keeps of each member, read as needed."""

    def __init__(self, conn: Connection, group_id: str) -> None:
        self.conn, self.group_id = conn, group_id
        self.counts: dict[str, int] = {}
        self.changed: set[str] = set()

    def _where(self, device: str) -> Any:
        return and_(t.members.c.group_id == self.group_id, t.members.c.device == device)

    def room(self, device: str) -> bool:
        if device not in self.counts:
            found = self.conn.execute(select(t.members.c.void_kept).where(self._where(device)))
            self.counts[device] = int(found.scalar() or 0)
        return self.counts[device] < MAX_VOID_KEPT

    def count(self, device: str) -> None:
        self.counts[device] += 1
        self.changed.add(device)

    def save(self) -> None:
        for device in self.changed:
            self.conn.execute(
                update(t.members).where(self._where(device)).values(void_kept=self.counts[device])
            )


def _held(conn: Connection, group_id: str, op_ids: list[str]) -> dict[str, tuple[int, str]]:
    """(seq, hash) of the group's ops with these ids: an id is its group's, not the hub's."""
    held: dict[str, tuple[int, str]] = {}
    for start in range(0, len(op_ids), 500):
        chunk = op_ids[start : start + 500]
        rows = conn.execute(
            select(t.ops.c.op_id, t.ops.c.seq, t.ops.c.hash).where(
                t.ops.c.group_id == group_id, t.ops.c.op_id.in_(chunk)
            )
        )
        held.update({r.op_id: (r.seq, r.hash) for r in rows})
    return held


def _by_chain(ops: list[tuple[int, Op]]) -> dict[str, list[tuple[int, Op]]]:
    chains: dict[str, list[tuple[int, Op]]] = {}
    for i, op in ops:
        chains.setdefault(op.device, []).append((i, op))
    for chain in chains.values():
        chain.sort(key=lambda item: item[1].seq)
    return chains


KNOWN_GAP = 50  # numbers apart at which an author's ops are read in two ranges, not one


def _known(conn: Connection, group_id: str, chain: list[tuple[int, Op]]) -> Known:
    device = chain[0][1].device
    # The op's own number too: one held under it already is a fork, refused per op.
    seqs = sorted({s for _, op in chain for s in (op.seq - 1, op.seq, op.seq + 1)})
    # An author's ops come in runs, so each run is one range read: the same statement
    # every time, where a list of numbers is a new one to compile at every push (on
    # PostgreSQL, 40,000 ops pushed in process: 4.2-5.5 s with lists, 2.9-3.5 s so).
    ranges = [[seqs[0], seqs[0]]]
    for seq in seqs[1:]:
        if seq - ranges[-1][1] > KNOWN_GAP:
            ranges.append([seq, seq])
        else:
            ranges[-1][1] = seq
    known: Known = {}
    for low, high in ranges:
        rows = conn.execute(
            select(t.ops.c.dev_seq, t.ops.c.hash, t.ops.c.prev, t.ops.c.hlc).where(
                t.ops.c.group_id == group_id,
                t.ops.c.device == device,
                t.ops.c.dev_seq.between(low, high),
            )
        )
        for r in rows:  # the ops between are held too: knowing them changes nothing
            known[(group_id, device, r.dev_seq)] = (r.hash, r.prev, r.hlc)
    links = t.refused_links.c
    link = conn.execute(
        select(links.dev_seq, links.hash, links.prev, links.hlc).where(
            links.group_id == group_id, links.device == device
        )
    ).first()
    if link is not None:
        known.setdefault((group_id, device, link.dev_seq), (link.hash, link.prev, link.hlc))
    return known


def _link_refused(conn: Connection, group_id: str, refused: Sequence[Op]) -> None:
    """Keep each author's newest op refused for good, so the ops after it still link.

    Only ops proved their author's (their chain verified) and refused for what they
    say are linked through; the op itself is never served. Without the link, every
    later op of its author would wait for it for ever.
    """
    newest: dict[str, Op] = {}
    for op in refused:
        if op.device not in newest or op.seq > newest[op.device].seq:
            newest[op.device] = op
    links = t.refused_links
    for device, op in newest.items():
        where = (links.c.group_id == group_id, links.c.device == device)
        held = conn.execute(select(links.c.dev_seq).where(*where)).scalar()
        if held is not None and held >= op.seq:
            continue
        conn.execute(links.delete().where(*where))
        conn.execute(
            links.insert().values(
                group_id=group_id,
                device=device,
                dev_seq=op.seq,
                hash=op.hash,
                prev=op.prev,
                hlc=op.hlc,
            )
        )


def _contiguous(
    chain: list[tuple[int, Op]], known: Known, results: dict[int, PushResult]
) -> list[tuple[int, Op]]:
    """The ops whose author's earlier op is held or comes before them in this push."""
    out: list[tuple[int, Op]] = []
    have_prev = True
    for i, op in chain:
        have_prev = (
            op.seq == 1
            or (op.group, op.device, op.seq - 1) in known
            or (bool(out) and out[-1][1].seq == op.seq - 1 and have_prev)
        )
        if have_prev:
            out.append((i, op))
        else:
            results[i] = _rejected(op.id, WAIT_FOR_EARLIER, retry=True)
    return out


def _may_write(roster: Roster, op: Op) -> str | None:
    """Why the hub refuses an op that is not about membership (None: it may be written).

    Judged by its author's role at the op's own stamp, as laptops judge it: words a
    member wrote before being removed stay, whoever relays them and whenever.
    """
    return REGISTRY.refusal(ROLE_RANK[roster.role_at(op.device, op.order)], op)


def pull(
    conn: Connection, *, group_id: str, after: int, limit: int, max_bytes: int = PAGE_BYTES
) -> bytes:
    """Ops with sequence numbers after ``after``, oldest first, and the log's head: the
    JSON body of a pull, ``{"ops": [{"seq": …, "op": …}, …], "head": …}``.

    Each op is stored as the exact JSON it is sent as, so the page is spliced from
    that text rather than parsed and encoded again: a bootstrap reads the whole log.
    A page ends before ``max_bytes`` of ops (it holds one op at least), so a log of
    papers comes in pages a laptop can hold; the laptop pulls on to the head.
    """
    require_group(conn, group_id)
    query = (
        select(t.ops.c.seq, t.ops.c.wire)
        .where(t.ops.c.group_id == group_id, t.ops.c.seq > after)
        .order_by(t.ops.c.seq)
        .limit(limit)
    )
    entries: list[bytes] = []
    size = 0
    # Rows read a few at a time (on PostgreSQL, from a server-side cursor), so a page
    # cut short by its size never loads the rows after it.
    with conn.execute(query, execution_options={"yield_per": 200}) as rows:
        for r in rows:
            entry = f'{{"seq":{int(r.seq)},"op":{r.wire}}}'.encode()
            size += len(entry) + 1
            if size > max_bytes and entries:
                break
            entries.append(entry)
    return b'{"ops":[%b],"head":%d}' % (b",".join(entries), head(conn, group_id))


def head(conn: Connection, group_id: str) -> int:
    """The sequence number of the group's newest op (0 for none)."""
    next_seq = conn.execute(select(t.groups.c.next_seq).where(t.groups.c.id == group_id))
    return int(next_seq.scalar_one()) - 1
