"""Ops prove their author and their place in the author's chain."""

from __future__ import annotations

import dataclasses
import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.canonical import canonical_json
from app.clock import pack
from app.errors import InvalidOp
from app.identity import DeviceIdentity
from app.ids import authored_id, is_authored_by
from app.ops import (
    ENVELOPE_JSON,
    FORMAT,
    MAX_INT,
    Op,
    envelope_bytes,
    op_from_wire,
    sign_op,
    verify_runs,
    verify_signature,
)

GROUP = "01a20000-0000-7000-8000-000000000000"


def chain(
    identity: DeviceIdentity, n: int, *, start_hlc: int = pack(1_700_000_000_000)
) -> list[Op]:
    ops: list[Op] = []
    prev = None
    for i in range(n):
        op = sign_op(
            identity.key,
            op_id=f"op-{identity.device_id[:6]}-{i}",
            group=GROUP,
            device=identity.device_id,
            seq=i + 1,
            prev=prev,
            hlc=start_hlc + i,
            kind="post",
            entity=f"p{i}",
            action="update",
            payload={"body": f"text {i}"},
        )
        ops.append(op)
        prev = op.hash
    return ops


def test_a_signed_op_verifies_and_survives_the_wire() -> None:
    op = chain(DeviceIdentity.generate(), 1)[0]
    again = op_from_wire(op.to_wire())
    assert again == op
    assert verify_signature(again)


def test_a_run_is_proven_by_its_newest_signature_and_links() -> None:
    ops = chain(DeviceIdentity.generate(), 50)
    verify_runs(ops, {})  # no error


def test_an_altered_op_in_the_middle_is_found() -> None:
    ops = chain(DeviceIdentity.generate(), 10)
    forged = dataclasses.replace(ops[4], entity="someone-elses-post")
    with pytest.raises(InvalidOp, match="does not follow"):
        verify_runs([*ops[:4], forged, *ops[5:]], {})


def test_a_forged_signature_on_the_newest_op_is_named() -> None:
    ops = chain(DeviceIdentity.generate(), 5)
    other = DeviceIdentity.generate()
    bad = dataclasses.replace(ops[-1], sig=other.key.sign(ops[-1].envelope_bytes()).hex())
    with pytest.raises(InvalidOp, match=f"op {bad.id} has a signature"):
        verify_runs([*ops[:-1], bad], {})


def test_a_payload_that_does_not_match_its_hash_is_refused() -> None:
    wire = chain(DeviceIdentity.generate(), 1)[0].to_wire()
    wire["payload"] = {"body": "changed after signing"}
    with pytest.raises(InvalidOp, match="payload does not match"):
        op_from_wire(wire)


def test_two_different_ops_with_one_number_are_a_fork() -> None:
    identity = DeviceIdentity.generate()
    ops = chain(identity, 3)
    twin = sign_op(
        identity.key,
        op_id="twin",
        group=GROUP,
        device=identity.device_id,
        seq=3,
        prev=ops[1].hash,
        hlc=ops[2].hlc,
        kind="post",
        entity="x",
        action="update",
        payload={"body": "other"},
    )
    with pytest.raises(InvalidOp, match="two different ops numbered 3"):
        verify_runs([*ops, twin], {})


def test_a_run_is_linked_to_ops_already_held() -> None:
    ops = chain(DeviceIdentity.generate(), 6)
    held = {(GROUP, op.device, op.seq): (op.hash, op.prev, op.hlc) for op in ops[:3]}
    verify_runs(ops[3:], held)
    wrong = {**held, (GROUP, ops[0].device, 3): ("0" * 64, ops[2].prev, ops[2].hlc)}
    with pytest.raises(InvalidOp):
        verify_runs(ops[3:], wrong)


def test_a_stamp_that_goes_backwards_in_a_chain_is_refused() -> None:
    identity = DeviceIdentity.generate()
    first = chain(identity, 1)[0]
    second = sign_op(
        identity.key,
        op_id="late",
        group=GROUP,
        device=identity.device_id,
        seq=2,
        prev=first.hash,
        hlc=first.hlc - 5,
        kind="post",
        entity="x",
        action="update",
        payload={"body": "b"},
    )
    with pytest.raises(InvalidOp, match="stamped earlier"):
        verify_runs([first, second], {})


@pytest.mark.parametrize(
    "change",
    [
        {"seq": "1"},
        {"device": "zz"},
        {"sig": "00"},
        {"payload": [1]},
        {"prev": 5},
        {"hlc": True},
        {"payload": None, "payload_hash": "é" * 64},
    ],
)
def test_malformed_wire_ops_are_refused(change: dict[str, object]) -> None:
    wire = chain(DeviceIdentity.generate(), 1)[0].to_wire()
    wire.update(change)
    with pytest.raises(InvalidOp):
        op_from_wire(wire)


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)  # past 64 bits too
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(payload=st.dictionaries(st.text(), _JSON_VALUES, max_size=6))
def test_any_signed_payload_survives_the_wire_byte_for_byte(payload: dict[str, object]) -> None:
    """Whatever encoder decodes the page, an op's payload text is the one its author hashed."""
    [op] = chain(DeviceIdentity.generate(), 1)
    signed = sign_op(
        DeviceIdentity.generate().key,
        op_id=op.id,
        group=GROUP,
        device=op.device,
        seq=1,
        prev=None,
        hlc=op.hlc,
        kind="post",
        entity="p1",
        action="update",
        payload=payload,
    )
    arrived = op_from_wire(json.loads(json.dumps(signed.to_wire())))
    assert arrived.payload_json == canonical_json(payload)
    assert arrived.payload_hash == signed.payload_hash


def test_a_payload_of_broken_text_is_refused_with_the_reason() -> None:
    [op] = chain(DeviceIdentity.generate(), 1)
    wire = op.to_wire() | {"payload": {"body": "half a character \ud800"}}
    with pytest.raises(InvalidOp, match="not valid text"):
        op_from_wire(wire)


_NAMES = st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=64)
_HEX = st.text("0123456789abcdef", min_size=64, max_size=64)
_NUMBERS = st.integers(min_value=1, max_value=MAX_INT - 1)


@given(
    names=st.tuples(_NAMES, _NAMES, _NAMES, _NAMES, _NAMES),
    keys=st.tuples(_HEX, st.none() | _HEX, _HEX),
    numbers=st.tuples(_NUMBERS, _NUMBERS),
)
def test_the_envelope_is_the_reference_json_for_every_field_an_op_may_hold(
    names: tuple[str, str, str, str, str],
    keys: tuple[str, str | None, str],
    numbers: tuple[int, int],
) -> None:
    """Signatures made before and after the faster encoder cover the same bytes."""
    op_id, group, kind, entity, action = names
    device, prev, p_hash = keys
    seq, hlc = numbers
    fields = [FORMAT, op_id, group, device, seq, prev, hlc, kind, entity, action, p_hash]
    expected = ENVELOPE_JSON(fields).encode()
    assert envelope_bytes(*fields[1:]) == expected


def test_authored_ids_rise_never_repeat_and_prove_only_their_maker() -> None:
    ann, bob = DeviceIdentity.generate().device_id, DeviceIdentity.generate().device_id
    made = [authored_id(ann) for _ in range(20_000)]  # several to a millisecond
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    assert all(is_authored_by(op_id, ann) for op_id in made)
    assert not any(is_authored_by(op_id, bob) for op_id in made[:500])


@given(st.integers(min_value=0, max_value=127))
def test_an_authored_id_with_any_bit_changed_proves_nobody(bit: int) -> None:
    ann = DeviceIdentity.generate().device_id
    op_id = authored_id(ann)
    changed = str(uuid.UUID(int=uuid.UUID(op_id).int ^ (1 << bit)))
    assert not is_authored_by(changed, ann)
    assert not is_authored_by(op_id.upper(), ann)  # one spelling only
