"""The op: one immutable, signed change, and the hash chain each device's ops form.

A signature covers the envelope, and the envelope holds the payload's hash rather than
the payload, so a payload can later be erased without breaking verification. A device's
ops in a group link to each other by hash: checking the newest signature of a run and
the links behind it proves the whole run, at the cost of one signature check.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.canonical import canonical_bytes, canonical_json
from app.codes import Code
from app.errors import InvalidOp
from app.ids import claims_author, is_authored_by

FORMAT = 1
_HEX_DIGITS = re.compile("[0-9a-f]*").fullmatch
MAX_INT = 2**63  # SQLite's integers are signed 64-bit


def _plain_name(value: str) -> bool:
    """Ids and names: at most 64 printable characters, nothing a database or JSON chokes on."""
    return 0 < len(value) <= 64 and value.isprintable() and value.isascii()


def is_hex(value: Any, length: int) -> bool:
    """A lower-case hex string of exactly ``length`` characters (keys, signatures)."""
    return isinstance(value, str) and len(value) == length and _HEX_DIGITS(value) is not None


# The envelope's reference encoding; orjson writes the same bytes for the fields an op
# may hold (printable ASCII names, hex, integers, null), faster: see ``envelope_bytes``.
ENVELOPE_JSON = json.JSONEncoder(separators=(",", ":")).encode


@dataclass(frozen=True, slots=True)
class Op:
    id: str
    group: str
    device: str  # the author's Ed25519 public key, hex: ops verify on their own
    seq: int
    prev: str | None  # hash of the same device's previous op in this group
    hlc: int
    kind: str
    entity: str
    action: str
    payload_hash: str
    sig: str
    payload: dict[str, Any] | None = field(default=None, compare=False)
    # Caches, filled on first use: the envelope hash and the payload's canonical JSON.
    # Not init fields, so dataclasses.replace() never carries a stale cache over.
    _hash: str | None = field(default=None, init=False, compare=False, repr=False)
    _payload_json: str | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def order(self) -> tuple[int, str]:
        """The total order every replica agrees on: clock stamp, then device."""
        return (self.hlc, self.device)

    def envelope_bytes(self) -> bytes:
        return envelope_bytes(
            self.id,
            self.group,
            self.device,
            self.seq,
            self.prev,
            self.hlc,
            self.kind,
            self.entity,
            self.action,
            self.payload_hash,
        )

    @property
    def hash(self) -> str:
        """What the author's next op links to: the envelope and its signature.

        Covering the signature too means no relay can swap it for another.
        """
        if self._hash is None:
            object.__setattr__(self, "_hash", op_hash(self.envelope_bytes(), self.sig))
        return self._hash  # type: ignore[return-value]

    @property
    def payload_json(self) -> str | None:
        """The payload as canonical JSON text (what its hash is taken over)."""
        if self._payload_json is None and self.payload is not None:
            object.__setattr__(self, "_payload_json", canonical_json(self.payload))
        return self._payload_json

    @property
    def fields(self) -> dict[str, Any]:
        return self.payload or {}

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "group": self.group,
            "device": self.device,
            "seq": self.seq,
            "prev": self.prev,
            "hlc": self.hlc,
            "kind": self.kind,
            "entity": self.entity,
            "action": self.action,
            "payload_hash": self.payload_hash,
            "sig": self.sig,
            "payload": self.payload,
        }


def envelope_bytes(
    op_id: str,
    group: str,
    device: str,
    seq: int,
    prev: str | None,
    hlc: int,
    kind: str,
    entity: str,
    action: str,
    payload_hash: str,
) -> bytes:
    """What an op's signature covers: its fields, as compact JSON.

    Every op is checked before its envelope is taken (``op_from_wire``: names are
    printable ASCII, keys and hashes hex, numbers within 64 bits), and for such fields
    orjson's bytes are ``ENVELOPE_JSON``'s; a bootstrap takes 100,000 envelopes.
    """
    return orjson.dumps(
        [FORMAT, op_id, group, device, seq, prev, hlc, kind, entity, action, payload_hash]
    )


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(payload)).hexdigest()


def _hash_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _signed_payload_text(op_id: str, payload: dict[str, Any], signed_hash: Any) -> str:
    """The payload's canonical JSON, if it hashes to what its author signed; else InvalidOp.

    orjson gives the same bytes as ``canonical_json`` for ordinary payloads at a fraction
    of the cost; its text is used only when it matches the signed hash, which proves it
    is the author's own, and the reference encoder decides every other case.
    """
    try:
        fast = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        fast = None
    if fast is not None and hashlib.sha256(fast).hexdigest() == signed_hash:
        return fast.decode()
    try:
        text = canonical_json(payload)
        text.encode()
    except (UnicodeEncodeError, ValueError, RecursionError):
        raise InvalidOp(f"op {op_id} payload is not valid text") from None
    if _hash_text(text) != signed_hash:
        raise InvalidOp(f"op {op_id} payload does not match its hash")
    return text


def op_hash(envelope: bytes, sig: str) -> str:
    return hashlib.sha256(envelope + b"." + sig.encode()).hexdigest()


def sign_op(
    key: Ed25519PrivateKey,
    *,
    op_id: str,
    group: str,
    device: str,
    seq: int,
    prev: str | None,
    hlc: int,
    kind: str,
    entity: str,
    action: str,
    payload: dict[str, Any],
) -> Op:
    text = canonical_json(payload)
    p_hash = _hash_text(text)
    env = envelope_bytes(op_id, group, device, seq, prev, hlc, kind, entity, action, p_hash)
    sig = key.sign(env).hex()
    op = Op(op_id, group, device, seq, prev, hlc, kind, entity, action, p_hash, sig, payload)
    object.__setattr__(op, "_hash", op_hash(env, sig))
    object.__setattr__(op, "_payload_json", text)
    return op


_WIRE_TYPES: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("id", str),
    ("group", str),
    ("device", str),
    ("seq", int),
    ("hlc", int),
    ("kind", str),
    ("entity", str),
    ("action", str),
    ("payload_hash", str),
    ("sig", str),
)


def op_from_wire(data: Any) -> Op:
    """Parse and check the shape of one op from untrusted JSON; raises InvalidOp."""
    if not isinstance(data, dict):
        raise InvalidOp("an op must be a JSON object")
    for name, typ in _WIRE_TYPES:
        value = data.get(name)
        if not isinstance(value, typ) or isinstance(value, bool):
            raise InvalidOp(f"op field {name!r} is missing or of the wrong type")
    for name in ("id", "group", "kind", "entity", "action"):
        if not _plain_name(data[name]):
            raise InvalidOp(f"op field {name!r} is not a short plain name")
    prev = data.get("prev")
    payload = data.get("payload")
    if prev is not None and not is_hex(prev, 64):
        raise InvalidOp("op field 'prev' must be an op hash or null")
    if payload is not None and not isinstance(payload, dict):
        raise InvalidOp("op field 'payload' must be an object or null")
    device, sig = data["device"], data["sig"]
    if not is_hex(device, 64):
        raise InvalidOp("op field 'device' is not a device key")
    if not is_hex(data["payload_hash"], 64):
        raise InvalidOp("op field 'payload_hash' is not a hash")
    if not is_hex(sig, 128):
        raise InvalidOp("op field 'sig' is not a signature")
    # Replicas look up an op's neighbours in its chain (seq + 1), so that must fit too.
    if not (0 < data["seq"] < MAX_INT - 1 and 0 < data["hlc"] < MAX_INT):
        raise InvalidOp("op sequence number or clock stamp out of range")
    if (data["seq"] == 1) != (prev is None):
        raise InvalidOp("op sequence number and previous-op link disagree")
    op_id = data["id"]
    # A group's founding op takes the group's id, which its merge rule binds to the founder.
    if claims_author(op_id) and op_id != data["group"] and not is_authored_by(op_id, device):
        raise InvalidOp(f"op {op_id} has an id its author's device did not make")
    text = (
        None if payload is None else _signed_payload_text(data["id"], payload, data["payload_hash"])
    )
    op = Op(
        data["id"],
        data["group"],
        device,
        data["seq"],
        prev,
        data["hlc"],
        data["kind"],
        data["entity"],
        data["action"],
        data["payload_hash"],
        sig,
        payload,
    )
    object.__setattr__(op, "_payload_json", text)
    return op


def verify_signature(op: Op) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(op.device)).verify(
            bytes.fromhex(op.sig), op.envelope_bytes()
        )
    except (InvalidSignature, ValueError):
        return False
    return True


ChainKey = tuple[str, str, int]  # (group, device, seq)
Known = dict[ChainKey, tuple[str, str | None, int]]  # -> (hash, prev, hlc) of ops held


def verify_runs(ops: Iterable[Op], known: Known) -> None:
    """Prove new ops authentic, checking one signature per run of linked ops.

    ``known`` holds the ops this replica already has next to the new ones, so a run
    that continues (or precedes) a stored chain is linked to it too. Raises InvalidOp
    naming the first op that is forged, altered, or does not fit its author's chain.
    """
    by_chain: dict[tuple[str, str], list[Op]] = {}
    for op in ops:
        by_chain.setdefault((op.group, op.device), []).append(op)
    for chain in by_chain.values():
        chain.sort(key=lambda o: o.seq)
        _verify_chain(chain, known)


def _verify_chain(chain: Sequence[Op], known: Known) -> None:
    hashes = [op.hash for op in chain]
    run_start = 0
    for i, op in enumerate(chain):
        key = (op.group, op.device, op.seq)
        held = known.get(key)
        if (held is not None and held[0] != hashes[i]) or (
            i > 0 and chain[i - 1].seq == op.seq and hashes[i - 1] != hashes[i]
        ):
            raise InvalidOp(
                f"device {op.device[:12]} wrote two different ops numbered {op.seq}",
                code=Code.BAD_CHAIN,
            )
        prev = chain[i - 1] if i > 0 and chain[i - 1].seq == op.seq - 1 else None
        if prev is not None:
            if op.prev != hashes[i - 1]:
                raise InvalidOp(
                    f"op {op.id} does not follow its author's previous op", code=Code.BAD_CHAIN
                )
            if op.hlc <= prev.hlc:
                raise InvalidOp(
                    f"op {op.id} is stamped earlier than its author's previous op",
                    code=Code.BAD_CHAIN,
                )
        elif op.prev is not None:
            before = known.get((op.group, op.device, op.seq - 1))
            if before is not None and before[0] != op.prev:
                raise InvalidOp(
                    f"op {op.id} does not follow its author's previous op", code=Code.BAD_CHAIN
                )
            if before is not None and op.hlc <= before[2]:
                raise InvalidOp(
                    f"op {op.id} is stamped earlier than its author's previous op",
                    code=Code.BAD_CHAIN,
                )
        after = known.get((op.group, op.device, op.seq + 1))
        if after is not None and after[1] != hashes[i]:
            raise InvalidOp(
                f"op {op.id} does not fit before its author's next op", code=Code.BAD_CHAIN
            )
        if after is not None and after[2] <= op.hlc:
            raise InvalidOp(
                f"op {op.id} is stamped later than its author's next op", code=Code.BAD_CHAIN
            )
        run_ends = i + 1 == len(chain) or chain[i + 1].seq != op.seq + 1
        if run_ends:
            # The newest op's signature covers its prev hash, which covers the op
            # before it, and so on back to the start of the run. An op already held
            # that links back to this one (checked above) proves the run the same way.
            if after is None and not verify_signature(op):
                _name_forgery(chain[run_start : i + 1])
            run_start = i + 1


def _name_forgery(run: Sequence[Op]) -> None:
    for op in run:
        if not verify_signature(op):
            raise InvalidOp(
                f"op {op.id} has a signature that does not verify", code=Code.BAD_SIGNATURE
            )
    raise InvalidOp(
        f"op {run[-1].id} has a signature that does not verify", code=Code.BAD_SIGNATURE
    )
