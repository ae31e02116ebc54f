"""What each kind of op may carry: checked on every replica and on the hub alike.

A payload that breaks these rules is malformed wherever it arrives, whatever else the
replica holds, so rejecting it keeps merging order-independent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.errors import InvalidOp
from app.ops import MAX_INT, Op, is_hex
from app.personal import PERSONAL_OPS
from app.text_crdt import check_update

ROLES = ("member", "clerk", "organiser")
CONSENTS = ("nobody", "organisers", "members")  # who may see a member's contact details
ROLE_RANK = {"removed": 0, "member": 1, "clerk": 2, "organiser": 3}
FOLLOW_STATES = ("following", "muted", "none")
FOLLOW_TARGETS = ("discussion", "category")
MAX_TEXT = 100_000
MAX_TITLE = 300
MAX_OPTIONS = 20

Check = Callable[[Any], bool]


def _text(limit: int = MAX_TEXT) -> Check:
    return lambda v: isinstance(v, str) and len(v) <= limit


def _title(v: Any) -> bool:
    return isinstance(v, str) and len(v.strip()) > 0 and len(v) <= MAX_TITLE


def _bool(v: Any) -> bool:
    return isinstance(v, bool)


def _int(v: Any) -> bool:
    """A whole number SQLite can hold (signed 64-bit)."""
    return isinstance(v, int) and not isinstance(v, bool) and -MAX_INT < v < MAX_INT


def _opt_int(v: Any) -> bool:
    return v is None or _int(v)


def _role(v: Any) -> bool:
    return v in ROLES


def _role_or_removed(v: Any) -> bool:
    return v in ROLE_RANK


def _str_list(v: Any) -> bool:
    return isinstance(v, list) and len(v) <= 50 and all(_title(x) for x in v)


def _options(v: Any) -> bool:
    return isinstance(v, list) and 2 <= len(v) <= MAX_OPTIONS and all(_title(x) for x in v)


def _choices(v: Any) -> bool:
    return isinstance(v, list) and len(v) <= MAX_OPTIONS and all(_int(x) and x >= 0 for x in v)


def _hex(length: int) -> Check:
    return lambda v: is_hex(v, length)


def _id(v: Any) -> bool:
    return isinstance(v, str) and 0 < len(v) <= 64


def _opt_id(v: Any) -> bool:
    return v is None or _id(v)


def _oneof(*values: str) -> Check:
    return lambda v: v in values


# (kind, action) -> (required fields, optional fields), each field with its check.
Spec = tuple[dict[str, Check], dict[str, Check]]
GROUP_FIELDS: dict[str, Check] = {
    "name": _title,
    "description": _text(5000),
    "colour": _text(32),
    "emblem": _text(32),
}
SPECS: dict[tuple[str, str], Spec] = {
    ("group", "create"): (
        {"name": _title},
        {**GROUP_FIELDS, "display_name": _text(100), "seed": _hex(32)},
    ),
    ("group", "update"): ({}, GROUP_FIELDS),
    ("category", "create"): ({"name": _title}, {"position": _int}),
    ("category", "update"): ({}, {"name": _title, "position": _int, "deleted": _bool}),
    ("member", "set_role"): ({"role": _role_or_removed}, {"display_name": _text(100)}),
    ("member", "update"): (
        {},
        {"display_name": _text(100), "bio": _text(5000), "interests": _str_list},
    ),
    ("member", "contact"): ({"contact": _text(2000), "consent": _oneof(*CONSENTS)}, {}),
    ("member", "erase"): ({}, {}),
    ("invite", "create"): ({"role": _role, "invite_key": _hex(64), "expires_ms": _int}, {}),
    ("invite", "update"): ({}, {"revoked": _bool}),
    ("invite", "redeem"): ({"proof": _hex(128)}, {"display_name": _text(100)}),
    ("discussion", "create"): ({"title": _title, "category_id": _id}, {}),
    ("discussion", "update"): (
        {},
        {
            "title": _title,
            "category_id": _id,
            "pinned": _bool,
            "locked": _bool,
            "resolved": _bool,
            "deleted": _bool,
        },
    ),
    ("post", "create"): ({"discussion_id": _id, "body": _text()}, {"reply_to": _opt_id}),
    ("post", "update"): ({}, {"body": _text(), "deleted": _bool}),
    ("reaction", "set"): ({"emoji": _text(32), "present": _bool}, {}),
    ("poll", "create"): (
        {"discussion_id": _id, "question": _title, "options": _options, "multiple": _bool},
        {"closes_ms": _opt_int},
    ),
    ("vote", "set"): ({"choices": _choices}, {}),
    ("note", "create"): ({"title": _title, "update": _text(10 * MAX_TEXT)}, {}),
    ("note", "edit"): ({"update": _text(10 * MAX_TEXT)}, {}),
    ("note", "update"): ({}, {"title": _title, "deleted": _bool}),
    ("follow", "set"): (
        {"target_kind": _oneof(*FOLLOW_TARGETS), "state": _oneof(*FOLLOW_STATES)},
        {},
    ),
}


def validate(op: Op) -> None:
    """Raise InvalidOp if the op's kind, action or payload is not one Moot writes."""
    spec = SPECS.get((op.kind, op.action))
    if spec is None:
        raise InvalidOp(f"op {op.id}: unknown change {op.kind}.{op.action}")
    if not _id(op.entity) or not _id(op.group):
        raise InvalidOp(f"op {op.id}: malformed entity or group id")
    if op.action == "create" and op.entity != op.id:
        # An entity's id is the id of the op that made it, so no later op can claim
        # to create it again.
        raise InvalidOp(f"op {op.id}: a created entity takes the id of its op")
    if op.payload is None:
        if (op.kind, op.action) not in PERSONAL_OPS:
            # Only personal data is ever erased: anything else arriving without its
            # content was stripped on the way, and would cancel the real op.
            raise InvalidOp(f"op {op.id}: {op.kind}.{op.action} arrived without its content")
        return  # erased: the envelope still proves it was written
    required, optional = spec
    for name, check in required.items():
        if name not in op.payload or not check(op.payload[name]):
            raise InvalidOp(f"op {op.id}: {op.kind}.{op.action} needs a valid {name!r}")
    for name, value in op.payload.items():
        check_opt = required.get(name) or optional.get(name)
        if check_opt is None:
            raise InvalidOp(f"op {op.id}: {op.kind}.{op.action} does not take {name!r}")
        if not check_opt(value):
            raise InvalidOp(f"op {op.id}: {op.kind}.{op.action} has an invalid {name!r}")
    if op.kind == "note" and "update" in op.payload:
        check_update(op.payload["update"], op.device)
